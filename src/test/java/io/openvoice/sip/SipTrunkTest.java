package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.Q850;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP connections (trunks) with real SIPp carriers on loopback: a flow's Dial to a number leaves through the
 * account's trunk with its tech prefix and the number as caller id, a busy trunk runs the Dial's Error, a number
 * leased on a connection is forwarded to that trunk keeping the caller's id, and a SIP user's call to a number
 * leaves through its domain's connection. Every SIPp run and wait is bounded; nothing is timed.
 */
class SipTrunkTest {
  static final String DOMAIN = "trunks.sip.test";
  static final String PASSWORD = "correct-horse";
  static final long TN_DIAL_OUT = 12025550161L;
  static final long TN_DIAL_BUSY = 12025550162L;
  static final long TN_FORWARDED = 12025550163L;
  static final long TN_LOOP = 12025550164L;

  static TestNode node;
  static int sipPort;
  static int carrierA;
  static int carrierB;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();
  static final CallStates calls = new CallStates(events);

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    carrierA = Sipp.freeUdpPort();
    carrierB = Sipp.freeUdpPort();
    node = SipTestNodes.start("trunks", sipPort, 46000, "", events);
    // carrier A is the account's oldest connection: numbers without a connection of their own dial out through it
    node.call("POST", "/rest/sip/connection", "{\"name\":\"carrier a\",\"ip\":\"127.0.0.1\",\"port\":" + carrierA
        + ",\"tech_prefix\":\"77\"}", 201);
    String b = node.call("POST", "/rest/sip/connection", "{\"name\":\"carrier b\",\"ip\":\"127.0.0.1\",\"port\":"
        + carrierB + "}", 201).path("payload").path("uuid").asText();
    SipTestNodes.numberWithFlow(node, TN_DIAL_OUT, "dial-out", """
        <Response>
          <Answer/>
          <Dial timeout="10000"><To>13025550190</To></Dial>
          <Say>welcome back</Say>
          <Hangup/>
        </Response>
        """);
    SipTestNodes.numberWithFlow(node, TN_DIAL_BUSY, "dial-busy", """
        <Response>
          <Answer/>
          <Dial><To>13025550191</To><Error><Say>the line is busy</Say></Error></Dial>
          <Hangup/>
        </Response>
        """);
    JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + TN_FORWARDED + "}]}", 201).path("payload");
    String lease = order.path("tnleases").get(0).path("uuid").asText();
    node.call("POST", "/rest/sip/connection/" + b + "/tnlease", "{\"add\":[\"" + lease + "\"]}", 200);
    // a misconfigured trunk: the number's connection points back at the node itself
    String loop = node.call("POST", "/rest/sip/connection", "{\"name\":\"back to us\",\"ip\":\"127.0.0.1\",\"port\":"
        + sipPort + "}", 201).path("payload").path("uuid").asText();
    JsonNode looped = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + TN_LOOP + "}]}", 201).path("payload");
    node.call("POST", "/rest/sip/connection/" + loop + "/tnlease",
        "{\"add\":[\"" + looped.path("tnleases").get(0).path("uuid").asText() + "\"]}", 200);
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"" + DOMAIN + "\",\"sip_connection\":\"" + b + "\"}", 201);
    node.call("POST", "/rest/sip/domain/" + DOMAIN + "/user", "{\"login\":\"dave\",\"password\":\"" + PASSWORD
        + "\",\"phone_number\":\"+13025550100\"}", 201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aFlowDialsANumberThroughTheAccountsTrunkWithItsTechPrefixAndTheNumberAsCallerIdAndCarriesOnAfter()
      throws Exception {
    int before = calls.mark();
    Sipp.Result trunk = callThrough(carrierA, answering(), TN_DIAL_OUT);
    assertTrue(trunk.logs().contains("INVITE user=7713025550190 from=" + TN_DIAL_OUT), trunk.logs());

    String parent = calls.await(before, c -> c.parent() == null && "bridged".equals(c.state()));
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    String trace = call.path("trace").toString();
    assertTrue(trace.contains("\"Say[2]\""), "the flow did not continue after the carrier hung up: " + trace);
    List<String> legs = calls.legsOf(parent);
    assertEquals(1, legs.size(), legs.toString());
    JsonNode leg = node.awaitCall(legs.get(0), c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertEquals("13025550190", leg.path("to").asText(), leg.toString());
    assertEquals(Q850.NORMAL_CLEARING, leg.path("q850_cause").asInt(), leg.toString());
  }

  @Test
  void aBusyTrunkRunsTheDialsErrorAndItsLegEndsUserBusy() throws Exception {
    int before = calls.mark();
    Sipp.Result trunk = callThrough(carrierA, Sipp.scenario("uas_busy.xml"), TN_DIAL_BUSY);
    assertTrue(trunk.logs().contains("INVITE user=7713025550191"), trunk.logs());

    String parent = calls.await(before, c -> c.parent() == null && c.to().contains(String.valueOf(TN_DIAL_BUSY)));
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    CallStates.assertDialFailedIntoItsError(call, "busy");
    List<String> legs = calls.legsOf(parent);
    assertEquals(1, legs.size(), legs.toString());
    JsonNode leg = node.awaitCall(legs.get(0), c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertEquals(Q850.USER_BUSY, leg.path("q850_cause").asInt(), leg.toString());
  }

  @Test
  void aCallToANumberLeasedOnAConnectionIsForwardedToThatTrunkWithTheCallersId() throws Exception {
    int before = calls.mark();
    Sipp.Result trunk = callThrough(carrierB, answering(), TN_FORWARDED);
    // uac_listen calls as +12015550123; carrier B has no tech prefix
    assertTrue(trunk.logs().contains("INVITE user=" + TN_FORWARDED + " from=+12015550123"), trunk.logs());

    String parent = calls.await(before, c -> c.parent() == null && "bridged".equals(c.state()));
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertEquals(String.valueOf(TN_FORWARDED), call.path("to").asText(), call.toString());
    assertEquals(1, calls.legsOf(parent).size());
  }

  /** The trunk a number is forwarded to is busy: the caller, never answered, is refused 486 as a carrier would. */
  @Test
  void aCallerForwardedToABusyTrunkIsRefusedBusy() throws Exception {
    Sipp.Running carrier = Sipp.serve(Sipp.scenario("uas_busy.xml"), carrierB, 1, 40);
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_refused.xml", "[status]", "486"), sipPort,
        String.valueOf(TN_FORWARDED), 1, 1, 40, "from", "+12015550123");
    assertTrue(caller.allCallsSucceeded(), "the caller was not refused 486:\n" + caller.output());
    Sipp.Result trunk = carrier.await();
    assertTrue(trunk.allCallsSucceeded(), "the carrier failed:\n" + trunk.output());
  }

  /**
   * Each forwarded leg carries the caller's Max-Forwards less one: a number whose trunk is the node itself goes
   * round a few times, then the innermost INVITE gets 483, each Dial of the loop fails in turn (503 back up to
   * the caller) and every call of the loop ends; none stays live. Both sides of each hop share one SIP Call-ID on
   * this node, so this also proves responses and requests find the right side.
   */
  @Test
  void aNumberForwardedBackToTheNodeItselfEndsWhenMaxForwardsRunsOut() throws Exception {
    int before = calls.mark();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_refused.xml", "Max-Forwards: 70", "Max-Forwards: 4", "[status]",
        "503"), sipPort, String.valueOf(TN_LOOP), 1, 1, 40, "from", "+12015550123");
    assertTrue(caller.allCallsSucceeded(), "the looping call did not end with 503:\n" + caller.output());
    List<CallStates.Call> seen = calls.since(before);
    long started = seen.stream().filter(c -> "init".equals(c.state())).map(CallStates.Call::uuid).distinct().count();
    assertTrue(started > 0 && started <= 8, "4 hops make at most 4 calls and their legs: " + started);
    for (String id : seen.stream().map(CallStates.Call::uuid).distinct().toList()) {
      node.awaitCall(id, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    }
  }

  @Test
  void aSipUsersCallToANumberLeavesThroughItsDomainsConnectionWithTheUsersNumberAsCallerId() throws Exception {
    Sipp.Running carrier = Sipp.serve(answering(), carrierB, 1, 40);
    int before = calls.mark();
    Sipp.Result dave = Sipp.run(Sipp.scenario("uac_user_call.xml"), sipPort, "13025550192", 1, 1, 40,
        "domain", DOMAIN, "user", "dave", "-au", "dave", "-ap", PASSWORD);
    assertTrue(dave.allCallsSucceeded(), "dave's call failed:\n" + dave.output());
    Sipp.Result trunk = carrier.await();
    assertTrue(trunk.allCallsSucceeded(), "the carrier failed:\n" + trunk.output());
    assertTrue(trunk.logs().contains("INVITE user=13025550192 from=+13025550100"), trunk.logs());

    String parent = calls.await(before, c -> c.parent() == null && "bridged".equals(c.state()));
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertEquals("dave", call.path("from").asText(), call.toString());
  }

  /** A carrier that answers, talks 2 s and hangs up. */
  private static java.nio.file.Path answering() throws Exception {
    return Sipp.scenario("uas_answer.xml", "milliseconds=\"4000\"", "milliseconds=\"2000\"");
  }

  /** A SIPp caller dials {@code tn} while SIPp plays the carrier on {@code carrierPort}; both must succeed. */
  private static Sipp.Result callThrough(int carrierPort, java.nio.file.Path carrierScenario, long tn) throws Exception {
    Sipp.Running carrier = Sipp.serve(carrierScenario, carrierPort, 1, 40);
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(tn), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());
    Sipp.Result trunk = carrier.await();
    assertTrue(trunk.allCallsSucceeded(), "the carrier failed:\n" + trunk.output());
    return trunk;
  }
}
