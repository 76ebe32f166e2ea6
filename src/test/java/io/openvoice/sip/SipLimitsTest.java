package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.Q850;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SIP edge's node-local limits at saturation, with real SIPp callers and phones on loopback: beyond
 * {@code openvoice.sip.max-calls} live calls (dialled legs included) or with every RTP port of
 * {@code openvoice.sip.rtp} taken, a new INVITE gets 503, OPTIONS is still answered 200, the live calls run their
 * whole flow, and once they end the node takes calls again. Each test has its own node and RTP range (48000-48499,
 * used by no other test); every SIPp run and every wait is bounded; nothing is timed.
 */
class SipLimitsTest {
  static final String DOMAIN = "limits.sip.test";
  static final String PASSWORD = "correct-horse";
  /** Answer, a long Pause, then a Say and Hangup: a call that is live for a while and must finish its flow. */
  static final long TN_LONG = 12025550140L;
  /** A short flow: the number new calls are placed to. */
  static final long TN_SHORT = 12025550141L;
  static final long TN_DIAL_RINGING = 12025550142L;
  static final long TN_DIAL_ANSWERED = 12025550143L;
  static final long TN_DIAL_FULL = 12025550144L;
  static final String STILL_HERE = "still here";
  static final String LONG_FLOW = """
      <Response>
        <Answer/>
        <Pause length="6000"/>
        <Say>%s</Say>
        <Hangup/>
      </Response>
      """.formatted(STILL_HERE);
  static final String SHORT_FLOW = "<Response><Answer/><Say>hello again</Say><Hangup/></Response>";

  TestNode node;
  int sipPort;
  final List<PlatformEvent> events = new CopyOnWriteArrayList<>();
  final CallStates calls = new CallStates(events);

