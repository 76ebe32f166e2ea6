package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.CallEntity;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cluster of two control nodes (the entities) and one edge node (SIP and RTP only), in one JVM with one
 * database. A SIPp caller on the edge runs its flow from a call entity on a control node, which drives the edge's
 * media through its media host; a control node with no SIP edge places calls through the edge; when the control
 * node running a live call leaves, the call entity restarts on the other and the call carries on (its Pause not
 * repeated, its Say once); when the edge leaves, its live calls end with media_node_lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeAndControlNodesTest {
  static final String SECRET = "edge-and-control-test-secret";
  static final long TN = 12025550193L;
  static final long LONG_TN = 12025550194L;
  static final long EDGE_TN = 12025550195L;
  static final long CALLER_TN = 12025550196L;

  static TestNode control1;
  static TestNode control2;
  static TestNode edge;
  static int sipPort;
  static int carrier;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createTempDirectory("openvoice-edge-control");
    control1 = TestNode.start(data, """
        openvoice.auth.jwt-secret = "%s"
        pekko.cluster.roles = ["control"]
        """.formatted(SECRET));
    String join = """
        openvoice.auth.jwt-secret = "%s"
        pekko.cluster.seed-nodes = ["%s"]
        """.formatted(SECRET, Cluster.get(control1.node.system()).selfMember().address());
    sipPort = Sipp.freeUdpPort();
    carrier = Sipp.freeUdpPort();
    edge = SipTestNodes.start(data, "edge-only", sipPort, 47000, join + "pekko.cluster.roles = [\"edge\"]\n", events);
    control2 = TestNode.start(data, join + "pekko.cluster.roles = [\"control\"]\n");
    for (TestNode n : List.of(control1, edge, control2)) awaitUp(n);

    SipTestNodes.numberWithFlow(control1, TN, "remote-media", "<Response><Answer/><Say>hello from a control node</Say><Hangup/></Response>");
    SipTestNodes.numberWithFlow(control1, LONG_TN, "failover",
        "<Response><Answer/><Pause length=\"8000\"/><Say>still here</Say><Hangup/></Response>");
    SipTestNodes.numberWithFlow(control1, EDGE_TN, "edge-dies", "<Response><Answer/><Pause length=\"30000\"/><Hangup/></Response>");
    control1.call("POST", "/rest/sip/connection", "{\"name\":\"carrier\",\"ip\":\"127.0.0.1\",\"port\":" + carrier + "}", 201);
    control1.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + CALLER_TN + "}]}", 201);
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestNode n : new TestNode[] {control2, edge, control1}) {
      try {
        if (n != null && !n.node.system().whenTerminated().isCompleted()) n.close();
      } catch (Exception e) {
        // already stopped by a test
      }
    }
  }

  static void awaitUp(TestNode n) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (Cluster.get(n.node.system()).selfMember().status() != MemberStatus.up()) {
      assertTrue(System.nanoTime() < until, "node did not join: " + n.base);
      Thread.sleep(100);
    }
  }

  @Test
  @Order(1)
  void aCallOnTheEdgeRunsItsFlowFromAControlNode() throws Exception {
    int mark = events.size();
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN), 1, 1, 40);
    assertTrue(r.allCallsSucceeded(), "the flow answered, spoke and hung up from a control node:\n" + r.output());
    String call = new CallStates(events).await(mark, c -> "destroyed".equals(c.state()));
    JsonNode done = control2.awaitCall(call, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
    boolean said = false;
    for (JsonNode t : done.path("trace")) {
      said |= "Say".equals(t.path("command").asText()) && "finished".equals(t.path("phase").asText())
          && t.path("success").asBoolean();
    }
    assertTrue(said, "the Say played on the edge: " + done.path("trace"));
    assertEquals(0, hostedEntities(edge).size(), "the edge runs no entities");
  }

  @Test
  @Order(2)
  void aControlNodeWithoutAnEdgePlacesCallsThroughTheEdge() throws Exception {
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), carrier, 1, 40);
    String call = control1.call("POST", "/rest/call", "{\"from\":\"" + CALLER_TN + "\",\"to\":\"13025550193\",\"xml\":"
        + "\"<Response><Say>placed</Say><Hangup/></Response>\"}", 201).path("payload").path("uuid").asText();
    Sipp.Result r = far.await();
    assertTrue(r.allCallsSucceeded(), r.output());
    control1.awaitCall(call, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
  }

  @Test
  @Order(3)
  void whenTheControlNodeRunningALiveCallLeavesTheCallCarriesOnFromTheOther() throws Exception {
    int mark = events.size();
    CompletableFuture<Sipp.Result> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(LONG_TN), 1, 1, 60);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String call = new CallStates(events).await(mark, c -> "live".equals(c.state()));
    TestNode host = hostedEntities(control1).contains(call) ? control1 : control2;
    TestNode other = host == control1 ? control2 : control1;
    assertTrue(hostedEntities(host).contains(call), "the call runs on a control node");
    host.close(); // leaves the cluster: its shards, this call's with it, move to the other control node

    Sipp.Result r = caller.get();
    assertTrue(r.allCallsSucceeded(), "the caller heard the flow to its end and got our BYE:\n" + r.output());
    JsonNode done = other.awaitCall(call, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    List<String> finished = new ArrayList<>();
    for (JsonNode t : done.path("trace")) {
      if ("finished".equals(t.path("phase").asText())) finished.add(t.path("command").asText());
    }
    assertEquals(1, finished.stream().filter("Pause"::equals).count(), "one Pause: " + finished);
    assertEquals(1, finished.stream().filter("Say"::equals).count(), "one Say: " + finished);
    assertEquals(16, done.path("q850_cause").asInt(), done.toString());
  }

  @Test
  @Order(4)
  void whenTheEdgeLeavesItsLiveCallsEndWithMediaNodeLost() throws Exception {
    TestNode control = !control1.node.system().whenTerminated().isCompleted() ? control1 : control2;
    int mark = events.size();
    CompletableFuture<Sipp.Result> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(EDGE_TN), 1, 1, 20);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String call = new CallStates(events).await(mark, c -> "live".equals(c.state()));
    edge.close();
    JsonNode done = control.awaitCall(call, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(30));
    assertTrue(done.path("hangup_reason").asText().startsWith("media_node_lost"), done.toString());
    caller.get(); // the caller's SIPp gives up by itself (its dialog went with the edge)
  }

  /** The call entities running on this node now. */
  static List<String> hostedEntities(TestNode n) throws Exception {
    var sys = n.node.system();
    ShardRegion.CurrentShardRegionState st = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(sys).shardState(),
            r -> new GetShardRegionState(CallEntity.TYPE_KEY, r), Duration.ofSeconds(5), sys.scheduler())
        .toCompletableFuture().get();
    List<String> ids = new ArrayList<>();
    st.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
    return ids;
  }
}
