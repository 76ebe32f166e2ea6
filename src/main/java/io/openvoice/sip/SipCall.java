package io.openvoice.sip;

import io.openvoice.call.OutcomeSink;
import io.openvoice.call.Q850;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import io.openvoice.media.Audio;
import io.openvoice.media.rtp.RtpSession;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound SIP call on this edge: its INVITE transaction and dialog (through {@link SipDialogSide}), its RTP
 * session, and the media action the call entity asked for last. Called from SIP stack threads, the RTP receive
 * thread, timers and the call entity (via {@link SipMedia}), hence synchronized. Outcomes go back through the
 * sink (sharding), never directly to an actor.
 */
final class SipCall implements SipEndpoint {
  private static final Logger log = LoggerFactory.getLogger(SipCall.class);

  final String callId;
  final String sipCallId;
  private final CallSide sip;
  private final RtpSession rtp;
  private final OutcomeSink sink;
  private final ScheduledExecutorService timers;
  private final SipPrompts prompts;
  private final Set<Integer> seen = new HashSet<>();
  /** The last outcomes reported, by action seq (the latest few), and the call's end if the far end ended it. */
  private final java.util.LinkedHashMap<Integer, Outcome> delivered = new java.util.LinkedHashMap<>();
  private Outcome endOutcome;

  private boolean answered;
  private boolean earlyMedia;
  private boolean ended;
  /** The action whose outcome is awaited, its timer and (for Collect and dtmf_stop Pause) its digits. */
  private int currentSeq = -1;
  private ScheduledFuture<?> timer;
  private Collector collector;
  private SipDial dial;
  private SipBridge bridge;
  /** The REST bridge with another call this call's current Join action is in, or null. */
  private SipJoin join;
  private final SipDialer dialer;
  private final SipDialer.Context dialContext;
  private final SipMediaServices services;
  private final SipRecorder recorder;
  private ScheduledFuture<?> recordingTicks;

  SipCall(String callId, String sipCallId, CallSide sip, RtpSession rtp, OutcomeSink sink,
          ScheduledExecutorService timers, SipPrompts prompts, SipDialer dialer, SipDialer.Context dialContext,
          SipMediaServices services) {
    this.dialer = dialer;
    this.dialContext = dialContext;
    this.services = services;
    this.recorder = new SipRecorder(callId, dialContext.spec().accountId(), services);
    this.callId = callId;
    this.sipCallId = sipCallId;
    this.sip = sip;
    this.rtp = rtp;
    this.sink = sink;
    this.timers = timers;
    this.prompts = prompts;
    rtp.onDigit(this::onDigit);
  }

  @Override public String callId() { return callId; }

  @Override public String sipCallId() { return sipCallId; }

  @Override public javax.sip.address.Hop nextHop() { return sip.nextHop(); }

  @Override public String localTag() { return sip.localTag(); }

  long packetsSent() {
    return rtp.packetsSent();
  }

  @Override
  public RtpSession rtpSession() {
    return rtp;
  }

  @Override
  public void infoDigit(char digit) {
    onDigit(digit);
  }

  // ---- from the call entity ----------------------------------------------------------------------------

