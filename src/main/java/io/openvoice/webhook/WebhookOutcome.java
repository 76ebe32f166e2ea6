package io.openvoice.webhook;

import io.openvoice.http.FetchException;

/** What one webhook attempt came to, and whether it is worth another. */
public record WebhookOutcome(Kind kind, int status, String error) {
  public enum Kind {
    /** 2xx. */
    DELIVERED,
    /** Connection failed, timed out, 5xx or 429: try again later. */
    RETRY,
    /** Any other status (4xx, 3xx: redirects are not followed), or refused by the SSRF guard / a bad URL. */
    FINAL
  }

  public static WebhookOutcome of(int status, Throwable err) {
    if (err != null) {
      FetchException fe = FetchException.unwrap(err);
      String msg = describe(err);
      if (fe == null) return new WebhookOutcome(Kind.RETRY, 0, msg);
      return switch (fe.kind()) {
        case TIMEOUT, CONNECT_FAILED, OTHER -> new WebhookOutcome(Kind.RETRY, 0, msg);
        default -> new WebhookOutcome(Kind.FINAL, 0, msg);
      };
    }
    if (status >= 200 && status < 300) return new WebhookOutcome(Kind.DELIVERED, status, null);
    if (status >= 500 || status == 429) return new WebhookOutcome(Kind.RETRY, status, "HTTP " + status);
    return new WebhookOutcome(Kind.FINAL, status, "HTTP " + status);
  }

  static String describe(Throwable err) {
    return io.openvoice.common.Errors.describe(err);
  }
}
