package io.openvoice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.node.TestNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of a real node over real HTTP, without credentials: simulated calls move the call counters
 * by exactly their number, their verbs and journal writes land in the histograms, webhook requests are timed, and
 * every line of the answer parses as the Prometheus text format 0.0.4 (a strict parser below).
 */
class MetricsEndpointTest {
  static final String FLOW = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";
  static final int CALLS = 3;
  static TestNode node;
  static HttpServer hooks;
  static final AtomicInteger hookHits = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      hookHits.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hooks.setExecutor(Executors.newFixedThreadPool(2));
    hooks.start();
    node = TestNode.start(Files.createTempDirectory("openvoice-metrics-test"), "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (hooks != null) hooks.stop(0);
  }

  @Test
  void simulatedCallsMoveTheCallCountersByExactlyTheirNumberAndFillTheHistograms() throws Exception {
    String app = node.hostedApp("metrics", FLOW);
    node.call("PATCH", "/rest/sip/app/" + app,
        "{\"webhook_url\":\"http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook\"}", 200);
    Map<String, Double> before = Exposition.parse(scrape().body()).samples();

    for (int i = 0; i < CALLS; i++) {
      JsonNode sim = node.call("POST", "/rest/sip/app/" + app + "/simulate",
          "{\"from\":\"+12015550123\",\"to\":\"+12025550999\"}", 200).path("payload");
      assertEquals("destroyed", sim.path("state").asText(), sim.toString());
    }

    // the counters move before the call's events are published, so they are there when the simulator answers;
    // webhook requests are sent after the call, by the app's dispatcher: wait for them
    String ended = "openvoice_calls_ended_total{cause=\"16\",cause_name=\"NORMAL_CLEARING\",reason=\"hangup\"}";
    String hooked = "openvoice_webhook_request_duration_seconds_count{outcome=\"delivered\"}";
    Map<String, Double> after = Map.of();
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      after = Exposition.parse(scrape().body()).samples();
      if (delta(before, after, hooked) > 0) break;
      Thread.sleep(100);
    }

