package io.openvoice.calllog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.CallEntity;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The call log across a node restart on the same H2 database: the projection resumes from its stored offsets, so
 * no call or step is written twice or lost, a call that was live across the restart is completed in the log, and
 * new calls are added. To know every slice has gone past where it stopped (without waiting for a time), new calls
 * are made until one has landed in each slice ({@link CallEntity#tagFor}), and those are awaited.
 */
class CallLogRestartTest {
  static final String SHORT = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";
  static final String PAUSED = "<Response><Answer/><Say>before</Say><Pause length=\"4000\"/><Say>after</Say><Hangup/></Response>";
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void afterARestartOnTheSameDataEveryCallAndStepIsLoggedOnceAndNewCallsAreAdded() throws Exception {
    Path data = Files.createTempDirectory("openvoice-call-log-restart");
    Map<String, Integer> steps = new LinkedHashMap<>(); // call → call_flow entries of its trace
    String app;
    String pausedApp;
    String paused;
    long flowsBefore;
    try (TestNode first = TestNode.start(data, "")) {
      app = first.hostedApp("short", SHORT);
      pausedApp = first.hostedApp("paused", PAUSED);
      for (int i = 0; i < 6; i++) simulate(first, app, steps);
      paused = first.call("POST", "/rest/sip/app/" + pausedApp + "/simulate",
              "{\"from\":\"+12015550123\",\"to\":\"12025550111\",\"realtime\":true,\"wait\":false}", 201)
          .path("payload").path("call").path("uuid").asText();
      first.awaitCall(paused, c -> c.toString().contains("\"Pause[2]\""), WAIT);
      int expectedSteps = steps.values().stream().mapToInt(Integer::intValue).sum();
      await(first, "/rest/sip/app/call/search", "{\"sip_control_app\":\"" + app + "\"}", p -> total(p) == 6);
      flowsBefore = total(await(first, "/rest/sip/app/" + app + "/logs", "{}", p -> total(p) == expectedSteps));
      await(first, "/rest/call/search", "{\"sip_control_app\":\"" + pausedApp + "\",\"state\":\"online\"}",
          p -> total(p) == 1);
    }

    try (TestNode second = TestNode.start(data, "")) {
      JsonNode done = second.awaitCall(paused, c -> "destroyed".equals(c.path("state").asText()), WAIT);
      Set<String> tags = new HashSet<>();
      List<String> added = new ArrayList<>();
      while (tags.size() < CallEntity.TAGS.size() && added.size() < 64) {
        String id = simulate(second, app, steps);
        added.add(id);
        tags.add(CallEntity.tagFor(id));
      }
      assertEquals(CallEntity.TAGS.size(), tags.size(), "a new call in every slice");
      JsonNode calls = await(second, "/rest/sip/app/call/search?take=1000", "{\"sip_control_app\":\"" + app + "\"}",
          p -> ids(p).containsAll(added));
      assertEquals(6 + added.size(), total(calls), "each call once, old and new: " + calls);
      assertEquals(steps.size(), new HashSet<>(ids(calls)).size());
      assertTrue(ids(calls).containsAll(steps.keySet()));

      int expectedSteps = steps.values().stream().mapToInt(Integer::intValue).sum();
      JsonNode flows = await(second, "/rest/sip/app/" + app + "/logs?take=1000", "{}", p -> total(p) >= expectedSteps);
      assertEquals(expectedSteps, total(flows), "each step once (" + flowsBefore + " before the restart)");
      for (var e : steps.entrySet()) {
        long n = 0;
        for (JsonNode s : flows.path("data")) if (e.getKey().equals(s.path("call").asText())) n++;
        assertEquals(e.getValue().longValue(), n, "steps of call " + e.getKey());
      }

      // the call that was live across the restart: offline in the log, its steps as its trace has them, once each
      JsonNode pausedRow = await(second, "/rest/call/search",
          "{\"sip_control_app\":\"" + pausedApp + "\",\"state\":\"offline\"}", p -> total(p) == 1);
      assertEquals(paused, pausedRow.path("data").get(0).path("uuid").asText());
      assertEquals("destroyed", pausedRow.path("data").get(0).path("state").asText());
      assertEquals(16, pausedRow.path("data").get(0).path("q850_cause").asInt());
      List<String> trace = new ArrayList<>();
      for (JsonNode t : done.path("trace")) {
        if ("call_flow".equals(t.path("type").asText())) trace.add(t.path("path").asText() + " " + t.path("phase").asText());
      }
      JsonNode pausedSteps = await(second, "/rest/sip/app/" + pausedApp + "/logs?take=100", "{}",
          p -> total(p) >= trace.size());
      List<String> logged = new ArrayList<>();
      for (JsonNode s : pausedSteps.path("data")) logged.add(s.path("path").asText() + " " + s.path("phase").asText());
      assertEquals(trace, logged);
      assertEquals(0, total(second.call("POST", "/rest/call/search",
          "{\"sip_control_app\":\"" + pausedApp + "\",\"state\":\"online\"}", 200).path("payload")));

      // every slice keeps its offset in the offset store (what the restart resumed from)
      List<String> keys = second.node.platform().callLog.run(c -> {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement("SELECT projection_key FROM pekko_projection_offset_store "
            + "WHERE projection_name = ? ORDER BY projection_key")) {
          ps.setString(1, CallLogProjection.NAME);
          try (var rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
          }
        }
        return out;
      }).toCompletableFuture().get();
      assertEquals(CallEntity.TAGS, keys);
    }
  }

  static String simulate(TestNode n, String app, Map<String, Integer> steps) throws Exception {
    JsonNode r = n.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"12025550100\",\"realtime\":false,\"wait\":true}", 200).path("payload");
    int flow = 0;
    for (JsonNode t : r.path("trace")) if ("call_flow".equals(t.path("type").asText())) flow++;
    String id = r.path("call").path("uuid").asText();
    steps.put(id, flow);
    return id;
  }

  static long total(JsonNode page) {
    return page.path("total").asLong();
  }

  static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : page.path("data")) out.add(c.path("uuid").asText());
    return out;
  }

  static JsonNode await(TestNode n, String path, String body, Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = n.call("POST", path, body, 200).path("payload");
      if (done.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(path + " " + body + " did not reach the expected answer; last: " + last);
  }
}
