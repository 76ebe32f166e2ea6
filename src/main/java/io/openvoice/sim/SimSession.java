package io.openvoice.sim;

import io.openvoice.call.CallSpec;
import io.openvoice.call.HttpPort;
import io.openvoice.call.OutcomeSink;
import io.openvoice.call.Q850;
import io.openvoice.common.Json;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated media leg. Times are milliseconds since the call started ({@code t0}). In virtual time the
 * session keeps its own clock, advanced by each step it completes; in real time the clock is the wall clock.
 * Each action seq is executed once per session (a re-issued action after a failover on the same node is
 * ignored; on a new node the rebuilt session resumes it from its original start).
 */
final class SimSession {
  record HandleData(long t0, SimScript script) {}

  private static final long PLAY_MS = 3000;

  private final String callId;
  private final long t0;
  private final SimScript script;
  private final OutcomeSink sink;
  private final HttpPort http;
  private final ScheduledExecutorService scheduler;
  private final Set<Integer> seen = new HashSet<>();
  private final Set<Integer> usedEvents = new HashSet<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  /** Per action seq: its scheduled outcomes and the caller events it took (given back when it is cancelled). */
  private final Map<Integer, List<ScheduledFuture<?>>> timersBySeq = new java.util.HashMap<>();
  private final Map<Integer, Integer> eventBySeq = new java.util.HashMap<>();
  private final Set<Integer> cancelled = new HashSet<>();
  private long clock;
  private boolean closed;
  private boolean hangupSent;

  private SimSession(String callId, long t0, SimScript script, OutcomeSink sink, HttpPort http,
                     ScheduledExecutorService scheduler) {
    this.callId = callId;
    this.t0 = t0;
    this.script = script;
    this.sink = sink;
    this.http = http;
    this.scheduler = scheduler;
    if (script.realtime()) {
      for (SimScript.CallerAction a : script.actions()) {
        if (a.hangup()) {
          schedule(a.atMs(), new Outcome.CallEnded(Q850.NORMAL_CLEARING, "caller hung up"));
          break;
        }
      }
    }
  }

  static SimSession fromHandle(String callId, CallSpec.MediaHandle handle, OutcomeSink sink, HttpPort http,
                               ScheduledExecutorService scheduler) {
    try {
      HandleData d = Json.MAPPER.readValue(handle.data(), HandleData.class);
      return new SimSession(callId, d.t0(), d.script(), sink, http, scheduler);
    } catch (Exception e) {
      return null;
    }
  }

  synchronized void execute(Action a, Instant startedAt) {
    if (closed || cancelled.contains(a.seq()) || !seen.add(a.seq())) return;
    long start = script.realtime() ? Math.max(0, startedAt.toEpochMilli() - t0) : clock;
    if (!script.realtime()) {
      Long hangupAt = hangupAt();
      if (hangupAt != null && hangupAt <= start) {
        sendHangup(start);
        return;
      }
    }
    if (!a.awaitsOutcome()) return; // Hangup, Reject, Unhold, RecordStart/Stop, Notify: nothing comes back
    if (a instanceof Action.Play p && p.url() != null) {
      http.send(new HttpPort.Request("GET", p.url(), Map.of(), null, null, Map.of(), Duration.ofSeconds(5)))
          .whenComplete((res, err) -> {
            synchronized (this) {
              if (err != null || res.status() / 100 != 2) {
                finish(start, new Outcome.Failed(p.seq(), err != null
                    ? "file unavailable: " + err.getMessage() : "file unavailable: http " + res.status()));
              } else {
                complete(start, duration(p.loop(), PLAY_MS), new Outcome.Done(p.seq()));
              }
            }
          });
      return;
    }
    if (a instanceof Action.Pause p) {
      if (p.dtmfStop() != null) {
        Integer ev = digitEvent(start, start + p.lengthMs(), p.dtmfStop());
        if (ev != null) {
          take(p.seq(), ev);
          long at = script.actions().get(ev).atMs();
          complete(start, at - start, new Outcome.Digits(p.seq(), p.dtmfStop(), "dtmf_stop"));
          return;
        }
      }
      complete(start, p.lengthMs(), new Outcome.Done(p.seq()));
    } else if (a instanceof Action.Collect c) {
      collect(c, start);
    } else if (a instanceof Action.Dial d) {
      dial(d, start);
    } else if (a instanceof Action.Join j) {
      finish(start, new Outcome.Failed(j.seq(), "simulated calls cannot be bridged"));
    } else {
      complete(start, durationOf(a), new Outcome.Done(a.seq()));
    }
  }

  private void collect(Action.Collect c, long start) {
    long prompts = 0;
    for (Action p : c.prompts()) prompts = saturatedAdd(prompts, durationOf(p));
    long windowEnd = saturatedAdd(start, saturatedAdd(prompts, c.timeoutMs()));
    Integer ev = digitEvent(start, windowEnd, null);
    if (ev == null) {
      complete(start, windowEnd - start, new Outcome.Digits(c.seq(), "", "timeout"));
      return;
    }
    take(c.seq(), ev);
    SimScript.CallerAction e = script.actions().get(ev);
    StringBuilder got = new StringBuilder();
    String end = "timeout";
    for (char ch : e.digits().toCharArray()) {
      if (c.finishOnKey() != null && c.finishOnKey().indexOf(ch) >= 0) { end = "finish_key"; break; }
      got.append(ch);
      if (c.maxDigits() > 0 && got.length() >= c.maxDigits()) { end = "max_digits"; break; }
    }
    complete(start, e.atMs() - start, new Outcome.Digits(c.seq(), got.toString(), end));
  }

