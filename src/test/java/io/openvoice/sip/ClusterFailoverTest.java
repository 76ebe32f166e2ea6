package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestDatabase;
import io.openvoice.node.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Failover with real processes on loopback and PostgreSQL: five node JVMs (two SIP edges, three control nodes
 * running the call entities) and SIPp callers. Killing ({@code kill -9}) a control node that runs call entities
 * loses no call and repeats no step: every call's flow (a Gather whose digit comes 25 s after the answer, for many
 * calls while their entity is recovering; then Pause and Say twelve times) runs to its end, the Gather and each Say
 * exactly once, and the time until every call made progress again is printed. Killing an edge ends its calls with
 * {@code media_node_lost} and complete logs, and leaves the calls of the other edge untouched.
 *
 * <p>Runs in the PostgreSQL pass of {@code ops/test.sh} (skipped on H2). {@code -Dopenvoice.failover.calls=N}
 * changes the number of calls (default 200); {@code -Dopenvoice.failover.node-config="k = v;k2 = v2"} adds
 * configuration lines to every node (ops/bench/failover.sh times a tuned failure detector with it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
  static final int CALLS = Integer.getInteger("openvoice.failover.calls", 200);
  static final int STEPS = 12;
  static final long TN = 12025550152L;
  static final long TN_EDGE1 = 12025550153L;
  static final long TN_EDGE2 = 12025550154L;
  static final long TN_WARM = 12025550155L;
  static final String SECRET = "failover-test-secret";
  static final String PASSWORD = "failover-pass-1";
  static final Path LOGS = Path.of("target", "failover");

  record NodeProc(String name, Process process, int http, int management, int sip, Path log, int artery) {
    String base() {
      return "http://127.0.0.1:" + http;
    }

    boolean alive() {
      return process.isAlive();
    }
  }

  static final Map<String, NodeProc> nodes = new LinkedHashMap<>();
  static final HttpClient http = HttpClient.newHttpClient();
  static String token;

  @BeforeAll
  static void startCluster() throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "needs PostgreSQL: the PostgreSQL pass of ops/test.sh");
    Assumptions.assumeTrue(Sipp.installed(), "needs SIPp");
    String schema = TestDatabase.newSchema();
    TestDatabase.applyMigration(schema);
    Files.createDirectories(LOGS);
    int[] artery = {freeTcpPort(), freeTcpPort(), freeTcpPort(), freeTcpPort(), freeTcpPort()};
    String seeds = "\"pekko://openvoice@127.0.0.1:" + artery[0] + "\", \"pekko://openvoice@127.0.0.1:" + artery[1] + "\"";
    String[][] shape = {{"control1", "control"}, {"control2", "control"}, {"control3", "control"},
        {"edge1", "edge"}, {"edge2", "edge"}};
    for (int i = 0; i < shape.length; i++) {
      NodeProc n = launch(shape[i][0], shape[i][1], artery[i], seeds, schema, 20000 + 2000 * i);
      nodes.put(n.name(), n);
      if (i == 0) awaitReady(n, Duration.ofSeconds(120)); // the first seed forms the cluster
    }
    for (NodeProc n : nodes.values()) awaitReady(n, Duration.ofSeconds(120));
    token = login(node("control1"));
    JsonNode order = call(node("control1"), "POST", "/rest/order", "{\"items\":[{\"tn\":" + TN + "},{\"tn\":"
        + TN_EDGE1 + "},{\"tn\":" + TN_EDGE2 + "}]}", 201).path("payload");
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= STEPS; i++) steps.append("<Pause length=\"3000\"/><Say>step ").append(i).append("</Say>");
    // the callers of TN press 5 some 25 s after the answer: for many of them, while their entity is recovering
    String gathering = app("long-gather", "<Response><Answer/><Gather numDigits=\"1\" timeout=\"60000\"><Say>press a "
        + "key</Say></Gather>" + steps + "<Hangup/></Response>");
    String plain = app("long", "<Response><Answer/>" + steps + "<Hangup/></Response>");
    JsonNode leases = order.path("tnleases");
    for (JsonNode l : leases) {
      String app = String.valueOf(TN).equals(l.path("tn").path("tn").asText(l.path("tn").asText())) ? gathering : plain;
      call(node("control1"), "POST", "/rest/sip/app/" + app + "/tnlease", "{\"add\":[\"" + l.path("uuid").asText()
          + "\"]}", 200);
    }

    // warm-up: the first calls of a cold cluster allocate the shards and compile the hot paths; then the load
    JsonNode warmOrder = call(node("control1"), "POST", "/rest/order", "{\"items\":[{\"tn\":" + TN_WARM + "}]}", 201)
        .path("payload");
    String warm = call(node("control1"), "POST", "/rest/sip/app", "{\"name\":\"warm\"}", 201).path("payload").path("uuid").asText();
    send(node("control1"), "POST", "/rest/sip/app/call/flow/" + warm, "application/xml",
        "<Response><Answer/><Say>warm</Say><Hangup/></Response>");
    call(node("control1"), "POST", "/rest/sip/app/" + warm + "/tnlease", "{\"add\":[\""
        + warmOrder.path("tnleases").get(0).path("uuid").asText() + "\"]}", 200);
    for (String edge : List.of("edge1", "edge2")) {
      Sipp.Result w = Sipp.run(Sipp.scenario("uac_listen.xml"), node(edge).sip(), String.valueOf(TN_WARM), 60, 10, 120);
      System.out.println("failover: warm-up on " + edge + (w.allCallsSucceeded() ? ": ok" : ": some calls failed"));
    }
  }

  /** A new app with this hosted flow; returns its uuid. */
  static String app(String name, String xml) throws Exception {
    String app = call(node("control1"), "POST", "/rest/sip/app", "{\"name\":\"" + name + "\"}", 201).path("payload")
        .path("uuid").asText();
    HttpResponse<String> r = send(node("control1"), "POST", "/rest/sip/app/call/flow/" + app, "application/xml", xml);
    assertEquals(200, r.statusCode(), r.body());
    return app;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (NodeProc n : nodes.values()) n.process().destroyForcibly();
    for (NodeProc n : nodes.values()) n.process().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void killingAControlNodeLosesNoCallAndRepeatsNoStep() throws Exception {
    Instant start = Instant.now();
    CompletableFuture<Sipp.Result> callers = dtmfCallers(node("edge1"), TN, CALLS);
    awaitLive(TN, CALLS, Duration.ofSeconds(90), callers);
    NodeProc victim = busiestControlNode();
    Instant killedAt = Instant.now();
    victim.process().destroyForcibly(); // SIGKILL: no drain, no hand-over
    System.out.println("failover: kill -9 " + victim.name() + " at " + killedAt + ", " + CALLS + " calls live");
    CompletableFuture<long[]> membership = CompletableFuture.supplyAsync(() -> watchMembership(victim, killedAt));
    long restoredMs = awaitEntitiesRunning(CALLS, killedAt, Duration.ofSeconds(90));
    long[] seen = membership.get(90, TimeUnit.SECONDS);

    Sipp.Result r = callers.get(300, TimeUnit.SECONDS);
    assertTrue(r.allCallsSucceeded(), "every caller heard its flow to the end and got our BYE:\n" + tail(r.output()));
    List<JsonNode> calls = finishedCalls(TN, CALLS, survivor());
    long worst = 0;
    for (JsonNode c : calls) {
      assertEquals(16, c.path("q850_cause").asInt(), c.path("uuid") + " " + c.path("hangup_reason"));
      Map<String, Integer> says = new LinkedHashMap<>();
      int pauses = 0;
      int gathers = 0;
      long created = Instant.parse(c.path("created_on").asText()).toEpochMilli();
      long firstAfterKill = Long.MAX_VALUE;
      for (JsonNode t : c.path("trace")) {
        long at = created + t.path("at_ms").asLong();
        if (at >= killedAt.toEpochMilli()) firstAfterKill = Math.min(firstAfterKill, at);
        if (!"finished".equals(t.path("phase").asText())) continue;
        if ("Say".equals(t.path("command").asText())) says.merge(t.path("path").asText(), 1, Integer::sum);
        if ("Gather".equals(t.path("command").asText())) gathers++;
        if ("Pause".equals(t.path("command").asText())) pauses++;
      }
      assertEquals("5", c.path("digits").asText(), "the Gather got the digit of " + c.path("uuid"));
      assertEquals(STEPS, says.size(), "every Say of " + c.path("uuid") + " (the Gather's prompt is the Gather's): " + says);
      assertTrue(says.values().stream().allMatch(n -> n == 1), "each Say once in " + c.path("uuid") + ": " + says);
      assertEquals(STEPS, pauses, "every Pause once in " + c.path("uuid"));
      assertEquals(1, gathers, "the Gather finished once in " + c.path("uuid"));
      long gap = firstAfterKill - killedAt.toEpochMilli();
      worst = Math.max(worst, gap);
    }
    String report = "failover (control node killed): " + calls.size() + " calls; the survivors saw the node"
        + " unreachable " + seen[0] + " ms and removed it " + seen[1] + " ms after the kill (failure detector, then"
        + " split-brain resolver stable-after); every call entity running again on"
        + " the survivors " + restoredMs + " ms after the kill; every call made progress again within " + worst
        + " ms (a call waiting for its caller's digit counts until the digit came); calls that did not finish"
        + " their flow: 0; whole run "
        + Duration.between(start, Instant.now()).toSeconds() + " s";
    System.out.println(report);
    Files.writeString(LOGS.resolve("control-failover.txt"), report + "\n");
  }

  @Test
  @Order(2)
  void killingAnEdgeEndsItsCallsWithMediaNodeLostAndLeavesTheOtherEdgesCalls() throws Exception {
    int each = Math.max(1, CALLS / 2);
    CompletableFuture<Sipp.Result> onEdge1 = callers(node("edge1"), TN_EDGE1, each);
    CompletableFuture<Sipp.Result> onEdge2 = callers(node("edge2"), TN_EDGE2, each);
    awaitLive(TN_EDGE1, each, Duration.ofSeconds(90), onEdge1);
    awaitLive(TN_EDGE2, each, Duration.ofSeconds(90), onEdge2);
    Instant killedAt = Instant.now();
    node("edge1").process().destroyForcibly();
    System.out.println("failover: kill -9 edge1 at " + killedAt + ", " + each + " calls on each edge");

    Sipp.Result r2 = onEdge2.get(300, TimeUnit.SECONDS);
    assertTrue(r2.allCallsSucceeded(), "the other edge's calls ran to their end:\n" + tail(r2.output()));
    NodeProc control = survivor();
    List<JsonNode> lost = finishedCalls(TN_EDGE1, each, control);
    long latest = 0;
    for (JsonNode c : lost) {
      assertTrue(c.path("hangup_reason").asText().startsWith("media_node_lost"), c.path("uuid") + " " + c.path("hangup_reason"));
      List<String> states = new ArrayList<>();
      for (JsonNode t : c.path("trace")) if ("call_state".equals(t.path("type").asText())) states.add(t.path("state").asText());
      assertTrue(states.containsAll(List.of("init", "live", "hangup", "destroyed")), "a complete log: " + states);
      latest = Math.max(latest, Instant.parse(c.path("destroy_on").asText()).toEpochMilli() - killedAt.toEpochMilli());
    }
    for (JsonNode c : finishedCalls(TN_EDGE2, each, control)) {
      assertEquals(16, c.path("q850_cause").asInt(), c.path("uuid") + " " + c.path("hangup_reason"));
    }
    String report = "failover (edge killed): " + lost.size() + " calls ended media_node_lost, the last "
        + latest + " ms after the kill; the other edge's " + each + " calls finished normally";
    System.out.println(report);
    Files.writeString(LOGS.resolve("edge-failover.txt"), report + "\n");
    onEdge1.get(300, TimeUnit.SECONDS); // its SIPp gives up by itself: its dialogs died with the edge
  }

  // ---- the cluster ----------------------------------------------------------------------------------------

  static NodeProc launch(String name, String role, int artery, String seeds, String schema, int rtpMin) throws Exception {
    int httpPort = freeTcpPort();
    int management = freeTcpPort();
    int sip = role.equals("edge") ? Sipp.freeUdpPort() : 0;
    Path dir = Files.createTempDirectory("openvoice-failover-" + name);
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, """
        include file("%s")
        openvoice.data-dir = "%s"
        openvoice.http.port = %d
        openvoice.http.interface = "127.0.0.1"
        openvoice.auth.jwt-secret = "%s"
        openvoice.auth.admin-email = "%s"
        openvoice.auth.admin-password = "%s"
        pekko-persistence-jdbc.shared-databases.slick.db.url = "%s"
        pekko-persistence-jdbc.shared-databases.slick.db.user = "%s"
        pekko-persistence-jdbc.shared-databases.slick.db.password = "%s"
        pekko.remote.artery.canonical.port = %d
        pekko.management.http.port = %d
        pekko.cluster.seed-nodes = [%s]
        pekko.cluster.roles = ["%s"]
        pekko.cluster.split-brain-resolver.stable-after = 5s
        openvoice.sip.enabled = %s
        openvoice.sip.bind = "127.0.0.1"
        openvoice.sip.public-address = "127.0.0.1"
        openvoice.sip.port = %d
        openvoice.sip.transports = ["udp"]
        openvoice.sip.rtp.port-min = %d
        openvoice.sip.rtp.port-max = %d
        openvoice.drain.max-wait = 2s
        %s
        """.formatted(Path.of("cluster-config", "postgres.conf").toAbsolutePath(), dir, httpPort, SECRET,
        TestNode.ADMIN, PASSWORD, TestDatabase.urlFor(schema), TestDatabase.user(), TestDatabase.password(), artery,
        management, seeds, role, role.equals("edge"), sip == 0 ? 5060 : sip, rtpMin, rtpMin + 1998,
        System.getProperty("openvoice.failover.node-config", "").replace(";", "\n")));
    Path log = LOGS.resolve(name + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.openvoice.node.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPENTACT_CONFIG", conf.toString());
    pb.environment().remove("DB_URL");
    return new NodeProc(name, pb.start(), httpPort, management, sip, log, artery);
  }

  static NodeProc node(String name) {
    return nodes.get(name);
  }

  static void awaitReady(NodeProc n, Duration max) throws Exception {
    long until = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < until) {
      assertTrue(n.alive(), n.name() + " died at start; see " + n.log());
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.base() + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(n.name() + " not ready within " + max + "; see " + n.log());
  }

  /** The control node with the most call entities now (from Pekko Management's shard statistics). */
  static NodeProc busiestControlNode() throws Exception {
    NodeProc best = null;
    int most = -1;
    for (NodeProc n : nodes.values()) {
      if (!n.name().startsWith("control") || !n.alive()) continue;
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + n.management() + "/cluster/shards/Call")).build(), HttpResponse.BodyHandlers.ofString());
      int entities = 0;
      for (JsonNode region : TestNode.M.readTree(r.body()).path("regions")) entities += region.path("numEntities").asInt();
      if (entities > most) {
        most = entities;
        best = n;
      }
    }
    assertTrue(most > 0, "no control node runs call entities");
    return best;
  }

  /**
   * Polls Pekko Management's shard statistics of the surviving control nodes until they run {@code calls} call
   * entities again; returns the milliseconds from {@code killedAt}.
   */
  static long awaitEntitiesRunning(int calls, Instant killedAt, Duration max) throws Exception {
    long until = System.nanoTime() + max.toNanos();
    int running = 0;
    while (System.nanoTime() < until) {
      running = 0;
      for (NodeProc n : nodes.values()) {
        if (!n.name().startsWith("control") || !n.alive()) continue;
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.management()
              + "/cluster/shards/Call")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
          for (JsonNode region : TestNode.M.readTree(r.body()).path("regions")) running += region.path("numEntities").asInt();
        } catch (IOException busy) {
          // a node too busy to answer: count it next time
        }
      }
      if (running >= calls) return Duration.between(killedAt, Instant.now()).toMillis();
      Thread.sleep(250);
    }
    throw new AssertionError("only " + running + " of " + calls + " call entities running " + max + " after the kill");
  }

  /**
   * Polls a survivor's view of the cluster (Pekko Management /cluster/members) from the kill on: milliseconds until
   * the victim is first listed unreachable, and until it is no longer a member (downed by the split-brain resolver
   * and removed). The floor under any failover: entities cannot move before the node is removed.
   */
  static long[] watchMembership(NodeProc victim, Instant killedAt) {
    String address = "127.0.0.1:" + victim.artery();
    long unreachable = -1;
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        NodeProc s = survivor();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.management()
            + "/cluster/members")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode view = TestNode.M.readTree(r.body());
        long now = Duration.between(killedAt, Instant.now()).toMillis();
        boolean member = false;
        for (JsonNode m : view.path("members")) {
          if (m.path("node").asText().endsWith(address) && !"Down".equals(m.path("status").asText())) member = true;
        }
        for (JsonNode u : view.path("unreachable")) {
          if (u.path("node").asText().endsWith(address) && unreachable < 0) unreachable = now;
        }
        if (!member) return new long[] {unreachable < 0 ? now : unreachable, now};
        Thread.sleep(100);
      } catch (IOException busy) {
        // a survivor too busy to answer: ask again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new long[] {unreachable, -1};
  }

  static NodeProc survivor() {
    for (NodeProc n : nodes.values()) if (n.name().startsWith("control") && n.alive()) return n;
    throw new AssertionError("no control node left");
  }

  static CompletableFuture<Sipp.Result> callers(NodeProc edge, long tn, int calls) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return Sipp.run(Sipp.scenario("uac_listen.xml", "timeout=\"30000\"", "timeout=\"200000\""), edge.sip(),
            String.valueOf(tn), calls, 10, 240, "-l", String.valueOf(calls)); // SIPp's own default: 3 x rate
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Callers that press 5 (RFC 4733) 25 s after the answer, then listen until our BYE. */
  static CompletableFuture<Sipp.Result> dtmfCallers(NodeProc edge, long tn, int calls) throws Exception {
    java.net.DatagramSocket sink = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
    return CompletableFuture.supplyAsync(() -> {
      try (sink) {
        return Sipp.run(Sipp.scenario("uac_dtmf.xml", "[digit]", "5", "[wait]", "25000", "timeout=\"30000\"",
                "timeout=\"200000\""), edge.sip(), String.valueOf(tn), calls, 10, 300, "-l", String.valueOf(calls),
            "rtpport", String.valueOf(sink.getLocalPort()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits until {@code count} calls to {@code tn} are live (answered, running their flows). */
  static void awaitLive(long tn, int count, Duration max, CompletableFuture<Sipp.Result> callers) throws Exception {
    long until = System.nanoTime() + max.toNanos();
    int live = 0;
    while (System.nanoTime() < until) {
      live = 0;
      for (JsonNode c : call(survivor(), "GET", "/rest/sip/app/call/online", null, 200).path("payload")) {
        if (String.valueOf(tn).equals(c.path("to").asText()) && "live".equals(c.path("state").asText())) live++;
      }
      if (live >= count) return;
      if (callers.isDone()) break;
      Thread.sleep(500);
    }
    throw new AssertionError("only " + live + " of " + count + " calls to " + tn + " came up"
        + (callers.isDone() ? ":\n" + tail(callers.join().output()) : ""));
  }

  /** The {@code count} calls to {@code tn}, each finished, with its trace (read through {@code n}). */
  static List<JsonNode> finishedCalls(long tn, int count, NodeProc n) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode page = null;
    while (System.nanoTime() < until) {
      page = call(n, "POST", "/rest/sip/app/call/search", "{\"tn\":\"" + tn + "\",\"state\":\"offline\",\"take\":1000}", 200).path("payload");
      if (page.path("total").asInt() >= count) break;
      Thread.sleep(1000);
    }
    assertTrue(page != null && page.path("total").asInt() == count, "the call log of " + tn + ": " + (page == null
        ? "nothing" : page.path("total") + " of " + count + " calls finished"));
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode row : page.path("data")) {
      JsonNode c = call(n, "GET", "/rest/sip/app/call/" + row.path("uuid").asText(), null, 200).path("payload");
      assertEquals("destroyed", c.path("state").asText(), c.toString());
      out.add(c);
    }
    return out;
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------

  static String login(NodeProc n) throws Exception {
    String basic = Base64.getEncoder().encodeToString((TestNode.ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.base() + "/rest/auth"))
        .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return TestNode.M.readTree(r.body()).path("payload").path("token").asText();
  }

  static JsonNode call(NodeProc n, String method, String path, String json, int expect) throws Exception {
    HttpResponse<String> r = send(n, method, path, "application/json", json);
    assertEquals(expect, r.statusCode(), method + " " + path + " on " + n.name() + " -> " + r.body());
    return TestNode.M.readTree(r.body());
  }

  static HttpResponse<String> send(NodeProc n, String method, String path, String type, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.base() + path)).timeout(Duration.ofSeconds(30))
        .header("X-Auth-Token", token == null ? "" : token).header("Content-Type", type)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String tail(String s) {
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }
}
