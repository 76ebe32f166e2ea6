package io.openvoice.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openvoice.call.CallView;
import io.openvoice.flow.FlowEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  private static final String CALL_ID = "5b3c6c8e-4a6f-4f0e-9d7e-0a1b2c3d4e5f";
  private static final String ACCOUNT_ID = "acc-7f1e";
  private static final Instant CREATED = Instant.parse("2024-02-20T16:41:30.125Z");
  private static final Instant RING = Instant.parse("2024-02-20T16:41:31.000Z");
  private static final Instant ANSWER = Instant.parse("2024-02-20T16:41:34.861Z");

  private static CallView call(String state, Integer cause, String causeString, String parent) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("campaign", "spring");
    return new CallView(CALL_ID, "CallSCA", "in", "+18389999168", "18382049000", state, "online", 4,
        CREATED, ANSWER, CREATED, RING, ANSWER, null, null, null, cause, causeString, null,
        new CallView.Tn("18382049000"),
        new CallView.App("app-1", "Main IVR", true, false, "https://example.com/hook", "POST", 10_000L, 60),
        new CallView.Account(ACCOUNT_ID), parent, meta, "12#");
  }

  private static CallView liveCall() {
    return call("live", null, null, null);
  }

  private static JsonNode json(PlatformEvent e) throws Exception {
    return M.readTree(e.json());
  }

  // ---- call_state (reference 6.2 newer envelope, 6.3) ----

  @Test
  void callStateHasNewerEnvelopeFields() throws Exception {
    PlatformEvent e = EventJson.callState(liveCall(), "live");
    JsonNode j = json(e);
    assertEquals(e.uuid(), j.get("uuid").asText());
    UUID.fromString(j.get("uuid").asText());
    assertEquals("call_state", j.get("type").asText());
    assertEquals(CALL_ID, j.get("ref_id").asText());
    assertTrue(j.get("account").isObject());
    assertEquals(ACCOUNT_ID, j.get("account").get("uuid").asText());
    assertTrue(j.get("delivery_report").isArray());
    assertEquals(0, j.get("delivery_report").size());
    assertTrue(j.get("created_on").asText().matches(ISO), j.get("created_on").asText());
    assertTrue(j.get("modified_on").asText().matches(ISO));
    assertEquals(j.get("created_on").asText(), j.get("timestamp").asText(), "timestamp = created_on for older clients");
  }

  @Test
  void callStateMessageFollowsReferenceFormat() throws Exception {
    JsonNode j = json(EventJson.callState(liveCall(), "live"));
    assertEquals("CallSCA in +18389999168 > 18382049000 - live", j.get("message").asText());
  }

  @Test
  void callStatePayloadHasOnlyStateAndDuration() throws Exception {
    JsonNode p = json(EventJson.callState(liveCall(), "ringing")).get("payload");
    assertEquals("ringing", p.get("state").asText());
    assertTrue(p.get("duration").isIntegralNumber());
    assertEquals(4, p.get("duration").asLong());
    List<String> names = new ArrayList<>();
    p.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("state", "duration"), names);
  }

  @Test
  void callStateCallObjectHasReferenceFieldNames() throws Exception {
    JsonNode c = json(EventJson.callState(call("hangup", 16, "NORMAL_CLEARING", null), "hangup")).get("call");
    assertTrue(c.isObject());
    assertEquals(CALL_ID, c.get("uuid").asText());
    assertEquals("in", c.get("direction").asText());
    assertEquals("+18389999168", c.get("from").asText());
    assertEquals("18382049000", c.get("to").asText());
    assertEquals("hangup", c.get("state").asText());
    assertEquals(4, c.get("duration").asLong());
    assertEquals("CallSCA", c.get("type").asText());
    assertEquals("2024-02-20T16:41:30.125Z", c.get("created_on").asText());
    assertEquals("2024-02-20T16:41:34.861Z", c.get("modified_on").asText());
    assertEquals("2024-02-20T16:41:30.125Z", c.get("init_on").asText());
    assertEquals("2024-02-20T16:41:31.000Z", c.get("ring_on").asText());
    assertEquals("2024-02-20T16:41:34.861Z", c.get("answer_on").asText());
    for (String notYet : List.of("hangup_on", "destroy_on", "finished_on")) {
      assertTrue(c.has(notYet), notYet);
      assertTrue(c.get(notYet).isNull(), notYet);
    }
    assertEquals(16, c.get("q850_cause").asInt());
    assertEquals("NORMAL_CLEARING", c.get("q850_cause_string").asText());
    assertEquals("18382049000", c.get("tn").get("tn").asText());
    assertEquals(ACCOUNT_ID, c.get("account").get("uuid").asText());
  }

  @Test
  void callObjectHasNoCamelCaseNames() throws Exception {
    JsonNode c = json(EventJson.callState(liveCall(), "live")).get("call");
    c.fieldNames().forEachRemaining(n -> assertEquals(n.toLowerCase(java.util.Locale.ROOT), n, n));
    c.get("sip_control_app").fieldNames().forEachRemaining(n -> assertEquals(n.toLowerCase(java.util.Locale.ROOT), n, n));
    assertFalse(c.has("online"), "helper method must not leak into the JSON");
  }

  @Test
  void callObjectSipControlAppHasReferenceFieldNames() throws Exception {
    JsonNode a = json(EventJson.callState(liveCall(), "live")).get("call").get("sip_control_app");
    assertTrue(a.isObject());
    assertEquals("app-1", a.get("uuid").asText());
    assertEquals("Main IVR", a.get("name").asText());
    assertTrue(a.get("is_active").asBoolean());
    assertTrue(a.get("is_active").isBoolean());
    assertFalse(a.get("auto_answer").asBoolean());
    assertTrue(a.get("auto_answer").isBoolean());
    assertEquals("https://example.com/hook", a.get("webhook_url").asText());
    assertEquals("POST", a.get("webhook_method").asText());
    assertEquals(10_000, a.get("webhook_request_timeout").asLong());
  }

  @Test
  void callStateStateParameterIsUsedInMessageAndPayload() throws Exception {
    // The event is about the transition named by the caller, even if the view already moved on.
    JsonNode j = json(EventJson.callState(call("destroyed", 16, "NORMAL_CLEARING", null), "hangup"));
    assertEquals("CallSCA in +18389999168 > 18382049000 - hangup", j.get("message").asText());
    assertEquals("hangup", j.get("payload").get("state").asText());
  }

  @Test
  void callStatePlatformEventMetadataMatchesTheJson() throws Exception {
    PlatformEvent e = EventJson.callState(liveCall(), "live");
    JsonNode j = json(e);
    assertEquals("call_state", e.type());
    assertEquals(ACCOUNT_ID, e.accountId());
    assertEquals(CALL_ID, e.refId());
    assertEquals(io.openvoice.common.Json.iso(e.createdOn()), j.get("created_on").asText());
  }

  @Test
  void everyEventGetsItsOwnUuid() {
    assertNotEquals(EventJson.callState(liveCall(), "live").uuid(), EventJson.callState(liveCall(), "live").uuid());
  }

  @Test
  void outboundChildLegNamesItsParent() throws Exception {
    CallView child = new CallView("child-1", "CallSCA", "out", "18382049000", "+15551230000", "ringing", "online", 0,
        CREATED, CREATED, CREATED, RING, null, null, null, null, null, null, null, null, null,
        new CallView.Account(ACCOUNT_ID), CALL_ID, Map.of(), null);
    JsonNode j = json(EventJson.callState(child, "ringing"));
    assertEquals("CallSCA out 18382049000 > +15551230000 - ringing", j.get("message").asText());
    assertEquals("child-1", j.get("ref_id").asText());
    assertEquals(CALL_ID, j.get("call").get("parent").asText());
  }

  // ---- call_flow (reference 6.4) ----

  private static FlowEvent answered() {
    return new FlowEvent("Answer[0]", "Answer", FlowEvent.Phase.FINISHED, true, "Call answered", null, Map.of());
  }

  @Test
  void callFlowSuccessMatchesReferenceExample() throws Exception {
    PlatformEvent e = EventJson.callFlow(call("ringing", null, null, null), answered());
    JsonNode j = json(e);
    assertEquals("call_flow", j.get("type").asText());
    assertEquals("[success] command Answer[0], reason: Call answered", j.get("message").asText());
    assertTrue(j.get("success").isBoolean());
    assertTrue(j.get("success").asBoolean());
    assertEquals("Answer", j.get("command").asText());
    assertTrue(j.get("timestamp").asText().matches(ISO));
    JsonNode cmd = j.get("payload").get("command");
    assertEquals("Answer", cmd.get("name").asText());
    assertTrue(cmd.get("success").asBoolean());
    assertEquals("Call answered", cmd.get("reason").asText());
    assertEquals("Answer[0]", cmd.get("path").asText());
    assertTrue(cmd.get("children").isArray());
    assertEquals(0, cmd.get("children").size());
    assertTrue(cmd.get("error").isArray());
    assertEquals(0, cmd.get("error").size());
  }

  @Test
  void callFlowPayloadCarriesTheCall() throws Exception {
    JsonNode j = json(EventJson.callFlow(call("ringing", null, null, null), answered()));
    JsonNode c = j.get("payload").get("call");
    assertTrue(c.isObject());
    assertEquals(CALL_ID, c.get("uuid").asText());
    assertEquals("ringing", c.get("state").asText());
    assertEquals("in", c.get("direction").asText());
    assertEquals("CallSCA", c.get("type").asText());
    assertEquals("2024-02-20T16:41:30.125Z", c.get("created_on").asText());
    assertEquals(ACCOUNT_ID, c.get("account").get("uuid").asText());
    assertEquals("Main IVR", c.get("sip_control_app").get("name").asText());
    assertFalse(j.has("call"), "6.4 puts the call under payload");
  }

  @Test
  void callFlowHasNewerEnvelopeFieldsToo() throws Exception {
    PlatformEvent e = EventJson.callFlow(liveCall(), answered());
    JsonNode j = json(e);
    assertEquals(e.uuid(), j.get("uuid").asText());
    assertEquals(CALL_ID, j.get("ref_id").asText());
    assertEquals(ACCOUNT_ID, j.get("account").get("uuid").asText());
    assertEquals(j.get("created_on").asText(), j.get("timestamp").asText());
    assertEquals("call_flow", e.type());
    assertEquals(ACCOUNT_ID, e.accountId());
    assertEquals(CALL_ID, e.refId());
  }

  @Test
  void callFlowFailureIsReportedAsError() throws Exception {
    FlowEvent fe = new FlowEvent("Gather[0].Play[1]", "Play", FlowEvent.Phase.FINISHED, false,
        "media not found", null, Map.of());
    JsonNode j = json(EventJson.callFlow(liveCall(), fe));
    assertEquals("[error] command Gather[0].Play[1], reason: media not found", j.get("message").asText());
    assertFalse(j.get("success").asBoolean());
    assertEquals("Play", j.get("command").asText());
    JsonNode cmd = j.get("payload").get("command");
    assertFalse(cmd.get("success").asBoolean());
    assertEquals("Gather[0].Play[1]", cmd.get("path").asText());
    assertEquals(1, cmd.get("error").size());
    assertEquals("media not found", cmd.get("error").get(0).asText());
  }

  @Test
  void callFlowStartedAndSkippedPhasesAreNamedInTheMessage() throws Exception {
    FlowEvent started = new FlowEvent("Say[2]", "Say", FlowEvent.Phase.STARTED, true, null, null, Map.of());
    JsonNode s = json(EventJson.callFlow(liveCall(), started));
    assertEquals("[started] command Say[2]", s.get("message").asText());
    assertEquals("started", s.get("payload").get("command").get("phase").asText());
    assertEquals(0, s.get("payload").get("command").get("error").size());

    FlowEvent skipped = new FlowEvent("Gather[0].DTMF[1]", "DTMF", FlowEvent.Phase.SKIPPED, false, "no match", null,
        Map.of());
    JsonNode k = json(EventJson.callFlow(liveCall(), skipped));
    assertEquals("[skipped] command Gather[0].DTMF[1], reason: no match", k.get("message").asText());
    assertEquals("skipped", k.get("payload").get("command").get("phase").asText());
    assertEquals(0, k.get("payload").get("command").get("error").size(), "a skipped block is not an error");
  }

  @Test
  void callFlowCarriesTagAndMetas() throws Exception {
    Map<String, Object> metas = new LinkedHashMap<>();
    metas.put("step", "greeting");
    FlowEvent fe = new FlowEvent("Say[0]", "Say", FlowEvent.Phase.FINISHED, true, "done", "welcome", metas);
    JsonNode cmd = json(EventJson.callFlow(liveCall(), fe)).get("payload").get("command");
    assertEquals("welcome", cmd.get("tag").asText());
    assertEquals("greeting", cmd.get("meta").get("step").asText());

    JsonNode untagged = json(EventJson.callFlow(liveCall(), answered())).get("payload").get("command");
    assertFalse(untagged.has("tag"));
    assertTrue(untagged.get("meta").isObject());
    assertEquals(0, untagged.get("meta").size());
  }

  @Test
  void messageWithSpecialCharactersStaysValidJson() throws Exception {
    FlowEvent fe = new FlowEvent("Say[0]", "Say", FlowEvent.Phase.FINISHED, false, "bad \"quote\"\n", null, Map.of());
    JsonNode j = json(EventJson.callFlow(liveCall(), fe));
    assertEquals("[error] command Say[0], reason: bad \"quote\"\n", j.get("message").asText());
  }
}