  @Override
  public synchronized void execute(Action a) {
    if (ended || !seen.add(a.seq())) { // re-issued by a call entity recovered on another node
      redeliver(a.seq());
      return;
    }
    if (a instanceof Action.Answer) {
      answer();
      deliver(new Outcome.Done(a.seq()));
    } else if (a instanceof Action.Hangup h) {
      end(h.cause());
    } else if (a instanceof Action.Reject r) {
      end("busy".equals(r.reason()) ? Q850.USER_BUSY : Q850.CALL_REJECTED);
    } else if (a instanceof Action.Pause p) {
      begin(p.seq());
      if (p.dtmfStop() != null && !p.dtmfStop().isEmpty()) {
        collector = new Collector(p.seq(), 1, p.dtmfStop(), true, 0);
      }
      timer = timers.schedule(() -> complete(p.seq(), new Outcome.Done(p.seq())), p.lengthMs(), TimeUnit.MILLISECONDS);
    } else if (a instanceof Action.Say || a instanceof Action.Tone || a instanceof Action.Play) {
      begin(a.seq());
      earlyMediaIfNeeded();
      audioFor(a).thenCompose(playIfCurrent(a.seq()))
          .whenComplete((done, err) -> complete(a.seq(), err != null
              ? new Outcome.Failed(a.seq(), "prompt failed: " + rootMessage(err))
              : new Outcome.Done(a.seq())));
    } else if (a instanceof Action.Collect c) {
      begin(c.seq());
      earlyMediaIfNeeded();
      collector = new Collector(c.seq(), c.maxDigits(), c.finishOnKey(), false, c.timeoutMs());
      playPrompts(c, 0);
    } else if (a instanceof Action.Hold h) {
      begin(h.seq());
      earlyMediaIfNeeded();
      long length = h.timeoutMs() > 0 ? h.timeoutMs() : 300_000;
      CompletionStage<Audio> music = h.url() != null && !h.url().isBlank()
          ? services.prompts.get(h.url()).exceptionallyCompose(e -> services.hold.audio())
          : services.hold.audio();
      music.thenApply(m -> m.durationMs() <= 0 ? m : m.repeat((int) Math.max(1, length / m.durationMs() + 1)))
          .thenCompose(playIfCurrent(h.seq()));
      timer = timers.schedule(() -> complete(h.seq(), new Outcome.Done(h.seq())), length, TimeUnit.MILLISECONDS);
    } else if (a instanceof Action.Unhold) {
      rtp.stopPlayback(); // the hold's own step ended before this one could run; nothing plays any more
    } else if (a instanceof Action.RecordStart r) {
      earlyMediaIfNeeded();
      recorder.start(r, rtp);
      if (recordingTicks == null) {
        recordingTicks = timers.scheduleAtFixedRate(recorder::tick, 1, 1, TimeUnit.SECONDS);
      }
    } else if (a instanceof Action.RecordStop r) {
      recorder.stop(r.tag());
    } else if (a instanceof Action.RecordWait w) {
      begin(w.seq());
      recorder.whenDone(w.tag()).thenRun(() -> complete(w.seq(), new Outcome.Done(w.seq())));
      if (w.timeoutMs() > 0) {
        timer = timers.schedule(() -> complete(w.seq(), new Outcome.Done(w.seq())), w.timeoutMs(), TimeUnit.MILLISECONDS);
      }
    } else if (a instanceof Action.Dial d) {
      begin(d.seq());
      dial = new SipDial(this, d, timers);
      dialer.dial(this, dial, dialContext);
    } else if (a.awaitsOutcome()) {
      // anything else, Hold, Record...: not on this edge yet; the flow takes its Error path instead of waiting
      deliver(new Outcome.Failed(a.seq(), a.getClass().getSimpleName() + " is not supported by the SIP edge yet"));
    }
  }

  /** The flow moved on without this action (XML pushed): stop it and report nothing. */
  @Override
  public synchronized void cancel(int seq) {
    if (seq == currentSeq) {
      stopCurrent();
      currentSeq = -1;
    }
  }

  /** The call is over for the entity: hang up what is still up and free the RTP port. */
  @Override
  public synchronized void release() {
    if (!ended) end(Q850.NORMAL_CLEARING);
    stopRecordings();
    rtp.close();
  }

  // ---- from the SIP side ---------------------------------------------------------------------------------

  /** The caller hung up (BYE) or cancelled (CANCEL) before we did. */
  @Override
  public synchronized void remoteEnded(int cause, String reason) {
    if (ended) return;
    ended = true;
    stopCurrent();
    stopRecordings();
    rtp.close();
    endOutcome = new Outcome.CallEnded(cause, reason);
    sink.deliver(callId, endOutcome);
  }

  /** The far end of a call we placed answered (its leg told the call entity). */
  synchronized void answeredByFarEnd() {
    answered = true;
  }

  /** The far end of a call we placed refused or hung up: its leg told the call entity already. */
  synchronized void farEndGone() {
    if (ended) return;
    ended = true;
    stopCurrent();
    stopRecordings();
  }

  /** The INVITE of a call we placed (null for an inbound call). */
  SipLeg outboundLeg() {
    return sip instanceof SipOutboundSide o ? o.leg() : null;
  }

