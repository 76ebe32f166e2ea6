package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP connections (trunks) and products over real HTTP on a started node: create/read/update/delete, every
 * validation error naming its field, numbers put on and taken off a connection, references from leases and
 * domains checked, and another account's connection invisible.
 */
class SipConnectionApiTest {
  static TestNode node;
  static String customer;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-connections"), "");
    node.call("POST", "/rest/account",
        "{\"name\":\"Customer C\",\"email\":\"owner@c.example\",\"password\":\"c-password-1\"}", 201);
    customer = node.login("owner@c.example", "c-password-1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aConnectionIsCreatedWithDefaultsReadListedPatchedAndDeleted() throws Exception {
    JsonNode c = node.call("POST", "/rest/sip/connection",
        "{\"name\":\"carrier a\",\"ip\":\"192.0.2.10\",\"port\":5070}", 201).path("payload");
    String uuid = c.path("uuid").asText();
    assertEquals("carrier a", c.path("name").asText());
    assertEquals("192.0.2.10", c.path("ip").asText());
    assertEquals(5070, c.path("port").asInt());
    assertTrue(c.path("is_active").asBoolean(), c.toString());
    assertEquals("udp", c.path("transport").asText());
    assertEquals("1", c.path("product").path("id").asText(), "the default product: " + c);
    assertEquals("", c.path("tech_prefix").asText(), c.toString());

    assertEquals(uuid, node.call("GET", "/rest/sip/connection/" + uuid, null, 200).path("payload").path("uuid").asText());
    assertTrue(node.call("GET", "/rest/sip/connection", null, 200).path("payload").toString().contains(uuid));

    JsonNode patched = node.call("PATCH", "/rest/sip/connection/" + uuid,
        "{\"hostname\":\"Trunk.Example.NET\",\"tech_prefix\":\"7788#\",\"is_active\":false,\"transport\":\"tcp\","
            + "\"class4_egress_trunk_settings\":{\"codecs\":[\"PCMU\"]}}", 200).path("payload");
    assertEquals("carrier a", patched.path("name").asText(), "fields not sent are kept: " + patched);
    assertEquals(5070, patched.path("port").asInt());
    assertEquals("trunk.example.net", patched.path("hostname").asText());
    assertEquals("7788#", patched.path("tech_prefix").asText());
    assertFalse(patched.path("is_active").asBoolean());
    assertEquals("tcp", patched.path("transport").asText());
    assertEquals("PCMU", patched.path("class4_egress_trunk_settings").path("codecs").get(0).asText(), patched.toString());

    assertEquals(uuid, node.call("DELETE", "/rest/sip/connection/" + uuid, null, 200).path("payload").path("uuid").asText());
    node.call("GET", "/rest/sip/connection/" + uuid, null, 404);
    assertFalse(node.call("GET", "/rest/sip/connection", null, 200).path("payload").toString().contains(uuid));
  }

