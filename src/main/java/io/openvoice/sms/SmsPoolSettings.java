package io.openvoice.sms;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code openvoice.sms.pool} (application.conf explains each key): number health, and the sticky senders' table
 * ({@link StickySenders}) with its in-memory cache.
 *
 * @param unhealthyAfter failed sends in a row that make a number unhealthy
 * @param unhealthyFor how long an unhealthy number is skipped
 * @param stickyTtl a sticky pair unused this long is ignored (a new sender is chosen) and later deleted
 * @param stickyCache sticky pairs each pool entity keeps in memory (least recently used ones leave first; 0: none)
 * @param stickyCleanUpEvery how often each node deletes the pairs unused for {@code stickyTtl}
 */
public record SmsPoolSettings(int unhealthyAfter, Duration unhealthyFor, Duration stickyTtl, int stickyCache,
                              Duration stickyCleanUpEvery) {
  public SmsPoolSettings {
    if (stickyTtl.isNegative() || stickyTtl.isZero()) {
      throw new IllegalArgumentException("openvoice.sms.pool.sticky-ttl must be positive");
    }
    if (stickyCache < 0) throw new IllegalArgumentException("openvoice.sms.pool.sticky-cache must not be negative");
    if (stickyCleanUpEvery.isNegative() || stickyCleanUpEvery.isZero()) {
      throw new IllegalArgumentException("openvoice.sms.pool.sticky-cleanup-every must be positive");
    }
  }

  /** A pair in use has its {@code used_on} refreshed when older than this: a day, or half the TTL when shorter. */
  public Duration stickyRefresh() {
    Duration half = stickyTtl.dividedBy(2);
    return half.compareTo(Duration.ofDays(1)) < 0 ? half : Duration.ofDays(1);
  }

  public static SmsPoolSettings fromConfig(Config c) {
    Config s = c.getConfig("openvoice.sms.pool");
    return new SmsPoolSettings(s.getInt("unhealthy-after"), s.getDuration("unhealthy-for"),
        s.getDuration("sticky-ttl"), s.getInt("sticky-cache"), s.getDuration("sticky-cleanup-every"));
  }
}
