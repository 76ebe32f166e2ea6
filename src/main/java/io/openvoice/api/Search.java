package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search convention (reference 2.4): {@code POST …/search?take&skip} (take/skip in the body too, the query
 * wins), {@code mode} AND|OR, {@code order {field: ASC|DESC}}, masks, and the payload
 * {@code {take, skip, mode, order, total, data}}. Every bad value is a 400 naming its field.
 */
final class Search {
  private Search() {}

  static final int MAX_TAKE = 1000;

  record Paging(int take, int skip) {}

  /** One {@code order} term: the API field and its direction. */
  record Order(String field, boolean descending) {}

  static Paging paging(Req req, ObjectNode b) {
    int take = req.intQuery("take", bodyInt(b, "take", 10, 1, MAX_TAKE), 1, MAX_TAKE);
    int skip = req.intQuery("skip", bodyInt(b, "skip", 0, 0, Integer.MAX_VALUE), 0, Integer.MAX_VALUE);
    return new Paging(take, skip);
  }

  private static int bodyInt(ObjectNode b, String f, int dflt, int min, int max) {
    JsonNode n = b.get(f);
    if (n == null || n.isNull()) return dflt;
    if (n.isTextual() && n.asText().trim().matches("-?[0-9]{1,10}")) n = com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(n.asText().trim()));
    if (!n.isIntegralNumber()) throw ApiException.badField(f, "invalid integer number", n.toString());
    long v = n.asLong();
    if (v < min || v > max) throw ApiException.badField(f, "must be between " + min + " and " + max, v);
    return (int) v;
  }

  /** {@code mode}: AND (default) or OR; true for OR. */
  static boolean anyOf(ObjectNode b) {
    String m = text(b, "mode");
    if (m == null || m.equalsIgnoreCase("AND")) return false;
    if (m.equalsIgnoreCase("OR")) return true;
    throw ApiException.badField("mode", "must be AND or OR", m);
  }

  /**
   * {@code order}: an object of fields among {@code allowed} with ASC|DESC, in the order given; {@code dflt} when
   * absent or empty. An unknown field is a 400 naming {@code order.<field>}.
   */
  static List<Order> order(ObjectNode b, List<String> allowed, Order dflt) {
    JsonNode o = b.get("order");
    if (o == null || o.isNull() || (o.isObject() && o.isEmpty())) return List.of(dflt);
    if (!o.isObject()) throw ApiException.badField("order", "must be an object {field: ASC|DESC}", o.toString());
    List<Order> out = new ArrayList<>();
    var it = o.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!allowed.contains(e.getKey())) {
        throw ApiException.badField("order." + e.getKey(), "cannot order by this field; one of " + allowed, e.getKey());
      }
      String dir = e.getValue().isTextual() ? e.getValue().asText().trim().toUpperCase(Locale.ROOT) : "";
      if (!dir.equals("ASC") && !dir.equals("DESC")) {
        throw ApiException.badField("order." + e.getKey(), "must be ASC or DESC", e.getValue().toString());
      }
      out.add(new Order(e.getKey(), dir.equals("DESC")));
    }
    return out;
  }

  /** The payload of a search answer. */
  static Map<String, Object> page(Paging paging, boolean anyOf, List<Order> order, long total, List<?> data) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("take", paging.take());
    payload.put("skip", paging.skip());
    payload.put("mode", anyOf ? "OR" : "AND");
    Map<String, String> o = new LinkedHashMap<>();
    for (Order x : order) o.put(x.field(), x.descending() ? "DESC" : "ASC");
    payload.put("order", o);
    payload.put("total", total);
    payload.put("data", data);
    return payload;
  }

  /**
   * A number mask (a leading or inner {@code +} ignored): digits, {@code *} any digits, {@code %} one digit,
   * found anywhere in the number. 400 naming {@code field} for anything else.
   */
  static String numberMask(String field, String mask) {
    String digits = mask.replace("+", "");
    if (!digits.matches("[0-9*%]+")) throw ApiException.badField(field, "mask may contain only digits, '*' and '%'", mask);
    return digits;
  }

  /** A number mask as a regular expression (found anywhere), for searches done in memory. */
  static java.util.regex.Pattern maskPattern(String field, String mask) {
    StringBuilder re = new StringBuilder();
    for (char ch : numberMask(field, mask).toCharArray()) {
      re.append(ch == '*' ? "\\d*" : ch == '%' ? "\\d" : String.valueOf(ch));
    }
    return java.util.regex.Pattern.compile(re.toString());
  }

  /**
   * A caller/callee mask for SQL {@code LIKE}: like a number mask, and letters, {@code . @ -} for SIP user names;
   * {@code *} any characters, {@code %} one, found anywhere.
   */
  static String likeMask(String field, String mask, boolean numberOnly) {
    String m = numberOnly ? numberMask(field, mask) : mask.replace("+", "");
    if (!m.matches("[0-9A-Za-z*%.@-]+")) {
      throw ApiException.badField(field, "mask may contain only digits, letters, '.', '@', '-', '*' and '%'", mask);
    }
    StringBuilder like = new StringBuilder("%");
    for (char ch : m.toCharArray()) like.append(ch == '*' ? '%' : ch == '%' ? '_' : ch);
    return like.append('%').toString();
  }

  /** An ISO-8601 instant ({@code 2024-02-20T16:41:34.861Z}) or date (midnight UTC); null when absent. */
  static Instant instant(ObjectNode b, String f) {
    String v = text(b, f);
    if (v == null) return null;
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw ApiException.badField(f, "must be an ISO-8601 time such as 2024-02-20T16:41:34.861Z", v);
      }
    }
  }

  /** A string filter: absent, null or blank → null; anything but a string or number → 400. */
  static String text(JsonNode b, String f) {
    JsonNode n = b.get(f);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual() && !n.isNumber()) throw ApiException.badField(f, "must be a string", n.toString());
    return n.asText().isBlank() ? null : n.asText().trim();
  }

  /** One of {@code values} (case-insensitive, answered lower-case); null when absent. */
  static String oneOf(ObjectNode b, String f, String... values) {
    String v = text(b, f);
    if (v == null) return null;
    for (String x : values) if (x.equalsIgnoreCase(v)) return x;
    throw ApiException.badField(f, "must be one of " + String.join(", ", values), v);
  }

  /** A uuid filter; null when absent. */
  static String uuid(ObjectNode b, String f) {
    String v = text(b, f);
    if (v == null) return null;
    if (!Fields.isUuid(v)) throw ApiException.badField(f, "must be a uuid", v);
    return v.toLowerCase(Locale.ROOT);
  }

  /** A boolean filter (true/false, or "true"/"false"); null when absent. */
  static Boolean bool(ObjectNode b, String f) {
    JsonNode n = b.get(f);
    if (n == null || n.isNull()) return null;
    if (n.isBoolean()) return n.asBoolean();
    if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(n.asText().toLowerCase(Locale.ROOT));
    }
    throw ApiException.badField(f, "must be true or false", n.toString());
  }
}
