package io.openvoice.xml;

import java.util.Objects;

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

  /**
   * Parses {@code xml}. The size is checked before any parsing; depth and element count while reading; then every
   * element is given its meaning, with all defaults applied.
   */
  public static CallFlow parse(String xml, Limits limits) throws FlowXmlException {
    Objects.requireNonNull(limits, "limits");
    if (xml == null) throw new FlowXmlException(0, 0, null, "document is missing (null)");
    if (xml.length() > limits.maxChars()) {
      throw new FlowXmlException(0, 0, null,
          "document is " + xml.length() + " characters, limit is " + limits.maxChars());
    }
    if (xml.startsWith("\uFEFF")) xml = xml.substring(1); // a byte-order mark left over from decoding
    if (xml.isBlank()) throw new FlowXmlException(1, 1, null, "document is empty; expected <Response>...</Response>");
    XmlElement root = XmlTreeReader.read(xml, limits);
    return new FlowBuilder().build(root);
  }
}
