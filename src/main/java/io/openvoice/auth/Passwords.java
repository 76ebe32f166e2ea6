package io.openvoice.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** PBKDF2-SHA256 password hashes ({@code pbkdf2$<iterations>$<salt>$<hash>}), and opaque random secrets. */
public final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ITERATIONS = 120_000;
  /** A stored hash asking for more work than this is not ours (and would stall the verifying thread). */
  private static final int MAX_ITERATIONS = 10_000_000;

  private Passwords() {}

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return "pbkdf2$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(password, salt, ITERATIONS));
  }

  /** Whether {@code password} matches {@code stored}; false (never an exception) when the stored hash is malformed. */
  public static boolean verify(String password, String stored) {
    if (password == null || stored == null) return false;
    String[] p = stored.split("\\$", -1);
    if (p.length != 4 || !p[0].equals("pbkdf2")) return false;
    try {
      int iterations = Integer.parseInt(p[1]);
      byte[] salt = Base64.getDecoder().decode(p[2]);
      byte[] expected = Base64.getDecoder().decode(p[3]);
      if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) return false;
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  /** A URL-safe random secret of {@code bytes} bytes of entropy. */
  public static String randomSecret(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Hex SHA-256, used to key API tokens without storing them. */
  public static String sha256Hex(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte x : d) sb.append(String.format("%02x", x));
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
