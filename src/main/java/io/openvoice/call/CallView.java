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

  public boolean online() {
    return !"destroyed".equals(state) && !"failed".equals(state);
  }
}
