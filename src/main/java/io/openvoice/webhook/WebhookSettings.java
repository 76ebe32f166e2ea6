package io.openvoice.webhook;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code openvoice.webhooks} (application.conf explains each key). */
public record WebhookSettings(int queueSize, int maxInFlight, int maxAttempts, Backoff backoff,
                              Duration maxRequestTimeout, Duration secretCacheTtl, Duration idleTimeout) {
  public WebhookSettings {
    if (queueSize < 1) throw new IllegalArgumentException("openvoice.webhooks.queue-size must be at least 1");
    if (maxInFlight < 1) throw new IllegalArgumentException("openvoice.webhooks.max-in-flight must be at least 1");
    if (maxAttempts < 1) throw new IllegalArgumentException("openvoice.webhooks.max-attempts must be at least 1");
  }

  public static WebhookSettings fromConfig(Config c) {
    Config w = c.hasPath("openvoice.webhooks") ? c.getConfig("openvoice.webhooks") : c;
    return new WebhookSettings(w.getInt("queue-size"), w.getInt("max-in-flight"), w.getInt("max-attempts"),
        new Backoff(w.getDuration("backoff.initial"), w.getDuration("backoff.max"), w.getDouble("backoff.jitter")),
        w.getDuration("max-request-timeout"), w.getDuration("secret-cache-ttl"), w.getDuration("idle-timeout"));
  }
}
