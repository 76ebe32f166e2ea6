package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.node.TestNode;
import io.openvoice.sip.Digest;
import java.nio.file.Files;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP user invites over real HTTP on a started node: the account creates, lists, changes and deletes a domain's
 * invites; the holder of a token checks it and registers a user of the domain with it, without other
 * authentication, once; used, expired and unknown tokens are 404; bad fields are 400 naming them; another account's
 * domain's invites are 404.
 */
class SipInviteApiTest {
  static TestNode node;
  static String customer;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-invites"), "");
    node.call("POST", "/rest/account",
        "{\"name\":\"Customer I\",\"email\":\"owner@i.example\",\"password\":\"i-password-1\"}", 201);
    customer = node.login("owner@i.example", "i-password-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void invitesAreCreatedWithATokenListedPatchedAndDeleted() throws Exception {
    domain("crud.sip.test");
    String exp = Instant.now().plusSeconds(3600).toString();
    JsonNode i = node.call("POST", "/rest/sip/domain/crud.sip.test/invite",
        "{\"name\":\"for bob\",\"expired_on\":\"" + exp + "\"}", 201).path("payload");
    String uuid = i.path("uuid").asText();
    String token = i.path("token").asText();
    assertEquals("for bob", i.path("name").asText());
    assertEquals("crud.sip.test", i.path("sip_domain").asText());
    assertEquals(Instant.parse(exp).toEpochMilli(), Instant.parse(i.path("expired_on").asText()).toEpochMilli());
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "256 random bits, base64url: " + token);
    String other = node.call("POST", "/rest/sip/domain/crud.sip.test/invite",
        "{\"name\":\"for carol\",\"expired_on\":\"" + exp + "\"}", 201).path("payload").path("token").asText();
    assertNotEquals(token, other);

    JsonNode list = node.call("GET", "/rest/sip/domain/crud.sip.test/invite", null, 200).path("payload");
    assertEquals(2, list.size(), list.toString());
    assertEquals(uuid, list.get(0).path("uuid").asText(), "in creation order: " + list);
    assertEquals(token, list.get(0).path("token").asText(), "the invite object shows its token: " + list);

    String later = Instant.now().plusSeconds(7200).toString();
    JsonNode patched = node.call("PATCH", "/rest/sip/domain/crud.sip.test/invite/" + uuid,
        "{\"expired_on\":\"" + later + "\"}", 200).path("payload");
    assertEquals("for bob", patched.path("name").asText(), "fields not sent are kept: " + patched);
    assertEquals(Instant.parse(later).toEpochMilli(), Instant.parse(patched.path("expired_on").asText()).toEpochMilli());
    assertEquals(token, patched.path("token").asText(), "a PATCH keeps the token");
    assertEquals("bob's", node.call("PATCH", "/rest/sip/domain/crud.sip.test/invite/" + uuid,
        "{\"name\":\"bob's\"}", 200).path("payload").path("name").asText());

