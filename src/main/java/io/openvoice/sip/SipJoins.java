package io.openvoice.sip;

import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pairs the Join actions of two calls bridged over REST: the first to arrive waits for its partner's; when both
 * are here their media is joined ({@link SipJoin}). A Join whose partner does not come within {@code partnerWait}
 * (the other call ended meanwhile, refused the bridge, or has its media on another node) fails, and that call's
 * flow goes on.
 */
final class SipJoins {
  private record Waiting(SipCall call, int seq, String otherCallId, ScheduledFuture<?> timeout) {}

  private final Map<String, Waiting> waiting = new HashMap<>(); // by call id; guarded by this
  private final SipMedia media;
  private final ScheduledExecutorService timers;
  private final Duration partnerWait;

  SipJoins(SipMedia media, ScheduledExecutorService timers, Duration partnerWait) {
    this.media = media;
    this.timers = timers;
    this.partnerWait = partnerWait;
  }

  void join(SipCall call, Action.Join j) {
    if (!call.awaitJoin(j.seq())) return; // ended, or re-issued after a failover and already running
    Waiting partner;
    synchronized (this) {
      partner = waiting.get(j.otherCallId());
      if (partner == null || !partner.otherCallId().equals(call.callId())) {
        ScheduledFuture<?> t = timers.schedule(() -> expire(call, j), partnerWait.toMillis(), TimeUnit.MILLISECONDS);
        Waiting previous = waiting.put(call.callId(), new Waiting(call, j.seq(), j.otherCallId(), t));
        if (previous != null) previous.timeout().cancel(false);
        return;
      }
      waiting.remove(j.otherCallId());
      partner.timeout().cancel(false);
    }
    SipJoin.open(partner.call(), partner.seq(), call, j.seq(), media, timers);
  }

  private void expire(SipCall call, Action.Join j) {
    synchronized (this) {
      Waiting w = waiting.get(call.callId());
      if (w == null || w.seq() != j.seq()) return;
      waiting.remove(call.callId());
    }
    call.joinOver(j.seq(), new Outcome.Failed(j.seq(), "call " + j.otherCallId()
        + " did not join within " + partnerWait.toSeconds() + " s (ended, refused, or its media is on another node)"));
  }

  /** Calls waiting for their partner now (for tests and metrics). */
  synchronized int waitingCount() {
    return waiting.size();
  }
}
