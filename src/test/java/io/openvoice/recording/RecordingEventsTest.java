package io.openvoice.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openvoice.call.CallView;
import io.openvoice.events.PlatformEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingEventsTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  private static final String CALL_ID = "5b3c6c8e-4a6f-4f0e-9d7e-0a1b2c3d4e5f";
  private static final String ACCOUNT_ID = "0c4f8a2e-1b3d-4e5f-8a9b-c0d1e2f3a4b5";
  private static final String REC_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  private static final Instant CREATED = Instant.parse("2024-02-20T16:41:30.125Z");

  private static CallView call() {
    return new CallView(CALL_ID, "CallSCA", "in", "+18389999168", "18382049000", "live", "online", 4,
        CREATED, CREATED, CREATED, CREATED, CREATED, null, null, null, null, null, null,
        new CallView.Tn("18382049000"),
        new CallView.App("app-1", "Main IVR", true, false, null, "POST", 10_000L, 60),
        new CallView.Account(ACCOUNT_ID), null, Map.of(), null);
  }

  private static RecordingMetadata rec(String tag) {
    return new RecordingMetadata(REC_ID, CALL_ID, ACCOUNT_ID, tag, "wav", 12_340, 197_484,
        Instant.parse("2024-02-20T16:41:35.000Z"));
  }

  @Test
  void callRecordEventHasTheEnvelopeOfTheOtherEvents() throws Exception {
    PlatformEvent e = RecordingEvents.callRecord(call(), rec("vm"), "https://api.example.com/rest/recording/"
        + REC_ID + "/download");
    JsonNode j = M.readTree(e.json());

    assertEquals("call_record", e.type());
    assertEquals(ACCOUNT_ID, e.accountId());
    assertEquals(CALL_ID, e.refId());
    assertEquals(e.uuid(), j.get("uuid").asText());
    assertEquals("call_record", j.get("type").asText());
    assertEquals(CALL_ID, j.get("ref_id").asText());
    assertEquals(ACCOUNT_ID, j.get("account").get("uuid").asText());
    assertTrue(j.get("delivery_report").isArray());
    assertTrue(j.get("created_on").asText().matches(ISO));
    assertEquals(j.get("created_on").asText(), j.get("timestamp").asText());
    assertEquals(j.get("created_on").asText(), j.get("modified_on").asText());
    assertEquals("CallSCA in +18389999168 > 18382049000 - record available [vm]", j.get("message").asText());
  }

  @Test
  void callRecordPayloadDescribesTheRecordingAndItsCall() throws Exception {
    String url = "/rest/recording/" + REC_ID + "/download";
    JsonNode p = M.readTree(RecordingEvents.callRecord(call(), rec("vm"), url).json()).get("payload");

    List<String> names = new ArrayList<>();
    p.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("uuid", "call", "tag", "url", "duration", "duration_ms", "format", "size", "created_on"),
        names);
    assertEquals(REC_ID, p.get("uuid").asText());
    assertEquals(CALL_ID, p.get("call").get("uuid").asText());
    assertEquals("+18389999168", p.get("call").get("from").asText());
    assertEquals(ACCOUNT_ID, p.get("call").get("account").get("uuid").asText());
    assertEquals("vm", p.get("tag").asText());
    assertEquals(url, p.get("url").asText());
    assertTrue(p.get("duration").isNumber());
    assertEquals(12.34, p.get("duration").asDouble(), 1e-9);
    assertEquals(12_340, p.get("duration_ms").asLong());
    assertEquals("wav", p.get("format").asText());
    assertEquals(197_484, p.get("size").asLong());
    assertEquals("2024-02-20T16:41:35.000Z", p.get("created_on").asText());
  }

  @Test
  void recordingWithoutTagHasANullTagAndAPlainMessage() throws Exception {
    JsonNode j = M.readTree(RecordingEvents.callRecord(call(), rec(null), "u").json());
    assertTrue(j.get("payload").get("tag").isNull());
    assertEquals("CallSCA in +18389999168 > 18382049000 - record available", j.get("message").asText());
  }
}
