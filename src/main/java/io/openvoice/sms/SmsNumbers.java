package io.openvoice.sms;

import io.openvoice.geo.GeoLookup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Numbers as SMS sees them: the destination's country (for the country permission of a profile), whether a NANP
 * number is toll-free (for pool weights), and the conversation thread of a pair of numbers. Pure.
 */
public final class SmsNumbers {
  private SmsNumbers() {}

  /** NANP toll-free area codes. */
  public static final Set<String> TOLL_FREE_NPAS = Set.of("800", "833", "844", "855", "866", "877", "888");

  private static final Set<String> CANADA = Set.of("ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT",
      "NT", "NU");
  private static final Set<String> TERRITORIES = Set.of("PR", "VI", "GU", "AS", "MP");

  /** Country calling codes outside the NANP → ISO 3166 alpha-2 (longest prefix wins; unlisted ones are unknown). */
  private static final Map<String, String> CODES = Map.ofEntries(
      Map.entry("7", "RU"), Map.entry("20", "EG"), Map.entry("27", "ZA"), Map.entry("30", "GR"), Map.entry("31", "NL"),
      Map.entry("32", "BE"), Map.entry("33", "FR"), Map.entry("34", "ES"), Map.entry("36", "HU"), Map.entry("39", "IT"),
      Map.entry("40", "RO"), Map.entry("41", "CH"), Map.entry("43", "AT"), Map.entry("44", "GB"), Map.entry("45", "DK"),
      Map.entry("46", "SE"), Map.entry("47", "NO"), Map.entry("48", "PL"), Map.entry("49", "DE"), Map.entry("51", "PE"),
      Map.entry("52", "MX"), Map.entry("53", "CU"), Map.entry("54", "AR"), Map.entry("55", "BR"), Map.entry("56", "CL"),
      Map.entry("57", "CO"), Map.entry("58", "VE"), Map.entry("60", "MY"), Map.entry("61", "AU"), Map.entry("62", "ID"),
      Map.entry("63", "PH"), Map.entry("64", "NZ"), Map.entry("65", "SG"), Map.entry("66", "TH"), Map.entry("81", "JP"),
      Map.entry("82", "KR"), Map.entry("84", "VN"), Map.entry("86", "CN"), Map.entry("90", "TR"), Map.entry("91", "IN"),
      Map.entry("92", "PK"), Map.entry("351", "PT"), Map.entry("353", "IE"), Map.entry("358", "FI"),
      Map.entry("380", "UA"), Map.entry("420", "CZ"), Map.entry("852", "HK"), Map.entry("886", "TW"),
      Map.entry("971", "AE"), Map.entry("972", "IL"), Map.entry("966", "SA"), Map.entry("234", "NG"),
      Map.entry("254", "KE"));

  /** The digits of a number ({@code +}, spaces, dashes, dots and parentheses dropped); null when anything else is left. */
  public static String digits(String number) {
    if (number == null) return null;
    String d = number.replaceAll("[\\s().+-]", "");
    return d.matches("[0-9]{3,15}") ? d : null;
  }

  /**
   * A number as the platform keeps it: its E.164 digits, with ten digits taken as NANP ({@code 1} + ten, as
   * {@link io.openvoice.number.CallerId#canonicalTn} does); null when it is no number ({@link #digits}). The one form
   * a destination is checked, threaded, kept sticky and submitted with.
   */
  public static String e164(String number) {
    String d = digits(number);
    if (d == null) return null;
    return d.length() == 10 ? "1" + d : d;
  }

  /**
   * The ISO alpha-2 country of a destination in E.164 digits, or null when unknown. NANP numbers ({@code 1} + ten
   * digits): Canadian area codes → CA, the US territories → their own codes, toll-free and other US area codes →
   * US; Caribbean NANP countries are unknown. Ten digits alone are taken as NANP.
   */
  public static String country(GeoLookup geo, String e164) {
    String d = digits(e164);
    if (d == null) return null;
    if (d.length() == 10) d = "1" + d;
    if (d.length() == 11 && d.startsWith("1")) {
      if (TOLL_FREE_NPAS.contains(d.substring(1, 4))) return "US";
      String region = geo.lookup(d).map(GeoLookup.GeoInfo::state).orElse(null);
      if (region == null) return null;
      if (CANADA.contains(region)) return "CA";
      return TERRITORIES.contains(region) ? region : "US";
    }
    if (d.startsWith("1")) return null;
    for (int len = 3; len >= 1; len--) {
      if (d.length() > len) {
        String c = CODES.get(d.substring(0, len));
        if (c != null) return c;
      }
    }
    return null;
  }

  /** Whether {@code tn} (11-digit NANP) is a toll-free number. */
  public static boolean tollFree(String tn) {
    String d = digits(tn);
    if (d == null) return false;
    if (d.length() == 10) d = "1" + d;
    return d.length() == 11 && d.startsWith("1") && TOLL_FREE_NPAS.contains(d.substring(1, 4));
  }

  /** The conversation of two numbers: the 32-hex MD5 of their digits, sorted, joined by a colon. */
  public static String thread(String a, String b) {
    String x = digits(a) == null ? String.valueOf(a) : digits(a);
    String y = digits(b) == null ? String.valueOf(b) : digits(b);
    String key = x.compareTo(y) <= 0 ? x + ":" + y : y + ":" + x;
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }
}
