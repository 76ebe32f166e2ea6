package io.openvoice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtTest {
  private static final String SECRET = "0123456789abcdef-test-secret";
  private static final Instant NOW = Instant.parse("2024-02-20T16:41:34Z");
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  private final Jwt jwt = new Jwt(SECRET, Duration.ofHours(24));

  private static String b64(String json) {
    return ENC.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String hs256(String secret, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return ENC.encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  /** A token signed with SECRET over the given header and payload JSON. */
  private static String signed(String header, String payload) throws Exception {
    String signing = b64(header) + "." + b64(payload);
    return signing + "." + hs256(SECRET, signing);
  }

  private static String validPayload() {
    return "{\"uuid\":\"u1\",\"account\":\"a1\",\"role\":\"Admin\",\"iat\":" + NOW.getEpochSecond()
        + ",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}";
  }

  @Test
  void issuedTokenVerifiesToItsClaims() {
    String token = jwt.issue("user-1", "account-1", "Admin", NOW);
    Jwt.Claims c = jwt.verify(token, NOW).orElseThrow();
    assertEquals("user-1", c.userId());
    assertEquals("account-1", c.accountId());
    assertEquals("Admin", c.role());
    assertEquals(NOW.plus(Duration.ofHours(24)), c.expires());
  }

  @Test
  void issuedTokenHasHs256HeaderAndOpentactPayload() throws Exception {
    String[] parts = jwt.issue("user-1", "account-1", "User", NOW).split("\\.", -1);
    assertEquals(3, parts.length);
    ObjectMapper m = new ObjectMapper();
    JsonNode header = m.readTree(DEC.decode(parts[0]));
    assertEquals("HS256", header.get("alg").asText());
    assertEquals("JWT", header.get("typ").asText());
    JsonNode payload = m.readTree(DEC.decode(parts[1]));
    assertEquals("user-1", payload.get("uuid").asText());
    assertEquals("account-1", payload.get("account").asText());
    assertEquals("User", payload.get("role").asText());
    assertEquals(NOW.getEpochSecond(), payload.get("iat").asLong());
    assertEquals(NOW.plus(Duration.ofHours(24)).getEpochSecond(), payload.get("exp").asLong());
    assertEquals(hs256(SECRET, parts[0] + "." + parts[1]), parts[2]);
  }

  @Test
  void tokenIsValidUntilJustBeforeExpiry() {
    String token = jwt.issue("u", "a", "User", NOW);
    Instant exp = NOW.plus(Duration.ofHours(24));
    assertTrue(jwt.verify(token, exp.minusSeconds(1)).isPresent());
    assertFalse(jwt.verify(token, exp).isPresent(), "expired at exp");
    assertFalse(jwt.verify(token, exp.plusSeconds(3600)).isPresent());
  }

  @Test
  void shortTtlTokenExpires() {
    Jwt shortLived = new Jwt(SECRET, Duration.ofMinutes(5));
    String token = shortLived.issue("u", "a", "User", NOW);
    assertTrue(shortLived.verify(token, NOW.plusSeconds(299)).isPresent());
    assertFalse(shortLived.verify(token, NOW.plusSeconds(300)).isPresent());
  }

  @Test
  void tokenSignedWithAnotherSecretIsRejected() {
    String token = new Jwt("another-secret-of-16+chars", Duration.ofHours(1)).issue("u", "a", "Admin", NOW);
    assertFalse(jwt.verify(token, NOW).isPresent());
  }

  @Test
  void nodesSharingTheSecretAcceptEachOthersTokens() {
    String token = new Jwt(SECRET, Duration.ofHours(1)).issue("u", "a", "Admin", NOW);
    assertEquals("u", jwt.verify(token, NOW).orElseThrow().userId());
  }

  @Test
  void alteredPayloadIsRejected() throws Exception {
    String[] parts = jwt.issue("u", "a", "User", NOW).split("\\.");
    String forged = b64(new String(DEC.decode(parts[1]), StandardCharsets.UTF_8).replace("\"User\"", "\"Admin\""));
    assertFalse(jwt.verify(parts[0] + "." + forged + "." + parts[2], NOW).isPresent());
  }

  @Test
  void alteredSignatureIsRejected() {
    String token = jwt.issue("u", "a", "User", NOW);
    int i = token.lastIndexOf('.') + 1;
    char c = token.charAt(i);
    String tampered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
    assertFalse(jwt.verify(tampered, NOW).isPresent());
  }

  @Test
  void signatureWithChangedUnusedLastBitsIsRejected() {
    // 32 signature bytes take 43 base64 characters; the last one carries 2 unused bits that a lenient decoder ignores.
    String token = jwt.issue("u", "a", "User", NOW);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    int v = alphabet.indexOf(last);
    char variant = alphabet.charAt(v ^ 1);
    String tampered = token.substring(0, token.length() - 1) + variant;
    assertFalse(jwt.verify(tampered, NOW).isPresent());
  }

  @Test
  void paddedSignatureOrTrailingDotIsRejected() {
    String token = jwt.issue("u", "a", "User", NOW);
    assertFalse(jwt.verify(token + "=", NOW).isPresent());
    assertFalse(jwt.verify(token + ".", NOW).isPresent());
    assertFalse(jwt.verify(token + ".x", NOW).isPresent());
  }

  @Test
  void algNoneIsRejected() {
    String payload = validPayload();
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload);
    assertFalse(jwt.verify(unsigned + ".", NOW).isPresent());
    assertFalse(jwt.verify(unsigned, NOW).isPresent());
  }

  @Test
  void algNoneIsRejectedEvenWhenCorrectlySigned() throws Exception {
    assertFalse(jwt.verify(signed("{\"alg\":\"none\",\"typ\":\"JWT\"}", validPayload()), NOW).isPresent());
  }

  @Test
  void otherAlgorithmsAreRejected() throws Exception {
    for (String alg : new String[] {"HS512", "RS256", "hs256", ""}) {
      String token = signed("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", validPayload());
      assertFalse(jwt.verify(token, NOW).isPresent(), alg);
    }
    assertFalse(jwt.verify(signed("{\"typ\":\"JWT\"}", validPayload()), NOW).isPresent(), "missing alg");
  }

  @Test
  void handMadeHs256TokenIsAccepted() throws Exception {
    // Control for the rejections above: the same construction with alg HS256 verifies.
    Jwt.Claims c = jwt.verify(signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", validPayload()), NOW).orElseThrow();
    assertEquals("u1", c.userId());
    assertEquals("a1", c.accountId());
    assertEquals("Admin", c.role());
  }

  @Test
  void tokenWithoutExpiryIsRejected() throws Exception {
    String token = signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"uuid\":\"u1\",\"account\":\"a1\",\"role\":\"Admin\"}");
    assertFalse(jwt.verify(token, NOW).isPresent());
  }

  @Test
  void malformedTokensAreRejectedWithoutThrowing() throws Exception {
    String good = jwt.issue("u", "a", "User", NOW);
    String[] parts = good.split("\\.");
    String[] bad = {
        null, "", ".", "..", "...", "abc", "a.b", "a.b.c", "a.b.c.d",
        parts[0] + "." + parts[1], // no signature
        "!!!." + parts[1] + "." + parts[2], // not base64
        b64("not json") + "." + parts[1] + "." + parts[2],
        parts[0] + ".." + parts[2],
        signed("{\"alg\":\"HS256\"}", "not json"),
        signed("[1,2]", validPayload()),
    };
    for (String token : bad) {
      assertFalse(jwt.verify(token, NOW).isPresent(), String.valueOf(token));
    }
  }

  @Test
  void shortSecretIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Jwt("too-short", Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> new Jwt(null, Duration.ofHours(1)));
  }
}
