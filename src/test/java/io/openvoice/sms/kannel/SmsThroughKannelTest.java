package io.openvoice.sms.kannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.events.WsClient;
import io.openvoice.node.TestNode;
import io.openvoice.webhook.WebhookSignature;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SMS end to end through a real node with {@code openvoice.sms.gateway = "kannel"} and a real Kannel (bearerbox,
 * smsbox and the fake SMSC, started by ops/kannel/start.sh on free loopback ports, calling the node back with the
 * token): sending (GSM and UCS-2) reaches the fake SMSC and its delivery reports come back to the message, its
 * webhooks and the WebSocket; a message from the network reaches the number's profile as a signed webhook and an
 * event, kept once; with Kannel down a message fails after exactly max-attempts attempts and nothing goes out, and
 * when Kannel comes back before the attempts run out the message goes out once. The last two tests stop Kannel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmsThroughKannelTest {
  private static final String TOKEN = "through-kannel-" + UUID.randomUUID();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int MAX_ATTEMPTS = 5;
  private static final String OURS = "12025550140";

  record Hit(String path, String signature, String body) {
    JsonNode json() throws Exception {
      return TestNode.M.readTree(body);
    }
  }

  private static final List<Hit> hits = new CopyOnWriteArrayList<>();
  private static HttpServer hookServer;
  private static ExecutorService hookThreads;
  private static KannelProcess kannel;
  private static TestNode node;
  private static String platformUrl;
  private static String hooks;
  private static String secret;
  private static String profile;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(KannelProcess.installed(),
        "Kannel is not installed (bearerbox, smsbox, fakesmsc): run ops/setup.sh (Debian kannel, kannel-extras)");
    hookThreads = Executors.newFixedThreadPool(2);
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext("/", ex -> {
      hits.add(new Hit(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst(WebhookSignature.HEADER),
          new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hookServer.setExecutor(hookThreads);
    hookServer.start();
    hooks = "http://127.0.0.1:" + hookServer.getAddress().getPort();

    kannel = new KannelProcess(TOKEN);
    int httpPort = KannelProcess.freePorts(1)[0];
    platformUrl = "http://127.0.0.1:" + httpPort;
    node = TestNode.start(Files.createTempDirectory("openvoice-sms-kannel"), """
        openvoice.http.port = %d
        openvoice.sms.gateway = "kannel"
        openvoice.sms.kannel {
          sendsms-url = "%s"
          username = "%s"
          password = "%s"
          dlr-base-url = "%s"
          callback-token = "%s"
          connect-timeout = 1s
          request-timeout = 5s
        }
        openvoice.sms.max-attempts = %d
        openvoice.sms.backoff { initial = 1s, max = 4s, jitter = 0 }
        openvoice.webhooks.backoff { initial = 50ms, max = 200ms, jitter = 0 }
        """.formatted(httpPort, kannel.sendsmsUrl(), kannel.username, kannel.password, platformUrl, TOKEN,
        MAX_ATTEMPTS));
    kannel.start(platformUrl);

    secret = node.call("GET", "/rest/account/webhook/secret", null, 200).path("payload").path("secret").asText();
    node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + OURS + ",\"features\":[\"voice\"]}]}", 201);
    profile = node.call("POST", "/rest/profile/messaging", "{\"name\":\"kannel\",\"callback_url\":\"" + hooks
        + "/k\"}", 201).path("payload").path("uuid").asText();
    node.call("POST", "/rest/lease/tn/" + OURS + "/subscription/sms", "{\"messaging_profile\":\"" + profile + "\"}", 200);
    node.call("POST", "/rest/event/subscription", "{\"type\":\"sms\"}", 201);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kannel != null) kannel.close();
    } finally {
      try {
        if (node != null) node.close();
      } finally {
        if (hookServer != null) hookServer.stop(0);
        if (hookThreads != null) hookThreads.shutdownNow();
      }
    }
  }

  private static String diagnostics() {
    return "\n--- fakesmsc.log\n" + kannel.log("fakesmsc.log") + "\n--- smsbox.log\n" + kannel.log("smsbox.log");
  }

  private static JsonNode send(String to, String text) throws Exception {
    return node.call("POST", "/rest/sms", TestNode.M.createObjectNode().put("from", OURS).put("to", to)
        .put("message", text).toString(), 200).path("payload");
  }

  private static JsonNode awaitGet(String path, Predicate<JsonNode> p) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = node.call("GET", path, null, 200).path("payload");
      if (p.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(path + " not as expected within " + WAIT + "; last " + last + diagnostics());
  }

  private static Hit awaitHit(Predicate<JsonNode> p) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      for (Hit h : hits) if (h.path().equals("/k") && p.test(h.json().path("payload"))) return h;
      Thread.sleep(50);
    }
    throw new AssertionError("no webhook as expected; got " + hits + diagnostics());
  }

  private static void assertSigned(Hit h) {
    assertTrue(WebhookSignature.verify(h.signature(), secret, h.body(), Instant.now().getEpochSecond(), 300),
        "signed with the account's secret: " + h.signature());
  }

  private static List<Hit> hitsOf(String uuid) throws Exception {
    List<Hit> out = new java.util.ArrayList<>();
    for (Hit h : hits) if (h.path().equals("/k") && uuid.equals(h.json().path("payload").path("uuid").asText())) out.add(h);
    return out;
  }

  /** How many messages the fake SMSC received to {@code to} (the whole log of the current Kannel run). */
  private static long deliveredTo(String to) throws Exception {
    return kannel.delivered().stream().filter(d -> d.to().equals(to)).count();
  }

  /** Sent, delivered: at the fake SMSC, then on the message, its webhooks and the WebSocket. */
  private static void sendsAndIsDelivered(WsClient ws, String to, String text, String type, String encoding)
      throws Exception {
    JsonNode created = send("+" + to, text);
    String out = created.path("uuid").asText();
    assertEquals(encoding, created.path("encoding").asText(), created.toString());

    KannelProcess.Delivered d = kannel.awaitDelivered(to, x -> x.text().equals(text), WAIT)
        .orElseThrow(() -> new AssertionError("the fake SMSC did not get " + text + diagnostics()));
    assertEquals(OURS, d.from());
    assertEquals(type, d.type(), d.toString());

    JsonNode m = awaitGet("/rest/sms/outbound/" + out, j -> j.path("delivered").asBoolean());
    assertEquals("sent", m.path("state").asText(), m.toString());
    assertEquals("kannel", m.path("gateway").asText());
    assertEquals(1, m.path("attempts").asInt());
    assertEquals(1, deliveredTo(to), "sent once" + diagnostics());

    Hit sent = awaitHit(p -> out.equals(p.path("uuid").asText()) && "sent".equals(p.path("state").asText()));
    Hit delivered = awaitHit(p -> out.equals(p.path("uuid").asText()) && p.path("delivered").asBoolean());
    assertSigned(sent);
    assertSigned(delivered);
    assertEquals("delivered", delivered.json().path("event").asText());
    assertEquals(text, delivered.json().path("payload").path("message").asText());

    List<JsonNode> events = ws.until(e -> "sms".equals(e.path("type").asText())
        && out.equals(e.path("payload").path("uuid").asText()) && e.path("payload").path("delivered").asBoolean(), WAIT);
    assertTrue(events.stream().anyMatch(e -> out.equals(e.path("payload").path("uuid").asText())
        && "sent".equals(e.path("event").asText())), "a sent event before the delivered one: " + events);
    System.out.printf("[kannel e2e] %s %s: fakesmsc got <%s %s %s>, message %s attempts=%d delivered=%s, webhooks %s%n",
        encoding, out, d.from(), d.to(), d.type(), m.path("state").asText(), m.path("attempts").asInt(),
        m.path("delivered").asBoolean(), hitsOf(out).stream().map(h -> {
          try {
            return h.json().path("event").asText();
          } catch (Exception e) {
            return "?";
          }
        }).toList());
  }

  @Test
  @Order(1)
  void aGsmAndAUcs2MessageGoThroughKannelAndTheirDeliveryReportsComeBack() throws Exception {
    try (WsClient ws = WsClient.connect(node)) {
      ws.send("{\"type\":\"auth\",\"payload\":\"" + node.token + "\"}");
      assertEquals("auth", ws.next(Duration.ofSeconds(10)).path("type").asText());
      sendsAndIsDelivered(ws, "12125550141", "Hello through Kannel: 5 € @ 10:00, ok?", "text", "GSM-7");
      sendsAndIsDelivered(ws, "12125550142", "Привет ✓ 你好", "ucs-2", "UCS-2");
    }
  }

  @Test
  @Order(2)
  void aMessageFromTheNetworkReachesTheProfilesWebhookAndTheWebSocketOnce() throws Exception {
    String text = "Hi from the network & 100% real";
    try (WsClient ws = WsClient.connect(node)) {
      ws.send("{\"type\":\"auth\",\"payload\":\"" + node.token + "\"}");
      assertEquals("auth", ws.next(Duration.ofSeconds(10)).path("type").asText());
      kannel.inject("+12125550143 +" + OURS + " text " + text);

      Hit in = awaitHit(p -> "smsi".equals(p.path("type").asText()) && text.equals(p.path("message").asText()));
      assertSigned(in);
      JsonNode payload = in.json().path("payload");
      assertEquals("received", in.json().path("event").asText());
      assertEquals("12125550143", payload.path("from").asText());
      assertEquals(profile, payload.path("messaging_profile").path("uuid").asText());
      String id = payload.path("uuid").asText();
      List<JsonNode> events = ws.until(e -> "sms".equals(e.path("type").asText())
          && id.equals(e.path("payload").path("uuid").asText()), WAIT);
      assertEquals("smsi", events.get(events.size() - 1).path("payload").path("type").asText());

      JsonNode kept = node.call("GET", "/rest/sms/inbound/" + id, null, 200).path("payload");
      assertEquals("success", kept.path("state").asText(), kept.toString());
      assertEquals("kannel", kept.path("gateway").asText());
      assertEquals(text, kept.path("message").asText());

      // Kannel calls again with the same %I when a call fails (http-request-retry): replay its call twice
      String kannelId = kept.path("reference_id").asText();
      assertFalse(kannelId.isBlank(), "Kannel's id of the message is kept: " + kept);
      String replay = "/gateway/kannel/inbound?from=%2B12125550143&to=%2B" + OURS + "&text="
          + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&coding=0&charset=UTF-8&id=" + kannelId + "&token=" + TOKEN;
      for (int i = 0; i < 2; i++) assertEquals(200, node.send(null, "GET", replay, null, null).statusCode());

      awaitSearchTotal(text, 1);
      Thread.sleep(1500); // let a duplicate, if any, reach the log and the webhook queue
      awaitSearchTotal(text, 1);
      assertEquals(1, hitsOf(id).size(), "one webhook for the message: " + hitsOf(id));
      System.out.printf("[kannel e2e] inbound %s (Kannel id %s): one webhook, one row in the SMS log%n", id, kannelId);
    }
  }

  private static void awaitSearchTotal(String text, int total) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = node.call("POST", "/rest/sms/search/inbound", TestNode.M.createObjectNode().put("message", text).toString(),
          200).path("payload");
      if (last.path("total").asInt() == total) return;
      Thread.sleep(100);
    }
    throw new AssertionError("SMS log search for '" + text + "': expected " + total + ", got " + last);
  }

  @Test
  @Order(3)
  void withKannelDownAMessageFailsAfterExactlyMaxAttemptsAndNothingGoesOut() throws Exception {
    kannel.close();
    String to = "12125550145";
    long before = deliveredTo(to);
    JsonNode created = send("+" + to, "nobody will get this");
    String out = created.path("uuid").asText();
    JsonNode m = awaitGet("/rest/sms/outbound/" + out, j -> "failed".equals(j.path("state").asText()));
    assertEquals("gateway_unreachable", m.path("reason").asText(), m.toString());
    assertEquals(MAX_ATTEMPTS, m.path("attempts").asInt(), m.toString());
    assertFalse(m.path("delivered").asBoolean());
    Hit failed = awaitHit(p -> out.equals(p.path("uuid").asText()) && "failed".equals(p.path("state").asText()));
    assertSigned(failed);
    assertEquals("failed", failed.json().path("event").asText());
    assertEquals(0, before);
    assertEquals(0, deliveredTo(to), "nothing reached the fake SMSC" + diagnostics());
    System.out.printf("[kannel e2e] Kannel down: %s failed, reason %s, attempts %d, fakesmsc got %d%n", out,
        m.path("reason").asText(), m.path("attempts").asInt(), deliveredTo(to));
  }

  @Test
  @Order(4)
  void kannelBackBeforeTheAttemptsRunOutDeliversTheMessageOnce() throws Exception {
    String to = "12125550146";
    JsonNode created = send("+" + to, "after the outage");
    String out = created.path("uuid").asText();
    JsonNode refused = awaitGet("/rest/sms/outbound/" + out, j -> j.path("attempts").asInt() >= 1
        && "gateway_unreachable".equals(j.path("reason").asText()));
    assertEquals("sending", refused.path("state").asText(), refused.toString());
    kannel.start(platformUrl);

    JsonNode m = awaitGet("/rest/sms/outbound/" + out, j -> j.path("delivered").asBoolean());
    assertEquals("sent", m.path("state").asText(), m.toString());
    int attempts = m.path("attempts").asInt();
    assertTrue(attempts >= 2 && attempts <= MAX_ATTEMPTS, "attempts: " + m);
    Thread.sleep(2000); // a duplicate would show by now
    assertEquals(1, deliveredTo(to), "delivered exactly once" + diagnostics());
    assertEquals(0, deliveredTo("12125550145"), "the message that failed while Kannel was down never goes out");
    System.out.printf("[kannel e2e] Kannel restarted: %s delivered after %d attempts, fakesmsc got it %d time(s)%n",
        out, attempts, deliveredTo(to));
  }
}
