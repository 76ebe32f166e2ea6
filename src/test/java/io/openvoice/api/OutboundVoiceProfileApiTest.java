package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound voice profiles over real HTTP on a started node: create/read/list/update/delete, every validation error
 * naming its field, the caller-id lease and SIP connection of a profile only the account's own, another account's
 * profile invisible, and domains and connections referring only to the account's own profiles.
 */
class OutboundVoiceProfileApiTest {
  static TestNode node;
  static String customer;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-profiles"), "");
    node.call("POST", "/rest/account",
        "{\"name\":\"Customer P\",\"email\":\"owner@p.example\",\"password\":\"p-password-1\"}", 201);
    customer = node.login("owner@p.example", "p-password-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aProfileIsCreatedWithDefaultsReadListedInCreationOrderPatchedAndDeleted() throws Exception {
    JsonNode p = node.call("POST", "/rest/profile/outbound_voice", "{\"name\":\"first\"}", 201).path("payload");
    String uuid = p.path("uuid").asText();
    assertEquals("first", p.path("name").asText());
    assertTrue(p.path("is_active").asBoolean(), p.toString());
    assertEquals(0, p.path("shaken_sign_policy").asInt(), p.toString());
    assertTrue(p.path("tn_lease").isNull() && p.path("sip_connection").isNull(), p.toString());
    assertEquals("1", p.path("product").path("id").asText(), "the default product: " + p);
    String second = node.call("POST", "/rest/profile/outbound_voice", "{\"name\":\"second\"}", 201)
        .path("payload").path("uuid").asText();

    assertEquals(uuid, node.call("GET", "/rest/profile/outbound_voice/" + uuid, null, 200).path("payload").path("uuid").asText());
    String list = node.call("GET", "/rest/profile/outbound_voice", null, 200).path("payload").toString();
    assertTrue(list.indexOf(uuid) >= 0 && list.indexOf(uuid) < list.indexOf(second), "sorted by created_on: " + list);

    String lease = lease("12025550191");
    String conn = connection(node.token, "trunk");
    JsonNode patched = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid,
        "{\"tech_prefix\":\"99#*\",\"shaken_sign_policy\":2,\"is_active\":false,\"tn_lease\":\"" + lease
            + "\",\"sip_connection\":\"" + conn + "\"}", 200).path("payload");
    assertEquals("first", patched.path("name").asText(), "fields not sent are kept: " + patched);
    assertEquals("99#*", patched.path("tech_prefix").asText());
    assertEquals(2, patched.path("shaken_sign_policy").asInt());
    assertFalse(patched.path("is_active").asBoolean());
    assertEquals(lease, patched.path("tn_lease").asText());
    assertEquals(conn, patched.path("sip_connection").asText());
    JsonNode cleared = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid,
        "{\"tn_lease\":null,\"sip_connection\":\"\"}", 200).path("payload");
    assertTrue(cleared.path("tn_lease").isNull() && cleared.path("sip_connection").isNull(), cleared.toString());

    assertEquals(uuid, node.call("DELETE", "/rest/profile/outbound_voice/" + uuid, null, 200).path("payload").path("uuid").asText());
    node.call("GET", "/rest/profile/outbound_voice/" + uuid, null, 404);
    node.call("DELETE", "/rest/profile/outbound_voice/" + uuid, null, 404);
    assertFalse(node.call("GET", "/rest/profile/outbound_voice", null, 200).path("payload").toString().contains(uuid));
  }

  @Test
  void everyBadFieldIsRefusedNamingTheField() throws Exception {
    assertBad("{}", "name");
    assertBad("{\"name\":\"\"}", "name");
    assertBad("{\"name\":42}", "name");
    assertBad("{\"name\":\"" + "n".repeat(256) + "\"}", "name");
    assertBad("{\"name\":\"x\",\"is_active\":\"yes\"}", "is_active");
    assertBad("{\"name\":\"x\",\"tech_prefix\":\"12ab\"}", "tech_prefix");
    assertBad("{\"name\":\"x\",\"tech_prefix\":\"" + "1".repeat(16) + "\"}", "tech_prefix");
    assertBad("{\"name\":\"x\",\"shaken_sign_policy\":3}", "shaken_sign_policy");
    assertBad("{\"name\":\"x\",\"shaken_sign_policy\":-1}", "shaken_sign_policy");
    assertBad("{\"name\":\"x\",\"shaken_sign_policy\":\"1\"}", "shaken_sign_policy");
    assertBad("{\"name\":\"x\",\"shaken_sign_policy\":1.5}", "shaken_sign_policy");
    assertBad("{\"name\":\"x\",\"product\":\"999\"}", "product");
    assertBad("{\"name\":\"x\",\"tn_lease\":\"nope\"}", "tn_lease");
    assertBad("{\"name\":\"x\",\"tn_lease\":\"00000000-0000-0000-0000-000000000000\"}", "tn_lease");
    assertBad("{\"name\":\"x\",\"sip_connection\":\"nope\"}", "sip_connection");
    assertBad("{\"name\":\"x\",\"sip_connection\":\"00000000-0000-0000-0000-000000000000\"}", "sip_connection");

    String uuid = create(node.token, "to patch");
    JsonNode err = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid, "{\"name\":\"\"}", 400);
    assertTrue(err.path("fields").has("name"), err.toString());
    err = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid, "{\"shaken_sign_policy\":7}", 400);
    assertTrue(err.path("fields").has("shaken_sign_policy"), err.toString());
    node.call("GET", "/rest/profile/outbound_voice/not-a-uuid", null, 404);
    node.call("GET", "/rest/profile/outbound_voice/00000000-0000-0000-0000-000000000000", null, 404);
  }

  @Test
  void aProfileMayOnlyNameTheAccountsOwnLeaseAndConnection() throws Exception {
    String theirLease = node.callAs(customer, "POST", "/rest/order", "{\"items\":[{\"tn\":12025550192}]}", 201)
        .path("payload").path("tnleases").get(0).path("uuid").asText();
    String theirConn = connection(customer, "their trunk");
    assertBad("{\"name\":\"x\",\"tn_lease\":\"" + theirLease + "\"}", "tn_lease");
    assertBad("{\"name\":\"x\",\"sip_connection\":\"" + theirConn + "\"}", "sip_connection");
    String uuid = create(node.token, "mine");
    JsonNode err = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid, "{\"tn_lease\":\"" + theirLease + "\"}", 400);
    assertTrue(err.path("fields").has("tn_lease"), err.toString());
    err = node.call("PATCH", "/rest/profile/outbound_voice/" + uuid, "{\"sip_connection\":\"" + theirConn + "\"}", 400);
    assertTrue(err.path("fields").has("sip_connection"), err.toString());
    // the owner may
    node.callAs(customer, "POST", "/rest/profile/outbound_voice", "{\"name\":\"theirs\",\"tn_lease\":\"" + theirLease
        + "\",\"sip_connection\":\"" + theirConn + "\"}", 201);
  }

  @Test
  void anotherAccountsProfileIsInvisibleAndUnchangeable() throws Exception {
    String mine = create(node.token, "private");
    node.callAs(customer, "GET", "/rest/profile/outbound_voice/" + mine, null, 404);
    node.callAs(customer, "PATCH", "/rest/profile/outbound_voice/" + mine, "{\"name\":\"stolen\"}", 404);
    node.callAs(customer, "DELETE", "/rest/profile/outbound_voice/" + mine, null, 404);
    assertFalse(node.callAs(customer, "GET", "/rest/profile/outbound_voice", null, 200).toString().contains(mine));
    assertEquals("private", node.call("GET", "/rest/profile/outbound_voice/" + mine, null, 200)
        .path("payload").path("name").asText());
  }

  @Test
  void domainsAndConnectionsMayOnlyReferToTheAccountsOwnProfiles() throws Exception {
    String mine = create(node.token, "for refs");
    String theirs = create(customer, "their profile");

    JsonNode err = node.call("POST", "/rest/sip/domain",
        "{\"domain\":\"ovp.sip.test\",\"outbound_voice_profile\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("outbound_voice_profile"), err.toString());
    err = node.call("POST", "/rest/sip/domain",
        "{\"domain\":\"ovp.sip.test\",\"outbound_voice_profile\":\"00000000-0000-0000-0000-000000000000\"}", 400);
    assertTrue(err.path("fields").has("outbound_voice_profile"), err.toString());
    assertEquals(mine, node.call("POST", "/rest/sip/domain",
        "{\"domain\":\"ovp.sip.test\",\"outbound_voice_profile\":\"" + mine + "\"}", 201)
        .path("payload").path("outbound_voice_profile").asText());
    err = node.call("PATCH", "/rest/sip/domain/ovp.sip.test", "{\"outbound_voice_profile\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("outbound_voice_profile"), err.toString());
    assertEquals(mine, node.call("GET", "/rest/sip/domain/ovp.sip.test", null, 200)
        .path("payload").path("outbound_voice_profile").asText(), "the refused PATCH changed nothing");

    err = node.call("POST", "/rest/sip/connection",
        "{\"name\":\"c\",\"ip\":\"192.0.2.40\",\"outbound_voice_profile\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("outbound_voice_profile"), err.toString());
    String conn = node.call("POST", "/rest/sip/connection",
        "{\"name\":\"c\",\"ip\":\"192.0.2.40\",\"outbound_voice_profile\":\"" + mine + "\"}", 201)
        .path("payload").path("uuid").asText();
    err = node.call("PATCH", "/rest/sip/connection/" + conn, "{\"outbound_voice_profile\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("outbound_voice_profile"), err.toString());
  }

  @Test
  void deletingAProfileTakesItOffTheAccountsDomainsAndConnections() throws Exception {
    String gone = create(node.token, "to delete");
    String kept = create(node.token, "to keep");
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"gone.sip.test\",\"outbound_voice_profile\":\"" + gone + "\"}", 201);
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"kept.sip.test\",\"outbound_voice_profile\":\"" + kept + "\"}", 201);
    String conn = node.call("POST", "/rest/sip/connection",
        "{\"name\":\"c\",\"ip\":\"192.0.2.41\",\"outbound_voice_profile\":\"" + gone + "\"}", 201)
        .path("payload").path("uuid").asText();

    node.call("DELETE", "/rest/profile/outbound_voice/" + gone, null, 200);
    assertTrue(node.call("GET", "/rest/sip/domain/gone.sip.test", null, 200).path("payload")
        .path("outbound_voice_profile").isNull());
    assertEquals(kept, node.call("GET", "/rest/sip/domain/kept.sip.test", null, 200).path("payload")
        .path("outbound_voice_profile").asText(), "another profile's domain is untouched");
    JsonNode c = node.call("GET", "/rest/sip/connection/" + conn, null, 200).path("payload");
    assertTrue(c.path("outbound_voice_profile").isNull(), c.toString());
    assertEquals("c", c.path("name").asText(), "the rest of the connection is kept: " + c);
    assertEquals("192.0.2.41", c.path("ip").asText());
  }

  private static String create(String jwt, String name) throws Exception {
    return node.callAs(jwt, "POST", "/rest/profile/outbound_voice", "{\"name\":\"" + name + "\"}", 201)
        .path("payload").path("uuid").asText();
  }

  private static String connection(String jwt, String name) throws Exception {
    return node.callAs(jwt, "POST", "/rest/sip/connection", "{\"name\":\"" + name + "\",\"ip\":\"192.0.2.30\"}", 201)
        .path("payload").path("uuid").asText();
  }

  private static String lease(String tn) throws Exception {
    return node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + "}]}", 201)
        .path("payload").path("tnleases").get(0).path("uuid").asText();
  }

  private static void assertBad(String body, String field) throws Exception {
    JsonNode err = node.call("POST", "/rest/profile/outbound_voice", body, 400);
    assertFalse(err.path("success").asBoolean(), err.toString());
    assertTrue(err.path("fields").has(field), body + " -> " + err);
  }
}
