package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.Q850;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two live calls bridged over REST ({@code POST /rest/call/{uuid}/bridge}): a SIPp caller on a number whose flow
 * pauses, and a call the platform placed to a SIPp carrier. Both report {@code bridged}, their RTP is relayed,
 * and when the caller hangs up the placed call's flow goes on after the verb the bridge interrupted (its Say,
 * then its Hangup reaches the carrier as BYE). Bad requests are refused naming the field or saying why.
 */
class SipBridgeCallsTest {
  static final long TN = 12025550191L;
  static final long CALLER_TN = 12025550192L;
  static final String FLOW_A = "<Response><Answer/><Pause length=\"60000\"/><Say>goodbye</Say><Hangup/></Response>";
  static final String FLOW_B = "<Response><Pause length=\"60000\"/><Say>the other party left</Say><Hangup/></Response>";

  static TestNode node;
  static int sipPort;
  static int carrier;
  static String lease;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    carrier = Sipp.freeUdpPort();
    node = SipTestNodes.start("bridge", sipPort, 40000, "", events);
    lease = SipTestNodes.carrierAndCaller(node, carrier, "", CALLER_TN);
    SipTestNodes.numberWithFlow(node, TN, "bridge-a", FLOW_A);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void twoBridgedCallsTalkAndWhenOneHangsUpTheOthersFlowGoesOnAfterTheInterruptedVerb() throws Exception {
    CallStates states = new CallStates(events);
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), carrier, 1, 60);
    String b = node.call("POST", "/rest/call", "{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550191\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW_B) + "}", 201).path("payload").path("uuid").asText();
    node.awaitCall(b, c -> "live".equals(c.path("state").asText()), Duration.ofSeconds(15));

    int mark = states.mark();
    CompletableFuture<Sipp.Result> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return Sipp.run(Sipp.scenario("uac_talk_then_bye.xml"), sipPort, String.valueOf(TN), 1, 1, 60, "-d", "8000");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String a = states.await(mark, c -> "live".equals(c.state()));
    long relayedBefore = relayed();

    JsonNode bridged = node.call("POST", "/rest/call/" + a + "/bridge?command_id=join-1",
        "{\"call\":\"" + b + "\"}", 200).path("payload");
    assertEquals(a, bridged.path("call").path("uuid").asText(), bridged.toString());
    assertEquals(b, bridged.path("bridged_with").path("uuid").asText(), bridged.toString());
    node.awaitCall(a, c -> "bridged".equals(c.path("state").asText()), Duration.ofSeconds(10));
    node.awaitCall(b, c -> "bridged".equals(c.path("state").asText()), Duration.ofSeconds(10));
    // the same command again is acknowledged, not run twice; without a key it is refused: they are bridged
    node.call("POST", "/rest/call/" + a + "/bridge?command_id=join-1", "{\"call\":\"" + b + "\"}", 200);
    JsonNode again = node.call("POST", "/rest/call/" + b + "/bridge", "{\"call\":\"" + a + "\"}", 409);
    assertTrue(again.toString().contains("bridged already"), again.toString());

    Sipp.Result hungUp = caller.get();
    assertTrue(hungUp.allCallsSucceeded(), "the caller's call and its BYE:\n" + hungUp.output());
    JsonNode aDone = node.awaitCall(a, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertEquals(Q850.NORMAL_CLEARING, aDone.path("q850_cause").asInt(), aDone.toString());

    Sipp.Result carrierSide = far.await();
    assertTrue(carrierSide.allCallsSucceeded(), "the placed call ended with our BYE:\n" + carrierSide.output());
    JsonNode bDone = node.awaitCall(b, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertTrue(relayed() - relayedBefore > 50, "RTP relayed between the bridged calls: " + (relayed() - relayedBefore));

    List<String> bSteps = steps(bDone);
    assertEquals(List.of("Pause:false", "Bridge:true", "Bridge:true", "Say:true"), bSteps.subList(0, 4),
        "the Pause was interrupted, the bridge made and ended once, then the Say after the Pause: " + bSteps);
    assertTrue(bDone.path("trace").toString().contains("bridged with call " + a), bDone.path("trace").toString());
    assertTrue(steps(aDone).contains("Bridge:true"), steps(aDone).toString());
    assertTrue(!steps(aDone).contains("Say:true"), "the caller hung up while bridged: no goodbye " + steps(aDone));

    List<String> bStates = new ArrayList<>();
    for (CallStates.Call c : states.since(0)) if (c.uuid().equals(b)) bStates.add(c.state());
    assertTrue(bStates.containsAll(List.of("bridged", "live", "destroyed")), bStates.toString());
    assertTrue(bStates.indexOf("bridged") < bStates.lastIndexOf("live"), "bridged, then live again: " + bStates);
  }

  @Test
  void aBridgeRequestThatCannotBeMadeSaysWhy() throws Exception {
    String app = node.hostedApp("bridge-sim", "<Response><Answer/><Pause length=\"20000\"/></Response>");
    String sim = node.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"+12015550100\",\"to\":\"12025550199\",\"wait\":false,\"realtime\":true}", 201)
        .path("payload").path("call").path("uuid").asText();
    String other = node.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"+12015550101\",\"to\":\"12025550199\",\"wait\":false,\"realtime\":true}", 201)
        .path("payload").path("call").path("uuid").asText();

    assertTrue(node.call("POST", "/rest/call/" + sim + "/bridge", "{}", 400).path("fields").has("call"));
    assertTrue(node.call("POST", "/rest/call/" + sim + "/bridge", "{\"call\":42}", 400).path("fields").has("call"));
    assertTrue(node.call("POST", "/rest/call/" + sim + "/bridge", "{\"call\":\"" + sim + "\"}", 400)
        .path("fields").has("call"));
    assertTrue(node.call("POST", "/rest/call/" + sim + "/bridge",
        "{\"call\":\"00000000-0000-0000-0000-000000000000\"}", 400).path("fields").has("call"));
    node.call("POST", "/rest/call/00000000-0000-0000-0000-000000000000/bridge", "{\"call\":\"" + sim + "\"}", 404);
    JsonNode notSip = node.call("POST", "/rest/call/" + sim + "/bridge", "{\"call\":\"" + other + "\"}", 409);
    assertTrue(notSip.toString().contains("SIP edge"), notSip.toString());
    node.call("POST", "/rest/call/" + sim + "/hangup", "{}", 200);
    node.call("POST", "/rest/call/" + other + "/hangup", "{}", 200);
  }

  private static long relayed() {
    return node.node.platform().sipMedia.relayedToCallers() + node.node.platform().sipMedia.relayedToLegs();
  }

  /** The flow's finished verbs and platform steps as "Command:success", in order. */
  private static List<String> steps(JsonNode call) {
    List<String> out = new ArrayList<>();
    for (JsonNode t : call.path("trace")) {
      if (!"finished".equals(t.path("phase").asText())) continue;
      String cmd = t.path("command").asText();
      if (cmd.equals("Answer")) continue;
      out.add(cmd + ":" + t.path("success").asBoolean());
    }
    return out;
  }
}
