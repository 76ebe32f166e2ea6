package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP users of a domain, with real SIPp phones on loopback: they register with digest, call each other through
 * the node (the callee's leg is a child call), are dialled by a number's flow, and strangers are refused.
 */
class SipDomainCallTest {
  static final String DOMAIN = "acme.sip.test";
  static final String PASSWORD = "correct-horse";
  static final long TN = 12025550160L;
  static final long TN_NAT = 12025550166L;
  /** A private address no packet reaches: what a phone behind NAT puts in its Contact. */
  static final String PRIVATE_CONTACT = "192.0.2.10:5062";

  static TestNode node;
  static int sipPort;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    node = SipTestNodes.start("domain", sipPort, 42000, "", events);
    node.call("POST", "/rest/sip/domain", "{\"domain\":\"" + DOMAIN + "\"}", 201);
    for (String login : List.of("alice", "bob", "carol", "dora")) {
      node.call("POST", "/rest/sip/domain/" + DOMAIN + "/user",
          "{\"login\":\"" + login + "\",\"password\":\"" + PASSWORD + "\"}", 201);
    }
    SipTestNodes.numberWithFlow(node, TN, "dial-bob", """
        <Response>
          <Answer/>
          <Dial timeout="10000"><To>bob@%s</To></Dial>
          <Say>the other party hung up</Say>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
    // dora's phone is behind NAT: the leg's ACK and BYE must go where she registered from, not to her Contact
    SipTestNodes.numberWithFlow(node, TN_NAT, "dial-dora", """
        <Response>
          <Answer/>
          <Dial timeLimit="3000"><To>dora@%s</To></Dial>
          <Say>time is up</Say>
          <Hangup/>
        </Response>
        """.formatted(DOMAIN));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  private static Sipp.Result register(String user, int contactPort, String password) throws Exception {
    return Sipp.run(Sipp.scenario("uac_register.xml"), sipPort, user, 1, 1, 20,
        "domain", DOMAIN, "user", user, "contact_port", String.valueOf(contactPort), "-au", user, "-ap", password);
  }

  @Test
  void twoRegisteredUsersCallEachOtherThroughTheNodeAnsweringTheDigestChallenge() throws Exception {
    int bobPhone = Sipp.freeUdpPort();
    Sipp.Running bob = Sipp.serve(Sipp.scenario("uas_answer.xml", "milliseconds=\"4000\"", "milliseconds=\"3000\""), bobPhone, 1, 40);
    Sipp.Result reg = register("bob", bobPhone, PASSWORD);
    assertTrue(reg.allCallsSucceeded(), "bob did not register:\n" + reg.output());

    int before = events.size();
    long toCallers = node.node.platform().sipMedia.relayedToCallers();
    long toLegs = node.node.platform().sipMedia.relayedToLegs();
    Sipp.Result alice = Sipp.run(Sipp.scenario("uac_user_call.xml"), sipPort, "bob", 1, 1, 40,
        "domain", DOMAIN, "user", "alice", "-au", "alice", "-ap", PASSWORD);
    assertTrue(alice.allCallsSucceeded(), "alice's call failed:\n" + alice.output());
    Sipp.Result bobResult = bob.await();
    assertTrue(bobResult.allCallsSucceeded(), "bob's phone failed:\n" + bobResult.output());

    String parent = awaitEvent(before, e -> "bridged".equals(e.state()) && e.parent() == null);
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
    assertEquals("alice", call.path("from").asText(), call.toString());
    assertEquals("bob", call.path("to").asText(), call.toString());
    String leg = awaitEvent(before, e -> "bridged".equals(e.state()) && parent.equals(e.parent()));
    JsonNode child = node.awaitCall(leg, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
    assertEquals("out", child.path("direction").asText(), child.toString());
    assertEquals(16, child.path("q850_cause").asInt(), child.toString());
    // both phones play 2 s+ of G.711 from SIPp's pcap while bridged: 50 packets a second each way
    long toAlice = node.node.platform().sipMedia.relayedToCallers() - toCallers;
    long toBob = node.node.platform().sipMedia.relayedToLegs() - toLegs;
    assertTrue(toAlice >= 50, "relayed to alice: " + toAlice);
    assertTrue(toBob >= 50, "relayed to bob: " + toBob);
  }

  @Test
  void aNumbersFlowDialsARegisteredUserAndCarriesOnAfterTheUserHangsUp() throws Exception {
    int bobPhone = Sipp.freeUdpPort();
    Sipp.Running bob = Sipp.serve(Sipp.scenario("uas_answer.xml", "milliseconds=\"4000\"", "milliseconds=\"2000\""), bobPhone, 1, 40);
    assertTrue(register("bob", bobPhone, PASSWORD).allCallsSucceeded());

    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());
    Sipp.Result b = bob.await();
    assertTrue(b.allCallsSucceeded(), "bob's phone failed:\n" + b.output());

    String parent = awaitEvent(before, e -> "bridged".equals(e.state()) && e.parent() == null);
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
    String trace = call.path("trace").toString();
    assertTrue(trace.contains("\"Say[2]\""), "the flow did not continue after the Dial: " + trace);
    assertTrue(trace.contains("\"Hangup[3]\""), trace);
  }

  @Test
  void aPhoneBehindNatGetsTheInviteAckAndByeAtTheAddressItRegisteredFrom() throws Exception {
    int natPort = Sipp.freeUdpPort();
    Sipp.Result reg = Sipp.run(Sipp.scenario("uac_register.xml", "[local_ip]:[contact_port]", PRIVATE_CONTACT),
        sipPort, "dora", 1, 1, 20, "domain", DOMAIN, "user", "dora", "contact_port", "0", "-au", "dora",
        "-ap", PASSWORD, "-p", String.valueOf(natPort));
    assertTrue(reg.allCallsSucceeded(), "dora did not register:\n" + reg.output());
    // the NAT maps her private address to natPort: the phone answers there, still naming the private address
    Sipp.Running dora = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml",
        "[local_ip]:[local_port];transport=[transport]", PRIVATE_CONTACT), natPort, 1, 40);

    int before = events.size();
    Sipp.Result caller = Sipp.run(Sipp.scenario("uac_listen.xml"), sipPort, String.valueOf(TN_NAT), 1, 1, 40);
    assertTrue(caller.allCallsSucceeded(), "the caller failed:\n" + caller.output());
    Sipp.Result phone = dora.await();
    assertTrue(phone.allCallsSucceeded(), "dora's phone missed the ACK or the BYE:\n" + phone.output());

    String parent = awaitEvent(before, e -> "bridged".equals(e.state()) && e.parent() == null);
    JsonNode call = node.awaitCall(parent, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(15));
    assertTrue(call.path("trace").toString().contains("\"Say[2]\""), call.path("trace").toString());
  }

  @Test
  void aStrangerIsChallengedAndAWrongPasswordIsForbidden() throws Exception {
    Sipp.Result challenged = Sipp.run(Sipp.scenario("uac_unauthorised.xml", "[status]", "407"), sipPort, "bob",
        1, 1, 20, "domain", DOMAIN);
    assertTrue(challenged.allCallsSucceeded(), "no 407:\n" + challenged.output());

    Sipp.Result wrong = Sipp.run(Sipp.scenario("uac_register.xml", "<recv response=\"200\"/>",
        "<recv response=\"403\"/>"), sipPort, "carol", 1, 1, 20, "domain", DOMAIN, "user", "carol",
        "contact_port", "5999", "-au", "carol", "-ap", "wrong-password");
    assertTrue(wrong.allCallsSucceeded(), "a wrong password was not refused with 403:\n" + wrong.output());
  }

  private static String awaitEvent(int from, java.util.function.Predicate<CallStates.Call> match) throws Exception {
    return new CallStates(events).await(from, match);
  }
}
