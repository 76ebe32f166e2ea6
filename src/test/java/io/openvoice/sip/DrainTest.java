package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Draining a node under load drops no call: once {@code POST /rest/node/drain} is accepted, readiness is 503, the
 * SIP edge answers OPTIONS and new INVITEs with 503, the calls already up run their flows to the end (their
 * callers get our BYE after the last verb), and then the node leaves on its own.
 */
class DrainTest {
  static final long TN = 12025550197L;
  static final int CALLS = 4;

  static TestNode node;
  static int sipPort;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    node = SipTestNodes.start("drain", sipPort, 45000, "openvoice.drain.max-wait = 60s", events);
    SipTestNodes.numberWithFlow(node, TN, "drained",
        "<Response><Answer/><Pause length=\"5000\"/><Say>goodbye</Say><Hangup/></Response>");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aDrainedNodeRefusesNewCallsFinishesTheLiveOnesAndThenLeaves() throws Exception {
    assertEquals("ready", node.call("GET", "/health/ready", null, 200).path("payload").path("status").asText());
    assertTrue(Sipp.run(Sipp.scenario("uac_options.xml", "[status]", "200"), sipPort, "ping", 1, 1, 10)
        .allCallsSucceeded(), "OPTIONS 200 while in service");

    CallStates states = new CallStates(events);
    int mark = states.mark();
    CompletableFuture<Sipp.Result> live = CompletableFuture.supplyAsync(() -> {
      try {
        return Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN), CALLS, 10, 60);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Set<String> up = new HashSet<>();
    while (up.size() < CALLS) {
      assertTrue(System.nanoTime() < until, "the calls did not come up: " + states.since(mark));
      for (CallStates.Call c : states.since(mark)) if ("live".equals(c.state())) up.add(c.uuid());
      Thread.sleep(50);
    }

    JsonNode drain = node.call("POST", "/rest/node/drain", null, 202).path("payload");
    assertEquals(CALLS, drain.path("live_sip_calls").asInt(), drain.toString());
    JsonNode ready = node.call("GET", "/health/ready", null, 503);
    assertTrue(ready.toString().contains("draining"), ready.toString());
    assertTrue(Sipp.run(Sipp.scenario("uac_options.xml", "[status]", "503"), sipPort, "ping", 1, 1, 10)
        .allCallsSucceeded(), "OPTIONS 503 while draining");
    Sipp.Result refused = Sipp.run(Sipp.scenario("uac_refused.xml", "[status]", "503"), sipPort, String.valueOf(TN),
        1, 1, 10, "from", "+12015550198");
    assertTrue(refused.allCallsSucceeded(), "a new INVITE refused with 503 while draining:\n" + refused.output());

    Sipp.Result r = live.get(60, TimeUnit.SECONDS);
    assertTrue(r.allCallsSucceeded(), "every live call ran to its end and got our BYE:\n" + r.output());
    int said = 0;
    for (PlatformEvent e : events.subList(mark, events.size())) {
      JsonNode j = TestNode.M.readTree(e.json());
      JsonNode cmd = j.path("payload").path("command");
      if ("call_flow".equals(j.path("type").asText()) && up.contains(j.path("ref_id").asText())
          && "Say".equals(cmd.path("name").asText()) && "finished".equals(cmd.path("phase").asText())
          && cmd.path("success").asBoolean()) {
        said++;
      }
    }
    assertEquals(CALLS, said, "each drained call said goodbye");
    node.node.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
