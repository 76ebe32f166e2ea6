package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.call.Q850;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The races and failures of a {@code <Dial>} to registered SIP users, with real SIPp phones on loopback: the
 * caller cancels while the callee rings, the callee is busy, the user has no registration, and a user registered
 * on two phones rings on both until one answers. Every SIPp run and every wait is bounded; nothing is timed.
 */
class SipDialRacesTest {
  static final String DOMAIN = "races.sip.test";
  static final String PASSWORD = "correct-horse";
  static final long TN_CANCELLED = 12025550171L;
  static final long TN_BUSY = 12025550172L;
  static final long TN_UNREGISTERED = 12025550173L;
  static final long TN_TWO_PHONES = 12025550174L;
  static final long TN_LATE_RINGER = 12025550175L;

  static TestNode node;
  static int sipPort;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();
  static final CallStates calls = new CallStates(events);

  @BeforeAll
  static void start() throws Exception {
    assertTrue(Sipp.installed(), "SIPp is missing: run ops/setup.sh (Debian package sip-tester)");
    sipPort = Sipp.freeUdpPort();
    node = TestNode.start(Files.createTempDirectory("openvoice-dial-races"), """
        openvoice.sip.enabled = true
        openvoice.sip.bind = "127.0.0.1"
        openvoice.sip.port = %d
        openvoice.sip.transports = ["udp"]
        openvoice.sip.rtp.port-min = 44000
        openvoice.sip.rtp.port-max = 44998
        """.formatted(sipPort));
    var collector = node.node.system().systemActorOf(Behaviors.<PlatformEvent>receiveMessage(e -> {
      events.add(e);
      return Behaviors.same();
    }), "dial-races-test-events", Props.empty());
    node.node.platform().bus.subscribe(collector);
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"" + DOMAIN + "\"}", 201);
    // "ghost" exists but never registers
    for (String login : List.of("ringer", "busy", "ghost", "twin", "late")) {
      node.call("POST", "/rest/sip/domain/" + DOMAIN + "/user",
          "{\"login\":\"" + login + "\",\"password\":\"" + PASSWORD + "\"}", 201);
    }
    number(TN_CANCELLED, "dial-ringer", """
        <Response>
          <Dial timeout="20000"><To>ringer@%s</To></Dial>
        </Response>
        """.formatted(DOMAIN));
    number(TN_BUSY, "dial-busy", """
        <Response>
          <Answer/>
          <Dial><To>busy@%s</To><Error><Say>the line is busy</Say></Error></Dial>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
    number(TN_UNREGISTERED, "dial-ghost", """
        <Response>
          <Answer/>
          <Dial><To>ghost@%s</To><Error><Say>nobody can be reached</Say></Error></Dial>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
    number(TN_TWO_PHONES, "dial-twin", """
        <Response>
          <Answer/>
          <Dial timeout="20000"><To>twin@%s</To></Dial>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
    number(TN_LATE_RINGER, "dial-late", """
        <Response>
          <Answer/>
          <Dial timeout="20000"><To>late@%s</To></Dial>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
    Thread.sleep(300); // the bus registers its subscriber asynchronously
  }

  private static void number(long tn, String appName, String xml) throws Exception {
    String app = node.hostedApp(appName, xml);
    JsonNode order = node.call("POST", "/rest/order", "{\"items\":[{\"tn\":" + tn + "}]}", 201).path("payload");
    String lease = order.path("tnleases").get(0).path("uuid").asText();
    node.call("POST", "/rest/sip/app/" + app + "/tnlease", "{\"add\":[\"" + lease + "\"]}", 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aCallerWhoCancelsWhileTheUserRingsCancelsTheRingingLegAndNoCallStaysLive() throws Exception {
    int phone = Sipp.freeUdpPort();
    Sipp.Running ringer = Sipp.serve(Sipp.scenario("uas_ring_forever.xml"), phone, 1, 40);
    assertRegistered("ringer", phone);

    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_early_hangup.xml"), sipPort, String.valueOf(TN_CANCELLED), 1, 1, 30);
    assertTrue(caller.allCallsSucceeded(), "the caller's CANCEL did not end its INVITE with 487:\n" + caller.output());
    Sipp.Result rang = ringer.await();
    assertTrue(rang.allCallsSucceeded(), "the ringing phone was not CANCELled:\n" + rang.output());

    String parent = awaitEvent(before, e -> e.parent() == null && e.to().contains(String.valueOf(TN_CANCELLED)));
    JsonNode call = awaitDestroyed(parent);
    assertEquals(Q850.ORIGINATOR_CANCEL, call.path("q850_cause").asInt(), call.toString());
    List<String> legs = legsOf(parent);
    assertEquals(1, legs.size(), "one leg per registered contact: " + legs);
    JsonNode leg = awaitDestroyed(legs.get(0));
    assertEquals(Q850.ORIGINATOR_CANCEL, leg.path("q850_cause").asInt(), leg.toString());
    assertEquals("out", leg.path("direction").asText(), leg.toString());
  }

  @Test
  void aBusyUserRunsTheDialsErrorAndItsLegEndsUserBusy() throws Exception {
    int phone = Sipp.freeUdpPort();
    Sipp.Running busy = Sipp.serve(Sipp.scenario("uas_busy.xml"), phone, 1, 40);
    assertRegistered("busy", phone);

    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_BUSY), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());
    Sipp.Result b = busy.await();
    assertTrue(b.allCallsSucceeded(), "the busy phone failed:\n" + b.output());

    String parent = awaitEvent(before, e -> e.parent() == null && e.to().contains(String.valueOf(TN_BUSY)));
    JsonNode call = awaitDestroyed(parent);
    CallStates.assertDialFailedIntoItsError(call, "busy");
    List<String> legs = legsOf(parent);
    assertEquals(1, legs.size(), legs.toString());
    JsonNode leg = awaitDestroyed(legs.get(0));
    assertEquals(Q850.USER_BUSY, leg.path("q850_cause").asInt(), leg.toString());
  }

  @Test
  void aUserWithNoRegistrationIsUnreachableAndTheDialsErrorRuns() throws Exception {
    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_UNREGISTERED), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());