  @Test
  void everyBadFieldIsRefusedNamingTheField() throws Exception {
    assertBad("{\"ip\":\"192.0.2.1\"}", "name");
    assertBad("{\"name\":\"\",\"ip\":\"192.0.2.1\"}", "name");
    assertBad("{\"name\":\"" + "n".repeat(256) + "\",\"ip\":\"192.0.2.1\"}", "name");
    assertBad("{\"name\":\"x\"}", "ip");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2\"}", "ip");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.300\"}", "ip");
    assertBad("{\"name\":\"x\",\"ip\":42}", "ip");
    assertBad("{\"name\":\"x\",\"hostname\":\"not a host\"}", "hostname");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"port\":80}", "port");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"port\":70000}", "port");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"port\":\"five\"}", "port");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"is_active\":\"yes\"}", "is_active");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"product\":\"999\"}", "product");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"tech_prefix\":\"12ab\"}", "tech_prefix");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"transport\":\"sctp\"}", "transport");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"outbound_voice_profile\":\"nope\"}", "outbound_voice_profile");
    assertBad("{\"name\":\"x\",\"ip\":\"192.0.2.1\",\"class4_ingress_trunk_settings\":[1]}", "class4_ingress_trunk_settings");

    String uuid = create("to patch");
    JsonNode err = node.call("PATCH", "/rest/sip/connection/" + uuid, "{\"port\":1}", 400);
    assertTrue(err.path("fields").has("port"), err.toString());
    node.call("GET", "/rest/sip/connection/not-a-uuid", null, 404);
    node.call("GET", "/rest/sip/connection/00000000-0000-0000-0000-000000000000", null, 404);
  }

  @Test
  void productsAreListedOnBothPaths() throws Exception {
    for (String path : List.of("/rest/sip/product", "/rest/sip/connection/product")) {
      JsonNode products = node.call("GET", path, null, 200).path("payload");
      assertEquals("1", products.get(0).path("id").asText(), products.toString());
      assertTrue(products.get(0).has("tech_prefix"), products.toString());
    }
  }

  @Test
  void numbersArePutOnAndTakenOffAConnectionAndDeletingItTakesThemOff() throws Exception {
    String conn = create("numbers");
    String other = create("other");
    List<String> leases = new ArrayList<>();
    for (String tn : List.of("12025550181", "12025550182")) {
      JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + "}]}", 201).path("payload");
      leases.add(order.path("tnleases").get(0).path("uuid").asText());
    }
    JsonNode added = node.call("POST", "/rest/sip/connection/" + conn + "/tnlease",
        "{\"add\":[\"" + leases.get(0) + "\",\"" + leases.get(1) + "\"]}", 200).path("payload");
    assertEquals(leases, List.of(added.get(0).asText(), added.get(1).asText()), added.toString());
    JsonNode on = node.call("GET", "/rest/sip/connection/" + conn + "/tnlease", null, 200).path("payload");
    assertEquals(2, on.size(), on.toString());
    assertEquals(conn, node.call("GET", "/rest/lease/tn/" + leases.get(0), null, 200).path("payload")
        .path("sip_connection").asText());
    JsonNode searched = node.call("POST", "/rest/lease/tn/search", "{\"sip_connection\":\"" + conn + "\"}", 200)
        .path("payload");
    assertEquals(2, searched.path("total").asInt(), searched.toString());
    JsonNode skipped = node.call("POST", "/rest/lease/tn/search", "{\"sip_connections_skip\":[\"" + conn + "\"]}", 200)
        .path("payload");
    assertFalse(skipped.toString().contains(leases.get(0)), skipped.toString());

    node.call("POST", "/rest/sip/connection/" + conn + "/tnlease", "{\"remove\":[\"" + leases.get(1) + "\"]}", 200);
    assertEquals(1, node.call("GET", "/rest/sip/connection/" + conn + "/tnlease", null, 200).path("payload").size());
    assertEquals(0, node.call("GET", "/rest/sip/connection/" + other + "/tnlease", null, 200).path("payload").size());

    JsonNode bad = node.call("POST", "/rest/sip/connection/" + conn + "/tnlease",
        "{\"add\":[\"00000000-0000-0000-0000-000000000000\"]}", 400);
    assertTrue(bad.path("fields").has("add"), bad.toString());
    assertTrue(node.call("POST", "/rest/sip/connection/" + conn + "/tnlease", "{}", 400).path("fields").has("add"));

    node.call("DELETE", "/rest/sip/connection/" + conn, null, 200);
    JsonNode lease = node.call("GET", "/rest/lease/tn/" + leases.get(0), null, 200).path("payload");
    assertTrue(lease.path("sip_connection").isNull(), "the deleted connection's numbers are off it: " + lease);
  }

  @Test
  void leasesAndDomainsMayOnlyReferToTheAccountsOwnConnections() throws Exception {
    String mine = create("mine");
    String theirs = node.callAs(customer, "POST", "/rest/sip/connection",
        "{\"name\":\"theirs\",\"ip\":\"192.0.2.20\"}", 201).path("payload").path("uuid").asText();
    JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":12025550183}]}", 201).path("payload");
    String lease = order.path("tnleases").get(0).path("uuid").asText();

    assertEquals(mine, node.call("PATCH", "/rest/lease/tn/" + lease, "{\"sip_connection\":\"" + mine + "\"}", 200)
        .path("payload").path("sip_connection").asText());
    JsonNode err = node.call("PATCH", "/rest/lease/tn/" + lease, "{\"sip_connection\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("sip_connection"), err.toString());
    assertTrue(node.call("PATCH", "/rest/lease/tn/" + lease, "{\"sip_connection\":null}", 200)
        .path("payload").path("sip_connection").isNull());

    err = node.call("POST", "/rest/sip/domain", "{\"domain\":\"refs.sip.test\",\"sip_connection\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("sip_connection"), err.toString());
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"refs.sip.test\",\"sip_connection\":\"" + mine + "\"}", 201);
    err = node.call("PATCH", "/rest/sip/domain/refs.sip.test", "{\"sip_connection\":\"" + theirs + "\"}", 400);
    assertTrue(err.path("fields").has("sip_connection"), err.toString());
  }

  @Test
  void anotherAccountsConnectionIsInvisibleAndUnchangeable() throws Exception {
    String mine = create("private");
    node.callAs(customer, "GET", "/rest/sip/connection/" + mine, null, 404);
    node.callAs(customer, "PATCH", "/rest/sip/connection/" + mine, "{\"name\":\"stolen\"}", 404);
    node.callAs(customer, "DELETE", "/rest/sip/connection/" + mine, null, 404);
    node.callAs(customer, "GET", "/rest/sip/connection/" + mine + "/tnlease", null, 404);
    node.callAs(customer, "POST", "/rest/sip/connection/" + mine + "/tnlease", "{\"add\":[]}", 404);
    assertFalse(node.callAs(customer, "GET", "/rest/sip/connection", null, 200).toString().contains(mine));
    assertEquals("private", node.call("GET", "/rest/sip/connection/" + mine, null, 200).path("payload").path("name").asText());
  }

  private static String create(String name) throws Exception {
    return node.call("POST", "/rest/sip/connection", "{\"name\":\"" + name + "\",\"ip\":\"192.0.2.30\"}", 201)
        .path("payload").path("uuid").asText();
  }

  private static void assertBad(String body, String field) throws Exception {
    JsonNode err = node.call("POST", "/rest/sip/connection", body, 400);
    assertFalse(err.path("success").asBoolean(), err.toString());
    assertTrue(err.path("fields").has(field), body + " -> " + err);
  }
}
