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
 * Calls the platform places over REST ({@code POST /rest/call}) to a SIPp carrier on loopback: the INVITE leaves
 * through the account's SIP connection with its tech prefix and the lease's number as caller id, the flow runs
 * once the far end answers and its Hangup sends BYE; a busy far end ends the call with cause 17 and no flow;
 * every bad field is refused naming it.
 */
class SipOutboundCallTest {
  static final long TN = 12025550150L;
  static final String FLOW = "<Response><Say>hello from the platform</Say><Hangup/></Response>";

  static TestNode node;
  static int sipPort;
  static int carrier;
  static String lease;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    carrier = Sipp.freeUdpPort();
    node = SipTestNodes.start("outbound", sipPort, 45000, "", events);
    lease = SipTestNodes.carrierAndCaller(node, carrier, ",\"tech_prefix\":\"55\"", TN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aPlacedCallLeavesThroughTheTrunkRunsItsFlowWhenAnsweredAndHangsUp() throws Exception {
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), carrier, 1, 40);
    JsonNode call = node.call("POST", "/rest/call", "{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550180\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW) + "}", 201).path("payload");
    assertEquals("out", call.path("direction").asText(), call.toString());
    Sipp.Result answered = far.await();
    assertTrue(answered.allCallsSucceeded(), "the far end did not get its call and our BYE:\n" + answered.output());
    assertTrue(answered.logs().contains("INVITE user=5513025550180 from=" + TN), answered.logs());

