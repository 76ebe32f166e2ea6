package io.openvoice.sip;

import io.openvoice.call.CallSpec;
import io.openvoice.call.MediaPort;
import io.openvoice.call.OutcomeSink;
import io.openvoice.call.Q850;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The call entity's media port for calls whose dialog lives on this node's SIP edge. The handle names this edge
 * instance; a call whose dialog is not here (its edge restarted or died) is ended with {@code media_node_lost}.
 */
public final class SipMedia implements MediaPort {
  public static final String KIND = "sip";

  /** The node id this edge's handles carry (its node's media host; a random id until the platform sets it). */
  private volatile String incarnation = java.util.UUID.randomUUID().toString();
  private final Map<String, SipEndpoint> calls = new ConcurrentHashMap<>();
  private final Map<String, String> inboundBySipCallId = new ConcurrentHashMap<>();
  private final Map<String, SipLeg> legsBySipCallId = new ConcurrentHashMap<>();
  private final OutcomeSink sink;
  private volatile SipJoins joins;
  private volatile java.util.function.LongSupplier pacingP99 = () -> 0;
  private final java.util.concurrent.atomic.LongAdder relayedToCallers = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder relayedToLegs = new java.util.concurrent.atomic.LongAdder();

  public SipMedia(OutcomeSink sink) {
    this.sink = sink;
  }

  /** Set once by the platform: the id of this node's media host, which its handles name. */
  public void nodeId(String id) {
    this.incarnation = id;
  }

  CallSpec.MediaHandle handle(String sipCallId) {
    return new CallSpec.MediaHandle(KIND, incarnation, sipCallId);
  }

  /**
   * A call of this edge: an inbound call, a dialled leg, or a call we placed (whose INVITE is a leg of its own
   * that shares the call's id: responses and the far end's requests go to the leg, the flow's media to the call).
   * False, and nothing registered, when a call with this id is here already.
   */
  boolean register(SipEndpoint call) {
    if (calls.putIfAbsent(call.callId(), call) != null) return false; // a call placed again with its id (a retry)
    if (call instanceof SipLeg leg) legsBySipCallId.put(leg.sipCallId(), leg);
    else if (call instanceof SipCall c && c.outboundLeg() != null) legsBySipCallId.put(c.outboundLeg().sipCallId(), c.outboundLeg());
    else inboundBySipCallId.put(call.sipCallId(), call.callId());
    return true;
  }

  void unregister(SipEndpoint call) {
    calls.remove(call.callId(), call);
    if (call instanceof SipLeg leg) legsBySipCallId.remove(leg.sipCallId(), leg);
    else if (call instanceof SipCall c && c.outboundLeg() != null) legsBySipCallId.remove(c.outboundLeg().sipCallId(), c.outboundLeg());
    else inboundBySipCallId.remove(call.sipCallId(), call.callId());
  }

  /** The inbound call (our UAS side) with this SIP Call-ID: what a CANCEL is for. */
  SipEndpoint inbound(String sipCallId) {
    String id = inboundBySipCallId.get(sipCallId);
    return id == null ? null : calls.get(id);
  }

  /** The dialled leg (our UAC side) with this SIP Call-ID: what responses and timeouts are for. */
  SipLeg leg(String sipCallId) {
    return legsBySipCallId.get(sipCallId);
  }

  /**
   * The side of this Call-ID whose local tag is {@code localTag} (the To tag of a request we receive, the From tag
   * of one we send). A call the node routes back to itself has both sides here under one Call-ID; otherwise
   * there is one side, and it is taken whatever the tag (a request without one, a tag we never saw).
   */
  SipEndpoint side(String sipCallId, String localTag) {
    SipEndpoint in = inbound(sipCallId);
    SipEndpoint out = leg(sipCallId);
    if (in == null || out == null) return in != null ? in : out;
    if (localTag != null && localTag.equals(out.localTag())) return out;
    return in;
  }

  void countRelayed(long toCaller, long toLeg) {
    relayedToCallers.add(Math.max(0, toCaller));
    relayedToLegs.add(Math.max(0, toLeg));
  }

  /** RTP packets bridges of this edge relayed to callers (from their dialled legs), since start. */
  public long relayedToCallers() {
    return relayedToCallers.sum();
  }

  /** RTP packets bridges of this edge relayed to dialled legs (from their callers), since start. */
  public long relayedToLegs() {
    return relayedToLegs.sum();
  }

  /** Set by the node when its RTP engine starts: the engine's pacing accuracy (see RtpEngine.pacingP99Micros). */
  public void rtpPacing(java.util.function.LongSupplier p99Micros) {
    this.pacingP99 = p99Micros;
  }

  /** The 99th percentile of |send interval - 20 ms| of the RTP engine's pacing ticks, in µs (0: no engine yet). */
  public long rtpPacingP99Micros() {
    return pacingP99.getAsLong();
  }

  /** Live calls and dialled legs on this edge (each holds an RTP port). */
  public int activeCalls() {
    return calls.size();
  }

  /** Set by the edge when it starts: the pairing of calls bridged over REST. */
  void useJoins(SipJoins joins) {
    this.joins = joins;
  }

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt) {
    SipEndpoint call = calls.get(callId);
    if (call == null) {
      lost(callId);
      return;
    }
    if (action instanceof Action.Join j) {
      if (call instanceof SipCall c && joins != null) joins.join(c, j);
      else sink.deliver(callId, new Outcome.Failed(j.seq(), "a dialled leg cannot be bridged"));
      return;
    }
    call.execute(action);
  }

  @Override
  public void checkAttached(String callId, CallSpec.MediaHandle handle) {
    SipEndpoint call = calls.get(callId);
    if (call == null) lost(callId);
    else if (call instanceof SipLeg leg) leg.redeliverEnd();
    else if (call instanceof SipCall c) c.redeliverEnd();
  }

  private void lost(String callId) {
    sink.deliver(callId, new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE,
        "media_node_lost: the SIP dialog of this call is not on this node any more"));
  }

  @Override
  public void cancel(String callId, CallSpec.MediaHandle handle, int seq) {
    SipEndpoint call = calls.get(callId);
    if (call != null) call.cancel(seq);
  }

  @Override
  public void release(String callId, CallSpec.MediaHandle handle) {
    SipEndpoint call = calls.get(callId);
    if (call == null) return;
    call.release();
    unregister(call);
  }
}
