package io.openvoice.sms;

import com.typesafe.config.Config;
import io.openvoice.webhook.Backoff;
import java.time.Duration;

/** {@code openvoice.sms} (application.conf explains each key). */
public record SmsSettings(String gateway, int maxAttempts, Backoff backoff, Duration confirmWait,
                          Duration submitTimeout, Duration idleStop, int unhealthyAfter, Duration unhealthyFor,
                          int maxParts) {
  public SmsSettings {
    if (maxAttempts < 1) throw new IllegalArgumentException("openvoice.sms.max-attempts must be at least 1");
    if (maxParts < 1 || maxParts > 255) throw new IllegalArgumentException("openvoice.sms.max-parts must be within 1..255");
  }

  public static SmsSettings fromConfig(Config c) {
    Config s = c.getConfig("openvoice.sms");
    return new SmsSettings(s.getString("gateway"), s.getInt("max-attempts"),
        new Backoff(s.getDuration("backoff.initial"), s.getDuration("backoff.max"), s.getDouble("backoff.jitter")),
        s.getDuration("confirm-wait"), s.getDuration("submit-timeout"), s.getDuration("idle-stop"),
        s.getInt("pool.unhealthy-after"), s.getDuration("pool.unhealthy-for"), s.getInt("max-parts"));
  }
}