  private void dial(Action.Dial d, long start) {
    SimScript.Dial behaviour = script.dial();
    if (!behaviour.answer()) {
      String reason = behaviour.reason() == null ? "no_answer" : behaviour.reason();
      long after = "no_answer".equals(reason) ? d.ringTimeoutMs() : 1000;
      int cause = switch (reason) {
        case "busy" -> Q850.USER_BUSY;
        case "no_answer" -> Q850.NO_ANSWER;
        default -> Q850.NORMAL_TEMPORARY_FAILURE;
      };
      complete(start, after, new Outcome.DialEnded(d.seq(), false, reason, cause));
      return;
    }
    String target = d.targets().isEmpty() ? "" : d.targets().get(0).value();
    long answeredAt = start + behaviour.answerAfterMs();
    Long hangupAt = hangupAt();
    if (hangupAt != null && hangupAt < answeredAt) {
      complete(start, Long.MAX_VALUE, null);
      return;
    }
    emit(answeredAt, new Outcome.DialAnswered(d.seq(), callId + "-leg-1", target));
    complete(answeredAt, behaviour.talkMs(), new Outcome.DialEnded(d.seq(), true, "callee_hangup", Q850.NORMAL_CLEARING));
  }

  /** The step ends at start+length unless the caller hangs up first. */
  private void complete(long start, long length, Outcome outcome) {
    long end = saturatedAdd(start, length);
    Long hangupAt = hangupAt();
    if (hangupAt != null && hangupAt < end && hangupAt >= start) {
      sendHangup(hangupAt);
      return;
    }
    if (outcome == null || end == Long.MAX_VALUE) return; // waits for ever (loop 0): only hang-up ends it
    finish(end, outcome);
  }

  private void finish(long at, Outcome outcome) {
    emit(at, outcome);
    if (!script.realtime()) clock = Math.max(clock, at);
  }

  private void emit(long at, Outcome outcome) {
    if (script.realtime()) {
      ScheduledFuture<?> f = schedule(at, outcome);
      Integer seq = Outcome.seqOf(outcome);
      if (seq != null) timersBySeq.computeIfAbsent(seq, k -> new ArrayList<>()).add(f);
    } else {
      sink.deliver(callId, outcome);
    }
  }

  private void take(int seq, int event) {
    usedEvents.add(event);
    eventBySeq.put(seq, event);
  }

  /**
   * The flow abandoned this action (XML pushed): its pending outcomes are not sent, and caller digits it had
   * taken but that are still in the future go back to the script for the next Gather.
   */
  synchronized void cancel(int seq) {
    cancelled.add(seq);
    List<ScheduledFuture<?>> fs = timersBySeq.remove(seq);
    if (fs != null) fs.forEach(f -> f.cancel(false));
    Integer ev = eventBySeq.remove(seq);
    if (ev != null && script.realtime() && t0 + script.actions().get(ev).atMs() > System.currentTimeMillis()) {
      usedEvents.remove(ev);
    }
  }

  private void sendHangup(long at) {
    if (hangupSent) return;
    hangupSent = true;
    if (!script.realtime()) {
      clock = Math.max(clock, at);
      sink.deliver(callId, new Outcome.CallEnded(Q850.NORMAL_CLEARING, "caller hung up"));
    }
    // real time: already scheduled at construction
  }

  private ScheduledFuture<?> schedule(long atMs, Outcome outcome) {
    long delay = Math.max(0, t0 + atMs - System.currentTimeMillis());
    ScheduledFuture<?> f = scheduler.schedule(() -> {
      synchronized (SimSession.this) {
        Integer seq = Outcome.seqOf(outcome);
        if (!closed && (seq == null || !cancelled.contains(seq))) sink.deliver(callId, outcome);
      }
    }, delay, TimeUnit.MILLISECONDS);
    timers.add(f);
    return f;
  }

  private Long hangupAt() {
    for (SimScript.CallerAction a : script.actions()) if (a.hangup()) return a.atMs();
    return null;
  }

  /** The first unused digits event in [from, to]; with {@code mustContain}, only one containing that key. */
  private Integer digitEvent(long from, long to, String mustContain) {
    List<SimScript.CallerAction> acts = script.actions();
    for (int i = 0; i < acts.size(); i++) {
      SimScript.CallerAction a = acts.get(i);
      if (a.digits() == null || a.digits().isEmpty() || usedEvents.contains(i)) continue;
      if (a.atMs() < from || a.atMs() > to) continue;
      if (mustContain != null && !a.digits().contains(mustContain)) continue;
      return i;
    }
    return null;
  }

  private static long durationOf(Action a) {
    if (a instanceof Action.Say s) return duration(s.loop(), 300 + 60L * (s.text() == null ? 0 : s.text().length()));
    if (a instanceof Action.Play p) return duration(p.loop(), PLAY_MS);
    if (a instanceof Action.Pause p) return p.lengthMs();
    if (a instanceof Action.Tone t) {
      long one = t.onMs() + t.offMs();
      long total = t.loop() == 0 ? t.timeoutMs() : one * t.loop();
      return t.timeoutMs() > 0 ? Math.min(total, t.timeoutMs()) : total;
    }
    if (a instanceof Action.Hold h) return h.timeoutMs();
    return 0;
  }

  private static long duration(int loop, long once) {
    return loop <= 0 ? Long.MAX_VALUE : once * loop;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  boolean realtime() {
    return script.realtime();
  }

  synchronized void close() {
    closed = true;
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }
}
