package io.openvoice.number;

import com.typesafe.config.Config;
import io.openvoice.geo.CsvReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The numbers an operator sells: DID blocks from configuration ({@code openvoice.inventory.blocks}) and CSV files
 * ({@code openvoice.inventory.csv-files}, a {@code tn} column plus optional city, province, rate_center,
 * postal_code, profile). Immutable once loaded; whether a number is leased is the TN entity's business.
 */
public final class NumberInventory {

  public record Item(String tn, String city, String province, String rateCenter, String postalCode, String profile) {}

  /** Inventory search filters (reference 3.2); null = any. {@code pattern}: 10 digits, {@code *} any run, {@code %} one digit. */
  public record Query(String pattern, String rateCenter, String city, String province, String postalCode,
                      String profile) {}

  private final List<Item> items;
  private final Map<String, Item> byTn;

  public NumberInventory(List<Item> items) {
    Map<String, Item> m = new LinkedHashMap<>();
    for (Item i : items) m.putIfAbsent(i.tn(), i);
    this.items = List.copyOf(m.values());
    this.byTn = Collections.unmodifiableMap(m);
  }

  public static NumberInventory fromConfig(Config c) throws IOException {
    List<Item> items = new ArrayList<>();
    for (Config b : c.getConfigList("blocks")) {
      long from = b.getLong("from");
      long to = b.getLong("to");
      if (to < from || to - from > 1_000_000) throw new IllegalArgumentException("inventory block " + from + "-" + to + " is invalid");
      for (long n = from; n <= to; n++) {
        items.add(new Item(CallerId.canonicalTn(Long.toString(n)), opt(b, "city"), opt(b, "province"),
            opt(b, "rate_center"), opt(b, "postal_code"), b.hasPath("profile") ? b.getString("profile") : "US"));
      }
    }
    for (String file : c.getStringList("csv-files")) {
      try (Reader r = Files.newBufferedReader(Path.of(file))) {
        items.addAll(readCsv(r, file));
      }
    }
    return new NumberInventory(items);
  }

  static List<Item> readCsv(Reader r, String name) throws IOException {
    List<Item> out = new ArrayList<>();
    CsvReader csv = new CsvReader(r, name);
    CsvReader.Row head = csv.next();
    if (head == null) return out;
    List<String> header = head.fields();
    Map<String, Integer> col = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) col.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    if (!col.containsKey("tn")) throw new IllegalArgumentException(name + ": no 'tn' column");
    CsvReader.Row r0;
    while ((r0 = csv.next()) != null) {
      List<String> row = r0.fields();
      String tn = CallerId.canonicalTn(get(row, col, "tn"));
      if (tn == null) throw new IllegalArgumentException(csv.where(r0.line()) + ": bad tn '" + get(row, col, "tn") + "'");
      String profile = get(row, col, "profile");
      out.add(new Item(tn, get(row, col, "city"), get(row, col, "province"), get(row, col, "rate_center"),
          get(row, col, "postal_code"), profile == null ? "US" : profile));
    }
    return out;
  }

  private static String get(List<String> row, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    if (i == null || i >= row.size()) return null;
    String v = row.get(i).trim();
    return v.isEmpty() ? null : v;
  }

  private static String opt(Config c, String k) {
    return c.hasPath(k) ? c.getString(k) : null;
  }

  public Item get(String tn) {
    return byTn.get(tn);
  }

  public int size() {
    return items.size();
  }

  /** Every item matching the query, in inventory order. */
  public List<Item> matching(Query q) {
    Pattern p = q.pattern() == null || q.pattern().isBlank() ? null : compile(q.pattern());
    List<Item> out = new ArrayList<>();
    for (Item i : items) {
      if (p != null && !p.matcher(i.tn().substring(i.tn().length() - 10)).find()) continue;
      if (!eq(q.rateCenter(), i.rateCenter()) || !eq(q.city(), i.city()) || !eq(q.province(), i.province())
          || !eq(q.postalCode(), i.postalCode()) || !eq(q.profile(), i.profile())) continue;
      out.add(i);
    }
    return out;
  }

  /** {@code *} = any run of digits, {@code %} = exactly one digit; otherwise a substring match ("*233" contains 233). */
  static Pattern compile(String pattern) {
    String t = pattern.trim();
    if (!t.matches("[0-9*%]+")) throw new IllegalArgumentException("pattern may contain only digits, '*' and '%'");
    StringBuilder re = new StringBuilder();
    for (char ch : t.toCharArray()) re.append(ch == '*' ? "\\d*" : ch == '%' ? "\\d" : String.valueOf(ch));
    return Pattern.compile(re.toString());
  }

  private static boolean eq(String want, String have) {
    return want == null || want.isBlank() || (have != null && have.equalsIgnoreCase(want.trim()));
  }
}
