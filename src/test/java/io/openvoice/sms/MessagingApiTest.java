package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.events.WsClient;
import io.openvoice.node.TestNode;
import io.openvoice.webhook.WebhookSignature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messaging over real HTTP on a started node: profiles, enabling SMS on numbers, sending on-net (signed webhooks to
 * the receiver's profile on a local HTTP server, sms events over WebSocket), off-net through the test gateway,
 * validation errors, 405 and 406, idempotent sends, the SMS log searches, and pool sends.
 */
class MessagingApiTest {
  record Hit(String path, String signature, String body) {
    JsonNode json() throws Exception {
      return TestNode.M.readTree(body);
    }
  }

  static TestNode node;
  static HttpServer server;
  static String hooks;
  static String secret;
  static final List<Hit> hits = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String sig = ex.getRequestHeaders().getFirst(WebhookSignature.HEADER);
      hits.add(new Hit(ex.getRequestURI().getPath(), sig,
          new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    hooks = "http://127.0.0.1:" + server.getAddress().getPort();
    node = TestNode.start(Files.createTempDirectory("openvoice-sms"), """
        openvoice.sms.gateway = "test"
        openvoice.webhooks.backoff { initial = 50ms, max = 200ms, jitter = 0 }
        """);
    secret = node.call("GET", "/rest/account/webhook/secret", null, 200).path("payload").path("secret").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (server != null) server.stop(0);
  }

  static String lease(String tn) throws Exception {
    return node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + ",\"features\":[\"voice\"]}]}", 201)
        .path("payload").path("tnleases").get(0).path("uuid").asText();
  }

  static String profile(String json) throws Exception {
    return node.call("POST", "/rest/profile/messaging", json, 201).path("payload").path("uuid").asText();
  }

  static JsonNode enable(String tn, String profile) throws Exception {
    return node.call("POST", "/rest/lease/tn/" + tn + "/subscription/sms", "{\"messaging_profile\":\"" + profile + "\"}",
        200).path("payload");
  }

  static JsonNode send(String json) throws Exception {
    return node.call("POST", "/rest/sms", json, 200).path("payload");
  }

  static Hit awaitHit(String path, Predicate<JsonNode> p) throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      for (Hit h : hits) if (h.path().equals(path) && p.test(h.json())) return h;
      Thread.sleep(50);
    }
    throw new AssertionError("no webhook on " + path + " as expected; got " + hits);
  }

  static JsonNode awaitGet(String path, Predicate<JsonNode> p) throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = node.call(path.contains("search") || path.endsWith("/outbound") || path.endsWith("/inbound")
          ? "POST" : "GET", path, path.contains("search") || path.endsWith("bound") ? "{}" : null, 200).path("payload");
      if (p.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(path + " not as expected; last " + last);
  }

  /** The SMS log (fed asynchronously by its projection) searched with {@code json} until {@code p} holds. */
  static JsonNode awaitSearch(String path, String json, Predicate<JsonNode> p) throws Exception {
    Instant deadline = Instant.now().plusSeconds(15);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = node.call("POST", path, json, 200).path("payload");
      if (p.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(path + " " + json + " not as expected; last " + last);
  }

  static void assertBad(String method, String path, String json, String field) throws Exception {
    JsonNode err = node.call(method, path, json, 400);
    assertTrue(err.path("fields").has(field), json + " -> " + err);
  }

  @Test
  void aProfileIsCreatedWithDefaultsReadPatchedWithTheCallBackUrlAliasesListedAndDeleted() throws Exception {
    JsonNode p = node.call("POST", "/rest/profile/messaging", "{\"name\":\"first\",\"call_back_url\":\"" + hooks
        + "/x\"}", 201).path("payload");
    String uuid = p.path("uuid").asText();
    assertEquals(hooks + "/x", p.path("callback_url").asText(), p.toString());
    assertTrue(p.path("is_active").asBoolean());
    assertFalse(p.path("sticky_sender").asBoolean());
    assertEquals(1, p.path("long_code_weight").asInt());
    assertEquals("[\"US\",\"CA\"]", p.path("whitelisted_destinations").toString());
    JsonNode patched = node.call("PATCH", "/rest/profile/messaging/" + uuid, "{\"callback_url2\":\"" + hooks
        + "/y\",\"sticky_sender\":true,\"tollfree_weight\":3,\"whitelisted_destinations\":[\"us\",\"GB\"]}", 200).path("payload");
    assertEquals("first", patched.path("name").asText());
    assertEquals(hooks + "/y", patched.path("call_back_url2").asText());
    assertTrue(patched.path("sticky_sender").asBoolean());
    assertEquals(3, patched.path("tollfree_weight").asInt());
    assertEquals("[\"US\",\"GB\"]", patched.path("whitelisted_destinations").toString());
    assertTrue(node.call("GET", "/rest/profile/messaging", null, 200).path("payload").toString().contains(uuid));
    node.call("DELETE", "/rest/profile/messaging/" + uuid, null, 200);
    node.call("GET", "/rest/profile/messaging/" + uuid, null, 404);
    assertFalse(node.call("GET", "/rest/profile/messaging", null, 200).path("payload").toString().contains(uuid));

    assertBad("POST", "/rest/profile/messaging", "{}", "name");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"x\",\"callback_url\":\"ftp://x\"}", "callback_url");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"x\",\"call_back_url2\":\"nope\"}", "call_back_url2");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"x\",\"long_code_weight\":-1}", "long_code_weight");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"x\",\"sticky_sender\":\"yes\"}", "sticky_sender");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"x\",\"whitelisted_destinations\":[\"USA\"]}",
        "whitelisted_destinations");
  }

  @Test
  void enablingSmsPutsTheNumberOnTheProfileAndDisablingTakesItOff() throws Exception {
    String leaseUuid = lease("12025550170");
    String prof = profile("{\"name\":\"sub\",\"callback_url\":\"" + hooks + "/sub\"}");
    JsonNode sub = node.call("POST", "/rest/lease/tn/" + leaseUuid + "/subscription/sms",
        "{\"messaging_profile\":\"" + prof + "\",\"sms_campaign\":\"11111111-2222-3333-4444-555555555555\"}", 200)
        .path("payload");
    assertEquals("sms", sub.path("type").asText(), sub.toString());
    assertEquals(prof, sub.path("messaging_profile").path("uuid").asText());
    assertEquals(hooks + "/sub", sub.path("messaging_profile").path("callback_url").asText());
    assertEquals("11111111-2222-3333-4444-555555555555", sub.path("sms_campaign").path("uuid").asText());
    assertTrue(sub.path("sms_campaign").path("is_active").asBoolean());
    JsonNode lease = node.call("GET", "/rest/lease/tn/12025550170", null, 200).path("payload");
    assertEquals(prof, lease.path("messaging_profile").asText());
    assertTrue(lease.path("sms").asBoolean(), lease.toString());
    JsonNode leases = node.call("GET", "/rest/profile/messaging/" + prof + "/tnleases", null, 200).path("payload");
    assertEquals(1, leases.size());
    assertEquals(leaseUuid, leases.get(0).path("uuid").asText());

    JsonNode off = node.call("DELETE", "/rest/lease/tn/12025550170/subscription/sms", null, 200).path("payload");
    assertFalse(off.path("is_active").asBoolean(), off.toString());
    assertFalse(off.path("sms_campaign").path("is_active").asBoolean(), off.toString());
    assertEquals(0, node.call("GET", "/rest/profile/messaging/" + prof + "/tnleases", null, 200).path("payload").size());
    assertFalse(node.call("GET", "/rest/lease/tn/12025550170", null, 200).path("payload").path("sms").asBoolean());

    assertBad("POST", "/rest/lease/tn/12025550170/subscription/sms", "{}", "messaging_profile");
    assertBad("POST", "/rest/lease/tn/12025550170/subscription/sms",
        "{\"messaging_profile\":\"00000000-0000-0000-0000-000000000000\"}", "messaging_profile");
    node.call("POST", "/rest/lease/tn/12025550171/subscription/sms", "{\"messaging_profile\":\"" + prof + "\"}", 404);
  }

  @Test
  void anOnNetMessageReachesTheReceiversSignedWebhookAndTheWebSocketAndIsLogged() throws Exception {
    lease("12025550180");
    lease("12025550181");
    String pa = profile("{\"name\":\"A\",\"callback_url\":\"" + hooks + "/a\"}");
    String pb = profile("{\"name\":\"B\",\"callback_url\":\"" + hooks + "/b\"}");
    enable("12025550180", pa);
    enable("12025550181", pb);
    node.call("POST", "/rest/event/subscription", "{\"type\":\"sms\"}", 201);
    try (WsClient ws = WsClient.connect(node)) {
      ws.send("{\"type\":\"auth\",\"payload\":\"" + node.token + "\"}");
      assertEquals("auth", ws.next(Duration.ofSeconds(10)).path("type").asText());

      JsonNode sent = send("{\"from\":\"+12025550180\",\"to\":\"12025550181\",\"message\":\"hello B {ok}\"}");
      String out = sent.path("uuid").asText();
      assertEquals("created", sent.path("state").asText(), sent.toString());
      assertEquals("smso", sent.path("type").asText());
      assertEquals("GSM-7", sent.path("encoding").asText());
      assertEquals(1, sent.path("parts").asInt());
      assertEquals(SmsNumbers.thread("12025550180", "12025550181"), sent.path("thread").asText());

      Hit in = awaitHit("/b", j -> "smsi".equals(j.path("payload").path("type").asText()));
      assertTrue(WebhookSignature.verify(in.signature(), secret, in.body(), Instant.now().getEpochSecond(), 300),
          "signed with the account's secret: " + in.signature());
      JsonNode inEvent = in.json();
      assertEquals("sms", inEvent.path("type").asText());
      assertEquals("SMS: type: smsi, state: success", inEvent.path("message").asText());
      JsonNode payload = inEvent.path("payload");
      assertEquals("hello B {ok}", payload.path("message").asText());
      assertEquals("12025550180", payload.path("from").asText());
      assertEquals(pb, payload.path("messaging_profile").path("uuid").asText());
      assertEquals(hooks + "/b", payload.path("messaging_profile").path("call_back_url").asText());
      assertEquals(sent.path("thread").asText(), payload.path("thread").asText());
      String inbound = payload.path("uuid").asText();

      awaitHit("/a", j -> j.path("payload").path("delivered").asBoolean() && out.equals(j.path("payload").path("uuid").asText()));
      List<JsonNode> events = ws.until(e -> "sms".equals(e.path("type").asText())
          && e.path("payload").path("delivered").asBoolean(), Duration.ofSeconds(15));
      assertTrue(events.stream().anyMatch(e -> "smsi".equals(e.path("payload").path("type").asText())), events.toString());

      JsonNode o = awaitGet("/rest/sms/outbound/" + out, j -> j.path("delivered").asBoolean());
      assertEquals("sent", o.path("state").asText());
      assertEquals("onnet", o.path("gateway").asText());
      assertEquals(inbound, o.path("reference_id").asText(), "the receiver's message is the on-net reference");
      assertEquals("success", node.call("GET", "/rest/sms/inbound/" + inbound, null, 200).path("payload").path("state").asText());
      node.call("GET", "/rest/sms/inbound/" + out, null, 404);
      node.call("GET", "/rest/sms/outbound/" + inbound, null, 404);

      JsonNode all = awaitGet("/rest/sms/search", j -> j.path("data").toString().contains(out)
          && j.path("data").toString().contains(inbound) && j.path("data").toString().contains("\"delivered\":true"));
      assertTrue(all.path("total").asInt() >= 2, all.toString());
      JsonNode ins = awaitSearch("/rest/sms/search/inbound", "{\"from\":\"12025550180\"}",
          j -> j.path("total").asInt() == 1);
      assertEquals("smsi", ins.path("data").get(0).path("type").asText());
      JsonNode outs = awaitSearch("/rest/sms/outbound", "{\"thread\":\"" + sent.path("thread").asText() + "\"}",
          j -> j.path("total").asInt() == 1);
      assertEquals(out, outs.path("data").get(0).path("uuid").asText());
      awaitSearch("/rest/sms/search/outbound", "{\"delivered\":false,\"thread\":\"" + sent.path("thread").asText()
          + "\"}", j -> j.path("total").asInt() == 0);
    }
  }

  @Test
  void badRequestsNameTheirFieldAndBalanceAndCountryAreChecked() throws Exception {
    lease("12025550185");
    lease("12025550186");
    String prof = profile("{\"name\":\"checks\"}");
    enable("12025550185", prof);
    String ok = "\"from\":\"12025550185\",\"to\":\"12125550100\"";
    assertBad("POST", "/rest/sms", "{\"from\":\"12025550185\",\"message\":\"x\"}", "to");
    assertBad("POST", "/rest/sms", "{\"from\":\"12025550185\",\"to\":\"1x\",\"message\":\"x\"}", "to");
    assertBad("POST", "/rest/sms", "{" + ok + "}", "message");
    assertBad("POST", "/rest/sms", "{" + ok + ",\"message\":\"" + "x".repeat(919) + "\"}", "message");
    assertBad("POST", "/rest/sms", "{\"to\":\"12125550100\",\"message\":\"x\"}", "from");
    assertBad("POST", "/rest/sms", "{\"from\":\"12025550199\",\"to\":\"12125550100\",\"message\":\"x\"}", "from");
    assertBad("POST", "/rest/sms", "{\"from\":\"12025550186\",\"to\":\"12125550100\",\"message\":\"x\"}", "from");
    assertBad("POST", "/rest/sms", "{" + ok + ",\"message\":\"x\",\"custom_callback_url\":\"http://a\"}", "custom_callback_url");
    assertBad("POST", "/rest/sms", "{\"messaging_profile\":\"00000000-0000-0000-0000-000000000000\",\"to\":\"12125550100\","
        + "\"message\":\"x\"}", "messaging_profile");

    // query parameters work too; off-net goes to the configured gateway
    JsonNode q = node.call("POST", "/rest/sms?tn=12025550185&to=12125550100&message=via%20query", null, 200).path("payload");
    JsonNode offNet = awaitGet("/rest/sms/outbound/" + q.path("uuid").asText(), j -> "sent".equals(j.path("state").asText()));
    assertEquals("test", offNet.path("gateway").asText());
    assertTrue(TestSmsGatewayProvider.SUBMITTED.stream().anyMatch(s -> s.text().equals("via query")));

    JsonNode country = node.call("POST", "/rest/sms", "{\"from\":\"12025550185\",\"to\":\"+442071234567\",\"message\":\"x\"}", 406);
    assertEquals("Country Permission Violation", country.path("message").asText(), country.toString());
    assertTrue(country.path("fields").has("to"));

    String account = node.call("GET", "/rest/auth", null, 200).path("payload").path("account").path("uuid").asText();
    node.call("PATCH", "/rest/account/" + account + "/limits", "{\"sms_balance\":1}", 200);
    try {
      JsonNode poor = node.call("POST", "/rest/sms", "{" + ok + ",\"message\":\"" + "x".repeat(200) + "\"}", 405);
      assertEquals("Insufficient Balance", poor.path("message").asText(), poor.toString());
      send("{" + ok + ",\"message\":\"one part\"}");
      assertEquals(0, node.call("GET", "/rest/account/limits", null, 200).path("payload").path("sms_balance").asInt());
      node.call("POST", "/rest/sms", "{" + ok + ",\"message\":\"x\"}", 405);
      // refused with a command_id, then topped up: the same command_id is sent this time
      String keyed = "{" + ok + ",\"message\":\"after the top-up\",\"command_id\":\"topup-1\"}";
      node.call("POST", "/rest/sms", keyed, 405);
      node.call("PATCH", "/rest/account/" + account + "/limits", "{\"sms_balance_add\":2}", 200);
      assertEquals("created", send(keyed).path("state").asText());
      assertEquals(1, node.call("GET", "/rest/account/limits", null, 200).path("payload").path("sms_balance").asInt());
      // a change of another limit leaves the balance alone (it is not read and written back)
      node.call("PATCH", "/rest/account/" + account + "/limits", "{\"cps_limit\":50}", 200);
      assertEquals(1, node.call("GET", "/rest/account/limits", null, 200).path("payload").path("sms_balance").asInt());
      JsonNode both = node.call("PATCH", "/rest/account/" + account + "/limits",
          "{\"sms_balance\":5,\"sms_balance_add\":1}", 400);
      assertTrue(both.path("fields").has("sms_balance_add"), both.toString());
    } finally {
      node.call("PATCH", "/rest/account/" + account + "/limits", "{\"sms_balance\":null,\"cps_limit\":null}", 200);
    }
    JsonNode unlimited = node.call("PATCH", "/rest/account/" + account + "/limits",
        "{\"sms_balance_add\":3,\"cps_limit\":7}", 400);
    assertTrue(unlimited.path("fields").path("sms_balance_add").path("message").asText().contains("unlimited"),
        unlimited.toString());
    assertTrue(node.call("GET", "/rest/account/limits", null, 200).path("payload").path("cps_limit").isNull(),
        "a refused PATCH changes nothing");
    send("{" + ok + ",\"message\":\"unlimited again\"}");

    // the log's message filter: '*' is the wildcard, '%' and '_' are plain characters
    send("{" + ok + ",\"message\":\"pct-50% off_now\"}");
    send("{" + ok + ",\"message\":\"pct-500 offXnow\"}");
    awaitSearch("/rest/sms/search/outbound", "{\"message\":\"pct-\"}", j -> j.path("total").asInt() == 2);
    JsonNode literal = node.call("POST", "/rest/sms/search/outbound", "{\"message\":\"pct-50% off_\"}", 200)
        .path("payload");
    assertEquals(1, literal.path("total").asInt(), literal.toString());
    assertEquals("pct-50% off_now", literal.path("data").get(0).path("message").asText());
    assertEquals(2, node.call("POST", "/rest/sms/search/outbound", "{\"message\":\"pct-50*now\"}", 200)
        .path("payload").path("total").asInt());
  }

  @Test
  void theSameCommandIdAnswersTheSameMessageAndSendsOnce() throws Exception {
    lease("12025550187");
    enable("12025550187", profile("{\"name\":\"idem\"}"));
    String body = "{\"from\":\"12025550187\",\"to\":\"12125550111\",\"message\":\"once ж\",\"command_id\":\"k-1\"}";
    JsonNode first = send(body);
    assertEquals("UCS-2", first.path("encoding").asText());
    awaitGet("/rest/sms/outbound/" + first.path("uuid").asText(), j -> "sent".equals(j.path("state").asText()));
    JsonNode second = send(body);
    assertEquals(first.path("uuid").asText(), second.path("uuid").asText());
    Thread.sleep(300);
    assertEquals(1, TestSmsGatewayProvider.SUBMITTED.stream().filter(s -> s.text().equals("once ж")).count());
  }

  @Test
  void aStickyPoolKeepsOneSenderPerRecipientAndAWeightedPoolSplitsByTheWeights() throws Exception {
    List<String> longCodes = List.of("19735550120", "19735550121", "19735550122");
    String tollFree = "18335550100";
    String sticky = profile("{\"name\":\"sticky\",\"sticky_sender\":true}");
    String weighted = profile("{\"name\":\"weighted\",\"long_code_weight\":3,\"tollfree_weight\":1}");
    for (String tn : longCodes) lease(tn);
    lease(tollFree);
    lease("19735550123");
    for (String tn : longCodes) enable(tn, sticky);
    enable(tollFree, sticky);

    Map<String, Set<String>> senders = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      String to = "1212555020" + (i % 10);
      JsonNode m = send("{\"messaging_profile\":\"" + sticky + "\",\"to\":\"" + to + "\",\"message\":\"m" + i + "\"}");
      senders.computeIfAbsent(to, k -> new HashSet<>()).add(m.path("from").asText());
    }
    assertEquals(10, senders.size());
    senders.forEach((to, from) -> assertEquals(1, from.size(), to + " got " + from));

    for (String tn : longCodes) enable(tn, weighted); // moves them to the weighted profile
    enable(tollFree, weighted);
    enable("19735550123", weighted);
    assertEquals(5, node.call("GET", "/rest/profile/messaging/" + weighted + "/tnleases", null, 200).path("payload").size());
    int tf = 0;
    int lc = 0;
    for (int i = 0; i < 100; i++) {
      JsonNode m = send("{\"messaging_profile\":\"" + weighted + "\",\"to\":\"1212555030" + (i % 10)
          + "\",\"message\":\"w" + i + "\"}");
      if (SmsNumbers.tollFree(m.path("from").asText())) tf++; else lc++;
      assertTrue(m.path("pool").asBoolean());
    }
    assertEquals(75, lc, "3:1 long code : toll-free");
    assertEquals(25, tf);
  }

  @Test
  void theGatewaySinkKeepsAnInboundMessageOnceAndTakesDeliveryReports() throws Exception {
    lease("12025550190");
    String prof = profile("{\"name\":\"sink\",\"callback_url\":\"" + hooks + "/sink\"}");
    enable("12025550190", prof);
    var sink = TestSmsGatewayProvider.sink;
    var in = new io.openvoice.sms.gateway.SmsSink.InboundSms("test", "gw-42", "+12125550177", "12025550190",
        "from outside", Instant.now());
    sink.received(in);
    sink.received(in); // the gateway hands it over twice
    Hit hit = awaitHit("/sink", j -> "from outside".equals(j.path("payload").path("message").asText()));
    String id = hit.json().path("payload").path("uuid").asText();
    assertEquals(SmsService.inboundId("test", "gw-42"), id);
    JsonNode found = awaitGet("/rest/sms/search/inbound", j -> j.path("data").toString().contains(id));
    Thread.sleep(500); // a second copy, if any, would be in the log by now
    assertEquals(1, awaitSearch("/rest/sms/search/inbound", "{\"message\":\"from outside\"}",
        j -> j.path("total").asInt() >= 1).path("total").asInt(), found.toString());
    assertEquals(1, hits.stream().filter(h -> h.path().equals("/sink")).count(), "one webhook: " + hits);

    JsonNode sent = send("{\"from\":\"12025550190\",\"to\":\"12125550177\",\"message\":\"reply\","
        + "\"custom_callback_url\":\"" + hooks + "/custom\"}");
    String out = sent.path("uuid").asText();
    assertEquals(hit.json().path("payload").path("thread").asText(), sent.path("thread").asText(), "one conversation");
    awaitGet("/rest/sms/outbound/" + out, j -> "sent".equals(j.path("state").asText()));
    sink.deliveryReport(new io.openvoice.sms.gateway.SmsSink.DeliveryReport("test", out,
        io.openvoice.sms.gateway.SmsSink.DlrStatus.DELIVERED, "DELIVRD", Instant.now()));
    awaitGet("/rest/sms/outbound/" + out, j -> j.path("delivered").asBoolean());
    awaitHit("/custom", j -> j.path("payload").path("delivered").asBoolean());
    assertTrue(hits.stream().noneMatch(h -> h.path().equals("/sink") && h.body().contains(out)),
        "custom_callback_url replaces the profile's webhook");
  }

  @Test
  void kannelsCallbacksAreNotRoutedOnANodeWhoseGatewayIsNotKannel() throws Exception {
    for (String path : List.of("/gateway/kannel/dlr?token=x", "/gateway/kannel/inbound?token=x")) {
      assertEquals(404, node.send(null, "GET", path, null, null).statusCode(), path);
    }
  }

  @Test
  void aPoolNumberWhoseLeaseLeftTheProfileIsNeverUsedAsSenderAndIsTakenOff() throws Exception {
    String mine = profile("{\"name\":\"tenancy\"}");
    String other = profile("{\"name\":\"tenancy-other\"}");
    lease("19735550140");
    lease("19735550141");
    enable("19735550140", mine);
    enable("19735550141", other);
    // a detach that was lost: the profile still lists a number whose lease is on another profile, and one not leased
    var platform = node.node.platform();
    for (String stale : List.of("19735550141", "19735550149")) {
      platform.sharding.entityRefFor(MessagingProfileEntity.TYPE_KEY, mine)
          .<MessagingProfileEntity.Profile>askWithStatus(r -> new MessagingProfileEntity.Attach(stale, true, r),
              Duration.ofSeconds(5)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    for (int i = 0; i < 20; i++) {
      JsonNode m = send("{\"messaging_profile\":\"" + mine + "\",\"to\":\"1212555040" + (i % 10)
          + "\",\"message\":\"t" + i + "\"}");
      assertEquals("19735550140", m.path("from").asText(), m.toString());
    }
    Instant deadline = Instant.now().plusSeconds(10);
    List<String> tns;
    do {
      tns = platform.sharding.entityRefFor(MessagingProfileEntity.TYPE_KEY, mine)
          .<MessagingProfileEntity.Profile>askWithStatus(r -> new MessagingProfileEntity.Get(null, r),
              Duration.ofSeconds(5)).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).tns();
    } while (tns.size() > 1 && Instant.now().isBefore(deadline) && sleep(100));
    assertEquals(List.of("19735550140"), tns, "the stale numbers were taken off the profile");
  }

  static boolean sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
    return true;
  }

  @Test
  void textsWithAnUnpairedSurrogateAreA400NamingTheFieldAndAPairedOneIsKept() throws Exception {
    String prof = profile("{\"name\":\"surrogates\"}");
    lease("19735550125");
    enable("19735550125", prof);
    assertBad("POST", "/rest/sms", "{\"from\":\"19735550125\",\"to\":\"12125550150\",\"message\":\"a\\ud800b\"}",
        "message");
    assertBad("POST", "/rest/sms", "{\"from\":\"19735550125\",\"to\":\"12125550150\",\"message\":\"ends \\ud83d\"}",
        "message");
    assertBad("POST", "/rest/sms", "{\"from\":\"19735550125\",\"to\":\"12125550150\",\"message\":\"hi\","
        + "\"custom_callback_url\":\"https://example.com/\\udc00\"}", "custom_callback_url");
    assertBad("POST", "/rest/profile/messaging", "{\"name\":\"\\udc00x\"}", "name");
    assertBad("PATCH", "/rest/profile/messaging/" + prof, "{\"callback_url\":\"https://example.com/\\ud800\"}",
        "callback_url");
    assertBad("PATCH", "/rest/profile/messaging/" + prof, "{\"callback_url2\":\"https://example.com/\\ud800\"}",
        "callback_url2");
    JsonNode ok = send("{\"from\":\"19735550125\",\"to\":\"12125550150\",\"message\":\"smile \\ud83d\\ude00\"}");
    assertEquals("smile \ud83d\ude00", ok.path("message").asText());
    awaitGet("/rest/sms/outbound/" + ok.path("uuid").asText(), j -> "sent".equals(j.path("state").asText()));
  }

  @Test
  void aTenDigitNanpDestinationIsTheSameE164NumberEverywhere() throws Exception {
    String prof = profile("{\"name\":\"e164\"}");
    lease("19735550126");
    enable("19735550126", prof);
    JsonNode a = send("{\"from\":\"19735550126\",\"to\":\"(212) 555-0161\",\"message\":\"ten\"}");
    JsonNode b = send("{\"from\":\"19735550126\",\"to\":\"+1 212 555 0161\",\"message\":\"eleven\"}");
    assertEquals("12125550161", a.path("to").asText(), a.toString());
    assertEquals("12125550161", b.path("to").asText());
    assertEquals(b.path("thread").asText(), a.path("thread").asText(), "one conversation");
    awaitGet("/rest/sms/outbound/" + a.path("uuid").asText(), j -> "sent".equals(j.path("state").asText()));
    assertTrue(TestSmsGatewayProvider.SUBMITTED.stream().anyMatch(m -> m.messageId().equals(a.path("uuid").asText())
        && m.to().equals("12125550161")), "the gateway gets the E.164 number");
  }

  @Test
  void aBurstOfMessagesAllReachTheSmsLogWrittenInGroups() throws Exception {
    String prof = profile("{\"name\":\"burst\"}");
    lease("19735550127");
    enable("19735550127", prof);
    for (int i = 0; i < 30; i++) {
      send("{\"from\":\"19735550127\",\"to\":\"1212555017" + (i % 10) + "\",\"message\":\"burst-" + i + "\"}");
    }
    awaitSearch("/rest/sms/search/outbound", "{\"message\":\"burst-\",\"state\":\"sent\",\"limit\":100}",
        j -> j.path("total").asInt() == 30);
  }

  @Test
  void aTextNeedingMorePartsThanMaxPartsIsA400OnMessage() throws Exception {
    String prof = profile("{\"name\":\"parts\"}");
    lease("19735550128");
    enable("19735550128", prof);
    String ten = "Ж".repeat(670); // UCS-2: 67 characters a part
    String eleven = "Ж".repeat(671);
    assertBad("POST", "/rest/sms", "{\"from\":\"19735550128\",\"to\":\"12125550180\",\"message\":\"" + eleven + "\"}",
        "message");
    assertEquals(10, send("{\"from\":\"19735550128\",\"to\":\"12125550180\",\"message\":\"" + ten + "\"}")
        .path("parts").asInt());
  }
}
