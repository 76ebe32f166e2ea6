package io.openvoice.number;

import java.util.List;

/**
 * Caller-id normalisation and black/whitelist matching. Numbers compare in digits-only form with NANP 10-digit
 * numbers widened to 11 (leading 1); list entries are numbers or prefixes ending in {@code *}.
 */
public final class CallerId {
  private CallerId() {}

  /** Digits only; a 10-digit NANP number gets its leading 1. Non-numeric ids (SIP users) are kept as they are. */
  public static String normalize(String number) {
    if (number == null) return "";
    String t = number.trim();
    String digits = t.replaceAll("[\\s().\\-+]", "");
    if (!digits.matches("\\d+")) return t.toLowerCase(java.util.Locale.ROOT);
    if (digits.length() == 10) digits = "1" + digits;
    return digits;
  }

  public static String normalizeEntry(String entry) {
    if (entry == null) return "";
    String e = entry.trim();
    if (e.endsWith("*")) {
      String prefix = e.substring(0, e.length() - 1).replaceAll("[\\s().\\-+]", "");
      return prefix + "*";
    }
    return normalize(e);
  }

  public static boolean matchesAny(String caller, List<String> entries) {
    String c = normalize(caller);
    for (String e : entries) {
      if (e.endsWith("*")) {
        String p = e.substring(0, e.length() - 1);
        if (c.startsWith(p) || (p.length() > 0 && c.startsWith("1" + p) && c.length() == 11)) return true;
      } else if (c.equals(e)) {
        return true;
      }
    }
    return false;
  }

  /** A TN in its canonical 11-digit NANP form, or null when the text is not a valid number. */
  public static String canonicalTn(String text) {
    if (text == null) return null;
    String d = text.trim().replaceAll("[\\s().\\-+]", "");
    if (!d.matches("\\d{10,15}")) return null;
    if (d.length() == 10) d = "1" + d;
    return d;
  }
}
