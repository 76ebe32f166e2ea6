package io.openvoice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void hashThenVerifyRoundTrips() {
    String stored = Passwords.hash("correct horse battery staple");
    assertTrue(Passwords.verify("correct horse battery staple", stored));
  }

  @Test
  void wrongPasswordDoesNotVerify() {
    String stored = Passwords.hash("s3cret!");
    assertFalse(Passwords.verify("s3cret", stored));
    assertFalse(Passwords.verify("S3cret!", stored));
    assertFalse(Passwords.verify("", stored));
  }

  @Test
  void nonAsciiPasswordRoundTrips() {
    String stored = Passwords.hash("pässwörd-密码");
    assertTrue(Passwords.verify("pässwörd-密码", stored));
    assertFalse(Passwords.verify("passwort-密码", stored));
  }

  @Test
  void hashHasPbkdf2FormatWithRandomSalt() {
    String a = Passwords.hash("same");
    String b = Passwords.hash("same");
    assertNotEquals(a, b, "salted");
    String[] p = a.split("\\$", -1);
    assertEquals(4, p.length);
    assertEquals("pbkdf2", p[0]);
    assertEquals(120_000, Integer.parseInt(p[1]));
    assertEquals(16, Base64.getDecoder().decode(p[2]).length);
    assertEquals(32, Base64.getDecoder().decode(p[3]).length);
    assertTrue(Passwords.verify("same", b));
  }

  @Test
  void iterationCountIsTakenFromTheStoredHash() throws Exception {
    byte[] salt = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] dk = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), salt, 1000, 256)).getEncoded();
    String salt64 = Base64.getEncoder().encodeToString(salt);
    String dk64 = Base64.getEncoder().encodeToString(dk);
    assertTrue(Passwords.verify("pw", "pbkdf2$1000$" + salt64 + "$" + dk64));
    assertFalse(Passwords.verify("pw", "pbkdf2$1001$" + salt64 + "$" + dk64));
    assertFalse(Passwords.verify("pX", "pbkdf2$1000$" + salt64 + "$" + dk64));
  }

  @Test
  void nullInputsDoNotVerify() {
    assertFalse(Passwords.verify(null, Passwords.hash("x")));
    assertFalse(Passwords.verify("x", null));
  }

  @Test
  void malformedStoredHashReturnsFalseInsteadOfThrowing() {
    String good = Passwords.hash("pw");
    String[] p = good.split("\\$");
    String[] bad = {
        "", "plain-text-password", "pbkdf2", "pbkdf2$$$", "pbkdf2$120000$" + p[2],
        "bcrypt$120000$" + p[2] + "$" + p[3],
        "pbkdf2$abc$" + p[2] + "$" + p[3], // iterations not a number
        "pbkdf2$0$" + p[2] + "$" + p[3], // zero iterations
        "pbkdf2$-5$" + p[2] + "$" + p[3], // negative iterations
        "pbkdf2$99999999999$" + p[2] + "$" + p[3], // overflows int
        "pbkdf2$2000000000$" + p[2] + "$" + p[3], // absurd work factor
        "pbkdf2$120000$!!notbase64!!$" + p[3],
        "pbkdf2$120000$" + p[2] + "$!!notbase64!!",
        "pbkdf2$120000$$" + p[3], // empty salt
        "pbkdf2$120000$" + p[2] + "$", // empty hash
        good + "$", // extra field
    };
    for (String stored : bad) {
      assertFalse(Passwords.verify("pw", stored), stored);
    }
  }

  @Test
  void randomSecretHasRequestedEntropyAndIsUrlSafe() {
    String s = Passwords.randomSecret(32);
    assertEquals(43, s.length());
    assertEquals(32, Base64.getUrlDecoder().decode(s).length);
    assertTrue(s.matches("[A-Za-z0-9_-]+"), s);
    assertEquals(16, Passwords.randomSecret(12).length());
  }

  @Test
  void randomSecretsAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) assertTrue(seen.add(Passwords.randomSecret(16)));
  }

  @Test
  void sha256HexMatchesKnownVectors() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Passwords.sha256Hex(""));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Passwords.sha256Hex("abc"));
  }

  @Test
  void sha256HexHashesUtf8() {
    // SHA-256 of the UTF-8 bytes of "é" (c3 a9), not of ISO-8859-1 (e9).
    assertEquals("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", Passwords.sha256Hex("é"));
  }
}