  /** CANCEL before an answer: the INVITE ends with 487. */
  synchronized void cancelledByCaller() {
    sip.cancelled();
  }

  // ---- from the Dial (the monitor is held) ----------------------------------------------------------------

  /** A leg answered: answer the caller if the flow has not yet, bridge the two, and tell the flow. */
  void dialAnswered(SipDial d, SipLeg leg) {
    if (d != dial || ended) {
      leg.hangup(Q850.NORMAL_CLEARING, "caller_gone");
      return;
    }
    answer();
    rtp.stopPlayback();
    bridge = SipBridge.open(rtp, leg.rtp, dialer.media());
    deliver(new Outcome.DialAnswered(d.action.seq(), leg.callId(), leg.destination.label()));
  }

  /** The Dial is over: no answer, or the bridged leg hung up (the flow carries on after the Dial). */
  void dialEnded(SipDial d, boolean answered, String reason, int cause) {
    if (d != dial) return;
    unbridge();
    dial = null;
    complete(d.action.seq(), new Outcome.DialEnded(d.action.seq(), answered, reason, cause));
  }

  // ---- REST bridge with another call (SipJoins, SipJoin) -------------------------------------------------

  /** A Join action begins: stop what played; false if the call is over or the Join already runs (failover). */
  synchronized boolean awaitJoin(int seq) {
    if (ended || !seen.add(seq)) {
      redeliver(seq);
      return false;
    }
    begin(seq);
    return true;
  }

  /** The partner is here and the media relayed: tell the flow, unless this call moved on meanwhile. */
  synchronized void joined(int seq, SipJoin j) {
    if (seq != currentSeq || ended) {
      j.close(this);
      return;
    }
    if (j.isClosed()) { // the partner left before the bridge was made
      complete(seq, new Outcome.Failed(seq, "call " + j.other(this).callId + " left before the bridge was made"));
      return;
    }
    join = j;
    deliver(new Outcome.Joined(seq, j.other(this).callId));
  }

  /** The Join with this seq is over (the other call left, or never came): the flow goes on. */
  synchronized void joinOver(int seq, Outcome o) {
    if (seq == currentSeq) join = null;
    complete(seq, o);
  }

  private void unbridge() {
    if (bridge != null) {
      bridge.close();
      bridge = null;
    }
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private void answer() {
    if (answered) return;
    answered = true;
    sip.answer();
  }

  private void earlyMediaIfNeeded() {
    if (!answered && !earlyMedia) {
      earlyMedia = true;
      sip.progress();
    }
  }

  private void end(int cause) {
    ended = true;
    stopCurrent();
    stopRecordings();
    if (answered) sip.bye(); else sip.refuse(SipCauses.statusFor(cause));
  }

  private void stopRecordings() {
    recorder.stop(null);
    if (recordingTicks != null) {
      recordingTicks.cancel(false);
      recordingTicks = null;
    }
  }

  /** The audio of a prompt action: a recording of this call for {@code <Play record>}, else the prompt's own. */
  private CompletionStage<Audio> audioFor(Action a) {
    if (a instanceof Action.Play p && p.recordingTag() != null && !p.recordingTag().isBlank()) {
      java.nio.file.Path file = recorder.fileOf(p.recordingTag());
      if (file == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("no recording tagged " + p.recordingTag()));
      }
      return prompts.file(file, p.loop());
    }
    return prompts.render(a);
  }

  private void begin(int seq) {
    stopCurrent();
    currentSeq = seq;
  }

  private void stopCurrent() {
    if (dial != null) {
      dial.abort(ended ? Q850.ORIGINATOR_CANCEL : Q850.NORMAL_CLEARING, ended ? "caller_hangup" : "dial_cancelled");
      dial = null;
    }
    unbridge();
    if (join != null) {
      join.close(this);
      join = null;
    }
    if (timer != null) timer.cancel(false);
    timer = null;
    collector = null;
    rtp.stopPlayback();
  }

