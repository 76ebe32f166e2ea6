package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two accounts on one node: the operator creates a customer account over REST, and the customer can neither read
 * nor change the operator's apps, numbers or calls (every such request is 404, as if they did not exist).
 */
class TenancyAndAccountsTest {
  static final String LONG_FLOW = "<Response><Answer/><Pause length=\"60000\"/></Response>";

  static TestNode node;
  static String customer;
  static String appA;
  static String leaseA;
  static long tnA;
  static String callA;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-tenancy"), "");
    JsonNode acc = node.call("POST", "/rest/account",
        "{\"name\":\"Customer B\",\"email\":\"owner@b.example\",\"password\":\"b-password-1\"}", 201).path("payload");
    assertEquals("Admin", acc.path("users").get(0).path("role").asText(), acc.toString());
    customer = node.login("owner@b.example", "b-password-1");

    appA = node.hostedApp("a-app", LONG_FLOW);
    JsonNode found = node.call("POST", "/rest/tn/search?size=1", "{}", 200).path("payload");
    tnA = found.path("data").get(0).path("tn").asLong();
    JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tnA + "}]}", 201).path("payload");
    leaseA = order.path("tnleases").get(0).path("uuid").asText();
    node.call("POST", "/rest/sip/app/" + appA + "/tnlease", "{\"add\":[\"" + leaseA + "\"]}", 200);
    callA = node.call("POST", "/rest/sip/app/" + appA + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"" + tnA + "\",\"realtime\":true,\"wait\":false}", 201)
        .path("payload").path("call").path("uuid").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void anotherAccountsAppIsInvisibleAndUnchangeable() throws Exception {
    node.callAs(customer, "GET", "/rest/sip/app/" + appA, null, 404);
    node.callAs(customer, "PATCH", "/rest/sip/app/" + appA, "{\"name\":\"stolen\"}", 404);
    node.callAs(customer, "DELETE", "/rest/sip/app/" + appA, null, 404);
    node.callAs(customer, "GET", "/rest/sip/app/call/flow/" + appA, null, 404);
    node.callAs(customer, "DELETE", "/rest/sip/app/call/flow/" + appA, null, 404);
    HttpResponse<String> r = node.send(customer, "POST", "/rest/sip/app/call/flow/" + appA, "application/xml",
        "<Response><Hangup/></Response>");
    assertEquals(404, r.statusCode(), r.body());
    node.callAs(customer, "POST", "/rest/sip/app/" + appA + "/simulate", "{\"from\":\"1\",\"to\":\"2\"}", 404);
    JsonNode list = node.callAs(customer, "GET", "/rest/sip/app", null, 200).path("payload");
    assertFalse(list.toString().contains(appA), list.toString());
    assertEquals("a-app", node.call("GET", "/rest/sip/app/" + appA, null, 200).path("payload").path("name").asText());
  }

  @Test
  void anotherAccountsNumberIsInvisibleAndCannotBeTakenOrAssigned() throws Exception {
    node.callAs(customer, "GET", "/rest/lease/tn/" + leaseA, null, 404);
    node.callAs(customer, "GET", "/rest/lease/tn/" + tnA, null, 404);
    node.callAs(customer, "PATCH", "/rest/lease/tn/" + leaseA, "{\"autorenew\":false}", 404);
    node.callAs(customer, "DELETE", "/rest/lease/tn/" + leaseA, null, 404);
    node.callAs(customer, "POST", "/rest/profile/tn/" + tnA + "/blacklist", "{\"add\":[\"12015550100\"]}", 404);
    JsonNode leases = node.callAs(customer, "POST", "/rest/lease/tn/search", "{}", 200).path("payload");
    assertFalse(leases.toString().contains(leaseA), leases.toString());

    JsonNode order = node.callAs(customer, "POST", "/rest/order", "{\"items\":[{\"tn\":" + tnA + "}]}", 201).path("payload");
    assertEquals(0, order.path("success").asInt(), "a leased number cannot be ordered again: " + order);

    String appB = node.callAs(customer, "POST", "/rest/sip/app", "{\"name\":\"b-app\"}", 201).path("payload").path("uuid").asText();
    JsonNode refused = node.callAs(customer, "POST", "/rest/sip/app/" + appB + "/tnlease",
        "{\"add\":[\"" + leaseA + "\"]}", 400);
    JsonNode unknown = node.callAs(customer, "POST", "/rest/sip/app/" + appB + "/tnlease",
        "{\"add\":[\"" + java.util.UUID.randomUUID() + "\"]}", 400);
    assertEquals(unknown.path("message").asText(), refused.path("message").asText(), "same answer as for a lease that does not exist");
    JsonNode lease = node.call("GET", "/rest/lease/tn/" + leaseA, null, 200).path("payload");
    assertEquals(appA, lease.path("sip_control_app").asText(), lease.toString());
  }

  @Test
  void anotherAccountsCallIsInvisibleAndCannotBeControlled() throws Exception {
    node.callAs(customer, "GET", "/rest/sip/app/call/" + callA, null, 404);
    HttpResponse<String> push = node.send(customer, "POST", "/rest/sip/app/call/" + callA, "application/xml",
        "<Response><Hangup/></Response>");
    assertEquals(404, push.statusCode(), push.body());
    HttpResponse<String> sca = node.send(customer, "POST", "/rest/call/sca/" + callA, "application/xml",
        "<Response><Hangup/></Response>");
    assertEquals(404, sca.statusCode(), sca.body());
    JsonNode online = node.callAs(customer, "GET", "/rest/sip/app/call/online", null, 200).path("payload");
    assertFalse(online.toString().contains(callA), online.toString());
    JsonNode mine = node.call("GET", "/rest/sip/app/call/" + callA, null, 200).path("payload");
    assertTrue(mine.path("state").asText().matches("ringing|live|init"), mine.toString());
  }

  @Test
  void aRevokedApiTokenStopsWorking() throws Exception {
    JsonNode t = node.callAs(customer, "POST", "/rest/token", "{\"name\":\"ci\",\"ttl\":3600}", 201).path("payload");
    String bearer = t.path("token").asText();
    HttpResponse<String> ok = node.client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(node.base + "/rest/sip/app?bearer=" + bearer)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    node.callAs(customer, "DELETE", "/rest/token/" + t.path("uuid").asText(), null, 200);
    HttpResponse<String> refused = node.client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(node.base + "/rest/sip/app")).header("Authorization", "Bearer " + bearer).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, refused.statusCode(), refused.body());
  }

  /** A plain User removes only its own tokens; "all" is the caller's own; an Admin may remove any by id. */
  @Test
  void aUserCannotRevokeAnotherUsersTokensAndAllMeansOnesOwn() throws Exception {
    node.callAs(customer, "POST", "/rest/account/user",
        "{\"email\":\"clerk@b.example\",\"password\":\"clerk-password-1\",\"role\":\"User\"}", 201);
    String clerk = node.login("clerk@b.example", "clerk-password-1");
    String ownersToken = node.callAs(customer, "POST", "/rest/token", "{\"name\":\"owner\",\"ttl\":3600}", 201)
        .path("payload").path("uuid").asText();
    String clerksToken = node.callAs(clerk, "POST", "/rest/token", "{\"name\":\"clerk\",\"ttl\":3600}", 201)
        .path("payload").path("uuid").asText();

    node.callAs(clerk, "DELETE", "/rest/token/" + ownersToken, null, 404);
    JsonNode mine = node.callAs(clerk, "DELETE", "/rest/token/all", null, 200).path("payload");
    assertEquals(1, mine.size(), "all = the clerk's own tokens: " + mine);
    assertEquals(clerksToken, mine.get(0).path("uuid").asText());
    assertTrue(node.callAs(customer, "GET", "/rest/token/list", null, 200).toString().contains(ownersToken),
        "the owner's token survived the clerk's requests");
    String another = node.callAs(clerk, "POST", "/rest/token", "{\"name\":\"clerk2\",\"ttl\":3600}", 201)
        .path("payload").path("uuid").asText();
    node.callAs(customer, "DELETE", "/rest/token/" + another, null, 200); // an Admin removes any token by its id
    node.callAs(customer, "DELETE", "/rest/token/" + ownersToken, null, 200);
  }

  @Test
  void accountsAreVisibleOnlyToThemselvesAndTheOperator() throws Exception {
    JsonNode b = node.callAs(customer, "GET", "/rest/account", null, 200).path("payload");
    String bId = b.path("uuid").asText();
    String aId = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    node.callAs(customer, "GET", "/rest/account/" + aId, null, 404);
    node.call("GET", "/rest/account/" + bId, null, 200);
    node.callAs(customer, "POST", "/rest/account", "{\"name\":\"C\",\"email\":\"c@c.example\",\"password\":\"c-password\"}", 403);
  }

  @Test
  void usersAreManagedByAdminsOfTheirOwnAccountAndARemovedUserIsLockedOut() throws Exception {
    JsonNode u = node.callAs(customer, "POST", "/rest/account/user",
        "{\"email\":\"clerk@b.example\",\"password\":\"clerk-pass\",\"first_name\":\"Clerk\"}", 201).path("payload");
    assertEquals("User", u.path("role").asText());
    node.callAs(customer, "POST", "/rest/account/user", "{\"email\":\"clerk@b.example\",\"password\":\"other-pass\"}", 409);
    node.callAs(customer, "POST", "/rest/account/user", "{\"email\":\"not-an-email\",\"password\":\"other-pass\"}", 400);
    node.callAs(customer, "POST", "/rest/account/user", "{\"email\":\"x@b.example\",\"password\":\"short\"}", 400);

    String clerk = node.login("clerk@b.example", "clerk-pass");
    node.callAs(clerk, "POST", "/rest/account/user", "{\"email\":\"y@b.example\",\"password\":\"y-password\"}", 403);
    JsonNode users = node.callAs(clerk, "GET", "/rest/account/user", null, 200).path("payload");
    assertEquals(2, users.size(), users.toString());
    node.call("DELETE", "/rest/account/user/" + u.path("uuid").asText(), null, 404); // the operator's account has no such user

    node.callAs(customer, "DELETE", "/rest/account/user/" + u.path("uuid").asText(), null, 200);
    node.callAs(clerk, "GET", "/rest/sip/app", null, 401);
    HttpResponse<String> relogin = node.send(null, "GET", "/rest/auth", null, null);
    assertEquals(401, relogin.statusCode());
  }
}
