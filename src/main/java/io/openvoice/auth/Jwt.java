package io.openvoice.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWTs as Opentact issues them: payload {@code {uuid (user), role, account, iat, exp}}, 24 h by default.
 * Stateless: every node that shares the secret verifies them.
 */
public final class Jwt {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  /** What a valid token says. */
  public record Claims(String userId, String accountId, String role, Instant expires) {}

  private final byte[] secret;
  private final Duration ttl;

  public Jwt(String secret, Duration ttl) {
    if (secret == null || secret.length() < 16) throw new IllegalArgumentException("JWT secret must be at least 16 characters");
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
  }

  public String issue(String userId, String accountId, String role, Instant now) {
    ObjectNode header = M.createObjectNode().put("alg", "HS256").put("typ", "JWT");
    ObjectNode payload = M.createObjectNode().put("uuid", userId).put("account", accountId).put("role", role)
        .put("iat", now.getEpochSecond()).put("exp", now.plus(ttl).getEpochSecond());
    String signing = ENC.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
        + ENC.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return signing + "." + ENC.encodeToString(sign(signing));
  }

  /** The claims of a well-formed, correctly signed, unexpired token; empty otherwise. */
  public Optional<Claims> verify(String token, Instant now) {
    try {
      String[] parts = token.split("\\.", -1);
      if (parts.length != 3) return Optional.empty();
      JsonNode header = M.readTree(DEC.decode(parts[0]));
      if (!"HS256".equals(header.path("alg").asText())) return Optional.empty();
      // Compare the signature as its one canonical encoding: decoding alone would also accept variants of it
      // (padding, non-zero unused bits in the last character), i.e. altered tokens.
      byte[] expected = ENC.encodeToString(sign(parts[0] + "." + parts[1])).getBytes(StandardCharsets.US_ASCII);
      if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) return Optional.empty();
      JsonNode p = M.readTree(DEC.decode(parts[1]));
      Instant exp = Instant.ofEpochSecond(p.path("exp").asLong(0));
      if (!now.isBefore(exp)) return Optional.empty();
      return Optional.of(new Claims(p.path("uuid").asText(), p.path("account").asText(), p.path("role").asText(), exp));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
