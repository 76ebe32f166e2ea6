package io.openvoice.xml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Element names: canonical spelling (matching is case-insensitive) and what each element is. */
final class Names {
  enum Kind {
    /** An executable element that may stand in a sequence. */
    VERB,
    /** {@code <Error>}: a handler, as a child of a verb or as an item of a sequence. */
    ERROR,
    /** {@code <Meta>}: a variable, as a child of a verb or as an item of a sequence. */
    META,
    /** Elements that only mean something inside one parent (DTMF, Switch, Case, Default, To, Header, ...). */
    PART,
    /** {@code <Response>}: the root only. */
    ROOT,
    UNKNOWN
  }

  /** Verbs, in the order error messages list them. */
  static final List<String> VERBS = List.of("Answer", "Hangup", "Reject", "Say", "Play", "Pause", "Record",
      "RecordStart", "RecordStop", "RecordWait", "Gather", "Dial", "Callback", "Redirect", "Call", "Geo", "Schedule",
      "Scheduler", "Hold", "Unhold", "Tone", "Curl");

  /** Elements that are only allowed inside a given parent, with that parent as the message says it. */
  private static final Map<String, String> PART_PARENT = new LinkedHashMap<>();
  private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

  static {
    for (String v : VERBS) CANONICAL.put(v.toLowerCase(Locale.ROOT), v);
    PART_PARENT.put("DTMF", "<Gather>");
    PART_PARENT.put("Switch", "<Gather>");
    PART_PARENT.put("Case", "<Switch>");
    PART_PARENT.put("Default", "<Gather> or <Switch>");
    PART_PARENT.put("To", "<Dial>");
    PART_PARENT.put("Sip", "<Dial>");
    PART_PARENT.put("Number", "<Dial>");
    PART_PARENT.put("Header", "<Curl>");
    for (String p : PART_PARENT.keySet()) CANONICAL.put(p.toLowerCase(Locale.ROOT), p);
    CANONICAL.put("error", "Error");
    CANONICAL.put("meta", "Meta");
    CANONICAL.put("response", "Response");
  }

  private Names() {}

  /** The canonical PascalCase spelling of a known element, or the name as written when unknown. */
  static String canonical(XmlElement el) {
    return CANONICAL.getOrDefault(el.key(), el.name());
  }

  static Kind kind(XmlElement el) {
    String c = CANONICAL.get(el.key());
    if (c == null) return Kind.UNKNOWN;
    return switch (c) {
      case "Error" -> Kind.ERROR;
      case "Meta" -> Kind.META;
      case "Response" -> Kind.ROOT;
      default -> PART_PARENT.containsKey(c) ? Kind.PART : Kind.VERB;
    };
  }

  static boolean is(XmlElement el, String canonical) {
    return el.key().equals(canonical.toLowerCase(Locale.ROOT));
  }

  /**
   * The error for an element that is known but does not belong where it stands, or is unknown. {@code parent}
   * names where it stands, {@code expected} lists what is allowed there.
   */
  static FlowXmlException misplaced(XmlElement el, XmlElement parent, List<String> expected) {
    String c = CANONICAL.get(el.key());
    String exp = String.join(", ", expected);
    if (c == null) {
      return el.error("unknown element <" + el.name() + ">; expected one of " + exp);
    }
    if (c.equals("Response")) {
      return el.error("<Response> is only allowed as the root element");
    }
    String only = PART_PARENT.get(c);
    if (only != null && !only.contains("<" + canonical(parent) + ">")) {
      return el.error("<" + el.name() + "> is only allowed inside " + only);
    }
    return el.error("<" + el.name() + "> is not allowed inside <" + parent.name() + ">; expected one of " + exp);
  }
}