  private void startNode(String name, int rtpPortMin, int rtpPortMax, int maxCalls) throws Exception {
    sipPort = Sipp.freeUdpPort();
    // later lines of the config win: the range and limit replace SipTestNodes' defaults
    node = SipTestNodes.start(name, sipPort, rtpPortMin, """
        openvoice.sip.rtp.port-max = %d
        openvoice.sip.max-calls = %d
        """.formatted(rtpPortMax, maxCalls), events);
    SipTestNodes.numberWithFlow(node, TN_LONG, "long", LONG_FLOW);
    SipTestNodes.numberWithFlow(node, TN_SHORT, "short", SHORT_FLOW);
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) node.close();
  }

  // ---- the limits ----------------------------------------------------------------------------------------

  @Test
  void atMaxCallsANewInviteGets503OptionsStillGets200TheLiveCallsFinishTheirFlowAndThenCallsAreAcceptedAgain()
      throws Exception {
    startNode("limits-calls", 48000, 48098, 2);
    saturateWithTwoLongCallsThenRefuseAndRecover();
  }

  /**
   * The range holds two even ports (an RTP session binds one even port; RTCP's odd port is not bound), far below
   * max-calls: the INVITE is refused by the RTP engine, not by the call count.
   */
  @Test
  void withEveryRtpPortTakenANewInviteGets503TheLiveCallsFinishTheirFlowAndThenCallsAreAcceptedAgain()
      throws Exception {
    startNode("limits-rtp", 48400, 48402, 50);
    saturateWithTwoLongCallsThenRefuseAndRecover();
  }

  private void saturateWithTwoLongCallsThenRefuseAndRecover() throws Exception {
    int mark = calls.mark();
    FutureTask<Sipp.Result> callers = background(() ->
        Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_LONG), 2, 10, 60));
    List<String> live = awaitLive(mark, TN_LONG, 2);
    awaitActiveCalls(n -> n == 2);

    refuseANewInvite();
    assertEquals(2, activeCalls(), "the refusal took no slot and freed none");

    Sipp.Result listened = callers.get(90, TimeUnit.SECONDS);
    assertTrue(listened.allCallsSucceeded(), "the live callers did not get their whole call:\n" + listened.output());
    for (String id : live) assertFinishedLongFlow(awaitDestroyed(id));

    // every slot and port is given back: two new calls, placed 100 ms apart (their flows overlap), are accepted
    awaitActiveCalls(n -> n == 0);
    int afterwards = calls.mark();
    Sipp.Result again = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_SHORT), 2, 10, 40);
    assertTrue(again.allCallsSucceeded(), "calls after the live ones ended were not accepted:\n" + again.output());
    List<String> later = callsTo(afterwards, TN_SHORT);
    assertEquals(2, later.size(), later.toString());
    for (String id : later) {
      JsonNode c = awaitDestroyed(id);
      assertEquals(Q850.NORMAL_CLEARING, c.path("q850_cause").asInt(), c.toString());
    }
  }

  /**
   * The account's own limit (2 live calls, set by the operator) is reached long before the node's: the next INVITE
   * is refused 503 (openvoice.limits.inbound-refusal-status), the live calls finish, and once the cluster has seen
   * them end a new call is admitted.
   */
  @Test
  void anAccountAtItsConcurrentCallsLimitHasItsNextInviteRefused503WhileTheNodeHasRoom() throws Exception {
    startNode("limits-account", 48500, 48598, 50);
    String me = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    node.call("PATCH", "/rest/account/" + me + "/limits", "{\"concurrent_calls_limit\":2}", 200);
    int mark = calls.mark();
    FutureTask<Sipp.Result> callers = background(() ->
        Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_LONG), 2, 10, 60));
    List<String> live = awaitLive(mark, TN_LONG, 2);

    refuseANewInvite();
    assertTrue(activeCalls() < 50, "the node itself had room");

    Sipp.Result listened = callers.get(90, TimeUnit.SECONDS);
    assertTrue(listened.allCallsSucceeded(), "the live callers did not get their whole call:\n" + listened.output());
    for (String id : live) assertFinishedLongFlow(awaitDestroyed(id));
    long until = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (node.call("GET", "/rest/account/limits", null, 200).path("payload").path("live_calls").asInt() > 0) {
      assertTrue(System.nanoTime() < until, "the account's live calls never went back to 0");
      Thread.sleep(100);
    }
    acceptsANewCall();
  }

  // ---- dialled legs --------------------------------------------------------------------------------------

  /** A caller and the leg its Dial rings fill max-calls = 2; the ringing phone is cancelled at the ring timeout. */
  @Test
  void aRingingDialledLegTakesASlotSoANewInviteGets503AndTheDialRingsOnUntilItsTimeout() throws Exception {
    startNode("limits-ringing", 48100, 48198, 2);
    String user = "ringer";
    dialNumber(TN_DIAL_RINGING, "dial-ringing", """
        <Response>
          <Answer/>
          <Dial timeout="8000"><To>%s@%s</To><Error><Say>no answer</Say></Error></Dial>
          <Hangup/>
        </Response>
        """.formatted(user, DOMAIN));
    int phonePort = Sipp.freeUdpPort();
    Sipp.Running phone = Sipp.serve(Sipp.scenario("uas_ring_forever.xml"), phonePort, 1, 60);
    register(user, phonePort);

    int mark = calls.mark();
    FutureTask<Sipp.Result> caller = background(() ->
        Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_DIAL_RINGING), 1, 1, 60));
    String parent = awaitLive(mark, TN_DIAL_RINGING, 1).get(0);
    awaitLegOf(parent);
    awaitActiveCalls(n -> n == 2);

    refuseANewInvite();
    assertTrue(calls.since(mark).stream().noneMatch(c -> "destroyed".equals(c.state())),
        "the Dial was still ringing when the INVITE was refused: " + calls.since(mark));

    Sipp.Result rang = phone.await();
    assertTrue(rang.allCallsSucceeded(), "the ringing phone was not CANCELled at the ring timeout:\n" + rang.output());
    Sipp.Result listened = caller.get(90, TimeUnit.SECONDS);
    assertTrue(listened.allCallsSucceeded(), "the caller failed:\n" + listened.output());
    JsonNode call = awaitDestroyed(parent);
    CallStates.assertDialFailedIntoItsError(call, "no_answer");
    assertEquals(Q850.NORMAL_CLEARING, call.path("q850_cause").asInt(), call.toString());
    List<String> legs = calls.legsOf(parent);
    assertEquals(1, legs.size(), legs.toString());
    JsonNode leg = awaitDestroyed(legs.get(0));
    assertEquals(Q850.ORIGINATOR_CANCEL, leg.path("q850_cause").asInt(), leg.toString());

    awaitActiveCalls(n -> n == 0);
    acceptsANewCall();
  }

  /** A caller bridged to the phone its Dial rang fill max-calls = 2; the phone talks, hangs up, the flow goes on. */
  @Test
  void aBridgedDialledLegTakesASlotSoANewInviteGets503AndTheBridgedCallIsUnaffected() throws Exception {
    startNode("limits-bridged", 48200, 48298, 2);
    String user = "talker";
    dialNumber(TN_DIAL_ANSWERED, "dial-answered", """
        <Response>
          <Answer/>
          <Dial timeout="20000"><To>%s@%s</To></Dial>
          <Say>%s</Say>
          <Hangup/>
        </Response>
        """.formatted(user, DOMAIN, STILL_HERE));
    int phonePort = Sipp.freeUdpPort();
    Path talking = Sipp.scenario("uas_answer.xml", "milliseconds=\"4000\"", "milliseconds=\"6000\"");
    Sipp.Running phone = Sipp.serve(talking, phonePort, 1, 60);
    register(user, phonePort);

    int mark = calls.mark();
    FutureTask<Sipp.Result> caller = background(() ->
        Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_DIAL_ANSWERED), 1, 1, 60));
    String parent = awaitLive(mark, TN_DIAL_ANSWERED, 1).get(0);
    calls.await(mark, c -> parent.equals(c.uuid()) && "bridged".equals(c.state()));
    awaitActiveCalls(n -> n == 2);

    refuseANewInvite();
    assertTrue(calls.since(mark).stream().noneMatch(c -> "destroyed".equals(c.state())),
        "the bridge was still up when the INVITE was refused: " + calls.since(mark));

    Sipp.Result talked = phone.await();
    assertTrue(talked.allCallsSucceeded(), "the answering phone failed:\n" + talked.output());
    Sipp.Result listened = caller.get(90, TimeUnit.SECONDS);
    assertTrue(listened.allCallsSucceeded(), "the caller failed:\n" + listened.output());
    JsonNode call = awaitDestroyed(parent);
    assertEquals(Q850.NORMAL_CLEARING, call.path("q850_cause").asInt(), call.toString());
    JsonNode dialEnd = finished(call, "Dial[1]");
    assertTrue(dialEnd != null && dialEnd.path("success").asBoolean(), "the Dial did not succeed: " + call.path("trace"));
    assertTrue(finished(call, "Say[2]") != null, "the flow did not go on after the bridge: " + call.path("trace"));
    List<String> legs = calls.legsOf(parent);
    assertEquals(1, legs.size(), legs.toString());
    JsonNode leg = awaitDestroyed(legs.get(0));
    assertEquals(Q850.NORMAL_CLEARING, leg.path("q850_cause").asInt(), leg.toString());
    assertTrue(!leg.path("answer_on").isNull() && !leg.path("answer_on").isMissingNode(), leg.toString());

    awaitActiveCalls(n -> n == 0);
    acceptsANewCall();
  }

  /**
   * Legs are not checked against max-calls when they are dialled, but the RTP engine opens at most max-calls
   * sessions: on a full node a live call's Dial finds no RTP port, that target fails with 503 and the Dial's
   * {@code <Error>} runs; the other live call is untouched. No INVITE goes out (the user's contact has no phone).
   */
  @Test
  void onAFullNodeALiveCallsDialFindsNoRtpPortAndRunsItsErrorWhileTheOtherLiveCallIsUntouched() throws Exception {
    startNode("limits-dial-full", 48300, 48398, 2);
    String user = "absent";
    dialNumber(TN_DIAL_FULL, "dial-full", """
        <Response>
          <Answer/>
          <Dial timeout="8000"><To>%s@%s</To><Error><Say>the node is full</Say></Error></Dial>
          <Hangup/>
        </Response>
        """.formatted(user, DOMAIN));
    register(user, Sipp.freeUdpPort());

    int mark = calls.mark();
    FutureTask<Sipp.Result> first = background(() ->
        Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_LONG), 1, 1, 60));
    String longCall = awaitLive(mark, TN_LONG, 1).get(0);
    awaitActiveCalls(n -> n == 1);

    int beforeDial = calls.mark();
    Sipp.Result dialler = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_DIAL_FULL), 1, 1, 40);
    assertTrue(dialler.allCallsSucceeded(), "the dialling caller failed:\n" + dialler.output());
    String parent = calls.await(beforeDial, c -> c.parent() == null && c.to().contains(String.valueOf(TN_DIAL_FULL)));
    JsonNode call = awaitDestroyed(parent);
    CallStates.assertDialFailedIntoItsError(call, "failed");
    assertEquals(List.of(), calls.legsOf(parent), "no leg is started without an RTP port");

    Sipp.Result listened = first.get(90, TimeUnit.SECONDS);
    assertTrue(listened.allCallsSucceeded(), "the other live caller failed:\n" + listened.output());
    assertFinishedLongFlow(awaitDestroyed(longCall));
    awaitActiveCalls(n -> n == 0);
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private void refuseANewInvite() throws Exception {
    int before = calls.mark();
    Sipp.Result refused = Sipp.run(Sipp.scenario("uac_refused.xml", "[status]", "503"), sipPort,
        String.valueOf(TN_SHORT), 1, 1, 20, "from", "+12015550199");
    assertTrue(refused.allCallsSucceeded(), "a new INVITE was not refused with 503:\n" + refused.output());
    assertEquals(List.of(), callsTo(before, TN_SHORT), "a refused INVITE makes no call");
    assertEquals(200, optionsStatus(), "a full node still answers OPTIONS (it is not draining)");
  }

  private void acceptsANewCall() throws Exception {
    int mark = calls.mark();
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_SHORT), 1, 1, 40);
    assertTrue(r.allCallsSucceeded(), "a call after the others ended was not accepted:\n" + r.output());
    JsonNode c = awaitDestroyed(callsTo(mark, TN_SHORT).get(0));
    assertEquals(Q850.NORMAL_CLEARING, c.path("q850_cause").asInt(), c.toString());
  }

  /** The long flow ran to its end: the Say after the Pause finished, the flow hung up, cause 16. */
  private static void assertFinishedLongFlow(JsonNode call) {
    String trace = call.path("trace").toString();
    JsonNode pause = finished(call, "Pause[1]");
    assertTrue(pause != null && pause.path("success").asBoolean(), "the Pause did not run out: " + trace);
    JsonNode say = finished(call, "Say[2]");
    assertTrue(say != null && say.path("success").asBoolean(), "the Say after the Pause did not play: " + trace);
    assertTrue(trace.contains("\"Hangup[3]\""), "the flow did not hang up: " + trace);
    assertEquals(Q850.NORMAL_CLEARING, call.path("q850_cause").asInt(), call.toString());
  }

  /** The trace entry of the verb at {@code path} finishing, or null. */
  private static JsonNode finished(JsonNode call, String path) {
    for (JsonNode t : call.path("trace")) {
      if ("call_flow".equals(t.path("type").asText()) && path.equals(t.path("path").asText())
          && "finished".equals(t.path("phase").asText())) {
        return t;
      }
    }
    return null;
  }

  /** Creates the SIP domain (each test has its own node) and a number whose flow dials one of its users. */
  private void dialNumber(long tn, String appName, String xml) throws Exception {
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"" + DOMAIN + "\"}", 201);
    SipTestNodes.numberWithFlow(node, tn, appName, xml);
  }

  private void register(String user, int contactPort) throws Exception {
    node.call("POST", "/rest/sip/domain/" + DOMAIN + "/user",
        "{\"login\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}", 201);
    Sipp.Result reg = Sipp.run(Sipp.scenario("uac_register.xml"), sipPort, user, 1, 1, 20,
        "domain", DOMAIN, "user", user, "contact_port", String.valueOf(contactPort), "-au", user, "-ap", PASSWORD);
    assertTrue(reg.allCallsSucceeded(), user + " did not register:\n" + reg.output());
  }

  /** Runs a SIPp caller on its own thread; its own -timeout and Sipp's deadline bound it. */
  private static FutureTask<Sipp.Result> background(Callable<Sipp.Result> run) {
    FutureTask<Sipp.Result> task = new FutureTask<>(run);
    Thread t = new Thread(task, "sipp-caller");
    t.setDaemon(true);
    t.start();
    return task;
  }

  /** The {@code n} distinct calls to {@code tn} (not legs) that went live since {@code from}; fails after 20 s. */
  private List<String> awaitLive(int from, long tn, int n) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Set<String> live = new LinkedHashSet<>();
    while (System.nanoTime() < until) {
      live.clear();
      for (CallStates.Call c : calls.since(from)) {
        if (c.parent() == null && c.to().contains(String.valueOf(tn)) && "live".equals(c.state())) live.add(c.uuid());
      }
      if (live.size() >= n) break;
      Thread.sleep(50);
    }
    assertEquals(n, live.size(), "live calls to " + tn + ": " + calls.since(from));
    return new ArrayList<>(live);
  }

  private void awaitLegOf(String parent) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (calls.legsOf(parent).isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    assertEquals(1, calls.legsOf(parent).size(), "the Dial started no leg: " + calls.since(0));
  }

  /** Distinct calls (not legs) to {@code tn} with an event since {@code from}. */
  private List<String> callsTo(int from, long tn) throws Exception {
    Set<String> out = new LinkedHashSet<>();
    for (CallStates.Call c : calls.since(from)) {
      if (c.parent() == null && c.to().contains(String.valueOf(tn))) out.add(c.uuid());
    }
    return new ArrayList<>(out);
  }

  private int activeCalls() {
    return node.node.platform().sipMedia.activeCalls();
  }

  /** Polls the edge's count of live calls and legs until it matches; fails after 15 s. */
  private void awaitActiveCalls(IntPredicate match) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!match.test(activeCalls()) && System.nanoTime() < until) Thread.sleep(50);
    assertTrue(match.test(activeCalls()), "calls and legs live on the edge: " + activeCalls());
  }

  private JsonNode awaitDestroyed(String callId) throws Exception {
    return node.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(20));
  }

  /** Sends an OPTIONS to the edge from a plain UDP socket and returns the final status of its answer. */
  private int optionsStatus() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.setSoTimeout(2000);
      String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
      String req = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=" + branch + "\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: <sip:probe@127.0.0.1:" + s.getLocalPort() + ">;tag=" + Long.toHexString(System.nanoTime()) + "\r\n"
          + "To: <sip:127.0.0.1:" + sipPort + ">\r\n"
          + "Call-ID: " + UUID.randomUUID() + "@127.0.0.1\r\n"
          + "CSeq: 1 OPTIONS\r\n"
          + "Content-Length: 0\r\n\r\n";
      byte[] out = req.getBytes(StandardCharsets.US_ASCII);
      byte[] in = new byte[4096];
      for (int attempt = 0; attempt < 5; attempt++) { // UDP: re-send the same request (one transaction) if unheard
        s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), sipPort));
        try {
          while (true) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            s.receive(p);
            String first = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).split("\r\n", 2)[0];
            if (!first.startsWith("SIP/2.0 ")) continue;
            int status = Integer.parseInt(first.substring(8, 11));
            if (status >= 200) return status;
          }
        } catch (SocketTimeoutException e) {
          // send again
        }
      }
      throw new AssertionError("no answer to OPTIONS from 127.0.0.1:" + sipPort);
    }
  }
}
