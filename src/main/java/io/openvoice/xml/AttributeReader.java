package io.openvoice.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the attributes of one element. Names match case-insensitively; every attribute of the element must be one of
 * the allowed names (else an error listing them); two spellings of one attribute (aliases, or the same name in two
 * cases) are an error. Values are read strictly: every problem names the attribute as written and the bad value.
 */
final class AttributeReader {
  private final XmlElement el;
  private final Map<String, XmlElement.Attr> byKey = new HashMap<>();

  /** Allows exactly {@code allowed} (canonical spellings). */
  AttributeReader(XmlElement el, String... allowed) throws FlowXmlException {
    this.el = el;
    Map<String, String> allowedKeys = new HashMap<>();
    for (String a : allowed) allowedKeys.put(key(a), a);
    for (XmlElement.Attr a : el.attrs()) {
      String k = key(a.name());
      if (!allowedKeys.containsKey(k)) {
        String list = allowed.length == 0 ? "it takes no attributes"
            : "allowed: " + String.join(", ", new TreeSet<>(allowedKeys.values()));
        throw el.error("unknown attribute '" + a.name() + "' on <" + el.name() + ">; " + list);
      }
      XmlElement.Attr prev = byKey.put(k, a);
      if (prev != null) {
        throw el.error("attribute '" + a.name() + "' is given twice ('" + prev.name() + "' and '" + a.name() + "')");
      }
    }
  }

  /** For a verb: {@code tag} is allowed besides {@code allowed}. */
  static AttributeReader forVerb(XmlElement el, String... allowed) throws FlowXmlException {
    String[] all = new String[allowed.length + 1];
    System.arraycopy(allowed, 0, all, 0, allowed.length);
    all[allowed.length] = "tag";
    return new AttributeReader(el, all);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  XmlElement element() { return el; }

  /** The attribute given under one of {@code names} (aliases), or null; two of them given is an error. */
  XmlElement.Attr find(String... names) throws FlowXmlException {
    XmlElement.Attr found = null;
    for (String n : names) {
      XmlElement.Attr a = byKey.get(key(n));
      if (a == null) continue;
      if (found != null) {
        throw el.error("attributes '" + found.name() + "' and '" + a.name() + "' mean the same; give only one");
      }
      found = a;
    }
    return found;
  }

  boolean has(String... names) throws FlowXmlException {
    return find(names) != null;
  }

  FlowXmlException error(XmlElement.Attr a, String problem) {
    return el.error("attribute '" + a.name() + "' " + problem + ", got '" + XmlTreeReader.snippet(a.value()) + "'");
  }

  /** The stripped value, or null when absent. An empty value counts as given. */
  String string(String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    return a == null ? null : a.value().strip();
  }

  /** The stripped value, or null when absent or blank. */
  String optional(String... names) throws FlowXmlException {
    String v = string(names);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The stripped value; an error when absent or blank. */
  String required(String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) throw el.error("attribute '" + names[0] + "' is required");
    if (a.value().isBlank()) throw el.error("attribute '" + a.name() + "' must not be empty");
    return a.value().strip();
  }

  String tag() throws FlowXmlException {
    return optional("tag");
  }

  /** A non-negative integer. */
  int nonNegativeInt(int dflt, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    long v = parseNonNegative(a, "a non-negative integer");
    if (v > Integer.MAX_VALUE) throw error(a, "must be a non-negative integer no larger than " + Integer.MAX_VALUE);
    return (int) v;
  }

  /** An integer of at least 1. */
  int positiveInt(int dflt, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    int v = nonNegativeInt(dflt, names);
    if (v < 1) throw error(a, "must be at least 1");
    return v;
  }

  /** A signed integer within [min, max]. */
  int intInRange(int dflt, int min, int max, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    String s = a.value().strip();
    if (!s.matches("[+-]?\\d{1,10}")) throw error(a, "must be an integer from " + min + " to " + max);
    long v = Long.parseLong(s);
    if (v < min || v > max) throw error(a, "must be an integer from " + min + " to " + max);
    return (int) v;
  }

  /** A duration: a non-negative integer number of milliseconds. */
  long duration(long dflt, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    return parseNonNegative(a, "a non-negative integer (milliseconds)");
  }

  private long parseNonNegative(XmlElement.Attr a, String what) throws FlowXmlException {
    String s = a.value().strip();
    if (s.startsWith("+")) s = s.substring(1);
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw error(a, "must be " + what);
    }
    return Long.parseLong(s);
  }

  /** true/false/1/0, case-insensitive. */
  boolean bool(boolean dflt, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    switch (a.value().strip().toLowerCase(Locale.ROOT)) {
      case "true", "1":
        return true;
      case "false", "0":
        return false;
      default:
        throw error(a, "must be true or false (or 1 or 0)");
    }
  }

  /**
   * One of {@code choices} (canonical spellings), matched case-insensitively; the canonical spelling is returned.
   */
  String oneOf(String dflt, List<String> choices, String... names) throws FlowXmlException {
    XmlElement.Attr a = find(names);
    if (a == null) return dflt;
    String v = a.value().strip();
    for (String c : choices) {
      if (c.equalsIgnoreCase(v)) return c;
    }
    throw error(a, "must be one of " + String.join(", ", choices));
  }

  /** The value split at commas, each item stripped; an empty item is an error; a blank value is an empty list. */
  List<String> commaList(XmlElement.Attr a) throws FlowXmlException {
    List<String> out = new ArrayList<>();
    if (a.value().isBlank()) return out;
    for (String item : a.value().split(",", -1)) {
      String s = item.strip();
      if (s.isEmpty()) throw error(a, "must be a comma-separated list without empty items");
      out.add(s);
    }
    return out;
  }
}
