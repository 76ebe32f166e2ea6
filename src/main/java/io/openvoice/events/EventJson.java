package io.openvoice.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.call.CallView;
import io.openvoice.common.Json;
import io.openvoice.flow.FlowEvent;
import java.time.Instant;
import java.util.UUID;

/** Renders platform events in Opentact's shapes (reference 6.2 newer envelope, with {@code timestamp} too). */
public final class EventJson {
  private EventJson() {}

  /** {@code type:"call_state"}: "CallSCA in +1838... > 1838... - live", payload {state, duration}, call {...}. */
  public static PlatformEvent callState(CallView call, String state) {
    Instant now = Instant.now();
    String id = UUID.randomUUID().toString();
    ObjectNode root = envelope(id, now, "call_state",
        call.type() + " " + call.direction() + " " + call.from() + " > " + call.to() + " - " + state, call);
    ObjectNode payload = root.putObject("payload");
    payload.put("state", state);
    payload.put("duration", call.duration());
    root.set("call", Json.MAPPER.valueToTree(call));
    return new PlatformEvent(id, "call_state", call.account().uuid(), call.uuid(), now, root.toString());
  }

  /** {@code type:"call_flow"}: "[success] command Answer[0], reason: Call answered", payload {command, call}. */
  public static PlatformEvent callFlow(CallView call, FlowEvent fe) {
    Instant now = Instant.now();
    String id = UUID.randomUUID().toString();
    String outcome = fe.phase() == FlowEvent.Phase.STARTED ? "started"
        : fe.phase() == FlowEvent.Phase.SKIPPED ? "skipped" : fe.success() ? "success" : "error";
    String message = "[" + outcome + "] command " + fe.path() + (fe.reason() == null ? "" : ", reason: " + fe.reason());
    ObjectNode root = envelope(id, now, "call_flow", message, call);
    root.put("success", fe.success());
    root.put("command", fe.command());
    ObjectNode payload = root.putObject("payload");
    ObjectNode cmd = payload.putObject("command");
    cmd.put("name", fe.command());
    cmd.put("phase", fe.phase().name().toLowerCase(java.util.Locale.ROOT));
    cmd.put("success", fe.success());
    cmd.put("reason", fe.reason());
    cmd.put("path", fe.path());
    if (fe.tag() != null) cmd.put("tag", fe.tag());
    cmd.putArray("children");
    var errors = cmd.putArray("error");
    if (!fe.success() && fe.phase() == FlowEvent.Phase.FINISHED && fe.reason() != null) errors.add(fe.reason());
    cmd.set("meta", Json.MAPPER.valueToTree(fe.metas()));
    payload.set("call", Json.MAPPER.valueToTree(call));
    return new PlatformEvent(id, "call_flow", call.account().uuid(), call.uuid(), now, root.toString());
  }

  private static ObjectNode envelope(String id, Instant now, String type, String message, CallView call) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("uuid", id);
    root.put("created_on", Json.iso(now));
    root.put("modified_on", Json.iso(now));
    root.put("timestamp", Json.iso(now));
    root.put("type", type);
    root.put("message", message);
    root.put("ref_id", call.uuid());
    root.putObject("account").put("uuid", call.account().uuid());
    root.putArray("delivery_report");
    return root;
  }
}
