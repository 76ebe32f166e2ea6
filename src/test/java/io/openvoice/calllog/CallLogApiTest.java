package io.openvoice.calllog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The call log and the call-flow log over real HTTP on a started node: simulated calls reach the log through the
 * projection with their fields, go offline when destroyed, are found by every filter, ordered and paged; another
 * account sees none of them; the call-flow log holds the steps each call ran, in order; bad filters are 400s
 * naming the field. The projection lags a little: every read polls until a deadline.
 */
class CallLogApiTest {
  static final String SHORT = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";
  static final String LONG = "<Response><Answer/><Pause length=\"120000\"/><Hangup/></Response>";
  static final Duration WAIT = Duration.ofSeconds(30);

  static TestNode node;
  static String customer;
  static String appA;
  static String appB;
  static String appLong;
  /** call uuid → its simulate result (the finished call and its trace). */
  static final Map<String, JsonNode> calls = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-call-log"), "");
    node.call("POST", "/rest/account",
        "{\"name\":\"Customer L\",\"email\":\"owner@l.example\",\"password\":\"l-password-1\"}", 201);
    customer = node.login("owner@l.example", "l-password-1");
    appA = node.hostedApp("log-a", SHORT);
    appB = node.hostedApp("log-b", SHORT);
    appLong = node.hostedApp("log-long", LONG);
    simulate(appA, "+12015550101", "12025550100");
    simulate(appA, "+12015550102", "12025550101");
    simulate(appB, "+13035550103", "19735550100");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static JsonNode simulate(String app, String from, String to) throws Exception {
    JsonNode r = node.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"realtime\":false,\"wait\":true}", 200).path("payload");
    calls.put(r.path("call").path("uuid").asText(), r);
    return r;
  }

  static JsonNode search(String token, String path, String body) throws Exception {
    return node.callAs(token, "POST", path, body, 200).path("payload");
  }

  /** Polls a search until its payload satisfies {@code done}; fails with the last payload after {@link #WAIT}. */
  static JsonNode await(String path, String body, Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = search(node.token, path, body);
      if (done.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(path + " " + body + " did not reach the expected answer; last: " + last);
  }

  static JsonNode allThree() throws Exception {
    return await("/rest/sip/app/call/search", "{\"from\":\"*55501*\",\"state\":\"offline\",\"direction\":\"in\"}",
        p -> countOf(p, calls.keySet()) == 3);
  }

  static long countOf(JsonNode page, java.util.Collection<String> ids) {
    long n = 0;
    for (JsonNode c : page.path("data")) if (ids.contains(c.path("uuid").asText())) n++;
    return n;
  }

  static List<String> uuids(JsonNode page) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : page.path("data")) out.add(c.path("uuid").asText());
    return out;
  }

  @Test
  void simulatedCallsAppearInTheCallLogWithTheirFieldsOfflineOnceDestroyed() throws Exception {
    JsonNode page = allThree();
    assertEquals(3, page.path("total").asLong(), page.toString());
    String account = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    for (JsonNode c : page.path("data")) {
      JsonNode sim = calls.get(c.path("uuid").asText());
      JsonNode live = sim.path("call");
      assertEquals("offline", c.path("status").asText(), c.toString());
      assertEquals("destroyed", c.path("state").asText(), c.toString());
      assertEquals("CallSCA", c.path("type").asText());
      assertEquals("in", c.path("direction").asText());
      assertEquals(live.path("from").asText(), c.path("from").asText());
      assertEquals(live.path("to").asText(), c.path("to").asText());
      assertEquals(live.path("tn").path("tn").asText(), c.path("tn").path("tn").asText());
      assertEquals(live.path("sip_control_app").path("uuid").asText(), c.path("sip_control_app").path("uuid").asText());
      assertEquals(live.path("sip_control_app").path("name").asText(), c.path("sip_control_app").path("name").asText());
      assertEquals(account, c.path("account").path("uuid").asText());
      assertEquals(16, c.path("q850_cause").asInt(), c.toString());
      assertEquals("NORMAL_CLEARING", c.path("q850_cause_string").asText());
      for (String t : List.of("created_on", "answer_on", "hangup_on", "destroy_on", "modified_on")) {
        assertEquals(live.path(t).asText(), c.path(t).asText(), t + " of " + c);
      }
      assertEquals(live.path("duration").asLong(), c.path("duration").asLong());
      assertTrue(c.path("parent").isNull(), c.toString());
    }
  }

  @Test
  void aLiveCallIsOnlineInTheLogAndBecomesOfflineWhenItEnds() throws Exception {
    String id = node.call("POST", "/rest/sip/app/" + appLong + "/simulate",
            "{\"from\":\"+14155560199\",\"to\":\"12025550199\",\"realtime\":true,\"wait\":false}", 201)
        .path("payload").path("call").path("uuid").asText();
    String byId = "{\"sip_control_app\":\"" + appLong + "\",\"state\":\"online\"}";
    JsonNode online = await("/rest/call/search", byId, p -> uuids(p).contains(id));
    assertEquals("online", online.path("data").get(0).path("status").asText(), online.toString());
    assertEquals("live", online.path("data").get(0).path("state").asText(), online.toString());
    assertTrue(online.path("data").get(0).path("hangup_on").isNull(), online.toString());

    node.send(node.token, "POST", "/rest/sip/app/call/" + id, "application/xml", "<Response><Hangup/></Response>");
    JsonNode offline = await("/rest/call/search", "{\"sip_control_app\":\"" + appLong + "\",\"state\":\"offline\"}",
        p -> uuids(p).contains(id));
    JsonNode c = offline.path("data").get(0);
    assertEquals("destroyed", c.path("state").asText(), c.toString());
    assertNotNull(c.path("hangup_on").textValue(), c.toString());
    assertEquals(0, search(node.token, "/rest/call/search", byId).path("total").asLong());
  }

  @Test
  void filtersOrderTakeSkipAndTotalBehave() throws Exception {
    allThree();
    String s = "/rest/sip/app/call/search";
    assertEquals(2, search(node.token, s, "{\"sip_control_app\":\"" + appA + "\"}").path("total").asLong());
    assertEquals(1, search(node.token, s, "{\"sip_control_app\":\"" + appB + "\"}").path("total").asLong());
    assertEquals(2, search(node.token, s, "{\"from\":\"+1201555010*\",\"state\":\"offline\"}").path("total").asLong());
    assertEquals(1, search(node.token, s, "{\"from\":\"303*\"}").path("total").asLong());
    assertEquals(1, search(node.token, s, "{\"to\":\"1202555010%\",\"from\":\"*0102\"}").path("total").asLong());
    assertEquals(1, search(node.token, s, "{\"tn\":\"1973*\"}").path("total").asLong());
    assertEquals(3, search(node.token, s, "{\"tn\":\"1973*\",\"from\":\"1201*\",\"mode\":\"OR\"}")
        .path("total").asLong(), "mode OR: either filter");
    assertEquals(0, search(node.token, s, "{\"direction\":\"out\"}").path("total").asLong());
    assertEquals(0, search(node.token, s, "{\"created_on_to\":\"2001-01-01\"}").path("total").asLong());
    String created = calls.values().iterator().next().path("call").path("created_on").asText();
    assertTrue(search(node.token, s, "{\"created_on_from\":\"" + created + "\",\"state\":\"offline\","
        + "\"direction\":\"in\"}").path("total").asLong() >= 3);

    String mine = "{\"from\":\"*55501*\",\"state\":\"offline\",\"order\":{\"from\":\"ASC\"}}";
    JsonNode asc = search(node.token, s, mine);
    assertEquals(3, asc.path("total").asLong(), asc.toString());
    List<String> froms = new ArrayList<>();
    for (JsonNode c : asc.path("data")) froms.add(c.path("from").asText());
    assertEquals(List.of("+12015550101", "+12015550102", "+13035550103"), froms);
    assertEquals("ASC", asc.path("order").path("from").asText());

    JsonNode second = search(node.token, s + "?take=1&skip=1",
        "{\"from\":\"*55501*\",\"state\":\"offline\",\"order\":{\"from\":\"DESC\"}}");
    assertEquals(1, second.path("take").asInt());
    assertEquals(1, second.path("skip").asInt());
    assertEquals(3, second.path("total").asLong());
    assertEquals(1, second.path("data").size());
    assertEquals("+12015550102", second.path("data").get(0).path("from").asText());
    JsonNode bodyPaging = search(node.token, s, "{\"from\":\"*55501*\",\"state\":\"offline\",\"take\":2,\"skip\":2,"
        + "\"order\":{\"from\":\"ASC\"}}");
    assertEquals(1, bodyPaging.path("data").size(), bodyPaging.toString());
    assertEquals("+13035550103", bodyPaging.path("data").get(0).path("from").asText());

    JsonNode byCreated = search(node.token, s, "{\"from\":\"*55501*\",\"state\":\"offline\"}");
    assertEquals("DESC", byCreated.path("order").path("created_on").asText(), "newest first by default");
    List<String> newestFirst = new ArrayList<>(calls.keySet().stream().limit(3).toList());
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, uuids(byCreated));
  }

  @Test
  void anotherAccountSeesNoneOfTheCallsAndCannotReadTheAppsLog() throws Exception {
    allThree();
    JsonNode theirs = search(customer, "/rest/sip/app/call/search", "{}");
    assertEquals(0, theirs.path("total").asLong(), theirs.toString());
    assertEquals(0, search(customer, "/rest/call/search", "{\"sip_control_app\":\"" + appA + "\"}").path("total").asLong());
    node.callAs(customer, "POST", "/rest/sip/app/" + appA + "/logs", "{}", 404);
    node.callAs(customer, "POST", "/rest/sip/app/not-a-uuid/logs", "{}", 404);
  }

  @Test
  void theCallFlowLogListsTheExecutedVerbsInOrder() throws Exception {
    String id = calls.keySet().iterator().next();
    List<String> expected = new ArrayList<>();
    for (JsonNode t : calls.get(id).path("trace")) {
      if ("call_flow".equals(t.path("type").asText())) {
        expected.add(t.path("path").asText() + " " + t.path("phase").asText() + " " + t.path("success").asBoolean());
      }
    }
    assertTrue(expected.size() >= 5, "the trace has the flow's steps: " + expected);
    String body = "{\"call\":\"" + id + "\",\"take\":100}";
    JsonNode page = await("/rest/sip/app/" + appA + "/logs", body, p -> p.path("total").asInt() == expected.size());
    List<String> got = new ArrayList<>();
    for (JsonNode step : page.path("data")) {
      got.add(step.path("path").asText() + " " + step.path("phase").asText() + " " + step.path("success").asBoolean());
      assertEquals(id, step.path("call").asText());
      assertEquals(appA, step.path("sip_control_app").asText());
      assertEquals(step.path("name").asText(), step.path("command").path("name").asText());
    }
    assertEquals(expected, got);
    assertEquals("Answer[0]", got.get(0).split(" ")[0]);

    // the other call's steps may be written a moment later (another slice of the projection)
    JsonNode says = await("/rest/sip/app/" + appA + "/logs?take=100",
        "{\"name\":\"say\",\"phase\":\"finished\",\"success\":true}", p -> p.path("total").asLong() >= 2);
    assertEquals(2, says.path("total").asLong(), "one finished Say for each of the app's two calls: " + says);
    assertEquals(0, search(node.token, "/rest/sip/app/" + appA + "/logs",
        "{\"call\":\"" + id + "\",\"success\":false}").path("total").asLong());
    JsonNode bOnly = await("/rest/sip/app/" + appB + "/logs?take=100", "{}", p -> p.path("total").asLong() > 0);
    for (JsonNode step : bOnly.path("data")) assertEquals(appB, step.path("sip_control_app").asText());
    assertFalse(uuids(bOnly).isEmpty());
  }

  @Test
  void eachBadFilterOrOrderFieldIsA400NamingIt() throws Exception {
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("{\"tn\":\"12a*\"}", "tn");
    calls.put("{\"from\":\"12'; drop\"}", "from");
    calls.put("{\"to\":\"a b\"}", "to");
    calls.put("{\"state\":\"live\"}", "state");
    calls.put("{\"sip_control_app\":\"nope\"}", "sip_control_app");
    calls.put("{\"direction\":\"sideways\"}", "direction");
    calls.put("{\"created_on_from\":\"yesterday\"}", "created_on_from");
    calls.put("{\"created_on_to\":\"2024-13-45\"}", "created_on_to");
    calls.put("{\"modified_on_from\":\"x\"}", "modified_on_from");
    calls.put("{\"mode\":\"XOR\"}", "mode");
    calls.put("{\"take\":0}", "take");
    calls.put("{\"skip\":-1}", "skip");
    calls.put("{\"take\":\"many\"}", "take");
    calls.put("{\"order\":{\"duration\":\"ASC\"}}", "order.duration");
    calls.put("{\"order\":{\"from\":\"UP\"}}", "order.from");
    calls.put("{\"order\":\"created_on\"}", "order");
    for (var e : calls.entrySet()) {
      for (String path : List.of("/rest/sip/app/call/search", "/rest/call/search")) {
        JsonNode err = node.call("POST", path, e.getKey(), 400);
        assertTrue(err.path("fields").has(e.getValue()), path + " " + e.getKey() + " -> " + err);
      }
    }
    JsonNode q = node.call("POST", "/rest/call/search?take=5000", "{}", 400);
    assertTrue(q.path("fields").has("query.take"), q.toString());

    Map<String, String> logs = new LinkedHashMap<>();
    logs.put("{\"call\":\"x\"}", "call");
    logs.put("{\"command\":\"Say[0]\"}", "command");
    logs.put("{\"name\":\"<Say>\"}", "name");
    logs.put("{\"success\":\"maybe\"}", "success");
    logs.put("{\"phase\":\"done\"}", "phase");
    logs.put("{\"created_on_from\":\"2024-02-20T16:41\"}", "created_on_from");
    logs.put("{\"created_on_from\":\"2024-02-21\",\"created_on_to\":\"2024-02-20\"}", "created_on_to");
    logs.put("{\"order\":{\"path\":\"ASC\"}}", "order.path");
    logs.put("{\"tn\":\"x\"}", "tn");
    for (var e : logs.entrySet()) {
      JsonNode err = node.call("POST", "/rest/sip/app/" + appA + "/logs", e.getKey(), 400);
      assertTrue(err.path("fields").has(e.getValue()), e.getKey() + " -> " + err);
    }
  }
}