    String parent = awaitEvent(before, e -> e.parent() == null && e.to().contains(String.valueOf(TN_UNREGISTERED)));
    JsonNode call = awaitDestroyed(parent);
    CallStates.assertDialFailedIntoItsError(call, "unreachable");
    assertEquals(List.of(), legsOf(parent), "no leg is dialled to a user without a contact");
  }

  @Test
  void aUserOnTwoPhonesRingsBothAndTheFirstToAnswerWinsWhileTheOtherIsCancelled() throws Exception {
    twoPhones("twin", TN_TWO_PHONES, Sipp.scenario("uas_ring_forever.xml"));
  }

  /**
   * The other phone's 180 comes only after the first phone answered (it holds the INVITE a while first): the leg
   * given up before any provisional response must still be CANCELled once its 180 arrives (RFC 3261 9.1).
   */
  @Test
  void aPhoneThatStartsRingingOnlyAfterTheOtherAnsweredIsCancelledAsSoonAsItRings() throws Exception {
    twoPhones("late", TN_LATE_RINGER, Sipp.scenario("uas_ring_forever.xml",
        "<recv request=\"INVITE\"/>", "<recv request=\"INVITE\"/>\n  <pause milliseconds=\"1500\"/>"));
  }

  private void twoPhones(String user, long tn, Path ringingScenario) throws Exception {
    int ringingPhone = Sipp.freeUdpPort();
    int answeringPhone = Sipp.freeUdpPort();
    Sipp.Running ringing = Sipp.serve(ringingScenario, ringingPhone, 1, 40);
    Sipp.Running answering = Sipp.serve(Sipp.scenario("uas_answer.xml", "milliseconds=\"4000\"",
        "milliseconds=\"2000\""), answeringPhone, 1, 40);
    assertRegistered(user, ringingPhone);
    assertRegistered(user, answeringPhone);

    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(tn), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());
    Sipp.Result answered = answering.await();
    assertTrue(answered.allCallsSucceeded(), "the answering phone failed:\n" + answered.output());
    Sipp.Result rang = ringing.await();
    assertTrue(rang.allCallsSucceeded(), "the other phone was not CANCELled once one answered:\n" + rang.output());

    String parent = awaitEvent(before, e -> e.parent() == null && e.to().contains(String.valueOf(tn))
        && "bridged".equals(e.state()));
    awaitDestroyed(parent);
    List<String> legs = legsOf(parent);
    assertEquals(2, legs.size(), "one leg per registered contact: " + legs);
    String winner = awaitEvent(before, e -> parent.equals(e.parent()) && "bridged".equals(e.state()));
    for (String leg : legs) {
      JsonNode l = awaitDestroyed(leg);
      if (leg.equals(winner)) {
        assertEquals(Q850.NORMAL_CLEARING, l.path("q850_cause").asInt(), l.toString());
        assertTrue(!l.path("answer_on").isNull() && !l.path("answer_on").isMissingNode(), l.toString());
      } else {
        assertEquals("answered_elsewhere", l.path("hangup_reason").asText(), l.toString());
        assertTrue(l.path("answer_on").isNull() || l.path("answer_on").isMissingNode(), l.toString());
      }
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  private static void assertRegistered(String user, int contactPort) throws Exception {
    Sipp.Result reg = Sipp.run(Sipp.scenario("uac_register.xml"), sipPort, user, 1, 1, 20,
        "domain", DOMAIN, "user", user, "contact_port", String.valueOf(contactPort), "-au", user, "-ap", PASSWORD);
    assertTrue(reg.allCallsSucceeded(), user + " did not register:\n" + reg.output());
  }

  private static JsonNode awaitDestroyed(String callId) throws Exception {
    return node.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
  }

  private static List<String> legsOf(String parent) throws Exception {
    return calls.legsOf(parent);
  }

  private static String awaitEvent(int from, Predicate<CallStates.Call> match) throws Exception {
    return calls.await(from, match);
  }
}