    double startedDelta = 0;
    for (String kind : List.of("inbound", "outbound", "leg")) {
      startedDelta += delta(before, after, "openvoice_calls_started_total{kind=\"" + kind + "\"}");
    }
    assertEquals(CALLS, startedDelta, "started");
    assertEquals(CALLS, delta(before, after, "openvoice_calls_started_total{kind=\"inbound\"}"), "inbound");
    assertEquals(CALLS, delta(before, after, ended), "ended normally by the flow's Hangup");
    double endedDelta = 0;
    for (var e : after.entrySet()) {
      if (e.getKey().startsWith("openvoice_calls_ended_total{")) endedDelta += delta(before, after, e.getKey());
    }
    assertEquals(CALLS, endedDelta, "no other end counted");
    assertEquals(CALLS, delta(before, after, "openvoice_verb_duration_seconds_count{verb=\"Say\"}"), "Say timed");
    assertEquals(CALLS, delta(before, after, "openvoice_verb_duration_seconds_bucket{le=\"+Inf\",verb=\"Say\"}"));
    assertEquals(CALLS, delta(before, after, "openvoice_verb_duration_seconds_count{verb=\"Answer\"}"), "Answer");
    assertTrue(after.get("openvoice_journal_write_seconds_count") > 0, "journal writes timed");
    assertTrue(delta(before, after, "openvoice_journal_write_seconds_count") >= CALLS * 2,
        "each call persists at least its start and an outcome");
    assertEquals(0.0, after.get("openvoice_node_live_calls"), "every call ended");
    assertTrue(delta(before, after, hooked) > 0, "webhook requests timed; the receiver got " + hookHits.get());
    assertTrue(after.get("openvoice_webhook_delivered_total") > 0);
    assertNotNull(after.get("openvoice_cluster_live_calls"));
    // shard counts of this node (a single node hosts every shard): cached for a few seconds, so the scrape before
    // the calls may still be what is served; wait for a fresh query
    String callShards = "openvoice_shards{type=\"Call\"}";
    deadline = Instant.now().plus(NodeMetrics.SHARD_COUNTS_TTL).plusSeconds(10);
    while (after.get(callShards) < 1 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      after = Exposition.parse(scrape().body()).samples();
    }
    assertTrue(after.get(callShards) >= 1, "the calls' shard runs here: " + after);
    assertNotNull(after.get("openvoice_shard_entities{type=\"Call\"}"));
    assertTrue(after.get("openvoice_shard_entities{type=\"App\"}") >= 1, "the app entity runs here");
    assertTrue(after.get("openvoice_jvm_memory_used_bytes{area=\"heap\"}") > 0);
    assertTrue(after.get("openvoice_jvm_threads_current") > 0);
    assertFalse(after.containsKey("openvoice_sip_active_calls"), "this node has no SIP edge");
  }

  @Test
  void aLiveCallCountsOnTheNodeItsEntityRunsOnAndMovesWithItAcrossARestart() throws Exception {
    java.nio.file.Path data = Files.createTempDirectory("openvoice-metrics-restart");
    String live = "openvoice_node_live_calls";
    String callId;
    CallMetrics firstCalls;
    try (TestNode first = TestNode.start(data, "")) {
      String app = first.hostedApp("long", "<Response><Answer/><Pause length=\"60000\"/><Hangup/></Response>");
      callId = first.call("POST", "/rest/sip/app/" + app + "/simulate",
          "{\"from\":\"+12015550123\",\"to\":\"+12025550999\",\"realtime\":true,\"wait\":false}", 201)
          .path("payload").path("call").path("uuid").asText();
      first.awaitCall(callId, c -> c.path("trace").toString().contains("Pause[1]"), Duration.ofSeconds(20));
      Map<String, Double> m = Exposition.parse(scrape(first).body()).samples();
      assertEquals(1.0, m.get(live), "the call's entity runs here");
      assertEquals(1.0, m.get("openvoice_cluster_live_calls"));
      firstCalls = first.node.platform().metrics.calls;
    }
    assertEquals(0, firstCalls.runningHere(), "the entity stopped with its node, the call still live");
    assertEquals(0, firstCalls.endedTotal(), "stopping is not ending");

    try (TestNode second = TestNode.start(data, "")) {
      Map<String, Double> m = Map.of();
      Instant deadline = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(deadline)) { // remember-entities restarts the call here
        m = Exposition.parse(scrape(second).body()).samples();
        if (m.get(live) == 1.0) break;
        Thread.sleep(200);
      }
      assertEquals(1.0, m.get(live), "the recovered call runs here now");
      assertEquals(0.0, m.get("openvoice_calls_started_total{kind=\"inbound\"}"), "it started on the first node");
      second.call("POST", "/rest/call/" + callId + "/hangup", null, 200);
      second.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
      m = Exposition.parse(scrape(second).body()).samples();
      assertEquals(0.0, m.get(live));
      assertEquals(1.0, m.get("openvoice_calls_ended_total{cause=\"16\",cause_name=\"NORMAL_CLEARING\","
          + "reason=\"rest_hangup\"}"), m.toString());
    }
  }

  @Test
  void isPublicPlainTextVersion004AndEveryLineParses() throws Exception {
    HttpResponse<String> r = scrape();
    assertEquals(200, r.statusCode(), r.body());
    String type = r.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
    Exposition e = Exposition.parse(r.body());
    for (String family : List.of("openvoice_calls_started_total", "openvoice_calls_ended_total",
        "openvoice_node_live_calls", "openvoice_cluster_live_calls", "openvoice_verb_duration_seconds",
        "openvoice_journal_write_seconds", "openvoice_webhook_request_duration_seconds", "openvoice_shards",
        "openvoice_shard_entities", "openvoice_jvm_gc_collections_total", "openvoice_jvm_memory_max_bytes")) {
      assertTrue(e.types().containsKey(family), family + " in " + e.types().keySet());
    }
    assertEquals("histogram", e.types().get("openvoice_journal_write_seconds"));
    assertEquals("counter", e.types().get("openvoice_calls_started_total"));
    for (String family : e.types().keySet()) assertTrue(family.startsWith("openvoice_"), family);
  }

  @Test
  void theStrictParserRefusesWhatPrometheusWouldNot() {
    String ok = "# HELP a_total A\n# TYPE a_total counter\na_total{x=\"1\"} 2\n";
    assertEquals(2.0, Exposition.parse(ok).samples().get("a_total{x=\"1\"}"));
    for (String bad : List.of(
        "a_total 1\n",                                                           // no TYPE first
        "# HELP a_total A\n# TYPE a_total counter\na_total{x=\"1\"} two\n",     // not a number
        "# HELP a_total A\n# TYPE a_total counter\na_total{x=\"1} 2\n",         // unterminated value
        "# HELP a_total A\n# TYPE a_total counter\na_total{x=\"a\\q\"} 2\n",    // bad escape
        "# HELP a_total A\n# TYPE a_total counter\na_total 2\na_total 3\n",     // the same series twice
        "# HELP a_total A\n# TYPE a_total counter\na_total 2",                  // no final newline
        "# HELP h A\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# HELP h A\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n")) { // no +Inf
      assertThrows(IllegalArgumentException.class, () -> Exposition.parse(bad), bad);
    }
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
    Double a = after.get(series);
    assertNotNull(a, series + " is not exposed: " + new TreeMap<>(after).keySet());
    return a - before.getOrDefault(series, 0.0);
  }

  private static HttpResponse<String> scrape() throws Exception {
    return scrape(node);
  }

  private static HttpResponse<String> scrape(TestNode n) throws Exception {
    // no credentials: scrapers do not log in
    return n.client.send(HttpRequest.newBuilder(URI.create(n.base + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A strict reader of the Prometheus text format 0.0.4: every line is a HELP, a TYPE or a sample; a family's
   * TYPE comes before its samples, and its samples are together; names and labels are well formed, label values
   * use only the three escapes; values are floats (or +Inf, -Inf, NaN); a series appears once; histograms have
   * cumulative buckets ending with +Inf equal to _count, and a _sum. Anything else throws.
   */
  record Exposition(Map<String, String> types, Map<String, Double> samples) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final java.util.regex.Pattern FLOAT = java.util.regex.Pattern.compile(
        "[+-]?(Inf|NaN|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");

    static Exposition parse(String text) {
      if (!text.endsWith("\n")) throw new IllegalArgumentException("no final line feed");
      Map<String, String> types = new LinkedHashMap<>();
      Set<String> helped = new java.util.HashSet<>();
      Map<String, Double> samples = new LinkedHashMap<>();
      Set<String> closed = new java.util.HashSet<>(); // families whose samples are over
      String current = null;
      // histogram checks: (family, labels without le) → its buckets in order
      Map<List<String>, List<double[]>> buckets = new LinkedHashMap<>();
      int n = 0;
      for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
        n++;
        String where = "line " + n + ": " + line;
        if (line.startsWith("#")) {
          String[] p = line.split(" ", 4);
          if (p.length < 3 || !p[0].equals("#")) throw new IllegalArgumentException("bad comment, " + where);
          if (!NAME.matcher(p[2]).matches()) throw new IllegalArgumentException("bad name, " + where);
          if (p[1].equals("HELP")) {
            if (!helped.add(p[2])) throw new IllegalArgumentException("HELP twice, " + where);
            if (p.length == 4) checkHelp(p[3], where);
          } else if (p[1].equals("TYPE")) {
            if (p.length != 4 || !Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[3])) {
              throw new IllegalArgumentException("bad TYPE, " + where);
            }
            if (types.containsKey(p[2]) || closed.contains(p[2])) throw new IllegalArgumentException("TYPE again, " + where);
            if (current != null) closed.add(current);
            types.put(p[2], p[3]);
            current = p[2];
          } else {
            throw new IllegalArgumentException("unknown comment, " + where);
          }
          continue;
        }
        if (line.isEmpty()) throw new IllegalArgumentException("empty line, " + where);
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad metric name, " + where);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
          i++;
          while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            if (eq < 0) throw new IllegalArgumentException("label without =, " + where);
            String label = line.substring(i, eq);
            if (!LABEL.matcher(label).matches()) throw new IllegalArgumentException("bad label name, " + where);
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') throw new IllegalArgumentException("unquoted, " + where);
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            while (true) {
              if (j >= line.length()) throw new IllegalArgumentException("unterminated value, " + where);
              char c = line.charAt(j);
              if (c == '"') break;
              if (c == '\\') {
                if (j + 1 >= line.length()) throw new IllegalArgumentException("bad escape, " + where);
                char e = line.charAt(j + 1);
                if (e == '\\') v.append('\\');
                else if (e == '"') v.append('"');
                else if (e == 'n') v.append('\n');
                else throw new IllegalArgumentException("bad escape, " + where);
                j += 2;
              } else {
                v.append(c);
                j++;
              }
            }
            if (labels.put(label, v.toString()) != null) throw new IllegalArgumentException("label twice, " + where);
            i = j + 1;
            if (i >= line.length()) throw new IllegalArgumentException("unterminated labels, " + where);
            if (line.charAt(i) == ',') i++;
            else if (line.charAt(i) != '}') throw new IllegalArgumentException("bad label separator, " + where);
          }
          i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw new IllegalArgumentException("no value, " + where);
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()) throw new IllegalArgumentException("bad value, " + where);
        if (rest.length == 2 && !rest[1].matches("-?\\d+")) throw new IllegalArgumentException("bad timestamp, " + where);
        double value = rest[0].endsWith("Inf") ? (rest[0].startsWith("-") ? Double.NEGATIVE_INFINITY
            : Double.POSITIVE_INFINITY) : Double.parseDouble(rest[0]);
        // the sample belongs to the current family
        String type = current == null ? null : types.get(current);
        boolean belongs = name.equals(current) || ("histogram".equals(type) && (name.equals(current + "_bucket")
            || name.equals(current + "_sum") || name.equals(current + "_count")));
        if (!belongs) throw new IllegalArgumentException("sample outside its family (TYPE first), " + where);
        if (name.endsWith("_bucket") && "histogram".equals(type)) {
          String le = labels.remove("le");
          if (le == null) throw new IllegalArgumentException("bucket without le, " + where);
          double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          buckets.computeIfAbsent(List.of(current, labels.isEmpty() ? "" : render(labels)), k -> new ArrayList<>())
              .add(new double[] {bound, value});
          labels.put("le", le);
        }
        String key = name + (labels.isEmpty() ? "" : render(labels));
        if (samples.put(key, value) != null) throw new IllegalArgumentException("series twice, " + where);
      }
      for (var b : buckets.entrySet()) {
        List<double[]> list = b.getValue();
        for (int k = 1; k < list.size(); k++) {
          if (list.get(k)[0] <= list.get(k - 1)[0] || list.get(k)[1] < list.get(k - 1)[1]) {
            throw new IllegalArgumentException("buckets not ascending and cumulative: " + b.getKey());
          }
        }
        if (list.get(list.size() - 1)[0] != Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException("no +Inf bucket: " + b.getKey());
        }
      }
      for (var b : buckets.entrySet()) {
        String family = b.getKey().get(0);
        String suffix = b.getKey().get(1);
        Double count = samples.get(family + "_count" + suffix);
        List<double[]> list = b.getValue();
        if (count == null || count != list.get(list.size() - 1)[1] || samples.get(family + "_sum" + suffix) == null) {
          throw new IllegalArgumentException("histogram without a matching _count and _sum: " + b.getKey());
        }
      }
      if (!helped.containsAll(types.keySet())) throw new IllegalArgumentException("a family without HELP");
      return new Exposition(types, samples);
    }

    private static void checkHelp(String help, String where) {
      for (int k = 0; k < help.length(); k++) {
        if (help.charAt(k) == '\\') {
          if (k + 1 >= help.length() || (help.charAt(k + 1) != '\\' && help.charAt(k + 1) != 'n')) {
            throw new IllegalArgumentException("bad escape in HELP, " + where);
          }
          k++;
        }
      }
    }

    /** {@code {a="x",b="y"}} in label order, values escaped as on the wire. */
    static String render(Map<String, String> labels) {
      StringBuilder sb = new StringBuilder("{");
      for (var e : labels.entrySet()) {
        if (sb.length() > 1) sb.append(',');
        sb.append(e.getKey()).append("=\"");
        PromText.escapeLabel(e.getValue(), sb);
        sb.append('"');
      }
      return sb.append('}').toString();
    }
  }
}
