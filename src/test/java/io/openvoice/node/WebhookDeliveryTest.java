package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.events.PlatformEvent;
import io.openvoice.webhook.WebhookSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * App event webhooks end to end: a real node, simulated calls, and a real local HTTP server as the app's webhook
 * (answering per path: /flaky fails each event's first two attempts with 500, /ok and /fallback answer 200,
 * /down always 500, /bad always 400). Backoff is short here (config below); nothing asserts wall-clock timing.
 */
class WebhookDeliveryTest {
  static final String FLOW = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";
  static final int MAX_ATTEMPTS = 3;

  record Hit(String method, String path, String rawQuery, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    String eventId() {
      return header(WebhookSignature.EVENT_ID_HEADER);
    }

    Map<String, String> query() {
      Map<String, String> m = new LinkedHashMap<>();
      if (rawQuery == null) return m;
      for (String kv : rawQuery.split("&")) {
        int eq = kv.indexOf('=');
        m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return m;
    }

    JsonNode json() throws IOException {
      return TestNode.M.readTree(body);
    }
  }

  static TestNode node;
  static HttpServer server;
  static String base;
  static final List<Hit> hits = new CopyOnWriteArrayList<>();
  static final Map<String, Integer> attemptsPerEvent = new ConcurrentHashMap<>();
  static final List<PlatformEvent> bus = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/flaky", ex -> {
      Hit h = record(ex);
      int n = attemptsPerEvent.merge(h.eventId(), 1, Integer::sum);
      respond(ex, n <= 2 ? 500 : 200);
    });
    server.createContext("/ok", ex -> respond(exAfter(ex), 200));
    server.createContext("/fallback", ex -> respond(exAfter(ex), 200));
    server.createContext("/down", ex -> respond(exAfter(ex), 500));
    server.createContext("/bad", ex -> respond(exAfter(ex), 400));
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    node = TestNode.start(Files.createTempDirectory("openvoice-webhook-test"), """
        openvoice.webhooks {
          max-attempts = %d
          backoff { initial = 50ms, max = 200ms, jitter = 0.2 }
        }
        """.formatted(MAX_ATTEMPTS));
    var collector = node.node.system().systemActorOf(Behaviors.<PlatformEvent>receiveMessage(e -> {
      bus.add(e);
      return Behaviors.same();
    }), "webhook-test-bus", Props.empty());
    node.node.platform().bus.subscribe(collector);
    Thread.sleep(500); // the topic registers a subscriber asynchronously
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (server != null) server.stop(0);
  }

  static Hit record(HttpExchange ex) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    Hit h = new Hit(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers,
        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    hits.add(h);
    return h;
  }

  static HttpExchange exAfter(HttpExchange ex) throws IOException {
    record(ex);
    return ex;
  }

  static void respond(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  static List<Hit> on(String path) {
    return hits.stream().filter(h -> h.path().equals(path)).toList();
  }

  /** Polls until a request on {@code path} satisfies {@code p}; fails after {@code max}. */
  static void await(String path, Predicate<Hit> p, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      for (Hit h : on(path)) {
        if (p.test(h)) return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no request on " + path + " as expected within " + max + "; got " + on(path).size()
        + " request(s) for events " + on(path).stream().map(Hit::eventId).toList());
  }

  static boolean isDestroyed(Hit h) {
    try {
      if ("GET".equals(h.method())) return "destroyed".equals(h.query().get("state"));
      return "destroyed".equals(h.json().path("payload").path("state").asText());
    } catch (IOException e) {
      return false;
    }
  }

  /** An app with the hosted FLOW and these webhook settings (JSON fields); returns its uuid. */
  static String app(String webhookFields) throws Exception {
    String app = node.hostedApp("hooks-" + UUID.randomUUID(), FLOW);
    node.call("PATCH", "/rest/sip/app/" + app, "{" + webhookFields + "}", 200);
    return app;
  }

  static JsonNode simulate(String app) throws Exception {
    return node.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"12025550100\",\"realtime\":false,\"wait\":true}", 200).path("payload");
  }

  static String secret() throws Exception {
    return node.call("GET", "/rest/account/webhook/secret", null, 200).path("payload").path("secret").asText();
  }

  /**
   * Polls until {@code path} has had a request for every event the call published on the bus (the bus collector
   * may see the call's last events a moment before or after the webhook does); fails after {@code max}.
   */
  static void awaitAllEvents(String path, String callId, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      List<String> sent = busEventIds(callId);
      if (!sent.isEmpty() && on(path).stream().map(Hit::eventId).distinct().count() >= sent.size()
          && on(path).stream().anyMatch(WebhookDeliveryTest::isDestroyed)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not every event of call " + callId + " reached " + path + " within " + max
        + ": bus " + busTypes(callId) + ", webhook " + on(path).stream().map(Hit::eventId).toList());
  }

  static List<String> busTypes(String callId) {
    return bus.stream().filter(e -> callId.equals(e.refId())).map(e -> e.uuid() + ":" + e.type()).toList();
  }

  static List<String> busEventIds(String callId) {
    return bus.stream().filter(e -> callId.equals(e.refId())).map(PlatformEvent::uuid).toList();
  }

  @Test
  void anEventRefusedTwiceWith500ArrivesOnTheThirdAttemptSignedWithTheAccountSecretWhileTheCallRunsNormally()
      throws Exception {
    String path = "/flaky/" + UUID.randomUUID();
    String app = app("\"webhook_url\":\"" + base + path + "\",\"webhook_method\":\"POST\"");
    JsonNode sim = simulate(app);
    // the call itself: undisturbed by its failing webhook
    assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    assertEquals("NORMAL_CLEARING", sim.path("q850_cause_string").asText(), sim.toString());
    List<String> said = new ArrayList<>();
    sim.path("trace").forEach(t -> {
      if ("call_flow".equals(t.path("type").asText()) && "finished".equals(t.path("phase").asText())) {
        said.add(t.path("command").asText() + ":" + t.path("success").asBoolean());
      }
    });
    assertEquals(List.of("Answer:true", "Say:true", "Hangup:true"), said, sim.toString());

    // the destroyed event accepted (its third attempt): every earlier event of the call is done by then
    await(path, h -> isDestroyed(h) && attemptsPerEvent.getOrDefault(h.eventId(), 0) >= 3, Duration.ofSeconds(30));
    String callId = sim.path("call").path("uuid").asText();
    Instant deadline = Instant.now().plusSeconds(10);
    while (!busEventIds(callId).stream().allMatch(id -> attemptsPerEvent.getOrDefault(id, 0) >= 3)
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    String secret = secret();
    List<Hit> got = on(path);
    Map<String, List<Hit>> byEvent = new LinkedHashMap<>();
    for (Hit h : got) byEvent.computeIfAbsent(h.eventId(), k -> new ArrayList<>()).add(h);
    assertEquals(busEventIds(callId), List.copyOf(byEvent.keySet()), "every event of the call, in order");
    for (var e : byEvent.entrySet()) {
      List<Hit> attempts = e.getValue();
      assertEquals(3, attempts.size(), "event " + e.getKey() + ": two 500s, then accepted");
      for (Hit h : attempts) {
        assertEquals("POST", h.method());
        assertTrue(h.header("Content-Type").startsWith("application/json"), h.header("Content-Type"));
        assertEquals(e.getKey(), h.header("Idempotency-Key"));
        assertEquals(e.getKey(), h.json().path("uuid").asText(), "the body is the event");
        assertTrue(WebhookSignature.verify(h.header(WebhookSignature.HEADER), secret, h.body(),
            Instant.now().getEpochSecond(), 300), "signature of " + h);
        assertFalse(WebhookSignature.verify(h.header(WebhookSignature.HEADER), secret + "x", h.body(),
            Instant.now().getEpochSecond(), 300));
      }
      assertEquals(attempts.get(0).body(), attempts.get(2).body(), "a retry sends the same event");
    }
  }

  @Test
  void eventsOfOneCallArriveInOrderFromInitToDestroyedEachOnceWhenTheServerAnswers200() throws Exception {
    String path = "/ok/" + UUID.randomUUID();
    String app = app("\"webhook_url\":\"" + base + path + "\"");
    JsonNode sim = simulate(app);
    String callId = sim.path("call").path("uuid").asText();
    awaitAllEvents(path, callId, Duration.ofSeconds(20));
    List<Hit> got = on(path);
    List<String> ids = got.stream().map(Hit::eventId).toList();
    assertEquals(busEventIds(callId), ids, "each event once, in the order the call published them");
    List<String> states = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Hit h : got) {
      JsonNode j = h.json();
      types.add(j.path("type").asText());
      assertEquals(callId, j.path("ref_id").asText());
      if ("call_state".equals(j.path("type").asText())) states.add(j.path("payload").path("state").asText());
    }
    assertEquals("init", states.get(0), states.toString());
    assertEquals("destroyed", states.get(states.size() - 1), states.toString());
    assertTrue(states.contains("live") && states.indexOf("live") < states.indexOf("hangup"), states.toString());
    assertTrue(types.contains("call_flow"), "call_flow events too: " + types);
  }

  @Test
  void getWebhooksCarryStateFromAndToInTheQueryAndSignTheQueryString() throws Exception {
    String path = "/ok/" + UUID.randomUUID();
    String app = app("\"webhook_url\":\"" + base + path + "\",\"webhook_method\":\"GET\"");
    JsonNode sim = simulate(app);
    String callId = sim.path("call").path("uuid").asText();
    awaitAllEvents(path, callId, Duration.ofSeconds(20));
    String secret = secret();
    List<Hit> got = on(path);
    assertEquals(busEventIds(callId), got.stream().map(Hit::eventId).toList(), "each event once, in order");
    List<String> states = new ArrayList<>();
    for (Hit h : got) {
      assertEquals("GET", h.method());
      assertEquals("", h.body());
      Map<String, String> q = h.query();
      assertEquals("+12015550123", q.get("from"), h.rawQuery());
      assertEquals("12025550100", q.get("to"), h.rawQuery());
      assertEquals(callId, q.get("call"));
      assertEquals(h.eventId(), q.get("event"));
      assertTrue(q.get("type").equals("call_state") || q.get("type").equals("call_flow"), q.toString());
      assertTrue(WebhookSignature.verify(h.header(WebhookSignature.HEADER), secret, h.rawQuery(),
          Instant.now().getEpochSecond(), 300), "GET signs its query string: " + h);
      if ("call_state".equals(q.get("type"))) states.add(q.get("state"));
    }
    assertEquals("init", states.get(0));
    assertEquals("destroyed", states.get(states.size() - 1));
  }

  @Test
  void whenEveryAttemptFailsTheFallbackUrlGetsTheEvent() throws Exception {
    String id = UUID.randomUUID().toString();
    String app = app("\"webhook_url\":\"" + base + "/down/" + id + "\",\"webhook_fallback_url\":\"" + base
        + "/fallback/" + id + "\"");
    assertEquals(base + "/fallback/" + id,
        node.call("GET", "/rest/sip/app/" + app, null, 200).path("payload").path("webhook_fallback_url").asText());
    JsonNode sim = simulate(app);
    String callId = sim.path("call").path("uuid").asText();
    awaitAllEvents("/fallback/" + id, callId, Duration.ofSeconds(60));
    List<String> ids = busEventIds(callId);
    assertEquals(ids, on("/fallback/" + id).stream().map(Hit::eventId).toList(), "every event, once, in order");
    for (String ev : ids) {
      long tries = on("/down/" + id).stream().filter(h -> ev.equals(h.eventId())).count();
      assertEquals(MAX_ATTEMPTS, tries, "max-attempts on webhook_url before the fallback, event " + ev);
    }
  }

  @Test
  void a400IsNotRetried() throws Exception {
    String path = "/bad/" + UUID.randomUUID();
    String app = app("\"webhook_url\":\"" + base + path + "\"");
    long failedBefore = node.node.platform().webhookStats.failed.get();
    JsonNode sim = simulate(app);
    String callId = sim.path("call").path("uuid").asText();
    awaitAllEvents(path, callId, Duration.ofSeconds(20));
    List<String> ids = busEventIds(callId);
    // the destroyed event came after every earlier event was given up; wait until it is given up too
    Instant deadline = Instant.now().plusSeconds(10);
    while (node.node.platform().webhookStats.failed.get() - failedBefore < ids.size() && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertEquals(ids.size(), node.node.platform().webhookStats.failed.get() - failedBefore, "each event given up");
    assertEquals(ids, on(path).stream().map(Hit::eventId).toList(), "one attempt per event, no retry");
  }

  @Test
  void theSigningSecretIsStableUntilRotated() throws Exception {
    String s1 = secret();
    assertEquals(64, s1.length(), s1);
    assertEquals(s1, secret());
    String s2 = node.call("POST", "/rest/account/webhook/secret", null, 200).path("payload").path("secret").asText();
    assertNotEquals(s1, s2);
    assertEquals(s2, secret());
  }

  @Test
  void theTestEndpointReportsTheRemoteStatusAndRefusedOrUnreachableUrlsAsStatusZero() throws Exception {
    String path = "/ok/" + UUID.randomUUID();
    JsonNode ok = node.call("POST", "/rest/event/webhook/test", "{\"url\":\"" + base + path + "\"}", 200).path("payload");
    assertEquals(200, ok.path("status").asInt(), ok.toString());
    assertEquals("POST", ok.path("method").asText());
    assertTrue(ok.path("error").isNull(), ok.toString());
    assertTrue(ok.has("duration_ms"), ok.toString());
    Hit h = on(path).get(0);
    assertEquals("call_state", h.json().path("type").asText());
    assertTrue(WebhookSignature.verify(h.header(WebhookSignature.HEADER), secret(), h.body(),
        Instant.now().getEpochSecond(), 300));

    JsonNode get = node.call("POST", "/rest/event/webhook/test",
        "{\"url\":\"" + base + "/bad/x\",\"method\":\"get\"}", 200).path("payload");
    assertEquals(400, get.path("status").asInt(), get.toString());
    assertEquals("GET", get.path("method").asText());
    assertEquals("live", on("/bad/x").get(0).query().get("state"));

    JsonNode refused = node.call("POST", "/rest/event/webhook/test",
        "{\"url\":\"http://169.254.169.254/latest/meta-data\"}", 200).path("payload");
    assertEquals(0, refused.path("status").asInt(), refused.toString());
    assertTrue(refused.path("error").asText().contains("REFUSED_BY_GUARD"), refused.toString());

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    JsonNode unreachable = node.call("POST", "/rest/event/webhook/test",
        "{\"url\":\"http://127.0.0.1:" + closed + "/hook\"}", 200).path("payload");
    assertEquals(0, unreachable.path("status").asInt(), unreachable.toString());
    assertFalse(unreachable.path("error").asText().isBlank(), unreachable.toString());
  }

  @Test
  void theTestEndpointAndAppFieldsRejectBadUrlsAndMethodsNamingTheField() throws Exception {
    assertTrue(node.call("POST", "/rest/event/webhook/test", "{}", 400).path("fields").has("url"));
    assertTrue(node.call("POST", "/rest/event/webhook/test", "{\"url\":\"ftp://example.com/x\"}", 400)
        .path("fields").has("url"));
    assertTrue(node.call("POST", "/rest/event/webhook/test", "{\"url\":\"" + base + "/ok\",\"method\":\"PUT\"}", 400)
        .path("fields").has("method"));
    String app = node.hostedApp("bad-fields", FLOW);
    JsonNode bad = node.call("PATCH", "/rest/sip/app/" + app, "{\"webhook_fallback_url\":\"not a url\"}", 400);
    assertTrue(bad.path("fields").has("webhook_fallback_url"), bad.toString());
    assertNull(node.call("GET", "/rest/sip/app/" + app, null, 200).path("payload").path("webhook_fallback_url")
        .textValue());
  }
}
