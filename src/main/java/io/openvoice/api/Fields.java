package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Reading and validating JSON body fields; every failure names the field ({@link ApiException#badField}). */
final class Fields {
  private Fields() {}

  /** A string field: absent → {@code dflt}, JSON null → null, anything but a string → 400. */
  static String str(ObjectNode b, String f, String dflt) {
    if (!b.has(f)) return dflt;
    JsonNode n = b.get(f);
    if (n.isNull()) return null;
    if (!n.isTextual()) throw ApiException.badField(f, "must be a string", n.toString());
    return wellFormed(f, n.asText());
  }

  /**
   * {@code v} when it is well-formed UTF-16 (every surrogate paired, as JSON's {@code \\ud83d\\ude00}); a lone
   * surrogate (JSON allows {@code "\\ud800"}) is a 400 naming {@code f}: no UTF-8 or CBOR writer takes it, so the
   * value could be neither kept nor shown.
   */
  static String wellFormed(String f, String v) {
    if (v == null) return null;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiException.badField(f, "is not well-formed Unicode: an unpaired surrogate (\\u"
            + Integer.toHexString(c) + ") at index " + i, null);
      }
    }
    return v;
  }

  /** A required, non-blank string of at most {@code max} characters. */
  static String required(ObjectNode b, String f, String dflt, int max) {
    String v = str(b, f, dflt);
    if (v == null || v.isBlank()) throw ApiException.badField(f, "is required", null);
    if (v.length() > max) throw ApiException.badField(f, "must be at most " + max + " characters", v);
    return v.trim();
  }

  static boolean bool(ObjectNode b, String f, boolean dflt) {
    if (!b.has(f) || b.get(f).isNull()) return dflt;
    if (!b.get(f).isBoolean()) throw ApiException.badField(f, "must be a boolean", b.get(f).toString());
    return b.get(f).asBoolean();
  }

  /** An integer from {@code min} to {@code max}: absent or null → {@code dflt}; anything else → 400. */
  static int intRange(ObjectNode b, String f, int dflt, int min, int max) {
    if (!b.has(f) || b.get(f).isNull()) return dflt;
    JsonNode n = b.get(f);
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
      throw ApiException.badField(f, "must be an integer from " + min + " to " + max, n.toString());
    }
    return n.asInt();
  }

  /** An ISO-8601 date-time with offset: absent → {@code dflt}, null → null, anything else → 400. */
  static java.time.Instant instant(ObjectNode b, String f, java.time.Instant dflt) {
    if (!b.has(f)) return dflt;
    JsonNode n = b.get(f);
    if (n.isNull()) return null;
    if (!n.isTextual()) throw ApiException.badField(f, "must be an ISO-8601 date-time string or null", n.toString());
    try {
      return java.time.OffsetDateTime.parse(n.asText()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.badField(f, "must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z", n.asText());
    }
  }

  /** A tech prefix: up to 15 digits, # and *. */
  static String techPrefix(ObjectNode b, String f, String dflt) {
    String v = str(b, f, dflt);
    if (v != null && !v.matches("[0-9#*]{0,15}")) throw ApiException.badField(f, "may hold up to 15 digits, # and *", v);
    return v;
  }

  /** A uuid reference: absent → {@code dflt}, null or "" → null, otherwise it must be a uuid. */
  static String uuidRef(ObjectNode b, String f, String dflt) {
    String v = str(b, f, dflt);
    if (v == null || v.isBlank()) return null;
    if (!isUuid(v)) throw ApiException.badField(f, "must be a uuid or null", v);
    return v.toLowerCase(java.util.Locale.ROOT);
  }

  static boolean isUuid(String s) {
    try {
      UUID.fromString(s);
      return s.length() == 36;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /** A DNS host name: labels of letters, digits and hyphens, dot-separated, at most 253 characters. */
  static boolean isHostName(String s) {
    if (s == null || s.isEmpty() || s.length() > 253) return false;
    for (String label : s.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
      for (char c : label.toCharArray()) {
        if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') return false;
      }
    }
    return true;
  }
}
