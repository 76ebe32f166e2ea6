package io.openvoice.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup.GeoInfo;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NanpGeoLookupTest {
  private static final NanpGeoLookup GEO = new NanpGeoLookup();

  @ParameterizedTest(name = "{0} is in {1}")
  @CsvSource({
      "+12015550123, NJ", "+19735550123, NJ", "+15515550123, NJ", "+18625550123, NJ",
      "+12125550123, NY", "+16465550123, NY", "+17185550123, NY", "+19175550123, NY",
      "+14155550123, CA", "+12135550123, CA", "+13105550123, CA",
      "+13125550123, IL", "+17135550123, TX", "+13055550123, FL", "+12025550123, DC",
      "+17875550123, PR", "+13405550123, VI", "+16715550123, GU",
      "+14165550123, ON", "+16045550123, BC", "+15145550123, QC", "+14035550123, AB"})
  void areaCodeGivesStateOrProvinceAndNoCounty(String number, String region) {
    assertEquals(Optional.of(new GeoInfo(region, null)), GEO.lookup(number));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "+12015550123", "12015550123", "2015550123", "+1 201 555 0123", "1-201-555-0123", "201-555-0123",
      "201.555.0123", "(201) 555-0123", "+1 (201) 555-0123", "1 (201) 555.0123", "  2015550123  ", "+1-201-555-0123"})
  void everyCommonFormOfTheSameNumberIsFound(String number) {
    assertEquals(Optional.of(new GeoInfo("NJ", null)), GEO.lookup(number));
    assertEquals(Optional.of("2015550123"), NanpGeoLookup.normalize(number));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {
      "+442079460958",     // UK
      "+2125550123",       // +212 is Morocco, not New York
      "+33 1 23 45 67 89", // France
      "5550123",           // 7 digits, no area code
      "201555012",         // 9 digits
      "120155501234",      // 12 digits
      "22015550123",       // 11 digits not starting with 1
      "0125550123",        // NPA starting with 0
      "1125550123",        // NPA starting with 1
      "2010550123",        // NXX starting with 0
      "2011550123",        // NXX starting with 1
      "201555012a", "sip:2015550123@example.com", "++12015550123", "1+2015550123", "anonymous", "+", "   "})
  void nonNanpNumbersAreUnknown(String number) {
    assertEquals(Optional.empty(), GEO.lookup(number));
    assertEquals(Optional.empty(), NanpGeoLookup.normalize(number));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "+18005550123", "+18885550123", "+18775550123", "+18665550123", "+18555550123", "+18445550123",
      "+18335550123", "+15005550123", "+15335550123", "+19005550123", "+16005550123", "+17005550123",
      "+17105550123", "+12425550123" /* Bahamas: NANP but not US/Canada */, "+12115550123" /* N11 */})
  void tollFreeAndOtherNonGeographicCodesAreUnknown(String number) {
    assertEquals(Optional.empty(), GEO.lookup(number));
  }

  @ParameterizedTest
  @ValueSource(ints = {201, 973, 212, 415, 312, 713, 305, 202, 787, 416, 604})
  void regionOfKnownAreaCodes(int npa) {
    assertTrue(GEO.regionOf(npa).isPresent());
  }

  @ParameterizedTest
  @ValueSource(ints = {800, 888, 877, 866, 855, 844, 833, 500, 900, 600, 700, 710, 211, 911, -1, 1000})
  void noRegionForNonGeographicAreaCodes(int npa) {
    assertEquals(Optional.empty(), GEO.regionOf(npa));
  }
}
