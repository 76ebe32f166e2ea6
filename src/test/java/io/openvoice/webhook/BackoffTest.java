package io.openvoice.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  final Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);

  @Test
  void withoutJitterTheWaitDoublesAfterEachFailureUpToTheMaximum() {
    long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int n = 1; n <= expected.length; n++) {
      assertEquals(Duration.ofMillis(expected[n - 1]), b.delay(n, 0.0), "after failure " + n);
    }
    assertEquals(Duration.ofSeconds(30), b.delay(1000, 0.0), "no overflow after many failures");
  }

  @Test
  void jitterShortensTheWaitByAtMostItsFraction() {
    assertEquals(Duration.ofMillis(800), b.delay(1, 0.999_999));
    assertEquals(Duration.ofMillis(900), b.delay(1, 0.5));
    for (int i = 0; i < 1000; i++) {
      Duration d = b.delay(3);
      assertTrue(d.toMillis() > 3200 - 1 && d.toMillis() <= 4000, d.toString());
      Duration m = b.delay(10);
      assertTrue(m.toMillis() >= 24000 && m.toMillis() <= 30000, "never past max: " + m);
    }
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0));
    assertThrows(IllegalArgumentException.class, () -> b.delay(0, 0));
  }
}
