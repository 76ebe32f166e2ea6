package io.openvoice.webhook;

import java.time.Duration;

/**
 * Exponential backoff with jitter between webhook attempts: after the {@code n}-th failed attempt (n ≥ 1) the
 * next waits {@code min(max, initial · 2^(n-1))}, less a random part of at most {@code jitter} of it (so retries of
 * many events spread out, and no wait exceeds {@code max}).
 */
public record Backoff(Duration initial, Duration max, double jitter) {
  public Backoff {
    if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial must be positive");
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max must be at least initial");
    if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("jitter must be in [0, 1)");
  }

  /** The wait before the retry that follows failed attempt {@code failedAttempts}; {@code random} in [0, 1). */
  public Duration delay(int failedAttempts, double random) {
    if (failedAttempts < 1) throw new IllegalArgumentException("failedAttempts must be at least 1");
    long base = initial.toMillis();
    long cap = max.toMillis();
    for (int i = 1; i < failedAttempts && base < cap; i++) base = base * 2;
    base = Math.min(base, cap);
    return Duration.ofMillis(Math.round(base * (1 - jitter * random)));
  }

  /** The same with a fresh random number. */
  public Duration delay(int failedAttempts) {
    return delay(failedAttempts, java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }
}
