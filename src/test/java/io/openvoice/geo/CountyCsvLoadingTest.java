package io.openvoice.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup.GeoInfo;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CountyCsvLoadingTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static Optional<GeoInfo> info(String state, String county) {
    return Optional.of(new GeoInfo(state, county));
  }

  private static IllegalArgumentException countyError(String csv) {
    return assertThrows(IllegalArgumentException.class,
        () -> NanpGeoLookup.builder().countyCsv(new StringReader(csv)).build());
  }

  @Test
  void countyFileGivesCountyAndKeepsAreaCodeState() throws IOException {
    Path csv = write("counties.csv", "npa,nxx,county\n973,228,essex\n201,343, Bergen \n");
    NanpGeoLookup geo = NanpGeoLookup.withCountyCsv(csv);
    assertEquals(info("NJ", "ESSEX"), geo.lookup("+19732280123"));
    assertEquals(info("NJ", "BERGEN"), geo.lookup("201-343-9999"));
    assertEquals(info("NJ", null), geo.lookup("+19732290123"), "other NXX of the NPA: state only");
    assertEquals(info("NY", null), geo.lookup("+12125550123"));
    assertEquals(2, geo.countyEntries());
  }

  @Test
  void quotedCountyWithCommaAndEscapedQuote() throws IOException {
    Path csv = write("counties.csv", String.join("\r\n",
        "county,NPA,Nxx,state,rate_center",
        "\"PRINCE GEORGE'S, MD\",301,322,MD,\"BOWIE, \"\"MD\"\"\"",
        "\"ST. LOUIS\",314,231,,ST LOUIS",
        ""));
    NanpGeoLookup geo = NanpGeoLookup.withCountyCsv(csv);
    assertEquals(info("MD", "PRINCE GEORGE'S, MD"), geo.lookup("+13013220000"));
    assertEquals(info("MO", "ST. LOUIS"), geo.lookup("+13142310000"));
  }

  @Test
  void combinedNpanxxColumnIsAccepted() throws IOException {
    Path csv = write("lerg.csv", "NPANXX,County,State\n973228,Essex,NJ\n201-343,Bergen,\n");
    NanpGeoLookup geo = NanpGeoLookup.withCountyCsv(csv);
    assertEquals(info("NJ", "ESSEX"), geo.lookup("9732281234"));
    assertEquals(info("NJ", "BERGEN"), geo.lookup("2013431234"));
  }

  @Test
  void rowStateOverridesTheAreaCodeState() throws IOException {
    // 902 is shared by Nova Scotia and Prince Edward Island; the area-code table can only say one of them.
    Path csv = write("counties.csv", "npa,nxx,county,state\n902,566,QUEENS,pe\n902,420,HALIFAX,\n");
    NanpGeoLookup geo = NanpGeoLookup.withCountyCsv(csv);
    assertEquals(info("PE", "QUEENS"), geo.lookup("+19025660000"));
    assertEquals(info("NS", "HALIFAX"), geo.lookup("+19024200000"));
    assertEquals(info("NS", null), geo.lookup("+19024210000"));
  }

  @Test
  void rowStateLetsAnAreaCodeWithoutRegionHaveOne() throws IOException {
    NanpGeoLookup geo = NanpGeoLookup.builder()
        .countyCsv(new StringReader("npa,nxx,county,state\n242,357,NEW PROVIDENCE,PR\n")).build();
    assertEquals(info("PR", "NEW PROVIDENCE"), geo.lookup("+12423570000"));
    assertEquals(Optional.empty(), geo.lookup("+12423580000"));
  }

  @Test
  void malformedRowErrorNamesTheLineAndTheProblem() throws IOException {
    Path csv = write("counties.csv", String.join("\n",
        "# exported 2024-05-01",
        "npa,nxx,county,state",
        "973,228,ESSEX,NJ",
        "",
        "201,343,BERGEN,NJ",
        "\"212\",\"555\",\"NEW YORK\",NY",
        "609,ab1,MERCER,NJ",
        "609,292,MERCER,NJ"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NanpGeoLookup.withCountyCsv(csv));
    assertEquals("county CSV " + csv + " line 7: nxx 'ab1' is not 3 digits", e.getMessage());

    IllegalArgumentException fromReader = countyError(Files.readString(csv));
    assertEquals("county CSV line 7: nxx 'ab1' is not 3 digits", fromReader.getMessage());
  }

  @Test
  void lineNumbersCountLinesInsideQuotedFields() {
    IllegalArgumentException e = countyError("npa,nxx,county\n973,228,\"ESSEX\nCOUNTY\"\n973,22,ESSEX\n");
    assertEquals("county CSV line 4: nxx '22' is not 3 digits", e.getMessage());
  }

  static Stream<Arguments> malformedCountyFiles() {
    return Stream.of(
        Arguments.of("npa,nxx,county\n97,228,ESSEX", "line 2: npa '97' is not 3 digits"),
        Arguments.of("npa,nxx,county\n073,228,ESSEX", "line 2: npa '073' cannot start with 0 or 1"),
        Arguments.of("npa,nxx,county\n973,128,ESSEX", "line 2: nxx '128' cannot start with 0 or 1"),
        Arguments.of("npa,nxx,county\n973,228,", "line 2: county is empty"),
        Arguments.of("npa,nxx,county\n973,228", "line 2: expected 3 fields as in the header, found 2"),
        Arguments.of("npa,nxx,county\n973,228,ESSEX,NJ", "line 2: expected 3 fields as in the header, found 4"),
        Arguments.of("npa,nxx,county,state\n973,228,ESSEX,XX", "line 2: state 'XX' is not a US state"),
        Arguments.of("npanxx,county\n97322,ESSEX", "line 2: npanxx '97322' is not 6 digits"),
        Arguments.of("npa,county\n973,ESSEX", "line 1: header must have columns npa and nxx (or npanxx) and county"),
        Arguments.of("npa,nxx,name\n973,228,ESSEX", "line 1: header must have columns npa and nxx (or npanxx) and county"),
        Arguments.of("npa,nxx,county,NPA\n973,228,ESSEX,973", "line 1: column 'npa' appears twice"),
        Arguments.of("npa,nxx,county\n973,228,\"ESSEX", "line 2: quoted field opened on line 2 is never closed"),
        Arguments.of("npa,nxx,county\n973,228,\"ESSEX\" CO", "line 2: unexpected ' ' after the closing quote of field 3"),
        Arguments.of("npa,nxx,county\n973,228,ES\"SEX", "line 2: quote inside unquoted field 3"),
        Arguments.of("npa,nxx,county\n973,228,ESSEX\n973,228,BERGEN", "line 3: npa-nxx 973-228 is already given as ESSEX (county CSV line 2)"),
        Arguments.of("npa,nxx,county\n800,228,NOWHERE", "line 2: npa 800 has no region in the area-code table"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformedCountyFiles")
  void malformedFilesAreRejectedWithLineAndProblem(String csv, String expected) {
    IllegalArgumentException e = countyError(csv);
    assertTrue(e.getMessage().startsWith("county CSV " + expected), e.getMessage());
  }

  @Test
  void emptyCountyFileIsAnError() {
    assertTrue(countyError("").getMessage().startsWith("county CSV: empty file"));
  }

  @Test
  void identicalDuplicateRowsAreAccepted() throws IOException {
    NanpGeoLookup geo = NanpGeoLookup.builder()
        .countyCsv(new StringReader("npa,nxx,county\n973,228,ESSEX\n973,228,essex\n")).build();
    assertEquals(1, geo.countyEntries());
  }

  @Test
  void areaCodeOverrideFileChangesAddsAndRemovesRegions() throws IOException {
    Path areaCodes = write("area-codes.csv", "# local corrections\nregion,npa\nPE,902\nON,999\n,212\n");
    Path counties = write("counties.csv", "npa,nxx,county\n902,420,HALIFAX\n");
    NanpGeoLookup geo = NanpGeoLookup.load(counties, areaCodes);
    assertEquals(info("PE", null), geo.lookup("+19025550000"));
    assertEquals(info("PE", "HALIFAX"), geo.lookup("+19024200000"), "county rows take the overridden NPA state");
    assertEquals(info("ON", null), geo.lookup("+19995550000"));
    assertEquals(Optional.empty(), geo.lookup("+12125550123"));
    assertEquals(info("NJ", null), geo.lookup("+12015550123"), "untouched codes keep the bundled region");
  }

  @Test
  void malformedAreaCodeOverrideNamesTheLine() throws IOException {
    Path areaCodes = write("area-codes.csv", "npa,region\n201,NJ\n202,ZZ\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NanpGeoLookup.load(null, areaCodes));
    assertTrue(e.getMessage().startsWith("area-code CSV " + areaCodes + " line 3: region 'ZZ' is not"), e.getMessage());

    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> NanpGeoLookup.builder().areaCodeCsv(new StringReader("npa,region\n201,NJ\n\n201,NY\n")));
    assertEquals("area-code CSV line 4: npa 201 is already given on line 2", dup.getMessage());
  }

  @Test
  void nothingConfiguredMeansBundledTableOnly() throws IOException {
    NanpGeoLookup geo = NanpGeoLookup.load(null, null);
    assertEquals(info("NJ", null), geo.lookup("+19732280123"));
    assertEquals(0, geo.countyEntries());
  }

  @Test
  void theShippedExampleFileLoads() throws IOException {
    Path example = Path.of("ops/geo/npa-nxx-county.example.csv");
    NanpGeoLookup geo = NanpGeoLookup.withCountyCsv(example);
    assertEquals(info("NJ", "ESSEX"), geo.lookup("+19732280000"));
    assertTrue(geo.countyEntries() >= 10);
  }
}