    assertEquals(uuid, node.call("DELETE", "/rest/sip/domain/crud.sip.test/invite/" + uuid, null, 200)
        .path("payload").path("uuid").asText());
    node.call("DELETE", "/rest/sip/domain/crud.sip.test/invite/" + uuid, null, 404);
    node.call("PATCH", "/rest/sip/domain/crud.sip.test/invite/" + uuid, "{\"name\":\"x\"}", 404);
    assertEquals(1, node.call("GET", "/rest/sip/domain/crud.sip.test/invite", null, 200).path("payload").size());
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 404);
    assertEquals("for carol", node.callAs(null, "GET", "/rest/app/invite/" + other, null, 200)
        .path("payload").path("name").asText(), "the other invite is still good");
  }

  @Test
  void aTokenRegistersOneUserWhoIsListedAndWhosePasswordPassesTheRegistrarsDigestCheck() throws Exception {
    domain("join.sip.test");
    String token = invite("join.sip.test", "for dave", Instant.now().plusSeconds(600));

    JsonNode check = node.callAs(null, "GET", "/rest/app/invite/" + token, null, 200).path("payload");
    assertEquals("join.sip.test", check.path("sip_domain").asText(), check.toString());
    assertEquals("for dave", check.path("name").asText());
    assertFalse(check.has("token"), "the public check does not echo the secret: " + check);

    JsonNode user = node.callAs(null, "POST", "/rest/app/invite/" + token,
        "{\"login\":\"dave\",\"password\":\"dave-secret-1\",\"first_name\":\"Dave\",\"same_domain_calls_only\":true}",
        201).path("payload");
    assertEquals("dave", user.path("login").asText());
    assertEquals("sip:dave@join.sip.test", user.path("sip_uri").asText());
    assertEquals("Dave", user.path("first_name").asText());
    assertTrue(user.path("same_domain_calls_only").asBoolean());
    assertFalse(user.toString().contains("dave-secret-1"), "no password in the answer: " + user);

    JsonNode users = node.call("GET", "/rest/sip/domain/join.sip.test/user", null, 200).path("payload");
    assertEquals(1, users.size(), users.toString());
    assertEquals(user.path("uuid").asText(), users.get(0).path("uuid").asText());
    assertEquals(0, node.call("GET", "/rest/sip/domain/join.sip.test/invite", null, 200).path("payload").size(),
        "the invite is used up");

    // used up: checking or using it again is 404
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 404);
    node.callAs(null, "POST", "/rest/app/invite/" + token, "{\"login\":\"eve\",\"password\":\"eve-secret-1\"}", 404);

    // the registrar's check (SipAuth): the stored HA1 answers a digest challenge made with the chosen password
    SipDomainEntity.Domain d = node.node.platform().sharding.entityRefFor(SipDomainEntity.TYPE_KEY, "join.sip.test")
        .<SipDomainEntity.Domain>askWithStatus((ActorRef<StatusReply<SipDomainEntity.Domain>> r) ->
            new SipDomainEntity.Get(null, r), java.time.Duration.ofSeconds(5)).toCompletableFuture().get();
    SipDomainEntity.User stored = d.userByLogin("dave").orElseThrow();
    String nonce = new Digest("test-secret").nonce(System.currentTimeMillis());
    String uri = "sip:join.sip.test";
    String client = Digest.expectedResponse(Digest.ha1("dave", "join.sip.test", "dave-secret-1"), "REGISTER", uri,
        nonce, "auth", "00000001", "c0ffee");
    assertTrue(Digest.matches(Digest.expectedResponse(stored.ha1(), "REGISTER", uri, nonce, "auth", "00000001",
        "c0ffee"), client));
    String wrong = Digest.expectedResponse(Digest.ha1("dave", "join.sip.test", "not-the-password"), "REGISTER", uri,
        nonce, "auth", "00000001", "c0ffee");
    assertFalse(Digest.matches(Digest.expectedResponse(stored.ha1(), "REGISTER", uri, nonce, "auth", "00000001",
        "c0ffee"), wrong));
  }

  @Test
  void aTakenLoginIs409NamingLoginAndLeavesTheInviteUsable() throws Exception {
    domain("taken.sip.test");
    node.call("POST", "/rest/sip/domain/taken.sip.test/user", "{\"login\":\"frank\",\"password\":\"frank-pass-1\"}", 201);
    String token = invite("taken.sip.test", "for another frank", Instant.now().plusSeconds(600));
    JsonNode err = node.callAs(null, "POST", "/rest/app/invite/" + token,
        "{\"login\":\"Frank\",\"password\":\"frank-pass-2\"}", 409);
    assertTrue(err.path("fields").has("login"), err.toString());
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 200);
    node.callAs(null, "POST", "/rest/app/invite/" + token, "{\"login\":\"frank2\",\"password\":\"frank-pass-2\"}", 201);
  }

  @Test
  void badRegistrationFieldsAre400NamingThemAndDoNotUseTheInvite() throws Exception {
    domain("badreg.sip.test");
    String token = invite("badreg.sip.test", "x", Instant.now().plusSeconds(600));
    assertBadRegistration(token, "{\"password\":\"secret-123\"}", "login");
    assertBadRegistration(token, "{\"login\":\"a b\",\"password\":\"secret-123\"}", "login");
    assertBadRegistration(token, "{\"login\":\"ann\"}", "password");
    assertBadRegistration(token, "{\"login\":\"ann\",\"password\":\"short\"}", "password");
    assertBadRegistration(token, "{\"login\":\"ann\",\"password\":\"secret-123\",\"email\":\"nope\"}", "email");
    assertBadRegistration(token, "{\"login\":\"ann\",\"password\":\"secret-123\",\"gender\":\"x\"}", "gender");
    assertBadRegistration(token, "{\"login\":\"ann\",\"password\":\"secret-123\",\"dob\":\"yesterday\"}", "dob");
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 200);
  }

  @Test
  void anExpiredOrUnknownTokenIs404() throws Exception {
    domain("exp.sip.test");
    String token = invite("exp.sip.test", "short-lived", Instant.now().plusMillis(1500));
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 200);
    Thread.sleep(2000);
    node.callAs(null, "GET", "/rest/app/invite/" + token, null, 404);
    node.callAs(null, "POST", "/rest/app/invite/" + token, "{\"login\":\"gina\",\"password\":\"gina-pass-1\"}", 404);
    assertEquals(0, node.call("GET", "/rest/sip/domain/exp.sip.test/user", null, 200).path("payload").size());

    String unknown = "A".repeat(43);
    node.callAs(null, "GET", "/rest/app/invite/" + unknown, null, 404);
    node.callAs(null, "POST", "/rest/app/invite/" + unknown, "{\"login\":\"gina\",\"password\":\"gina-pass-1\"}", 404);
    node.callAs(null, "GET", "/rest/app/invite/short", null, 404);
    // a live token with one character changed
    String live = invite("exp.sip.test", "live", Instant.now().plusSeconds(600));
    String changed = (live.charAt(0) == 'A' ? "B" : "A") + live.substring(1);
    node.callAs(null, "GET", "/rest/app/invite/" + changed, null, 404);
    // deleting the domain ends its invites
    node.call("DELETE", "/rest/sip/domain/exp.sip.test", null, 200);
    node.callAs(null, "GET", "/rest/app/invite/" + live, null, 404);
  }

  @Test
  void badInviteFieldsAre400NamingThem() throws Exception {
    domain("badinv.sip.test");
    String future = Instant.now().plusSeconds(600).toString();
    assertBadInvite("{\"expired_on\":\"" + future + "\"}", "name");
    assertBadInvite("{\"name\":\"\",\"expired_on\":\"" + future + "\"}", "name");
    assertBadInvite("{\"name\":\"" + "n".repeat(256) + "\",\"expired_on\":\"" + future + "\"}", "name");
    assertBadInvite("{\"name\":\"x\"}", "expired_on");
    assertBadInvite("{\"name\":\"x\",\"expired_on\":null}", "expired_on");
    assertBadInvite("{\"name\":\"x\",\"expired_on\":\"tomorrow\"}", "expired_on");
    assertBadInvite("{\"name\":\"x\",\"expired_on\":12345}", "expired_on");
    assertBadInvite("{\"name\":\"x\",\"expired_on\":\"2001-01-01T00:00:00Z\"}", "expired_on");

    String uuid = node.call("POST", "/rest/sip/domain/badinv.sip.test/invite",
        "{\"name\":\"x\",\"expired_on\":\"" + future + "\"}", 201).path("payload").path("uuid").asText();
    JsonNode err = node.call("PATCH", "/rest/sip/domain/badinv.sip.test/invite/" + uuid,
        "{\"expired_on\":\"2001-01-01T00:00:00Z\"}", 400);
    assertTrue(err.path("fields").has("expired_on"), err.toString());
    err = node.call("PATCH", "/rest/sip/domain/badinv.sip.test/invite/" + uuid, "{\"name\":\"\"}", 400);
    assertTrue(err.path("fields").has("name"), err.toString());
  }

  @Test
  void anotherAccountsDomainInvitesAre404() throws Exception {
    domain("private.sip.test");
    String future = Instant.now().plusSeconds(600).toString();
    String uuid = node.call("POST", "/rest/sip/domain/private.sip.test/invite",
        "{\"name\":\"mine\",\"expired_on\":\"" + future + "\"}", 201).path("payload").path("uuid").asText();
    node.callAs(customer, "GET", "/rest/sip/domain/private.sip.test/invite", null, 404);
    node.callAs(customer, "POST", "/rest/sip/domain/private.sip.test/invite",
        "{\"name\":\"theirs\",\"expired_on\":\"" + future + "\"}", 404);
    node.callAs(customer, "PATCH", "/rest/sip/domain/private.sip.test/invite/" + uuid, "{\"name\":\"stolen\"}", 404);
    node.callAs(customer, "DELETE", "/rest/sip/domain/private.sip.test/invite/" + uuid, null, 404);
    // the invite routes under a domain need authentication
    node.callAs(null, "GET", "/rest/sip/domain/private.sip.test/invite", null, 401);
    assertEquals("mine", node.call("GET", "/rest/sip/domain/private.sip.test/invite", null, 200)
        .path("payload").get(0).path("name").asText());
  }

  private static void domain(String name) throws Exception {
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"" + name + "\"}", 201);
  }

  private static String invite(String domain, String name, Instant expiredOn) throws Exception {
    return node.call("POST", "/rest/sip/domain/" + domain + "/invite",
        "{\"name\":\"" + name + "\",\"expired_on\":\"" + expiredOn + "\"}", 201).path("payload").path("token").asText();
  }

  private static void assertBadInvite(String body, String field) throws Exception {
    JsonNode err = node.call("POST", "/rest/sip/domain/badinv.sip.test/invite", body, 400);
    assertTrue(err.path("fields").has(field), body + " -> " + err);
  }

  private static void assertBadRegistration(String token, String body, String field) throws Exception {
    JsonNode err = node.callAs(null, "POST", "/rest/app/invite/" + token, body, 400);
    assertTrue(err.path("fields").has(field), body + " -> " + err);
  }
}