  private java.util.function.Function<Audio, CompletionStage<Boolean>> playIfCurrent(int seq) {
    return audio -> {
      synchronized (this) {
        if (seq != currentSeq || ended) return CompletableFuture.completedFuture(false);
        return rtp.play(audio);
      }
    };
  }

  private synchronized void playPrompts(Action.Collect c, int index) {
    if (c.seq() != currentSeq || collector == null || collector.bargedIn) return;
    if (index >= c.prompts().size()) {
      collector.armTimeout();
      return;
    }
    Action p = c.prompts().get(index);
    CompletionStage<Boolean> played = p instanceof Action.Pause pause
        ? delay(pause.lengthMs())
        : audioFor(p).thenCompose(playIfCurrent(c.seq()));
    played.whenComplete((ok, err) -> {
      if (err != null) log.debug("call {}: Gather prompt {} failed: {}", callId, index, rootMessage(err));
      playPrompts(c, index + 1);
    });
  }

  private CompletionStage<Boolean> delay(long ms) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    timers.schedule(() -> f.complete(true), ms, TimeUnit.MILLISECONDS);
    return f;
  }

  private synchronized void onDigit(char d) {
    if (collector != null) collector.digit(d);
  }

  /** Reports the outcome of {@code seq} once, if it is still the current action. */
  private synchronized void complete(int seq, Outcome o) {
    if (seq != currentSeq || ended) return;
    if (timer != null) timer.cancel(false);
    timer = null;
    collector = null;
    currentSeq = -1;
    deliver(o);
  }

  private void deliver(Outcome o) {
    Integer seq = Outcome.seqOf(o);
    if (seq != null) {
      delivered.put(seq, o);
      if (delivered.size() > 8) delivered.remove(delivered.keySet().iterator().next());
    }
    sink.deliver(callId, o);
  }

  /**
   * The call entity asks again for an action this edge has seen: it was recovered on another node, and what it
   * was told meanwhile may have been lost with the node it ran on. It gets the call's end if the call is over,
   * else the last outcome of that action if there was one (the entity drops what it already applied); an action
   * still running reports when it is done, to wherever the entity is now.
   */
  private void redeliver(int seq) {
    if (ended) {
      if (endOutcome != null) sink.deliver(callId, endOutcome);
      return;
    }
    Outcome o = delivered.get(seq);
    if (o != null) sink.deliver(callId, o);
  }

  /** The call is over for the far end: tell it again (a recovered call entity checking on its media). */
  synchronized void redeliverEnd() {
    if (ended && endOutcome != null) sink.deliver(callId, endOutcome);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Digits for a Gather (or the stop key of a Pause): barge-in, finish key, max digits, timeouts. */
  private final class Collector {
    final int seq;
    final int maxDigits;
    final String finishOnKey;
    final boolean stopKeyOnly;
    final long timeoutMs;
    final StringBuilder got = new StringBuilder();
    boolean bargedIn;

    Collector(int seq, int maxDigits, String finishOnKey, boolean stopKeyOnly, long timeoutMs) {
      this.seq = seq;
      this.timeoutMs = timeoutMs;
      this.maxDigits = maxDigits;
      this.finishOnKey = finishOnKey;
      this.stopKeyOnly = stopKeyOnly;
    }

    void digit(char d) {
      if (stopKeyOnly) {
        if (finishOnKey.indexOf(d) >= 0) complete(seq, new Outcome.Digits(seq, String.valueOf(d), "dtmf_stop"));
        return;
      }
      if (!bargedIn) {
        bargedIn = true;
        rtp.stopPlayback();
      }
      if (finishOnKey != null && finishOnKey.indexOf(d) >= 0) {
        complete(seq, new Outcome.Digits(seq, got.toString(), "finish_key"));
        return;
      }
      got.append(d);
      if (maxDigits > 0 && got.length() >= maxDigits) {
        complete(seq, new Outcome.Digits(seq, got.toString(), "max_digits"));
        return;
      }
      armTimeout(); // inter-digit timeout
    }

    void armTimeout() {
      if (timer != null) timer.cancel(false);
      timer = timers.schedule(() -> complete(seq, new Outcome.Digits(seq, got.toString(), "timeout")),
          timeoutMs, TimeUnit.MILLISECONDS);
    }
  }
}
