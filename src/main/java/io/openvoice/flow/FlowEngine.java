package io.openvoice.flow;

import io.openvoice.xml.CallFlow;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The call-flow interpreter: plain Java, no actors, no I/O, deterministic. One instance per call; not
 * thread-safe (the call entity owns it). Feed it outcomes; it answers with the next {@link Step}.
 *
 * <p>Replaying the same inputs ({@code start*} then every {@code apply}, with the same {@code now} values) into a
 * fresh engine rebuilds the same state and produces the same steps: the call entity recovers a call this way.
 * Once the flow has ended every input is absorbed without effect.
 */
public final class FlowEngine {
  private static final Step EMPTY = new Step(List.of(), List.of(), false);

  private final FlowContext ctx;
  private final FlowState st;
  private final Runner runner;
  private final Resumer resumer;

  public FlowEngine(FlowContext ctx) {
    this.ctx = ctx;
    this.st = new FlowState(ctx);
    this.runner = new Runner(st);
    this.resumer = new Resumer(st, runner);
  }

  public FlowContext context() { return ctx; }

  /** Start running a hosted document. */
  public Step start(CallFlow flow, Instant now) {
    begin(now);
    runner.startFlow(flow);
    runner.run();
    return st.drain();
  }

  /** Start by fetching the app's call-flow URL; its answer is then run like a hosted document. */
  public Step startFromUrl(String url, String method, long timeoutMs, Instant now) {
    begin(now);
    String m = method == null ? "GET" : method.trim().toUpperCase(Locale.ROOT);
    long timeout = timeoutMs > 0 ? timeoutMs : Runner.DEFAULT_FETCH_TIMEOUT_MS;
    st.await(new Action.Fetch(st.nextSeq(), "", "CALL_FLOW", url, m, FetchParams.callFlow(ctx), Runner.isPost(m), null,
        Map.of(), timeout), new Wait(Wait.Kind.CALL_FLOW, null, 0, url));
    return st.drain();
  }

  /**
   * Start with no flow (asynchronous control): the call is parked until XML is pushed to it (then run like a
   * hosted document, auto-answer included), or hung up (cause 102) when {@code timeoutMs} passes.
   */
  public Step startParked(long timeoutMs, Instant now) {
    begin(now);
    Action park = new Action.Park(st.nextSeq(), "", timeoutMs);
    st.await(park, new Wait(Wait.Kind.PARK, null, 0, null));
    return st.drain();
  }

  /** Feed an outcome of the pending action (or a CallEnded / Push, which need none). */
  public Step apply(Outcome outcome, Instant now) {
    if (st.ended || outcome == null) {
      return EMPTY;
    }
    st.now = now;
    if (outcome instanceof Outcome.CallEnded) {
      callEnded();
    } else if (outcome instanceof Outcome.Push push) {
      push(push.xml());
    } else if (outcome instanceof Outcome.Bridge b) {
      bridge(b.otherCallId());
    } else if (st.pending != null && seqOf(outcome) == st.pending.seq()) {
      resumer.resume(outcome);
    } else {
      return EMPTY; // stale: not for the action we wait on
    }
    runner.run();
    return st.drain();
  }

  /** The action awaiting an outcome, or null. */
  public Action pending() { return st.pending; }

  public boolean ended() { return st.ended; }

  public boolean answered() { return st.answered; }

  public boolean onHold() { return st.onHold; }

  /** The metas accumulated so far, in the order their names first appeared. */
  public Map<String, Object> metas() { return Collections.unmodifiableMap(st.metas); }

  /** The last digits collected by a Gather, or null. */
  public String lastDigits() { return st.lastDigits; }

  /** Tags of the recordings started (RecordStart, Record) and not stopped yet. */
  public Set<String> activeRecordings() { return Collections.unmodifiableSet(st.activeRecordings); }

  private void begin(Instant now) {
    if (st.started) {
      throw new IllegalStateException("the flow of call " + ctx.callId() + " has already started");
    }
    st.started = true;
    st.now = now;
  }

  private void callEnded() {
    if (st.wait != null && st.wait.verb() != null) {
      st.finished(st.wait.verb(), false, "call_ended");
    }
    st.terminate();
  }

  /**
   * XML pushed to the live call replaces everything that remains; the pending action is abandoned (the call
   * entity stops its media). It runs like the call's first document: an unanswered call of an auto-answer app is
   * answered first. A document that does not parse changes nothing.
   */
  private void push(String xml) {
    Resumer.Parsed parsed = Resumer.parse(xml);
    if (parsed.flow() == null) {
      st.platformEvent("Push", false, parsed.error());
      return;
    }
    if (st.wait != null && st.wait.verb() != null) {
      st.finished(st.wait.verb(), false, "replaced by pushed XML");
    }
    if (st.wait != null && st.wait.kind() == Wait.Kind.HOLD) {
      st.onHold = false;
    }
    st.reparkMs = -1;
    st.platformEvent("Push", true, "flow replaced");
    st.started = true;
    runner.startFlow(parsed.flow());
  }

  /**
   * The call is bridged with another live call (REST): the verb it waited on is abandoned (the call entity stops
   * its media) and the flow waits on a Join. When the bridge is over the flow goes on after that verb; a parked
   * call parks again, for its full park time.
   */
  private void bridge(String otherCallId) {
    Wait w = st.wait;
    if (w != null && w.kind() == Wait.Kind.PARK) {
      st.reparkMs = ((Action.Park) st.pending).timeoutMs();
    } else if (w == null || w.kind() != Wait.Kind.JOIN) {
      st.reparkMs = -1;
    }
    if (w != null && w.verb() != null) {
      st.finished(w.verb(), false, "interrupted: bridged with call " + otherCallId);
    }
    if (w != null && w.kind() == Wait.Kind.HOLD) {
      st.onHold = false;
    }
    st.clearWait();
    st.await(new Action.Join(st.nextSeq(), "", otherCallId), new Wait(Wait.Kind.JOIN, null, 0, otherCallId));
  }

  private static int seqOf(Outcome o) {
    if (o instanceof Outcome.Done d) return d.seq();
    if (o instanceof Outcome.Failed f) return f.seq();
    if (o instanceof Outcome.Digits d) return d.seq();
    if (o instanceof Outcome.HttpResult r) return r.seq();
    if (o instanceof Outcome.DialAnswered a) return a.seq();
    if (o instanceof Outcome.DialEnded e) return e.seq();
    if (o instanceof Outcome.Joined j) return j.seq();
    return -1;
  }
}
