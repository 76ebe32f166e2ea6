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

  private final String incarnation = java.util.UUID.randomUUID().toString();
  private final Map<String, SipEndpoint> calls = new ConcurrentHashMap<>();
  private final Map<String, String> bySipCallId = new ConcurrentHashMap<>();
  private final OutcomeSink sink;
  private final java.util.concurrent.atomic.LongAdder relayedToCallers = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder relayedToLegs = new java.util.concurrent.atomic.LongAdder();

  public SipMedia(OutcomeSink sink) {
    this.sink = sink;
  }

  CallSpec.MediaHandle handle(String sipCallId) {
    return new CallSpec.MediaHandle(KIND, incarnation, sipCallId);
  }

  void register(SipEndpoint call) {
    calls.put(call.callId(), call);
    bySipCallId.put(call.sipCallId(), call.callId());
  }

  void unregister(SipEndpoint call) {
    calls.remove(call.callId());
    bySipCallId.remove(call.sipCallId());
  }

  SipEndpoint bySipCallId(String sipCallId) {
    String id = bySipCallId.get(sipCallId);
    return id == null ? null : calls.get(id);
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

  /** Live calls and dialled legs on this edge (each holds an RTP port). */
  public int activeCalls() {
    return calls.size();
  }

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt) {
    SipEndpoint call = calls.get(callId);
    if (call == null) {
      lost(callId);
      return;
    }
    call.execute(action);
  }

  @Override
  public void checkAttached(String callId, CallSpec.MediaHandle handle) {
    if (!calls.containsKey(callId)) lost(callId);
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
