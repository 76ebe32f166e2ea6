package io.openvoice.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed buckets (upper bounds in seconds), recorded in nanoseconds:
 * lock-free ({@link LongAdder}s), allocation-free to record, thread-safe. Buckets are counted one by one and made
 * cumulative only when read ({@link #snapshot()}).
 */
public final class Histogram {
  private final double[] bounds;
  private final long[] boundNanos;
  /** One per bound, and a last one for what is above every bound ({@code +Inf}). */
  private final LongAdder[] buckets;
  private final LongAdder sumNanos = new LongAdder();

  /** {@code boundsSeconds}: the finite upper bounds, ascending ({@code +Inf} is implicit). */
  public Histogram(double... boundsSeconds) {
    if (boundsSeconds.length == 0) throw new IllegalArgumentException("a histogram needs at least one bound");
    this.bounds = boundsSeconds.clone();
    this.boundNanos = new long[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      if (!Double.isFinite(bounds[i]) || bounds[i] < 0 || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new IllegalArgumentException("bounds must be finite, non-negative and ascending: "
            + Arrays.toString(boundsSeconds));
      }
      boundNanos[i] = Math.round(bounds[i] * 1e9);
    }
    this.buckets = new LongAdder[bounds.length + 1];
    for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
  }

  /** Records one duration (a negative one, from clocks of two nodes, counts as 0). */
  public void observeNanos(long nanos) {
    long v = Math.max(0, nanos);
    int i = 0;
    while (i < boundNanos.length && v > boundNanos[i]) i++; // Prometheus buckets are "less than or equal"
    buckets[i].increment();
    sumNanos.add(v);
  }

  /** Cumulative counts per bound (the last one, {@code +Inf}, is the count), and the sum in seconds. */
  public Snapshot snapshot() {
    long[] cumulative = new long[buckets.length];
    long running = 0;
    for (int i = 0; i < buckets.length; i++) {
      running += buckets[i].sum();
      cumulative[i] = running;
    }
    return new Snapshot(bounds, cumulative, sumNanos.sum() / 1e9);
  }

  /**
   * A histogram as read: {@code cumulative[i]} observations were at most {@code bounds[i]} seconds, and
   * {@code cumulative[bounds.length]} is all of them. Under concurrent recording the sum may be a moment ahead of
   * or behind the counts (as with every Prometheus client); the buckets are always consistent with each other.
   */
  public record Snapshot(double[] bounds, long[] cumulative, double sumSeconds) {
    public long count() {
      return cumulative[cumulative.length - 1];
    }
  }
}
