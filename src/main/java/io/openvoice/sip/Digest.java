package io.openvoice.sip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SIP digest authentication (RFC 2617 as used by RFC 3261, MD5, qop "auth" or none). Nonces are stateless: the
 * issue time and an HMAC of it under a secret the cluster shares, so any node verifies a nonce another node issued,
 * and a nonce older than {@link #NONCE_LIFETIME_MS} is answered with a fresh challenge ({@code stale=true}).
 */
public final class Digest {
  public static final long NONCE_LIFETIME_MS = 5 * 60_000;

  private final byte[] secret;

  public Digest(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** The stored credential of a user: MD5(login:realm:password), hex. */
  public static String ha1(String login, String realm, String password) {
    return md5(login + ":" + realm + ":" + password);
  }

  public String nonce(long nowMillis) {
    byte[] ts = ByteBuffer.allocate(8).putLong(nowMillis).array();
    byte[] mac = hmac(ts);
    byte[] all = ByteBuffer.allocate(8 + 16).put(ts).put(mac, 0, 16).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  /** What a nonce is worth now. */
  public enum NonceCheck { VALID, STALE, FORGED }

  public NonceCheck check(String nonce, long nowMillis) {
    byte[] all;
    try {
      all = Base64.getUrlDecoder().decode(nonce == null ? "" : nonce);
    } catch (IllegalArgumentException e) {
      return NonceCheck.FORGED;
    }
    if (all.length != 24) return NonceCheck.FORGED;
    byte[] ts = java.util.Arrays.copyOfRange(all, 0, 8);
    byte[] expected = java.util.Arrays.copyOf(hmac(ts), 16);
    if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(all, 8, 24))) return NonceCheck.FORGED;
    long issued = ByteBuffer.wrap(ts).getLong();
    return nowMillis - issued > NONCE_LIFETIME_MS || issued - nowMillis > 60_000 ? NonceCheck.STALE : NonceCheck.VALID;
  }

  /** The response the client must have computed (qop null for RFC 2069 style). */
  public static String expectedResponse(String ha1, String method, String uri, String nonce, String qop, String nc,
                                        String cnonce) {
    String ha2 = md5(method + ":" + uri);
    if (qop == null || qop.isEmpty()) return md5(ha1 + ":" + nonce + ":" + ha2);
    return md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
  }

  /** Constant-time comparison of the client's response with the expected one. */
  public static boolean matches(String expected, String given) {
    if (given == null) return false;
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  static String md5(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] hmac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
