package io.openvoice.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  private static List<CsvReader.Row> rows(String text) throws IOException {
    CsvReader r = new CsvReader(new StringReader(text), "test CSV");
    List<CsvReader.Row> out = new ArrayList<>();
    for (CsvReader.Row row = r.next(); row != null; row = r.next()) out.add(row);
    return out;
  }

  @Test
  void plainFieldsKeepSpacesAndEmptyFields() throws IOException {
    assertEquals(List.of(new CsvReader.Row(1, List.of("a", " b ", "", "d")), new CsvReader.Row(2, List.of("", ""))),
        rows("a, b ,,d\n,\n"));
  }

  @Test
  void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
    assertEquals(List.of(
            new CsvReader.Row(1, List.of("x,y", "say \"hi\"", "")),
            new CsvReader.Row(2, List.of("two\r\nlines", "z")),
            new CsvReader.Row(4, List.of("last"))),
        rows("\"x,y\",\"say \"\"hi\"\"\",\"\"\r\n\"two\r\nlines\",z\r\nlast"));
  }

  @Test
  void crOnlyLfOnlyAndMissingFinalLineEndAllWork() throws IOException {
    assertEquals(List.of(new CsvReader.Row(1, List.of("a")), new CsvReader.Row(2, List.of("b")),
        new CsvReader.Row(3, List.of("c"))), rows("a\rb\nc"));
  }

  @Test
  void byteOrderMarkBlankLinesAndCommentsAreSkippedButCounted() throws IOException {
    assertEquals(List.of(new CsvReader.Row(1, List.of("h")), new CsvReader.Row(5, List.of("v", "#not a comment"))),
        rows("\uFEFFh\n\n# comment, with comma\n\r\nv,#not a comment\n\n"));
  }

  @Test
  void emptyInputHasNoRows() throws IOException {
    assertNull(new CsvReader(new StringReader(""), "x").next());
    assertEquals(List.of(), rows("# only a comment\n\n"));
  }

  @Test
  void unterminatedQuoteNamesTheRecordLineAndTheQuoteLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rows("a\nb,\"c\nd\n"));
    assertEquals("test CSV line 2: quoted field opened on line 2 is never closed", e.getMessage());
  }
}
