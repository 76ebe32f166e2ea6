package io.openvoice.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.call.CallView;
import io.openvoice.common.Json;
import io.openvoice.events.PlatformEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * The recording JSON of the API and the {@code call_record} event (reference 6.6 "Record Available"), in the
 * envelope of {@link io.openvoice.events.EventJson}.
 */
public final class RecordingEvents {
  public static final String CALL_RECORD = "call_record";

  private RecordingEvents() {}

  /**
   * {@code type:"call_record"}: "CallSCA in +1838... > 1838... - record available [tag]", payload
   * {@code {uuid, call{...}, tag, url, duration, duration_ms, format, size, created_on}}.
   * {@code url} is the download link ({@link RecordingStore#url}).
   */
  public static PlatformEvent callRecord(CallView call, RecordingMetadata rec, String url) {
    Instant now = Instant.now();
    String id = UUID.randomUUID().toString();
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("uuid", id);
    root.put("created_on", Json.iso(now));
    root.put("modified_on", Json.iso(now));
    root.put("timestamp", Json.iso(now));
    root.put("type", CALL_RECORD);
    root.put("message", call.type() + " " + call.direction() + " " + call.from() + " > " + call.to()
        + " - record available" + (rec.tag() == null ? "" : " [" + rec.tag() + "]"));
    root.put("ref_id", call.uuid());
    root.putObject("account").put("uuid", call.account().uuid());
    root.putArray("delivery_report");
    root.set("payload", json(rec, url, Json.MAPPER.valueToTree(call)));
    return new PlatformEvent(id, CALL_RECORD, call.account().uuid(), call.uuid(), now, root.toString());
  }

  /**
   * A recording as the API shows it: {@code uuid, call, tag, url, duration} (seconds, a number with the
   * milliseconds as decimals), {@code duration_ms, format, size, created_on}. {@code call}: the call object, or
   * {@code {uuid}} when only its id is known.
   */
  public static ObjectNode json(RecordingMetadata rec, String url, JsonNode call) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("uuid", rec.uuid());
    m.set("call", call != null ? call : Json.MAPPER.createObjectNode().put("uuid", rec.callUuid()));
    m.put("tag", rec.tag());
    m.put("url", url);
    m.put("duration", rec.durationMs() / 1000.0);
    m.put("duration_ms", rec.durationMs());
    m.put("format", rec.format());
    m.put("size", rec.size());
    m.put("created_on", Json.iso(rec.createdOn()));
    return m;
  }
}
