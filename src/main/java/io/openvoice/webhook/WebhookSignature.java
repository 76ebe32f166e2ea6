package io.openvoice.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Opentact-Signature} header of webhook requests: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the
 * HMAC keyed with the UTF-8 bytes of the account's signing secret over {@code "<t>.<payload>"}, where the payload
 * is the request body (POST) or the raw query string as sent (GET). A receiver recomputes it with the secret from
 * {@code GET /rest/account/webhook/secret}, compares in constant time, and rejects old {@code t} (replays).
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Opentact-Signature";
  public static final String EVENT_ID_HEADER = "X-Opentact-Event-Id";

  private WebhookSignature() {}

  /** The hex HMAC-SHA256 of {@code "<t>.<payload>"} with {@code secret}. */
  public static String hmac(String secret, long unixSeconds, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig = mac.doFinal((unixSeconds + "." + (payload == null ? "" : payload)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sig);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The header value: {@code t=<unixSeconds>,v1=<hmac>}. */
  public static String header(String secret, long unixSeconds, String payload) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds, payload);
  }

  /**
   * Whether {@code header} signs {@code payload} with {@code secret} and its {@code t} is within
   * {@code toleranceSeconds} of {@code nowSeconds} (what a receiver does; here for tests and for the docs).
   */
  public static boolean verify(String header, String secret, String payload, long nowSeconds, long toleranceSeconds) {
    if (header == null) return false;
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String p = part.trim();
      if (p.startsWith("t=")) {
        try {
          t = Long.parseLong(p.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (p.startsWith("v1=")) {
        v1 = p.substring(3);
      }
    }
    if (t == null || v1 == null || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
    return MessageDigest.isEqual(hmac(secret, t, payload).getBytes(StandardCharsets.US_ASCII),
        v1.getBytes(StandardCharsets.US_ASCII));
  }
}
