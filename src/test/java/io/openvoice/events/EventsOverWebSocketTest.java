package io.openvoice.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket event endpoint at {@code /} (reference 6.1-6.4, design decision 7) with a real JDK WebSocket client
 * against a started node, and the subscription REST API that chooses what a connection receives (reference 3.11).
 */
class EventsOverWebSocketTest {
  static final String FLOW = "<Response><Answer/><Say>hi</Say><Hangup/></Response>";
  static final Duration MAX = Duration.ofSeconds(20);

  static TestNode node;
  static String accountA;
  static String appA;
  static String customer; // owner of account B
  static String accountB;
  static String appB;
  static int users;

  record User(String uuid, String email, String token) {}

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-ws"), "");
    accountA = node.call("GET", "/rest/auth", null, 200).path("payload").path("account").path("uuid").asText();
    appA = node.hostedApp("ws-a", FLOW);
    JsonNode acc = node.call("POST", "/rest/account",
        "{\"name\":\"Customer B\",\"email\":\"owner@wsb.example\",\"password\":\"b-password-1\"}", 201).path("payload");
    accountB = acc.path("uuid").asText();
    customer = node.login("owner@wsb.example", "b-password-1");
    appB = node.callAs(customer, "POST", "/rest/sip/app", "{\"name\":\"ws-b\"}", 201).path("payload").path("uuid").asText();
    HttpResponse<String> r = node.send(customer, "POST", "/rest/sip/app/call/flow/" + appB, "application/xml", FLOW);
    assertEquals(200, r.statusCode(), r.body());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  /** A new user of account A (its own subscriptions), logged in. */
  static User userOfA() throws Exception {
    String email = "ws-user-" + (++users) + "@a.example";
    JsonNode u = node.call("POST", "/rest/account/user",
        "{\"email\":\"" + email + "\",\"password\":\"user-password-1\"}", 201).path("payload");
    return new User(u.path("uuid").asText(), email, node.login(email, "user-password-1"));
  }

  static JsonNode subscribe(String token, String type) throws Exception {
    return node.callAs(token, "POST", "/rest/event/subscription", "{\"type\":\"" + type + "\"}", 201).path("payload");
  }

  /** Runs a simulated call of the app to its end; returns the call's uuid. */
  static String simulate(String token, String app) throws Exception {
    HttpResponse<String> r = node.send(token, "POST", "/rest/sip/app/" + app + "/simulate", "application/json",
        "{\"from\":\"+12015550123\",\"to\":\"12025550100\",\"realtime\":false,\"wait\":true}");
    assertTrue(r.statusCode() / 100 == 2, r.body());
    JsonNode p = TestNode.M.readTree(r.body()).path("payload");
    String id = p.path("call").path("uuid").asText(p.path("uuid").asText());
    assertFalse(id.isEmpty(), r.body());
    return id;
  }

  /** Connects and authenticates; returns the client after checking the auth reply is a success. */
  static WsClient connect(String token, String lastEventId) throws Exception {
    WsClient c = WsClient.connect(node);
    c.send("{\"type\":\"auth\",\"payload\":\"" + token + "\""
        + (lastEventId == null ? "" : ",\"last_event_id\":\"" + lastEventId + "\"") + "}");
    JsonNode auth = c.next(MAX);
    assertEquals("auth", auth.path("type").asText(), auth.toString());
    assertTrue(auth.path("success").asBoolean(), auth.toString());
    return c;
  }

  static boolean destroyedOf(JsonNode m, String call) {
    return "call_state".equals(m.path("type").asText()) && call.equals(m.path("call").path("uuid").asText())
        && "destroyed".equals(m.path("payload").path("state").asText());
  }

