package io.openvoice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromTextTest {
  @Test
  void histogramBucketsAreCumulativeWithInfSumAndCount() {
    Histogram h = new Histogram(0.005, 0.01, 0.5, 1);
    h.observeNanos(1_000_000);     // 0.001 s
    h.observeNanos(5_000_000);     // exactly 0.005 s: "le" is less than or equal
    h.observeNanos(7_000_000);     // 0.007 s
    h.observeNanos(250_000_000);   // 0.25 s
    h.observeNanos(3_000_000_000L); // 3 s: above every bound
    String text = new PromText()
        .histogram("openvoice_verb_duration_seconds", "How long verbs took")
        .sample(h.snapshot(), "verb", "Say")
        .text();
    assertEquals("""
        # HELP openvoice_verb_duration_seconds How long verbs took
        # TYPE openvoice_verb_duration_seconds histogram
        openvoice_verb_duration_seconds_bucket{verb="Say",le="0.005"} 2
        openvoice_verb_duration_seconds_bucket{verb="Say",le="0.01"} 3
        openvoice_verb_duration_seconds_bucket{verb="Say",le="0.5"} 4
        openvoice_verb_duration_seconds_bucket{verb="Say",le="1"} 4
        openvoice_verb_duration_seconds_bucket{verb="Say",le="+Inf"} 5
        openvoice_verb_duration_seconds_sum{verb="Say"} 3.263
        openvoice_verb_duration_seconds_count{verb="Say"} 5
        """, text);
  }

  @Test
  void histogramWithoutLabelsHasOnlyLeOnItsBuckets() {
    Histogram h = new Histogram(0.001, 2.5);
    String text = new PromText().histogram("openvoice_journal_write_seconds", "Journal writes")
        .sample(h.snapshot()).text();
    assertEquals("""
        # HELP openvoice_journal_write_seconds Journal writes
        # TYPE openvoice_journal_write_seconds histogram
        openvoice_journal_write_seconds_bucket{le="0.001"} 0
        openvoice_journal_write_seconds_bucket{le="2.5"} 0
        openvoice_journal_write_seconds_bucket{le="+Inf"} 0
        openvoice_journal_write_seconds_sum 0
        openvoice_journal_write_seconds_count 0
        """, text);
  }

  @Test
  void labelValuesAndHelpAreEscaped() {
    String text = new PromText()
        .counter("openvoice_things_total", "Things with a \\ backslash\nand a second line")
        .sample(3, "name", "a \"quoted\" \\ back\nslash", "empty", "")
        .sample(4, "name", "naïve ünïcode")
        .text();
    assertEquals("""
        # HELP openvoice_things_total Things with a \\\\ backslash\\nand a second line
        # TYPE openvoice_things_total counter
        openvoice_things_total{name="a \\"quoted\\" \\\\ back\\nslash",empty=""} 3
        openvoice_things_total{name="naïve ünïcode"} 4
        """, text);
  }

  @Test
  void numbersArePlainDecimalsOrInfinities() {
    assertEquals("0", PromText.number(0.0));
    assertEquals("0", PromText.number(-0.0));
    assertEquals("1", PromText.number(1.0));
    assertEquals("2.5", PromText.number(2.5));
    assertEquals("0.0005", PromText.number(0.0005));
    assertEquals("0.0001", PromText.number(1e-4));
    assertEquals("15000000000", PromText.number(1.5e10));
    assertEquals("+Inf", PromText.number(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", PromText.number(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", PromText.number(Double.NaN));
    assertEquals("# HELP g G\n# TYPE g gauge\ng 0.25\n", new PromText().gauge("g", "G").sample(0.25).text());
  }

  @Test
  void badNamesAndRepeatedFamiliesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PromText().counter("9lives", "x"));
    assertThrows(IllegalArgumentException.class, () -> new PromText().counter("has-dash", "x"));
    assertThrows(IllegalArgumentException.class, () -> new PromText().gauge("g", "x").sample(1, "bad-label", "v"));
    assertThrows(IllegalArgumentException.class, () -> new PromText().gauge("g", "x").sample(1, "le", "v"));
    assertThrows(IllegalArgumentException.class, () -> new PromText().gauge("g", "x").sample(1, "odd"));
    assertThrows(IllegalArgumentException.class, () -> new PromText().gauge("g", "x").gauge("g", "y"));
    assertThrows(IllegalStateException.class, () -> new PromText().sample(1));
    assertThrows(IllegalStateException.class,
        () -> new PromText().gauge("g", "x").sample(new Histogram(1).snapshot()));
  }

  @Test
  void histogramBoundsMustAscend() {
    assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Histogram());
    assertThrows(IllegalArgumentException.class, () -> new Histogram(Double.POSITIVE_INFINITY));
  }

  @Test
  void negativeDurationsCountAsZero() {
    Histogram h = new Histogram(0.001);
    h.observeNanos(-5);
    Histogram.Snapshot s = h.snapshot();
    assertEquals(1, s.cumulative()[0]);
    assertEquals(0.0, s.sumSeconds());
  }
}
