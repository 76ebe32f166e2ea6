package io.openvoice.call;

import io.openvoice.common.CborSerializable;

/**
 * Everything a call entity needs to run a call, fixed when the call starts and persisted in its first event.
 *
 * @param direction "in" or "out"
 * @param maxCallLengthMs watchdog: the call ends after this long whatever the flow does
 * @param timeZone zone id for {@code <Schedule>} (the account's)
 * @param parentCallId the parent call for a dialled (child) leg, or null
 * @param outboundVoiceProfile the outbound voice profile a placed call (and what it dials) leaves with: its SIP
 *     connection and tech prefix win over the number's and the account's; null for none (and in older journals)
 */
public record CallSpec(String callId, String accountId, AppSnapshot app, String tn, String from, String to,
                       String direction, FlowSource source, long maxCallLengthMs, String timeZone,
                       MediaHandle media, String parentCallId, String outboundVoiceProfile)
    implements CborSerializable {

  /** A call with no outbound voice profile of its own. */
  public CallSpec(String callId, String accountId, AppSnapshot app, String tn, String from, String to,
                  String direction, FlowSource source, long maxCallLengthMs, String timeZone, MediaHandle media,
                  String parentCallId) {
    this(callId, accountId, app, tn, from, to, direction, source, maxCallLengthMs, timeZone, media, parentCallId, null);
  }

  /** Where the flow comes from. */
  public record FlowSource(Kind kind, String xml, String url, String method, long timeoutMs)
      implements CborSerializable {
    /** LEG: a dialled leg (child call) with no flow of its own; the edge that dials it reports its life. */
    public enum Kind { HOSTED, URL, PARKED, LEG }

    public static FlowSource hosted(String xml) { return new FlowSource(Kind.HOSTED, xml, null, null, 0); }
    public static FlowSource url(String url, String method, long timeoutMs) {
      return new FlowSource(Kind.URL, null, url, method, timeoutMs);
    }
    public static FlowSource parked(long timeoutMs) { return new FlowSource(Kind.PARKED, null, null, null, timeoutMs); }
    public static FlowSource leg() { return new FlowSource(Kind.LEG, null, null, null, 0); }
  }

  /**
   * A serializable handle on the call's media session: {@code kind} picks the {@link MediaPort} implementation
   * ("sim" for the simulator, "sip" for the SIP edge), {@code node} the node that owns the session, {@code data}
   * whatever that implementation needs to find or rebuild it.
   */
  public record MediaHandle(String kind, String node, String data) implements CborSerializable {}

  /**
   * The app as it was when the call started (for events and webhook requests). {@code webhookFallbackUrl} is null
   * in calls started before it existed.
   */
  public record AppSnapshot(String uuid, String name, boolean autoAnswer, String webhookUrl, String webhookMethod,
                            long webhookTimeoutMs, Integer maxCallLengthMin, String webhookFallbackUrl)
      implements CborSerializable {}
}
