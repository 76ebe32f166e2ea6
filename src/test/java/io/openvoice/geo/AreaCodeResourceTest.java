package io.openvoice.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the bundled table as a plain file, independently of the loader. */
class AreaCodeResourceTest {
  private static final Set<String> US = Set.of(
      "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
      "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
      "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY");
  private static final Set<String> US_TERRITORIES = Set.of("PR", "VI", "GU", "AS", "MP");
  private static final Set<String> CANADA = Set.of(
      "ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU");

  private static List<String> lines;
  private static final Map<String, String> regionByNpa = new TreeMap<>();
  private static final List<String> problems = new ArrayList<>();

  @BeforeAll
  static void read() throws IOException {
    InputStream in = AreaCodeResourceTest.class.getResourceAsStream(NanpGeoLookup.AREA_CODE_RESOURCE);
    assertNotNull(in, "bundled resource present");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      lines = r.lines().toList();
    }
    Map<String, Integer> lineOf = new HashMap<>();
    boolean headerSeen = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) continue;
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 2 || !f[0].matches("[2-9]\\d\\d")) {
        problems.add("line " + (i + 1) + ": bad row '" + line + "'");
        continue;
      }
      Integer previous = lineOf.putIfAbsent(f[0], i + 1);
      if (previous != null) problems.add("line " + (i + 1) + ": npa " + f[0] + " duplicates line " + previous);
      if (!US.contains(f[1]) && !US_TERRITORIES.contains(f[1]) && !CANADA.contains(f[1])) {
        problems.add("line " + (i + 1) + ": region '" + f[1] + "' is not a valid code");
      }
      regionByNpa.put(f[0], f[1]);
    }
  }

  @Test
  void startsWithACommentThenTheHeader() {
    assertTrue(lines.get(0).startsWith("# "), lines.get(0));
    int header = 0;
    while (lines.get(header).startsWith("#")) header++;
    assertEquals("npa,region", lines.get(header));
  }

  @Test
  void noDuplicateAreaCodesAndEveryRegionIsValid() {
    assertEquals(List.of(), problems);
  }

  @Test
  void nonGeographicCodesAreAbsent() {
    for (String npa : List.of("800", "888", "877", "866", "855", "844", "833", "822", "880", "881", "882", "883",
        "884", "885", "886", "887", "889", "500", "521", "522", "533", "544", "566", "577", "588", "900", "600",
        "622", "700", "710", "211", "311", "411", "511", "611", "711", "811", "911")) {
      assertFalse(regionByNpa.containsKey(npa), npa + " is non-geographic");
    }
  }

  @Test
  void coversEveryStateProvinceAndTerritoryWithRoughlyTheRightCounts() {
    Set<String> regions = new TreeSet<>(regionByNpa.values());
    Set<String> missing = new TreeSet<>(US);
    missing.addAll(US_TERRITORIES);
    missing.removeAll(regions);
    assertEquals(Set.of(), missing);
    // Shared NPAs: 867 (YT/NT/NU) and 902/782 (NS/PE) can name only one; operators refine them per NPA-NXX.
    Set<String> missingCanada = new TreeSet<>(CANADA);
    missingCanada.removeAll(regions);
    assertEquals(Set.of("NT", "NU", "PE"), missingCanada);
    long us = regionByNpa.values().stream().filter(r -> US.contains(r) || US_TERRITORIES.contains(r)).count();
    long canada = regionByNpa.values().stream().filter(CANADA::contains).count();
    assertTrue(us >= 330 && us <= 400, "US NPAs: " + us);
    assertTrue(canada >= 40 && canada <= 70, "Canadian NPAs: " + canada);
  }

  @Test
  void wellKnownAreaCodesAndOverlays() {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("201", "NJ"), Map.entry("551", "NJ"), Map.entry("862", "NJ"), Map.entry("973", "NJ"),
        Map.entry("212", "NY"), Map.entry("646", "NY"), Map.entry("332", "NY"), Map.entry("917", "NY"),
        Map.entry("718", "NY"), Map.entry("347", "NY"), Map.entry("929", "NY"),
        Map.entry("213", "CA"), Map.entry("310", "CA"), Map.entry("323", "CA"), Map.entry("424", "CA"),
        Map.entry("415", "CA"), Map.entry("628", "CA"), Map.entry("312", "IL"), Map.entry("872", "IL"),
        Map.entry("713", "TX"), Map.entry("832", "TX"), Map.entry("346", "TX"), Map.entry("281", "TX"),
        Map.entry("305", "FL"), Map.entry("786", "FL"), Map.entry("202", "DC"), Map.entry("771", "DC"),
        Map.entry("787", "PR"), Map.entry("939", "PR"), Map.entry("340", "VI"), Map.entry("671", "GU"),
        Map.entry("684", "AS"), Map.entry("670", "MP"),
        Map.entry("416", "ON"), Map.entry("647", "ON"), Map.entry("437", "ON"), Map.entry("604", "BC"),
        Map.entry("778", "BC"), Map.entry("514", "QC"), Map.entry("403", "AB"), Map.entry("204", "MB"),
        Map.entry("306", "SK"), Map.entry("902", "NS"), Map.entry("506", "NB"), Map.entry("709", "NL"),
        Map.entry("867", "YT"));
    expected.forEach((npa, region) -> assertEquals(region, regionByNpa.get(npa), npa));
  }
}
