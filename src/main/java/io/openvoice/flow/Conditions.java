package io.openvoice.flow;

import io.openvoice.geo.GeoLookup;
import io.openvoice.xml.Verb;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The conditions of {@code <Call>}, {@code <Geo>} and {@code <Schedule>}. Pure functions. */
final class Conditions {

  /** Whether a condition block runs, and a short human explanation for its event. */
  record Result(boolean matched, String reason) {}

  private Conditions() {}

  // ---- <Call field value op> ----

  static Result call(Verb.Call c, FlowState st) {
    String field = c.field() == null ? "" : c.field().trim().toLowerCase(Locale.ROOT);
    String property = property(field, st);
    String op = c.op() == null ? "eq" : c.op().trim().toLowerCase(Locale.ROOT);
    boolean matched = compare(property, op, c.value());
    return new Result(matched, field + "=" + (property == null ? "null" : property) + " " + op + " " + c.value());
  }

  private static String property(String field, FlowState st) {
    FlowContext ctx = st.ctx;
    switch (field) {
      case "from": return ctx.from();
      case "to": return ctx.to();
      case "tn": return ctx.tn();
      case "direction": return ctx.direction();
      case "state": return FetchParams.state(st);
      case "call": return ctx.callId();
      case "sca": return ctx.appId();
      default: return null;
    }
  }

  static boolean compare(String property, String op, String value) {
    return switch (op) {
      case "ne" -> !equal(property, value);
      case "prefix" -> contains(property, value, true);
      case "contains" -> contains(property, value, false);
      case "lt", "le", "gt", "ge" -> {
        Integer c = order(property, value);
        yield c != null && switch (op) {
          case "lt" -> c < 0;
          case "le" -> c <= 0;
          case "gt" -> c > 0;
          default -> c >= 0;
        };
      }
      default -> equal(property, value);
    };
  }

  /** Numbers compare as numbers, anything else as text ignoring case; null when a side is missing. */
  private static Integer order(String property, String value) {
    if (property == null || property.isBlank() || value == null) {
      return null;
    }
    String p = stripPlus(property.trim());
    String v = stripPlus(value.trim());
    try {
      return new BigDecimal(p).compareTo(new BigDecimal(v));
    } catch (NumberFormatException notNumbers) {
      return p.compareToIgnoreCase(v);
    }
  }

  private static boolean equal(String property, String value) {
    String v = value == null ? "null" : value.trim();
    String p = property == null ? "" : property.trim();
    if (v.equalsIgnoreCase("null")) {
      return p.isEmpty();
    }
    for (String pf : forms(p)) {
      for (String vf : forms(v)) {
        if (pf.equalsIgnoreCase(vf)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean contains(String property, String value, boolean prefix) {
    if (property == null || value == null) {
      return false;
    }
    String v = stripPlus(value.trim()).toLowerCase(Locale.ROOT);
    for (String pf : forms(property.trim())) {
      String p = pf.toLowerCase(Locale.ROOT);
      if (prefix ? p.startsWith(v) : p.contains(v)) {
        return true;
      }
    }
    return false;
  }

  /** The text without a leading '+', plus its other NANP form (11 digits with the leading 1, or 10 without). */
  private static List<String> forms(String text) {
    String s = stripPlus(text);
    List<String> forms = new ArrayList<>(2);
    forms.add(s);
    if (isDigits(s)) {
      if (s.length() == 11 && s.charAt(0) == '1') {
        forms.add(s.substring(1));
      } else if (s.length() == 10) {
        forms.add("1" + s);
      }
    }
    return forms;
  }

  private static String stripPlus(String s) {
    return s.startsWith("+") ? s.substring(1) : s;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  // ---- <Geo states county> ----

  static Result geo(Verb.Geo g, FlowContext ctx) {
    GeoLookup lookup = ctx.geo() == null ? GeoLookup.NONE : ctx.geo();
    boolean anyState = g.states().isEmpty();
    boolean anyCounty = g.county() == null || g.county().isBlank();
    if (anyState && anyCounty) {
      return new Result(true, "no condition");
    }
    Optional<GeoLookup.GeoInfo> info = ctx.from() == null ? Optional.empty() : lookup.lookup(ctx.from());
    if (info.isEmpty()) {
      return new Result(false, "caller location unknown");
    }
    GeoLookup.GeoInfo where = info.get();
    boolean matched = (anyState || containsIgnoreCase(g.states(), where.state()))
        && (anyCounty || g.county().trim().equalsIgnoreCase(where.county() == null ? "" : where.county()));
    return new Result(matched, "caller in " + where.state() + (where.county() == null ? "" : "/" + where.county()));
  }

  private static boolean containsIgnoreCase(Set<String> set, String s) {
    if (s == null) {
      return false;
    }
    for (String e : set) {
      if (e.trim().equalsIgnoreCase(s)) {
        return true;
      }
    }
    return false;
  }

  // ---- <Schedule dow time tz> ----

  /** @throws DateTimeException when {@code tz} is not a time zone */
  static Result schedule(Verb.Schedule s, FlowState st) {
    ZoneId zone = s.tz() != null && !s.tz().isBlank() ? ZoneId.of(s.tz().trim())
        : st.ctx.zone() != null ? st.ctx.zone() : ZoneOffset.UTC;
    ZonedDateTime local = st.now.atZone(zone);
    LocalTime time = local.toLocalTime().truncatedTo(ChronoUnit.SECONDS);
    boolean dayOk = s.days().isEmpty() || s.days().contains(local.getDayOfWeek());
    boolean timeOk = within(time, s.from(), s.to());
    String when = local.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT) + " " + time + " " + zone;
    return new Result(dayOk && timeOk, when);
  }

  /** Inclusive; a range whose start is after its end wraps midnight; a missing bound is open. */
  static boolean within(LocalTime t, LocalTime from, LocalTime to) {
    LocalTime lo = from == null ? LocalTime.MIN : from;
    LocalTime hi = to == null ? LocalTime.MAX : to;
    if (!lo.isAfter(hi)) {
      return !t.isBefore(lo) && !t.isAfter(hi);
    }
    return !t.isBefore(lo) || !t.isAfter(hi);
  }
}
