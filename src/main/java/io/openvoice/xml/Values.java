package io.openvoice.xml;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the structured attribute and content values of the call-flow language. */
final class Values {
  /** Keys a caller can press; letters are the A-D column (upper-cased). {@code +} is in the old draft's list. */
  private static final String DTMF_KEYS = "0123456789*#ABCD";
  private static final String FINISH_KEYS = DTMF_KEYS + "+";
  /** Most frequencies one {@code <Tone hz>} may list, after expanding {@code NxM}. */
  static final int MAX_TONE_FREQUENCIES = 32;
  static final int MAX_HZ = 20_000;

  private static final Pattern HZ_ITEM = Pattern.compile("(\\d{1,5})(?:\\s*[xX]\\s*(\\d{1,3}))?");
  private static final Pattern CLOCK = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2}))?");
  private static final Pattern STATE = Pattern.compile("[A-Z]{2}");
  private static final Pattern NUMBER = Pattern.compile("\\+?\\d{1,32}");
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d*)");
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d*)\\.\\d+");

  private Values() {}

  /** A non-empty string of DTMF keys (upper-cased), e.g. a branch value. */
  static String dtmfKeys(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    String v = attr.value().strip().toUpperCase(Locale.ROOT);
    if (v.isEmpty() || !v.chars().allMatch(c -> DTMF_KEYS.indexOf(c) >= 0)) {
      throw a.error(attr, "must be DTMF keys (0-9, *, #, A-D)");
    }
    return v;
  }

  /** A finish/stop key: null when empty (= none), else the key(s), upper-cased. */
  static String finishKeys(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    String v = attr.value().strip().toUpperCase(Locale.ROOT);
    if (v.isEmpty()) return null;
    if (!v.chars().allMatch(c -> FINISH_KEYS.indexOf(c) >= 0)) {
      throw a.error(attr, "must be a DTMF key (0-9, *, #, A-D)");
    }
    return v;
  }

  /** {@code hz}: comma list of frequencies; {@code NxM} is N repeated M times. */
  static List<Integer> toneHz(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    List<Integer> out = new ArrayList<>();
    for (String item : a.commaList(attr)) {
      Matcher m = HZ_ITEM.matcher(item);
      if (!m.matches()) {
        throw a.error(attr, "must be a comma list of frequencies in Hz, each optionally NxM (N repeated M times);"
            + " bad item '" + XmlTreeReader.snippet(item) + "'");
      }
      int hz = Integer.parseInt(m.group(1));
      int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
      if (hz < 1 || hz > MAX_HZ) throw a.error(attr, "has frequency " + hz + "; frequencies are 1 to " + MAX_HZ);
      if (times < 1) throw a.error(attr, "repeats '" + item + "' " + times + " times; the count must be at least 1");
      if (out.size() + times > MAX_TONE_FREQUENCIES) {
        throw a.error(attr, "lists more than " + MAX_TONE_FREQUENCIES + " frequencies");
      }
      for (int i = 0; i < times; i++) out.add(hz);
    }
    if (out.isEmpty()) throw a.error(attr, "must list at least one frequency");
    return out;
  }

  /** {@code dow}: comma list of sun..sat or full day names, case-insensitive. */
  static Set<DayOfWeek> days(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    List<String> items = a.commaList(attr);
    if (items.isEmpty()) throw a.error(attr, "must list days (sun, mon, tue, wed, thu, fri, sat)");
    for (String item : items) {
      DayOfWeek d = day(item.toLowerCase(Locale.ROOT));
      if (d == null) {
        throw a.error(attr, "must be a comma list of days (sun, mon, tue, wed, thu, fri, sat); bad item '"
            + XmlTreeReader.snippet(item) + "'");
      }
      out.add(d);
    }
    return out;
  }

  private static DayOfWeek day(String s) {
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = d.name().toLowerCase(Locale.ROOT);
      if (s.equals(full) || s.equals(full.substring(0, 3))) return d;
    }
    return null;
  }

  /** {@code time}: "HH:MM[:SS]-HH:MM[:SS]", start not after end. Returns {from, to}. */
  static LocalTime[] timeRange(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    String v = attr.value().strip();
    int dash = v.indexOf('-');
    if (dash < 0) throw a.error(attr, "must be a range HH:MM:SS-HH:MM:SS");
    LocalTime from = clock(v.substring(0, dash).strip());
    LocalTime to = clock(v.substring(dash + 1).strip());
    if (from == null || to == null) {
      throw a.error(attr, "must be a range HH:MM:SS-HH:MM:SS (or HH:MM-HH:MM) of valid times of day");
    }
    // from after to is a range over midnight (22:00-06:00); the interpreter handles the wrap
    return new LocalTime[] {from, to};
  }

  private static LocalTime clock(String s) {
    Matcher m = CLOCK.matcher(s);
    if (!m.matches()) return null;
    try {
      return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** {@code tz}: a zone id java.time knows (e.g. America/New_York, UTC, +02:00). */
  static String zone(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    String v = attr.value().strip();
    try {
      ZoneId.of(v);
      return v;
    } catch (DateTimeException e) {
      throw a.error(attr, "must be a time-zone id such as America/New_York or UTC");
    }
  }

  /** {@code states}: comma list of 2-letter codes, upper-cased. */
  static Set<String> states(AttributeReader a, XmlElement.Attr attr) throws FlowXmlException {
    Set<String> out = new LinkedHashSet<>();
    for (String item : a.commaList(attr)) {
      String s = item.toUpperCase(Locale.ROOT);
      if (!STATE.matcher(s).matches()) {
        throw a.error(attr, "must be a comma list of 2-letter state codes; bad item '"
            + XmlTreeReader.snippet(item) + "'");
      }
      out.add(s);
    }
    return out;
  }

  /** The kind of a dial target, or null when the text is none of them. */
  static Verb.TargetKind targetKind(String target) {
    if (target.isEmpty() || target.chars().anyMatch(Character::isWhitespace)) return null;
    String lower = target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
      return target.length() > lower.indexOf(':') + 1 ? Verb.TargetKind.SIP_URI : null;
    }
    int at = target.indexOf('@');
    if (at >= 0) return at > 0 && at < target.length() - 1 ? Verb.TargetKind.SIP_USER : null;
    return NUMBER.matcher(target).matches() ? Verb.TargetKind.NUMBER : null;
  }

  /**
   * A {@code <Meta>} value, typed: true/false (any case) → Boolean, an integer (no leading zeros, fits a long) →
   * Long, a decimal → Double, anything else (incl. "007", "+1800...") → the String itself.
   */
  static Object metaValue(String v) {
    if (v.equalsIgnoreCase("true")) return Boolean.TRUE;
    if (v.equalsIgnoreCase("false")) return Boolean.FALSE;
    if (INTEGER.matcher(v).matches()) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException tooBig) {
        return v;
      }
    }
    if (DECIMAL.matcher(v).matches()) {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) ? (Object) d : v;
    }
    return v;
  }
}
