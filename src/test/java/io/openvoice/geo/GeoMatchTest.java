package io.openvoice.geo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup.GeoInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeoMatchTest {
  private static final String ESSEX_NJ = "+19732280123";
  private static final String BERGEN_NJ = "+12013430123";
  private static final String NJ_NO_COUNTY = "+16095550123";
  private static final String LA_CA = "+12135550123";
  private static final String UNKNOWN = "+442079460958";

  private static final GeoLookup GEO = number -> number == null ? Optional.empty() : Optional.ofNullable(Map.of(
      ESSEX_NJ, new GeoInfo("NJ", "ESSEX"),
      BERGEN_NJ, new GeoInfo("NJ", "BERGEN"),
      NJ_NO_COUNTY, new GeoInfo("NJ", null),
      LA_CA, new GeoInfo("CA", "LOS ANGELES")).get(number));

  @Test
  void noAttributesAlwaysRunsEvenForUnknownOrMissingCaller() {
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of(), null));
    assertTrue(GeoMatch.matches(GEO, UNKNOWN, Set.of(), null));
    assertTrue(GeoMatch.matches(GEO, null, null, null));
    assertTrue(GeoMatch.matches(GEO, UNKNOWN, null, "  "));
    assertTrue(GeoMatch.matches(GeoLookup.NONE, "anonymous", Set.of(), null));
  }

  @Test
  void statesMatchWhenCallerStateIsOneOfThem() {
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of("NJ", "CA"), null));
    assertTrue(GeoMatch.matches(GEO, LA_CA, Set.of("NJ", "CA"), null));
    assertTrue(GeoMatch.matches(GEO, NJ_NO_COUNTY, Set.of("NJ"), null));
    assertFalse(GeoMatch.matches(GEO, LA_CA, Set.of("NJ", "NY"), null));
  }

  @Test
  void statesAndCountyCompareIgnoringCase() {
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of("nj"), null));
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of(), "essex"));
    assertTrue(GeoMatch.matches(GEO, LA_CA, Set.of(" ca "), " Los Angeles "));
  }

  @Test
  void unknownCallerNeverMatchesWhenAnyAttributeIsGiven() {
    assertFalse(GeoMatch.matches(GEO, UNKNOWN, Set.of("NJ"), null));
    assertFalse(GeoMatch.matches(GEO, UNKNOWN, Set.of(), "ESSEX"));
    assertFalse(GeoMatch.matches(GEO, null, Set.of("NJ"), null));
    assertFalse(GeoMatch.matches(GeoLookup.NONE, ESSEX_NJ, Set.of("NJ"), "ESSEX"));
  }

  @Test
  void countyMatchesOnlyTheCallersKnownCounty() {
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of(), "ESSEX"));
    assertFalse(GeoMatch.matches(GEO, BERGEN_NJ, Set.of(), "ESSEX"));
    assertFalse(GeoMatch.matches(GEO, NJ_NO_COUNTY, Set.of(), "ESSEX"));
  }

  @Test
  void bothStatesAndCountyMustMatch() {
    assertTrue(GeoMatch.matches(GEO, ESSEX_NJ, Set.of("NJ", "CA"), "ESSEX"));
    assertFalse(GeoMatch.matches(GEO, ESSEX_NJ, Set.of("CA"), "ESSEX"), "county right, state wrong");
    assertFalse(GeoMatch.matches(GEO, BERGEN_NJ, Set.of("NJ"), "ESSEX"), "state right, county wrong");
    assertFalse(GeoMatch.matches(GEO, NJ_NO_COUNTY, Set.of("NJ"), "ESSEX"), "state right, county unknown");
  }

  @Test
  void worksWithTheRealLookupAndACountyTable() throws Exception {
    NanpGeoLookup geo = NanpGeoLookup.builder()
        .countyCsv(new java.io.StringReader("npa,nxx,county\n973,228,Essex\n"))
        .build();
    assertTrue(GeoMatch.matches(geo, "(973) 228-0123", Set.of("NJ"), "ESSEX"));
    assertFalse(GeoMatch.matches(geo, "(973) 229-0123", Set.of("NJ"), "ESSEX"));
    assertTrue(GeoMatch.matches(geo, "(973) 229-0123", Set.of("NJ"), null));
  }

  @Test
  void aMissingLookupIsAProgrammingError() {
    assertThrows(NullPointerException.class, () -> GeoMatch.matches(null, ESSEX_NJ, Set.of("NJ"), null));
  }
}
