package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node in this JVM (H2 in memory, HTTP on a free port) driven over REST, with the app's call flow
 * fetched from a real local HTTP server.
 */
class NodeScenarioTest {
  static final String FLOW = """
      <Response>
        <Answer/>
        <Gather numDigits="1" timeout="3000">
          <Say>Press 1 for sales, 2 for support</Say>
          <DTMF value="1"><Say>Sales</Say>
            <Callback url="%s/slow" method="GET" timeout="500">
              <Error><Say>Sales is not answering</Say><Hangup/></Error>
            </Callback>
          </DTMF>
          <DTMF value="2"><Say>Support</Say><Hangup/></DTMF>
          <Default><Say>Unknown</Say></Default>
        </Gather>
        <Say>Goodbye</Say>
      </Response>
      """;

  static TestNode node;
  static HttpServer webhook;
  static final List<String> webhookQueries = new CopyOnWriteArrayList<>();
  static final List<String> postBodies = new CopyOnWriteArrayList<>();
  static final List<String> postKeys = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/flow", ex -> {
      webhookQueries.add(ex.getRequestURI().getRawQuery());
      byte[] body = FLOW.formatted(webhookBase()).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/xml");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    webhook.createContext("/slow", ex -> {
      try {
        Thread.sleep(2500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    webhook.createContext("/flow-post", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      postKeys.add(String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")));
      postBodies.add(ex.getRequestMethod() + " " + new String(in, StandardCharsets.UTF_8));
      byte[] body = "<Response><Answer/><Say>posted</Say></Response>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    webhook.createContext("/broken", ex -> {
      byte[] body = "internal error".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(500, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    webhook.createContext("/garbage", ex -> {
      byte[] body = "<Response><Answer/><Dance/></Response>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    webhook.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    webhook.start();
    node = TestNode.start(Files.createTempDirectory("openvoice-node-test"), "openvoice.call.park-timeout = 1500ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (webhook != null) webhook.stop(0);
  }

  static JsonNode call(String method, String path, String json, int expectStatus) throws Exception {
    return node.call(method, path, json, expectStatus);
  }

  @Test
  void everyStateChangeAndExecutedVerbIsPublishedOnTheEventBus() throws Exception {
    List<io.openvoice.events.PlatformEvent> seen = new CopyOnWriteArrayList<>();
    var collector = node.node.system().systemActorOf(
        org.apache.pekko.actor.typed.javadsl.Behaviors.<io.openvoice.events.PlatformEvent>receiveMessage(e -> {
          seen.add(e);
          return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
        }), "bus-collector", org.apache.pekko.actor.typed.Props.empty());
    node.node.platform().bus.subscribe(collector);
    Thread.sleep(500); // the topic registers the subscriber asynchronously

    String app = node.hostedApp("events", "<Response><Answer/><Say>hi</Say><Hangup/></Response>");
    JsonNode sim = call("POST", "/rest/sip/app/" + app + "/simulate", "{\"from\":\"+12015550123\",\"to\":\"+12025550999\"}", 200)
        .path("payload");
    String callId = sim.path("call").path("uuid").asText();
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    while (seen.stream().noneMatch(e -> callId.equals(e.refId()) && e.json().contains("\"destroyed\""))
        && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    List<JsonNode> events = new java.util.ArrayList<>();
    for (var e : seen) if (callId.equals(e.refId())) events.add(TestNode.M.readTree(e.json()));
    List<String> states = events.stream().filter(e -> "call_state".equals(e.path("type").asText()))
        .map(e -> e.path("payload").path("state").asText()).toList();
    assertEquals(List.of("init", "ringing", "live", "hangup", "destroyed"), states, events.toString());
    List<String> verbs = events.stream().filter(e -> "call_flow".equals(e.path("type").asText()))
        .map(e -> e.path("command").asText() + ":" + e.path("payload").path("command").path("phase").asText()).toList();
    assertEquals(List.of("Answer:started", "Answer:finished", "Say:started", "Say:finished", "Hangup:started",
        "Hangup:finished"), verbs, events.toString());
    JsonNode live = events.stream().filter(e -> "live".equals(e.path("payload").path("state").asText())).findFirst().orElseThrow();
    assertEquals("ACTIVE", live.path("call").path("freeswitch_call_state").asText(), live.toString());
    assertEquals("CS_EXECUTE", live.path("call").path("freeswitch_channel_state").asText(), live.toString());
    assertEquals("CallSCA in +12015550123 > +12025550999 - live", live.path("message").asText());
    for (JsonNode e : events) {
      assertEquals(callId, e.path("ref_id").asText(), e.toString());
      JsonNode callObj = "call_flow".equals(e.path("type").asText()) ? e.path("payload").path("call") : e.path("call");
      assertEquals(callId, callObj.path("uuid").asText(), "reference 6.3 puts the call at call, 6.4 at payload.call: " + e);
      assertTrue(e.path("uuid").asText().length() == 36 && e.has("created_on") && e.has("message")
          && e.path("account").has("uuid"), e.toString());
    }
  }

  @Test
  void unauthenticatedRequestsAreRefusedWith401() throws Exception {
    HttpResponse<String> r = node.send(null, "GET", "/rest/sip/app", null, null);
    assertEquals(401, r.statusCode());
    JsonNode body = TestNode.M.readTree(r.body());
    assertEquals(false, body.path("success").asBoolean());
    assertEquals(401, body.path("status").asInt());
  }

  @Test
  void fetchedFlowRunsOnAnOrderedNumberWithTheGatherBranchChosenByDigits() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", """
        {"name":"ivr","call_flow_url":"%s/flow","call_flow_method":"GET","call_flow_request_timeout":2000}
        """.formatted("http://127.0.0.1:" + webhook.getAddress().getPort()), 201).path("payload");
    String appId = app.path("uuid").asText();

    JsonNode found = call("POST", "/rest/tn/search?page=1&size=5", "{\"pattern\":\"*555*\"}", 200).path("payload");
    long tn = found.path("data").get(0).path("tn").asLong();
    JsonNode order = call("POST", "/rest/order",
        "{\"items\":[{\"tn\":" + tn + ",\"features\":[\"voice\"],\"autorenew\":true}]}", 201).path("payload");
    assertEquals(1, order.path("success").asInt(), order.toString());
    String lease = order.path("tnleases").get(0).path("uuid").asText();
    call("POST", "/rest/sip/app/" + appId + "/tnlease", "{\"add\":[\"" + lease + "\"]}", 200);

    JsonNode sim = call("POST", "/rest/sip/app/" + appId + "/simulate", """
        {"from":"+12015550123","to":"%d","actions":[{"at_ms":1000,"digits":"2"}]}
        """.formatted(tn), 200).path("payload");
    assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    String trace = sim.path("trace").toString();
    assertTrue(trace.contains("Gather[1].DTMF[2].Say[0]"), trace);
    assertTrue(trace.contains("Gather[1].DTMF[2].Hangup[1]"), trace);
    assertTrue(!trace.contains("Goodbye") && !trace.contains("Gather[1].DTMF[1].Say[0]"), trace);
    String q = webhookQueries.get(webhookQueries.size() - 1);
    assertTrue(q.contains("from=%2B12015550123") && q.contains("to=" + tn), q);
  }

  @Test
  void aCallbackWebhookThatTimesOutTakesTheErrorPath() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", """
        {"name":"ivr-error","call_flow_url":"%s/flow","call_flow_method":"GET"}
        """.formatted(webhookBase()), 201).path("payload");
    JsonNode sim = call("POST", "/rest/sip/app/" + app.path("uuid").asText() + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"+12025550999\",\"actions\":[{\"at_ms\":500,\"digits\":\"1\"}]}", 200)
        .path("payload");
    assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    assertEquals(16, sim.path("q850_cause").asInt(), "the Error block hung up normally: " + sim);
    String trace = sim.path("trace").toString();
    assertTrue(trace.contains("Gather[1].DTMF[1].Callback[1].Error[0].Say[0]"), trace);
    assertTrue(trace.contains("Gather[1].DTMF[1].Callback[1].Error[0].Hangup[1]"), trace);
    assertTrue(!trace.contains("Goodbye"), trace);
  }

  @Test
  void callFlowWebhookTimeoutEndsTheCallCleanlyWithAReason() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", """
        {"name":"slow","call_flow_url":"%s/slow","call_flow_request_timeout":500}
        """.formatted("http://127.0.0.1:" + webhook.getAddress().getPort()), 201).path("payload");
    JsonNode sim = call("POST", "/rest/sip/app/" + app.path("uuid").asText() + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"+12025550999\"}", 200).path("payload");
    assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    assertEquals(41, sim.path("q850_cause").asInt(), sim.toString());
    assertTrue(sim.path("reason").asText().toLowerCase().contains("call"), sim.toString());
  }

  @Test
  void postCallFlowWebhookReceivesTheCallAsJsonWithFromAndTo() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", """
        {"name":"post","call_flow_url":"%s/flow-post","call_flow_method":"POST"}
        """.formatted(webhookBase()), 201).path("payload");
    JsonNode sim = call("POST", "/rest/sip/app/" + app.path("uuid").asText() + "/simulate",
        "{\"from\":\"+12015550777\",\"to\":\"+12025550888\"}", 200).path("payload");
    assertTrue(sim.path("trace").toString().contains("Say[1]"), sim.toString());
    String last = postBodies.get(postBodies.size() - 1);
    assertTrue(last.startsWith("POST {"), last);
    JsonNode body = TestNode.M.readTree(last.substring(5));
    assertEquals("+12015550777", body.path("from").asText(), last);
    assertEquals("+12025550888", body.path("to").asText(), last);
    assertEquals(sim.path("call").path("uuid").asText(), body.path("uuid").asText(), last);
    assertTrue(postKeys.get(postKeys.size() - 1).startsWith(body.path("uuid").asText() + ":"),
        "a retry after failover is recognisable by its Idempotency-Key: " + postKeys);
  }

  @Test
  void callFlowWebhookErrorsAndBadXmlEndTheCallWithTheReason() throws Exception {
    for (String path : List.of("/broken", "/garbage")) {
      JsonNode app = call("POST", "/rest/sip/app",
          "{\"name\":\"bad\",\"call_flow_url\":\"" + webhookBase() + path + "\"}", 201).path("payload");
      JsonNode sim = call("POST", "/rest/sip/app/" + app.path("uuid").asText() + "/simulate",
          "{\"from\":\"+12015550123\",\"to\":\"+12025550999\"}", 200).path("payload");
      assertEquals("destroyed", sim.path("state").asText(), sim.toString());
      assertEquals(41, sim.path("q850_cause").asInt(), sim.toString());
      String reason = sim.path("reason").asText();
      assertTrue(path.equals("/broken") ? reason.contains("500") : reason.contains("Dance"), path + ": " + sim);
    }
  }

  static String webhookBase() {
    return "http://127.0.0.1:" + webhook.getAddress().getPort();
  }

  @Test
  void blacklistedAndNonWhitelistedCallersAreRefusedByTheNumber() throws Exception {
    String app = node.hostedApp("lists", "<Response><Answer/><Hangup/></Response>");
    JsonNode order = call("POST", "/rest/order", "{\"items\":[{\"tn\":19735550120}]}", 201).path("payload");
    String lease = order.path("tnleases").get(0).path("uuid").asText();
    call("POST", "/rest/sip/app/" + app + "/tnlease", "{\"add\":[\"" + lease + "\"]}", 200);
    call("POST", "/rest/profile/tn/19735550120/blacklist", "{\"add\":[\"+1201555*\"]}", 200);
    call("POST", "/rest/profile/tn/19735550120/blacklist", "{\"add\":[\"not a number\"]}", 400);
    String sim = "/rest/sip/app/" + app + "/simulate";
    JsonNode refused = call("POST", sim, "{\"from\":\"+12015550123\",\"to\":\"19735550120\"}", 200).path("payload");
    assertEquals(false, refused.path("admitted").asBoolean(), refused.toString());
    assertEquals("caller_blacklisted", refused.path("reason").asText());
    JsonNode other = call("POST", sim, "{\"from\":\"+13105550123\",\"to\":\"19735550120\"}", 200).path("payload");
    assertEquals("destroyed", other.path("state").asText(), other.toString());

    call("POST", "/rest/profile/tn/19735550120/whitelist", "{\"add\":[\"+14155550100\"]}", 200);
    JsonNode notListed = call("POST", sim, "{\"from\":\"+13105550123\",\"to\":\"19735550120\"}", 200).path("payload");
    assertEquals("caller_not_whitelisted", notListed.path("reason").asText(), notListed.toString());
    JsonNode listed = call("POST", sim, "{\"from\":\"+14155550100\",\"to\":\"19735550120\"}", 200).path("payload");
    assertEquals(true, listed.path("admitted").asBoolean(), listed.toString());
  }

  @Test
  void aParkedCallWithoutXmlEndsAfterTheParkTimeout() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", "{\"name\":\"parked\"}", 201).path("payload");
    JsonNode sim = call("POST", "/rest/sip/app/" + app.path("uuid").asText() + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"+12025550999\",\"realtime\":true,\"timeout_ms\":20000}", 200).path("payload");
    assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    assertEquals(102, sim.path("q850_cause").asInt(), "ended by the park timer, not the simulation timeout: " + sim);
  }

  @Test
  void pushedXmlReplacesTheFlowAndTheAbandonedGatherGivesBackTheCallersDigits() throws Exception {
    String app = node.hostedApp("push", """
        <Response><Answer/>
          <Gather numDigits="1" timeout="10000"><DTMF value="5"><Say>old five</Say></DTMF></Gather>
        </Response>""");
    String callId = call("POST", "/rest/sip/app/" + app + "/simulate", """
        {"from":"+12015550123","to":"+12025550999","realtime":true,"wait":false,"actions":[{"at_ms":3000,"digits":"5"}]}
        """, 201).path("payload").path("call").path("uuid").asText();
    node.awaitCall(callId, c -> c.path("trace").toString().contains("\"Gather[1]\""), java.time.Duration.ofSeconds(10));
    HttpResponse<String> pushed = node.send(node.token, "POST", "/rest/sip/app/call/" + callId, "application/xml", """
        <Response><Say>pushed</Say>
          <Gather numDigits="1" timeout="10000"><DTMF value="5"><Hangup/></DTMF></Gather>
        </Response>""");
    assertEquals(200, pushed.statusCode(), pushed.body());
    JsonNode done = node.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), java.time.Duration.ofSeconds(30));
    String trace = done.path("trace").toString();
    assertTrue(trace.contains("Gather[1].DTMF[0].Hangup[0]"), "the new Gather got the caller's 5: " + trace);
    assertTrue(!trace.contains("old five"), trace);
  }

  @Test
  void badHostedXmlIsRejectedWithLineAndColumn() throws Exception {
    JsonNode app = call("POST", "/rest/sip/app", "{\"name\":\"hosted\"}", 201).path("payload");
    HttpResponse<String> r = node.send(node.token, "POST", "/rest/sip/app/call/flow/" + app.path("uuid").asText(),
        "application/xml", "<Response>\n  <Dance/>\n</Response>");
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = TestNode.M.readTree(r.body());
    assertEquals(2, body.path("fields").path("file").path("line").asInt(), r.body());
  }

  @Test
  void appsOfUnknownUuidAre404() throws Exception {
    call("GET", "/rest/sip/app/" + java.util.UUID.randomUUID(), null, 404);
    call("POST", "/rest/sip/app", "{\"name\":\"x\",\"webhook_method\":\"PUT\"}", 400);
  }
}
