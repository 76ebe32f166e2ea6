package io.openvoice.webhook;

import io.openvoice.metrics.Histogram;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** This node's webhook counters (all apps whose dispatcher runs here), since the node started. */
public final class WebhookStats {
  /** Events the app's webhook_url (or its fallback) answered with 2xx. */
  public final AtomicLong delivered = new AtomicLong();
  /** Attempts that failed and were retried later. */
  public final AtomicLong retried = new AtomicLong();
  /** Events sent to the app's webhook_fallback_url after the webhook_url failed for good. */
  public final AtomicLong fallbacks = new AtomicLong();
  /** Events given up on: every attempt (and the fallback, if any) failed. */
  public final AtomicLong failed = new AtomicLong();
  /** Events dropped unsent because the app's queue was full. */
  public final AtomicLong dropped = new AtomicLong();

  /** Webhook requests are bounded by {@code max-request-timeout} (30 s by default). */
  private static final double[] REQUEST_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  private final Map<String, Histogram> requestDurations = Map.of(
      "delivered", new Histogram(REQUEST_BUCKETS),
      "retry", new Histogram(REQUEST_BUCKETS),
      "final", new Histogram(REQUEST_BUCKETS));

  /** One request's time from send to answer, by how it went (lock-free; from any thread). */
  public void requestTook(WebhookOutcome.Kind kind, long nanos) {
    Histogram h = switch (kind) {
      case DELIVERED -> requestDurations.get("delivered");
      case RETRY -> requestDurations.get("retry");
      case FINAL -> requestDurations.get("final");
    };
    h.observeNanos(nanos);
  }

  /** The request duration histograms by outcome: delivered, retry, final (a failure that is not retried). */
  public Map<String, Histogram> requestDurations() {
    return new java.util.TreeMap<>(requestDurations);
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("delivered", delivered.get());
    m.put("retried", retried.get());
    m.put("fallbacks", fallbacks.get());
    m.put("failed", failed.get());
    m.put("dropped", dropped.get());
    return m;
  }
}
