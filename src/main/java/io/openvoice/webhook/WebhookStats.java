package io.openvoice.webhook;

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