  static List<String> states(List<JsonNode> msgs, String call) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : msgs) {
      if ("call_state".equals(m.path("type").asText()) && call.equals(m.path("call").path("uuid").asText())) {
        out.add(m.path("payload").path("state").asText());
      }
    }
    return out;
  }

  static void assertStatesInOrder(List<String> states) {
    assertFalse(states.isEmpty());
    assertEquals("init", states.get(0), states.toString());
    assertEquals("destroyed", states.get(states.size() - 1), states.toString());
    assertTrue(states.indexOf("live") > 0 && states.indexOf("hangup") > states.indexOf("live")
        && states.indexOf("destroyed") > states.indexOf("hangup"), states.toString());
    assertEquals(states.size(), new HashSet<>(states).size(), "a state twice: " + states);
  }

  @Test
  void authReplyDescribesTheConnectionUserAndAccount() throws Exception {
    User u = userOfA();
    try (WsClient c = WsClient.connect(node)) {
      c.send("{\"type\":\"auth\",\"payload\":\"" + u.token() + "\"}");
      JsonNode auth = c.next(MAX);
      assertEquals("auth", auth.path("type").asText(), auth.toString());
      assertTrue(auth.path("success").asBoolean(), auth.toString());
      assertNotNull(UUID.fromString(auth.path("uuid").asText()));
      assertFalse(auth.path("created_on").asText().isEmpty(), auth.toString());
      Matcher m = Pattern.compile("WSS connection (\\S+)@(\\S+) - success auth (\\S+)").matcher(auth.path("message").asText());
      assertTrue(m.matches(), auth.toString());
      assertEquals(auth.path("payload").path("uuid").asText(), m.group(1));
      assertEquals("127.0.0.1", m.group(2));
      assertEquals(u.email(), m.group(3));
      assertEquals("127.0.0.1", auth.path("payload").path("ip").asText(), auth.toString());
      assertEquals(u.uuid(), auth.path("payload").path("user").path("uuid").asText(), auth.toString());
      assertEquals(u.email(), auth.path("payload").path("user").path("email").asText(), auth.toString());
      assertTrue(auth.path("payload").path("user").path("wss_online").asBoolean(), auth.toString());
      assertEquals(accountA, auth.path("payload").path("account").path("uuid").asText(), auth.toString());
      assertEquals(accountA, auth.path("account").path("uuid").asText(), auth.toString());

      c.send("{\"type\":\"ping\"}");
      assertEquals("pong", c.next(MAX).path("type").asText());
    }
  }

  @Test
  void anApiTokenAuthenticatesToo() throws Exception {
    User u = userOfA();
    String apiToken = node.callAs(u.token(), "POST", "/rest/token", "{\"name\":\"ws\"}", 201).path("payload").path("token").asText();
    try (WsClient c = connect(apiToken, null)) {
      c.send("{\"type\":\"ping\"}");
      assertEquals("pong", c.next(MAX).path("type").asText());
    }
  }

  @Test
  void subscribedCallEventsOfOwnAccountArriveInOrderAndNothingElse() throws Exception {
    User both = userOfA();
    subscribe(both.token(), "call_state");
    subscribe(both.token(), "call_flow");
    User stateOnly = userOfA();
    subscribe(stateOnly.token(), "call_state");
    subscribe(customer, "call_state");
    subscribe(customer, "call_flow");

    try (WsClient a = connect(both.token(), null); WsClient s = connect(stateOnly.token(), null);
         WsClient b = connect(customer, null)) {
      String callB = simulate(customer, appB);
      String callA = simulate(node.token, appA);

      List<JsonNode> gotA = a.until(m -> destroyedOf(m, callA), MAX);
      gotA.addAll(a.drain(Duration.ofMillis(500)));
      for (JsonNode m : gotA) {
        assertEquals(accountA, m.path("account").path("uuid").asText(), "another account's event: " + m);
        assertEquals(callA, m.path("ref_id").asText(), m.toString());
        assertTrue(Set.of("call_state", "call_flow").contains(m.path("type").asText()), m.toString());
      }
      assertStatesInOrder(states(gotA, callA));
      List<String> paths = new ArrayList<>();
      for (JsonNode m : gotA) {
        if (!"call_flow".equals(m.path("type").asText())) continue;
        assertEquals(callA, m.path("payload").path("call").path("uuid").asText(), m.toString());
        assertEquals(m.path("command").asText(), m.path("payload").path("command").path("name").asText(), m.toString());
        paths.add(m.path("payload").path("command").path("path").asText());
      }
      // each command's started and finished events, in the flow's order (path: name and index within the parent)
      assertEquals(List.of("Answer[0]", "Say[1]", "Hangup[2]"), paths.stream().distinct().toList(), paths.toString());
      assertEquals(6, paths.size(), paths.toString());
      assertEquals(gotA.size(), gotA.stream().map(m -> m.path("uuid").asText()).distinct().count(), "an event twice");

      List<JsonNode> gotS = s.until(m -> destroyedOf(m, callA), MAX);
      gotS.addAll(s.drain(Duration.ofMillis(300)));
      for (JsonNode m : gotS) assertEquals("call_state", m.path("type").asText(), "not subscribed: " + m);
      assertStatesInOrder(states(gotS, callA));

      List<JsonNode> gotB = b.until(m -> destroyedOf(m, callB), MAX);
      gotB.addAll(b.drain(Duration.ofMillis(300)));
      for (JsonNode m : gotB) assertEquals(accountB, m.path("account").path("uuid").asText(), "account A's event: " + m);
      assertStatesInOrder(states(gotB, callB));
    }
  }

  @Test
  void aSubscriptionMadeWhileConnectedTakesEffect() throws Exception {
    User u = userOfA();
    try (WsClient c = connect(u.token(), null)) {
      String before = simulate(node.token, appA);
      subscribe(u.token(), "call_state");
      List<JsonNode> got = new ArrayList<>();
      java.time.Instant deadline = java.time.Instant.now().plus(MAX);
      String call = null;
      while (got.stream().noneMatch(m -> "call_state".equals(m.path("type").asText())) && java.time.Instant.now().isBefore(deadline)) {
        call = simulate(node.token, appA); // the change reaches the connection a moment after the 201
        got.addAll(c.drain(Duration.ofMillis(500)));
      }
      assertTrue(got.stream().anyMatch(m -> "call_state".equals(m.path("type").asText())), "no event after subscribing");
      for (JsonNode m : got) assertFalse(before.equals(m.path("ref_id").asText()), "event from before the subscription: " + m);
      assertNotNull(call);
    }
  }

  @Test
  void aBadTokenIsRefusedAndTheSocketClosedWith4001() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      c.send("{\"type\":\"auth\",\"payload\":\"not.a.jwt\"}");
      JsonNode r = c.next(MAX);
      assertEquals("auth", r.path("type").asText(), r.toString());
      assertFalse(r.path("success").asBoolean(true), r.toString());
      assertEquals("Unauthorized: invalid or expired token", r.path("message").asText(), r.toString());
      assertEquals(4001, c.closed.get(10, TimeUnit.SECONDS));
    }
    try (WsClient c = WsClient.connect(node)) {
      c.send("{\"type\":\"auth\",\"payload\":\"no-such-api-token\"}");
      assertEquals("Unauthorized: invalid or expired token", c.next(MAX).path("message").asText());
      assertEquals(4001, c.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void anyMessageBeforeAuthIsRefusedAndTheSocketClosedWith4001() throws Exception {
    try (WsClient c = WsClient.connect(node)) {
      c.send("{\"type\":\"ping\"}");
      JsonNode r = c.next(MAX);
      assertEquals("auth", r.path("type").asText(), r.toString());
      assertFalse(r.path("success").asBoolean(true), r.toString());
      assertTrue(r.path("message").asText().startsWith("authenticate first"), r.toString());
      assertEquals(4001, c.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aPlainGetOfTheRootIsNotAWebSocket() throws Exception {
    HttpResponse<String> r = node.send(null, "GET", "/", null, null);
    assertEquals(404, r.statusCode(), r.body());
  }

  @Test
  void resumeReplaysTheMissedEventsOnceInOrderThenLiveOnes() throws Exception {
    User u = userOfA();
    subscribe(u.token(), "call_state");

    String lastSeen;
    try (WsClient first = connect(u.token(), null)) {
      String call1 = simulate(node.token, appA);
      List<JsonNode> got = first.until(m -> destroyedOf(m, call1), MAX);
      lastSeen = got.get(got.size() - 1).path("uuid").asText();
    }

    String unknown = UUID.randomUUID().toString();
    try (WsClient lost = connect(u.token(), unknown)) {
      JsonNode r = lost.next(MAX);
      assertEquals("resume", r.path("type").asText(), r.toString());
      assertFalse(r.path("success").asBoolean(true), r.toString());
      assertEquals("event " + unknown + " is no longer held; events may have been missed", r.path("message").asText());

      String call2 = simulate(node.token, appA); // while the first client is away; live for this one
      List<JsonNode> live = lost.until(m -> destroyedOf(m, call2), MAX);
      assertStatesInOrder(states(live, call2));

      try (WsClient back = connect(u.token(), lastSeen)) {
        JsonNode ok = back.next(MAX);
        assertEquals("resume", ok.path("type").asText(), ok.toString());
        assertTrue(ok.path("success").asBoolean(), ok.toString());
        List<JsonNode> replayed = back.until(m -> destroyedOf(m, call2), MAX);
        assertEquals(replayed.size(), ok.path("payload").path("count").asInt(), ok.toString());
        for (JsonNode m : replayed) assertEquals(call2, m.path("ref_id").asText(), "not a missed event: " + m);
        assertEquals(states(live, call2), states(replayed, call2), "the same events as the live client, in order");

        String call3 = simulate(node.token, appA);
        List<JsonNode> after = back.until(m -> destroyedOf(m, call3), MAX);
        assertStatesInOrder(states(after, call3));
        for (JsonNode m : after) assertEquals(call3, m.path("ref_id").asText(), "replayed twice or stray: " + m);

        // asking again after auth: everything after that id was already sent on this connection
        back.send("{\"type\":\"resume\",\"payload\":{\"last_event_id\":\"" + lastSeen + "\"}}");
        JsonNode again = back.next(MAX);
        assertEquals("resume", again.path("type").asText(), again.toString());
        assertTrue(again.path("success").asBoolean(), again.toString());
        assertEquals(0, again.path("payload").path("count").asInt(), again.toString());
        assertTrue(back.drain(Duration.ofMillis(500)).isEmpty(), "nothing is sent twice");

        back.send("{\"type\":\"resume\",\"payload\":{\"last_event_id\":\"" + unknown + "\"}}");
        JsonNode refused = back.next(MAX);
        assertFalse(refused.path("success").asBoolean(true), refused.toString());
        assertEquals("event " + unknown + " is no longer held; events may have been missed", refused.path("message").asText());
      }
    }
  }

  @Test
  void subscriptionsAreCreatedListedAndDeletedByTheirUser() throws Exception {
    User u = userOfA();
    JsonNode s = subscribe(u.token(), "call_flow");
    String id = s.path("uuid").asText();
    assertNotNull(UUID.fromString(id));
    assertEquals("wss", s.path("channel").asText(), s.toString());
    assertEquals("call_flow", s.path("type").asText(), s.toString());
    assertTrue(s.path("is_active").asBoolean(), s.toString());
    assertTrue(s.path("expired_on").isNull(), s.toString());
    assertFalse(s.path("created_on").asText().isEmpty(), s.toString());
    assertFalse(s.path("modified_on").asText().isEmpty(), s.toString());
    assertEquals(u.uuid(), s.path("user").path("uuid").asText(), s.toString());
    assertEquals(accountA, s.path("user").path("account").path("uuid").asText(), s.toString());

    JsonNode past = node.callAs(u.token(), "POST", "/rest/event/subscription",
        "{\"type\":\"sms\",\"channel\":\"wss\",\"is_active\":true,\"expired_on\":\"2020-01-01T00:00:00Z\"}", 201).path("payload");
    assertFalse(past.path("is_active").asBoolean(true), "expired: inactive " + past);
    assertEquals("2020-01-01T00:00:00.000Z", past.path("expired_on").asText());
    JsonNode off = node.callAs(u.token(), "POST", "/rest/event/subscription",
        "{\"type\":\"balance\",\"is_active\":false,\"expired_on\":\"2099-01-01T00:00:00+02:00\"}", 201).path("payload");
    assertFalse(off.path("is_active").asBoolean(true), off.toString());

    JsonNode list = node.callAs(u.token(), "GET", "/rest/event/subscription", null, 200).path("payload");
    assertEquals(3, list.size(), list.toString());
    assertEquals(id, list.get(0).path("uuid").asText(), list.toString());
    User other = userOfA();
    assertEquals(0, node.callAs(other.token(), "GET", "/rest/event/subscription", null, 200).path("payload").size(),
        "another user's subscriptions are not listed");

    node.callAs(other.token(), "DELETE", "/rest/event/subscription/" + id, null, 404);
    node.callAs(customer, "DELETE", "/rest/event/subscription/" + id, null, 404);
    node.callAs(u.token(), "DELETE", "/rest/event/subscription/" + UUID.randomUUID(), null, 404);
    node.callAs(u.token(), "DELETE", "/rest/event/subscription/not-a-uuid", null, 404);
    JsonNode gone = node.callAs(u.token(), "DELETE", "/rest/event/subscription/" + id, null, 200).path("payload");
    assertEquals(id, gone.path("uuid").asText(), gone.toString());
    assertEquals("call_flow", gone.path("type").asText(), gone.toString());
    node.callAs(u.token(), "DELETE", "/rest/event/subscription/" + id, null, 404);
    JsonNode left = node.callAs(u.token(), "GET", "/rest/event/subscription", null, 200).path("payload");
    assertEquals(2, left.size(), left.toString());
    assertFalse(left.toString().contains(id), left.toString());
  }

  @Test
  void everyInvalidSubscriptionFieldIsNamed() throws Exception {
    String[][] cases = {
        {"{}", "type"},
        {"{\"type\":\"\"}", "type"},
        {"{\"type\":\"bogus\"}", "type"},
        {"{\"type\":5}", "type"},
        {"{\"type\":\"call_state\",\"channel\":\"sms\"}", "channel"},
        {"{\"type\":\"call_state\",\"channel\":1}", "channel"},
        {"{\"type\":\"call_state\",\"is_active\":\"yes\"}", "is_active"},
        {"{\"type\":\"call_state\",\"expired_on\":\"tomorrow\"}", "expired_on"},
        {"{\"type\":\"call_state\",\"expired_on\":1700000000}", "expired_on"},
    };
    for (String[] c : cases) {
      JsonNode r = node.call("POST", "/rest/event/subscription", c[0], 400);
      assertTrue(r.path("fields").has(c[1]), c[0] + " -> " + r);
      assertTrue(r.path("message").asText().startsWith(c[1] + ":"), c[0] + " -> " + r);
    }
    assertEquals(0, node.call("GET", "/rest/event/subscription", null, 200).path("payload").size(),
        "nothing was stored");
  }
}
