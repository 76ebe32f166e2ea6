package io.openvoice.xml;

/**
 * Parses Opentact call-flow XML into an immutable {@link CallFlow}. Hostile input is safe: no DTD, no external
 * entities, bounded size, depth and element count. Every problem is a {@link FlowXmlException} naming line,
 * column, element and what is wrong. Stateless and thread-safe.
 */
public final class FlowXmlParser {

  /** Bounds on a document. */
  public record Limits(int maxChars, int maxDepth, int maxElements) {
    public static final Limits DEFAULT = new Limits(1_000_000, 64, 20_000);
  }

  private FlowXmlParser() {}

  public static CallFlow parse(String xml) throws FlowXmlException {
    return parse(xml, Limits.DEFAULT);
  }

  public static CallFlow parse(String xml, Limits limits) throws FlowXmlException {
    throw new FlowXmlException(0, 0, null, "parser not implemented yet");
  }
}