    JsonNode done = node.awaitCall(call.path("uuid").asText(), c -> "destroyed".equals(c.path("state").asText()),
        Duration.ofSeconds(20));
    assertEquals(Q850.NORMAL_CLEARING, done.path("q850_cause").asInt(), done.toString());
    assertTrue(!done.path("answer_on").isNull() && !done.path("answer_on").isMissingNode(), done.toString());
    boolean said = false;
    for (JsonNode t : done.path("trace")) {
      said |= "Say".equals(t.path("command").asText()) && "finished".equals(t.path("phase").asText())
          && t.path("success").asBoolean();
    }
    assertTrue(said, "the flow ran once answered: " + done.path("trace"));
  }

  @Test
  void aPlacedCallRepeatedWithItsCommandIdIsAcknowledgedAndRingsOnce() throws Exception {
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), carrier, 1, 40);
    String body = "{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550183\",\"command_id\":\"place-once\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW) + "}";
    int mark = events.size();
    String first = node.call("POST", "/rest/call", body, 201).path("payload").path("uuid").asText();
    JsonNode again = node.call("POST", "/rest/call", body, 200).path("payload");
    assertEquals(first, again.path("uuid").asText(), "the repeat answers with the call it placed: " + again);
    Sipp.Result answered = far.await();
    assertTrue(answered.allCallsSucceeded(), answered.output());
    node.awaitCall(first, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(20));
    java.util.Set<String> placed = new java.util.HashSet<>();
    for (PlatformEvent e : events.subList(mark, events.size())) {
      JsonNode j = TestNode.M.readTree(e.json());
      if ("call_state".equals(j.path("type").asText()) && "13025550183".equals(j.path("call").path("to").asText())) {
        placed.add(j.path("call").path("uuid").asText());
      }
    }
    assertEquals(java.util.Set.of(first), placed, "one call for the two requests");
    // the same key as a query parameter is the same command
    assertEquals(first, node.call("POST", "/rest/call?command_id=place-once",
        body.replace(",\"command_id\":\"place-once\"", ""), 200).path("payload").path("uuid").asText());
  }

  @Test
  void anOutboundVoiceProfileGivesTheCallItsConnectionTechPrefixAndCallerId() throws Exception {
    int otherCarrier = Sipp.freeUdpPort();
    String conn = node.call("POST", "/rest/sip/connection", "{\"name\":\"profiled\",\"ip\":\"127.0.0.1\",\"port\":"
        + otherCarrier + ",\"tech_prefix\":\"11\"}", 201).path("payload").path("uuid").asText();
    String profile = node.call("POST", "/rest/profile/outbound_voice", "{\"name\":\"via other\",\"sip_connection\":\""
        + conn + "\",\"tech_prefix\":\"77\",\"tn_lease\":\"" + lease + "\"}", 201).path("payload").path("uuid").asText();
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), otherCarrier, 1, 40);
    String call = node.call("POST", "/rest/call", "{\"outbound_voice_profile\":\"" + profile
        + "\",\"to\":\"13025550184\",\"xml\":" + TestNode.M.writeValueAsString(FLOW) + "}", 201)
        .path("payload").path("uuid").asText();
    Sipp.Result answered = far.await();
    assertTrue(answered.allCallsSucceeded(), answered.output());
    assertTrue(answered.logs().contains("INVITE user=7713025550184 from=" + TN),
        "the profile's connection, its tech prefix, its lease's number as caller id: " + answered.logs());
    node.awaitCall(call, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(20));

    node.call("PATCH", "/rest/profile/outbound_voice/" + profile, "{\"is_active\":false}", 200);
    assertBad("{\"outbound_voice_profile\":\"" + profile + "\",\"to\":\"13025550185\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW) + "}", "outbound_voice_profile");
    assertBad("{\"outbound_voice_profile\":\"00000000-0000-0000-0000-000000000000\",\"to\":\"13025550185\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW) + "}", "outbound_voice_profile");
  }

  @Test
  void aBusyFarEndEndsThePlacedCallWithCause17AndNoFlow() throws Exception {
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_busy.xml"), carrier, 1, 40);
    JsonNode call = node.call("POST", "/rest/call", "{\"from\":\"" + TN + "\",\"to\":\"+13025550181\",\"xml\":"
        + TestNode.M.writeValueAsString(FLOW) + "}", 201).path("payload");
    Sipp.Result busy = far.await();
    assertTrue(busy.allCallsSucceeded(), busy.output());
    JsonNode done = node.awaitCall(call.path("uuid").asText(), c -> "destroyed".equals(c.path("state").asText()),
        Duration.ofSeconds(20));
    assertEquals(Q850.USER_BUSY, done.path("q850_cause").asInt(), done.toString());
    assertTrue(!done.path("trace").toString().contains("\"Say\""), "no flow without an answer: " + done.path("trace"));
  }

  @Test
  void everyBadFieldOfAPlacedCallIsNamed() throws Exception {
    String xml = TestNode.M.writeValueAsString(FLOW);
    assertBad("{\"tn_lease\":\"" + lease + "\",\"xml\":" + xml + "}", "to");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"not a target\",\"xml\":" + xml + "}", "to");
    assertBad("{\"to\":\"13025550182\",\"xml\":" + xml + "}", "tn_lease");
    assertBad("{\"tn_lease\":\"00000000-0000-0000-0000-000000000000\",\"to\":\"13025550182\",\"xml\":" + xml + "}", "tn_lease");
    assertBad("{\"from\":\"19735550149\",\"to\":\"13025550182\",\"xml\":" + xml + "}", "from");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\"}", "xml");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\",\"xml\":" + xml + ",\"url\":\"http://x.example/f\"}", "xml");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\",\"url\":\"ftp://x.example/f\"}", "url");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\",\"xml\":" + xml + ",\"timeout\":5}", "timeout");
    assertBad("{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\",\"xml\":" + xml
        + ",\"sip_control_app\":\"00000000-0000-0000-0000-000000000000\"}", "sip_control_app");
    JsonNode err = node.call("POST", "/rest/call", "{\"tn_lease\":\"" + lease + "\",\"to\":\"13025550182\",\"xml\":\"<Nope/>\"}", 400);
    assertTrue(!err.path("success").asBoolean(), err.toString());
  }

  private static void assertBad(String body, String field) throws Exception {
    JsonNode err = node.call("POST", "/rest/call", body, 400);
    assertTrue(err.path("fields").has(field), body + " -> " + err);
  }
}
