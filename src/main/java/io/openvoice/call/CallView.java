package io.openvoice.call;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * A call as the API and events show it (reference 6.3 and SWG ISIPControlAppCall), serialised in snake_case.
 * {@code state}: init, ringing, live, bridged, hangup, destroyed, failed; {@code status}: the coarse
 * online/offline of the older call-list APIs.
 */
public record CallView(String uuid, String type, String direction, String from, String to, String state,
                       String status, long duration, Instant createdOn, Instant modifiedOn, Instant initOn,
                       Instant ringOn, Instant answerOn, Instant hangupOn, Instant destroyOn, Instant finishedOn,
                       Integer q850Cause, String q850CauseString, String hangupReason, Tn tn,
                       App sipControlApp, Account account, String parent, Map<String, Object> meta,
                       String digits) implements CborSerializable {

  public record Tn(String tn) implements CborSerializable {}

  public record App(String uuid, String name, boolean isActive, boolean autoAnswer, String webhookUrl,
                    String webhookMethod, long webhookRequestTimeout, Integer maxCallLengthMin)
      implements CborSerializable {}

  public record Account(String uuid) implements CborSerializable {}

  /** FreeSWITCH-style call state of the reference's call object, derived from {@code state}. */
  @com.fasterxml.jackson.annotation.JsonProperty("freeswitch_call_state")
  public String freeswitchCallState() {
    return switch (state == null ? "" : state) {
      case "init" -> "DOWN";
      case "ringing" -> answerOn == null && "out".equals(direction) ? "DIALING" : "RINGING";
      case "live", "bridged" -> "ACTIVE";
      case "hangup", "destroyed", "failed" -> "HANGUP";
      default -> "DOWN";
    };
  }

  /** FreeSWITCH-style channel state of the reference's call object, derived from {@code state}. */
  @com.fasterxml.jackson.annotation.JsonProperty("freeswitch_channel_state")
  public String freeswitchChannelState() {
    return switch (state == null ? "" : state) {
      case "init" -> "CS_INIT";
      case "ringing" -> "CS_ROUTING";
      case "live" -> "CS_EXECUTE";
      case "bridged" -> "CS_EXCHANGE_MEDIA";
      case "hangup" -> "CS_HANGUP";
      case "destroyed", "failed" -> "CS_DESTROY";
      default -> "CS_NEW";
    };
  }

  /** Fields of the reference's call object that only the SIP edge / messaging fill in; present for clients. */
  @com.fasterxml.jackson.annotation.JsonProperty("sip_user")
  public String sipUser() {
    return null;
  }

  @com.fasterxml.jackson.annotation.JsonProperty("thread")
  public String thread() {
    return null;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean online() {
    return !"destroyed".equals(state) && !"failed".equals(state);
  }
}
