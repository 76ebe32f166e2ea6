package io.openvoice.sip;

import io.openvoice.flow.Outcome;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two live calls of this edge bridged over REST, each waiting on its own Join action ({@code seq}): their RTP is
 * relayed both ways. When either leaves (hangs up, gets new XML, ends) the relay stops and the other is told its
 * Join is over, so its flow goes on. The other is told on {@code async}, never under the leaving call's monitor,
 * so two calls never lock each other.
 */
final class SipJoin {
  private final SipCall a;
  private final int seqA;
  private final SipCall b;
  private final int seqB;
  private final Executor async;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SipBridge bridge;

  private SipJoin(SipCall a, int seqA, SipCall b, int seqB, SipMedia media, Executor async) {
    this.a = a;
    this.seqA = seqA;
    this.b = b;
    this.seqB = seqB;
    this.async = async;
    this.bridge = SipBridge.open(a.rtpSession(), b.rtpSession(), media);
  }

  /** Relays the two calls' media and tells both; a call that moved on meanwhile closes it again at once. */
  static void open(SipCall a, int seqA, SipCall b, int seqB, SipMedia media, Executor async) {
    SipJoin join = new SipJoin(a, seqA, b, seqB, media, async);
    a.joined(seqA, join);
    b.joined(seqB, join);
  }

  SipCall other(SipCall call) {
    return call == a ? b : a;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** {@code leaver} is done with the bridge: stop relaying and tell the other call its Join is over. Idempotent. */
  void close(SipCall leaver) {
    if (!closed.compareAndSet(false, true)) return;
    bridge.close();
    SipCall stays = other(leaver);
    int seq = stays == a ? seqA : seqB;
    async.execute(() -> stays.joinOver(seq, new Outcome.Done(seq)));
  }
}
