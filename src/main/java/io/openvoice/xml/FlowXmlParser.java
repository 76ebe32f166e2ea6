package io.openvoice.xml;

import java.util.Objects;

/**
 * Parses Opentact call-flow XML into an immutable {@link CallFlow}. Hostile input is safe: no DTD, no external
 * entities, bounded size, depth and element count. Every problem is a {@link FlowXmlException} naming line,
 * column, element and what is wrong. Stateless and thread-safe.
 *
 * <p>Where children go:
 * <ul>
 *   <li>Sequences ({@code <Response>}, DTMF/Case branches, Error/Default blocks, and the bodies of {@code <Call>},
 *       {@code <Geo>}, {@code <Schedule>}) hold verbs, {@code <Error>} items (a {@link Block} of kind ERROR: the
 *       handler of the verb just before it) and {@code <Meta>} items (a {@link Meta} node).</li>
 *   <li>Any other verb's {@code <Error>} child is its {@code onError} (at most one) and its {@code <Meta>} children
 *       are its {@code metas}. {@code <Record>}'s other children are its body (the recording window).</li>
 *   <li>{@code <Gather>} holds prompts (Say, Play, Pause, Tone), {@code <DTMF value>} branches, a {@code <Switch>}
 *       of {@code <Case dtmf>} branches, one {@code <Default>} and one {@code <Error>} (directly or in the Switch),
 *       and {@code <Meta>}. {@code <Dial>} holds {@code <To>|<Sip>|<Number>} targets; {@code <Curl>} holds
 *       {@code <Header name value>}.</li>
 * </ul>
 * Element and attribute names match in any case; paths use the canonical PascalCase name and the index among all
 * element children of the parent, e.g. {@code Gather[1].DTMF[2].Say[0]}.
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
