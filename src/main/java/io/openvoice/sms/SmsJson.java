package io.openvoice.sms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.common.Json;
import io.openvoice.events.PlatformEvent;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.gateway.SmsGateway.Coding;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** SMS in Opentact's shapes: the message of the REST API (reference 3.4) and the {@code sms} event (6.5). */
public final class SmsJson {
  private SmsJson() {}

  public static String encoding(Coding c) {
    return c == null ? null : c == Coding.GSM7 ? "GSM-7" : "UCS-2";
  }

  /** A number as Opentact shows {@code tn}: an integer when it is all digits. */
  public static Object number(String tn) {
    if (tn == null) return null;
    try {
      return Long.parseLong(tn);
    } catch (NumberFormatException e) {
      return tn;
    }
  }

  public static Map<String, Object> message(Message m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("uuid", m.uuid());
    j.put("type", m.type());
    j.put("state", m.state());
    j.put("from", m.from());
    j.put("to", m.to());
    j.put("thread", m.thread());
    j.put("message", m.text());
    j.put("delivered", m.delivered());
    j.put("automated", false);
    if (!m.outbound()) j.put("readed", false);
    j.put("reason", m.reason());
    j.put("detail", m.detail());
    j.put("parts", m.parts());
    j.put("encoding", encoding(m.coding()));
    j.put("gateway", m.gateway());
    j.put("reference_id", m.reference());
    j.put("dlr_status", m.dlrStatus());
    if (m.outbound()) {
      j.put("attempts", m.attempts());
      j.put("custom_callback_url", m.customCallbackUrl());
      j.put("pool", m.pool());
    }
    Map<String, Object> tn = new LinkedHashMap<>();
    tn.put("tn", number(m.tn()));
    tn.put("sms", true);
    j.put("tn", tn);
    j.put("messaging_profile", m.messagingProfile());
    j.put("account", m.accountId());
    j.put("created_on", Json.iso(m.createdOn()));
    j.put("modified_on", Json.iso(m.modifiedOn()));
    return j;
  }

  /**
   * The {@code sms} event: {@code message "SMS: type: smso, state: sent"}, the payload the message with the
   * profile and account objects, in the newer envelope with {@code timestamp} too; {@code event} says what happened
   * (received, sent, delivered, failed, dlr); {@code id} and {@code now}: the event's uuid and time (the same for
   * each repeat of one notification).
   */
  public static PlatformEvent event(Message m, String what, String id, Instant now) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("uuid", id);
    root.put("created_on", Json.iso(now));
    root.put("modified_on", Json.iso(now));
    root.put("timestamp", Json.iso(now));
    root.put("type", "sms");
    root.put("event", what);
    root.put("message", "SMS: type: " + m.type() + ", state: " + m.state()
        + ("delivered".equals(what) ? ", delivered" : ""));
    root.put("ref_id", m.uuid());
    root.putObject("account").put("uuid", m.accountId());
    root.putArray("delivery_report");
    ObjectNode payload = Json.MAPPER.valueToTree(message(m));
    payload.putObject("account").put("uuid", m.accountId());
    ObjectNode profile = payload.putObject("messaging_profile");
    profile.put("uuid", m.messagingProfile());
    profile.put("name", m.profileName());
    profile.put("call_back_url", m.callbackUrl());
    profile.put("call_back_url2", m.callbackUrl2());
    root.set("payload", payload);
    return new PlatformEvent(id, "sms", m.accountId(), m.uuid(), now, root.toString());
  }
}
