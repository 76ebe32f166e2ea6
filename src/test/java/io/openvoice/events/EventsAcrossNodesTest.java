package io.openvoice.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one cluster (one JVM, one database): a WebSocket client on either node receives the events of
 * every call of its account, whichever node runs the call's entity (the events cross nodes on the cluster topic).
 * Each call's events are published only by the node hosting its entity, and a socket only listens on its own
 * node: a call whose events reach the clients on both nodes has crossed the cluster to one of them, wherever
 * sharding placed it.
 */
class EventsAcrossNodesTest {
  static final Duration MAX = Duration.ofSeconds(30);
  static final String SECRET = "events-across-nodes-test-secret";

  static TestNode first;
  static TestNode second;
  static String app;

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createTempDirectory("openvoice-two-nodes");
    first = TestNode.start(data, "openvoice.auth.jwt-secret = \"" + SECRET + "\"");
    String seed = Cluster.get(first.node.system()).selfMember().address().toString();
    second = TestNode.start(data, """
        openvoice.auth.jwt-secret = "%s"
        pekko.cluster.seed-nodes = ["%s"]
        """.formatted(SECRET, seed));
    long until = System.nanoTime() + MAX.toNanos();
    while (Cluster.get(second.node.system()).selfMember().status() != org.apache.pekko.cluster.MemberStatus.up()) {
      assertTrue(System.nanoTime() < until, "the second node did not join");
      Thread.sleep(100);
    }
    app = first.hostedApp("across", "<Response><Answer/><Say>hi</Say><Hangup/></Response>");
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) second.close();
    if (first != null) first.close();
  }

  @Test
  void aClientOnEitherNodeReceivesTheEventsOfCallsRunOnBothNodes() throws Exception {
    first.call("POST", "/rest/event/subscription", "{\"type\":\"call_state\"}", 201);
    try (WsClient onFirst = connect(first); WsClient onSecond = connect(second)) {
      List<String> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        TestNode via = i % 2 == 0 ? first : second;
        HttpResponse<String> r = via.send(first.token, "POST", "/rest/sip/app/" + app + "/simulate", "application/json",
            "{\"from\":\"+1201555010" + i + "\",\"to\":\"12025550100\",\"realtime\":true,\"wait\":false}");
        assertEquals(201, r.statusCode(), r.body());
        calls.add(TestNode.M.readTree(r.body()).path("payload").path("call").path("uuid").asText());
      }
      for (WsClient c : List.of(onFirst, onSecond)) {
        Set<String> destroyed = new HashSet<>();
        c.until(m -> {
          if ("call_state".equals(m.path("type").asText()) && "destroyed".equals(m.path("payload").path("state").asText())) {
            destroyed.add(m.path("call").path("uuid").asText());
          }
          return destroyed.containsAll(calls);
        }, MAX);
      }
    }
  }

  /**
   * Replies of entities cross nodes too (each must have a serializer that is not Java serialization): the same
   * reads through both nodes answer the same, wherever sharding put the entities.
   */
  @Test
  void readsAnswerTheSameThroughEitherNode() throws Exception {
    first.call("POST", "/rest/event/subscription", "{\"type\":\"call_flow\"}", 201);
    first.call("POST", "/rest/sip/connection", "{\"name\":\"across\",\"ip\":\"127.0.0.1\",\"port\":5070}", 201);
    first.call("POST", "/rest/profile/outbound_voice", "{\"name\":\"across\"}", 201);
    for (String path : List.of("/rest/event/subscription", "/rest/sip/connection", "/rest/profile/outbound_voice",
        "/rest/account/limits", "/rest/sip/app/" + app, "/rest/account", "/rest/sip/app/call/online",
        "/rest/account/webhook/secret")) {
      JsonNode a = first.call("GET", path, null, 200).path("payload");
      JsonNode b = second.callAs(first.token, "GET", path, null, 200).path("payload");
      assertEquals(a, b, path);
    }
  }

  private static WsClient connect(TestNode node) throws Exception {
    WsClient c = WsClient.connect(node);
    c.send("{\"type\":\"auth\",\"payload\":\"" + first.token + "\"}");
    JsonNode auth = c.next(MAX);
    assertTrue(auth.path("success").asBoolean(), auth.toString());
    return c;
  }
}
