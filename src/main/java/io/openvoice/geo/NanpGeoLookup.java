package io.openvoice.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link GeoLookup} for North American numbers.
 *
 * <p>The area code (NPA) gives the state, province or territory, from the bundled table
 * {@code /geo/nanp-area-codes.csv} ({@code npa,region}), optionally overridden by an operator CSV of the same form.
 * The county comes only from an operator-supplied NPA-NXX table (e.g. a LERG extract), see
 * {@link Builder#countyCsv(Reader, String)}; a row there may also carry a state that overrides the area code's for
 * that NPA-NXX. All files are parsed once when the lookup is built; {@link #lookup} does no I/O: an array index for
 * the area code and a binary search of a sorted int array for the NPA-NXX. Instances are immutable and thread-safe.
 *
 * <p>Numbers are accepted as {@code +1NPANXXXXXX}, {@code 1NPANXXXXXX} or {@code NPANXXXXXX}, with any spaces,
 * dashes, dots and parentheses; anything else (other country codes, short codes, letters, an NPA or NXX starting
 * with 0 or 1) is not a NANP number and gives {@link Optional#empty()}, as does a NANP number whose area code has no
 * region (toll-free, 5XX, 900, Caribbean countries, unassigned codes).
 */
public final class NanpGeoLookup implements GeoLookup {
  /** Classpath location of the bundled area-code table. */
  public static final String AREA_CODE_RESOURCE = "/geo/nanp-area-codes.csv";

  /** Region codes accepted in the area-code table and in the county CSV's {@code state} column. */
  public static final Set<String> REGION_CODES = Set.of(
      // US states and DC
      "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
      "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
      "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
      // US territories in the NANP
      "PR", "VI", "GU", "AS", "MP",
      // Canadian provinces and territories
      "ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU");

  private static final String COUNTY_SOURCE = "county CSV";
  private static final String AREA_CODE_SOURCE = "area-code CSV";

  /** Indexed by NPA (0..999); null when the area code has no region. */
  private final GeoInfo[] byNpa;
  /** Sorted {@code npa * 1000 + nxx} keys of the county table; {@link #countyInfo} holds the matching values. */
  private final int[] countyKeys;
  private final GeoInfo[] countyInfo;

  /** The bundled area-code table only (states, no counties). */
  public NanpGeoLookup() {
    this(builder());
  }

  private NanpGeoLookup(Builder b) {
    String[] regions = Bundled.REGIONS.clone();
    for (Map.Entry<Integer, String> e : b.areaCodeOverrides.entrySet()) regions[e.getKey()] = e.getValue();
    this.byNpa = new GeoInfo[1000];
    for (int npa = 0; npa < 1000; npa++) {
      if (regions[npa] != null) byNpa[npa] = new GeoInfo(regions[npa], null);
    }
    Map<GeoInfo, GeoInfo> canonical = new HashMap<>();
    int[] keys = b.countyRows.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    GeoInfo[] infos = new GeoInfo[keys.length];
    for (int i = 0; i < keys.length; i++) {
      CountyRow row = b.countyRows.get(keys[i]);
      int npa = keys[i] / 1000;
      String state = row.state != null ? row.state : regions[npa];
      if (state == null) {
        throw new IllegalArgumentException(row.where + ": npa " + pad(npa) + " has no region in the area-code table;"
            + " give the state in a state column (or add the npa to the area-code CSV)");
      }
      GeoInfo info = new GeoInfo(state, row.county);
      infos[i] = canonical.computeIfAbsent(info, k -> k);
    }
    this.countyKeys = keys;
    this.countyInfo = infos;
  }

  /** Bundled area codes plus the county table in {@code countyCsv} (UTF-8). */
  public static NanpGeoLookup withCountyCsv(Path countyCsv) throws IOException {
    return builder().countyCsv(countyCsv).build();
  }

  /**
   * What the node's config asks for: {@code openvoice.geo.county-csv} and {@code openvoice.geo.area-code-csv}, each
   * null when not configured.
   */
  public static NanpGeoLookup load(Path countyCsv, Path areaCodeCsv) throws IOException {
    Builder b = builder();
    if (areaCodeCsv != null) b.areaCodeCsv(areaCodeCsv);
    if (countyCsv != null) b.countyCsv(countyCsv);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<GeoInfo> lookup(String number) {
    int digits = nanpDigits(number);
    if (digits < 0) return Optional.empty();
    int i = Arrays.binarySearch(countyKeys, digits);
    return Optional.ofNullable(i >= 0 ? countyInfo[i] : byNpa[digits / 1000]);
  }

  /** Number of NPA-NXX rows with a county. */
  public int countyEntries() {
    return countyKeys.length;
  }

  /** The region of an area code, e.g. {@code "NJ"} for 201; empty when it has none. */
  public Optional<String> regionOf(int npa) {
    if (npa < 0 || npa > 999 || byNpa[npa] == null) return Optional.empty();
    return Optional.of(byNpa[npa].state());
  }

  /**
   * The 10-digit NANP form ({@code NPANXXXXXX}) of {@code number}, or empty when it is not a NANP number in one of
   * the accepted forms.
   */
  public static Optional<String> normalize(String number) {
    int npaNxx = nanpDigits(number);
    if (npaNxx < 0) return Optional.empty();
    String digits = number.chars().filter(c -> c >= '0' && c <= '9')
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return Optional.of(digits.substring(digits.length() - 10));
  }

  /** {@code npa * 1000 + nxx} of a NANP number, or -1 when {@code number} is not one. */
  private static int nanpDigits(String number) {
    if (number == null) return -1;
    boolean plus = false;
    int count = 0;
    int first = -1;
    int npaNxx = 0;
    for (int i = 0, n = number.length(); i < n; i++) {
      char c = number.charAt(i);
      if (c >= '0' && c <= '9') {
        if (count == 0) first = c - '0';
        count++;
        if (count > 11) return -1;
        int pos = count - (first == 1 ? 1 : 0); // 1-based position within NPANXXXXXX
        if (pos >= 1 && pos <= 6) npaNxx = npaNxx * 10 + (c - '0');
        if ((pos == 1 || pos == 4) && c < '2') return -1;
      } else if (c == '+') {
        if (plus || count > 0) return -1;
        plus = true;
      } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t' || c == '\u00A0')) {
        return -1;
      }
    }
    if (first == 1) {
      if (count != 11) return -1;
    } else {
      if (plus || count != 10) return -1;
    }
    return npaNxx;
  }

  /** The bundled table, parsed once per JVM on first use. */
  private static final class Bundled {
    static final String[] REGIONS = bundledAreaCodes();
  }

  private static String[] bundledAreaCodes() {
    InputStream in = NanpGeoLookup.class.getResourceAsStream(AREA_CODE_RESOURCE);
    if (in == null) throw new IllegalStateException("missing classpath resource " + AREA_CODE_RESOURCE);
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      String[] regions = new String[1000];
      for (Map.Entry<Integer, String> e : parseAreaCodes(r, "bundled " + AREA_CODE_RESOURCE).entrySet()) {
        regions[e.getKey()] = e.getValue();
      }
      return regions;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + AREA_CODE_RESOURCE, e);
    }
  }

  /** npa → region, or → null where the file maps the npa to nothing. */
  private static Map<Integer, String> parseAreaCodes(Reader reader, String source) throws IOException {
    CsvReader csv = new CsvReader(reader, source);
    CsvReader.Row header = csv.next();
    if (header == null) throw new IllegalArgumentException(source + ": empty file, expected a header npa,region");
    Map<String, Integer> cols = columns(csv, header);
    Integer npaCol = cols.get("npa");
    Integer regionCol = cols.get("region");
    if (npaCol == null || regionCol == null) {
      throw new IllegalArgumentException(csv.where(header.line()) + ": header must have columns npa and region, found "
          + header.fields());
    }
    Map<Integer, String> out = new HashMap<>();
    Map<Integer, Integer> lineOf = new HashMap<>();
    for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
      String where = csv.where(row.line());
      checkWidth(where, header, row);
      int npa = code(where, "npa", row.fields().get(npaCol).trim());
      String region = row.fields().get(regionCol).trim().toUpperCase(Locale.ROOT);
      if (region.isEmpty()) {
        region = null;
      } else if (!REGION_CODES.contains(region)) {
        throw new IllegalArgumentException(where + ": region '" + region
            + "' is not a US state/DC/territory or Canadian province/territory code");
      }
      Integer previous = lineOf.putIfAbsent(npa, row.line());
      if (previous != null) {
        throw new IllegalArgumentException(where + ": npa " + pad(npa) + " is already given on line " + previous);
      }
      out.put(npa, region);
    }
    return out;
  }

  private static Map<String, Integer> columns(CsvReader csv, CsvReader.Row header) {
    Map<String, Integer> cols = new HashMap<>();
    for (int i = 0; i < header.fields().size(); i++) {
      String name = header.fields().get(i).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) continue;
      if (cols.putIfAbsent(name, i) != null) {
        throw new IllegalArgumentException(csv.where(header.line()) + ": column '" + name + "' appears twice in the header");
      }
    }
    return cols;
  }

  private static void checkWidth(String where, CsvReader.Row header, CsvReader.Row row) {
    if (row.fields().size() != header.fields().size()) {
      throw new IllegalArgumentException(where + ": expected " + header.fields().size()
          + " fields as in the header, found " + row.fields().size());
    }
  }

  /** A 3-digit NPA or NXX code (first digit 2-9). */
  private static int code(String where, String what, String value) {
    if (value.length() != 3 || !allDigits(value)) {
      throw new IllegalArgumentException(where + ": " + what + " '" + value + "' is not 3 digits");
    }
    if (value.charAt(0) < '2') {
      throw new IllegalArgumentException(where + ": " + what + " '" + value + "' cannot start with 0 or 1");
    }
    return Integer.parseInt(value);
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  private static String pad(int code) {
    return String.format(Locale.ROOT, "%03d", code);
  }

  private record CountyRow(String county, String state, String where) {}

  /** Collects the operator files; each is parsed (and checked) when it is given. */
  public static final class Builder {
    private final Map<Integer, String> areaCodeOverrides = new HashMap<>();
    private final Map<Integer, CountyRow> countyRows = new HashMap<>();
    private final Map<String, String> countyNames = new HashMap<>();

    private Builder() {}

    /**
     * Overrides or adds area codes: CSV with header columns {@code npa} and {@code region} (any order, case-insensitive,
     * other columns ignored). An empty region removes the bundled mapping for that npa. Later calls win.
     */
    public Builder areaCodeCsv(Reader csv, String sourceName) throws IOException {
      areaCodeOverrides.putAll(parseAreaCodes(csv, sourceName == null ? AREA_CODE_SOURCE : sourceName));
      return this;
    }

    public Builder areaCodeCsv(Reader csv) throws IOException {
      return areaCodeCsv(csv, AREA_CODE_SOURCE);
    }

    public Builder areaCodeCsv(Path csv) throws IOException {
      try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        return areaCodeCsv(r, AREA_CODE_SOURCE + " " + csv);
      }
    }

    /**
     * Adds NPA-NXX → county rows. Header (any order, case-insensitive; other columns ignored): {@code npa} and
     * {@code nxx}, or a 6-digit {@code npanxx}; {@code county}; optionally {@code state}, which when non-empty
     * overrides the area code's region for that NPA-NXX. Counties are trimmed and upper-cased. The same NPA-NXX twice
     * with the same county and state is accepted; with different ones it is an error.
     *
     * @param sourceName how error messages name the file, e.g. {@code "county CSV"}
     * @throws IllegalArgumentException naming the line and the problem, for a malformed file
     */
    public Builder countyCsv(Reader csv, String sourceName) throws IOException {
      String source = sourceName == null ? COUNTY_SOURCE : sourceName;
      CsvReader in = new CsvReader(csv, source);
      CsvReader.Row header = in.next();
      if (header == null) {
        throw new IllegalArgumentException(source + ": empty file, expected a header such as npa,nxx,county,state");
      }
      Map<String, Integer> cols = columns(in, header);
      Integer npaCol = cols.get("npa");
      Integer nxxCol = cols.get("nxx");
      Integer npaNxxCol = cols.get("npanxx");
      Integer countyCol = cols.get("county");
      Integer stateCol = cols.get("state");
      boolean split = npaCol != null && nxxCol != null;
      if ((!split && npaNxxCol == null) || countyCol == null) {
        throw new IllegalArgumentException(in.where(header.line())
            + ": header must have columns npa and nxx (or npanxx) and county, found " + header.fields());
      }
      Map<Integer, CountyRow> parsed = new HashMap<>();
      for (CsvReader.Row row = in.next(); row != null; row = in.next()) {
        String where = in.where(row.line());
        checkWidth(where, header, row);
        List<String> f = row.fields();
        int npa;
        int nxx;
        if (split) {
          npa = code(where, "npa", f.get(npaCol).trim());
          nxx = code(where, "nxx", f.get(nxxCol).trim());
        } else {
          String raw = f.get(npaNxxCol).trim();
          String six = raw.replace("-", "").replace(" ", "");
          if (six.length() != 6 || !allDigits(six)) {
            throw new IllegalArgumentException(where + ": npanxx '" + raw + "' is not 6 digits");
          }
          npa = code(where, "npa", six.substring(0, 3));
          nxx = code(where, "nxx", six.substring(3));
        }
        String county = f.get(countyCol).trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (county.isEmpty()) throw new IllegalArgumentException(where + ": county is empty");
        county = countyNames.computeIfAbsent(county, k -> k);
        String state = null;
        if (stateCol != null) {
          state = f.get(stateCol).trim().toUpperCase(Locale.ROOT);
          if (state.isEmpty()) {
            state = null;
          } else if (!REGION_CODES.contains(state)) {
            throw new IllegalArgumentException(where + ": state '" + state
                + "' is not a US state/DC/territory or Canadian province/territory code");
          }
        }
        int key = npa * 1000 + nxx;
        CountyRow fresh = new CountyRow(county, state, where);
        CountyRow old = parsed.containsKey(key) ? parsed.get(key) : countyRows.get(key);
        if (old != null) {
          if (!old.county.equals(county) || !Objects.equals(old.state, state)) {
            throw new IllegalArgumentException(where + ": npa-nxx " + pad(npa) + "-" + pad(nxx) + " is already given as "
                + old.county + (old.state == null ? "" : " " + old.state) + " (" + old.where + ")");
          }
          continue;
        }
        parsed.put(key, fresh);
      }
      countyRows.putAll(parsed); // only a file that parsed whole is taken
      return this;
    }

    public Builder countyCsv(Reader csv) throws IOException {
      return countyCsv(csv, COUNTY_SOURCE);
    }

    public Builder countyCsv(Path csv) throws IOException {
      try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        return countyCsv(r, COUNTY_SOURCE + " " + csv);
      }
    }

    /**
     * @throws IllegalArgumentException when a county row gives no state and its area code has no region
     */
    public NanpGeoLookup build() {
      return new NanpGeoLookup(this);
    }
  }

  @Override
  public String toString() {
    long npas = Arrays.stream(byNpa).filter(Objects::nonNull).count();
    return "NanpGeoLookup[" + npas + " area codes, " + countyKeys.length + " NPA-NXX counties]";
  }
}
