package io.openvoice.call;

import io.openvoice.flow.FlowEvent;
import java.time.Instant;
import java.util.List;

/**
 * Feeds a {@link CallProbe} from a call entity's state right after a persist, before its outbox is published:
 * the journal write time, calls started and ended (their {@code init} and {@code destroyed} publications), and
 * the time each finished verb took. Allocates nothing of its own.
 */
final class CallProbes {
  private CallProbes() {}

  /** How far back in the trace a finished verb's start is looked for (a Gather's children come in between). */
  private static final int MAX_LOOKBACK = 512;

  /**
   * {@code writeStartNanos}: {@link System#nanoTime()} when the persisted events were applied, just before the
   * journal write was sent (0: unknown).
   */
  static void afterPersist(CallProbe probe, String callId, CallState s, long writeStartNanos) {
    if (writeStartNanos != 0) probe.journalWrite(System.nanoTime() - writeStartNanos);
    List<CallState.Publication> out = s.outbox;
    int n = out.size();
    // the outbox holds the last n entries of the trace, in the same order (both are appended together)
    int base = s.trace.size() - n;
    for (int i = 0; i < n; i++) {
      CallState.Publication p = out.get(i);
      FlowEvent f = p.flow();
      if (f == null) {
        if ("init".equals(p.state())) {
          probe.started(p.call());
          probe.running(callId);
        } else if ("destroyed".equals(p.state()) || "failed".equals(p.state())) {
          probe.ended(p.call());
          probe.stopped(callId);
        }
      } else if (f.phase() == FlowEvent.Phase.FINISHED && base >= 0) {
        verbFinished(probe, s.trace, base + i, f);
      }
    }
  }

  /** Times the verb whose FINISHED event is trace entry {@code at} from its latest STARTED entry (same path). */
  private static void verbFinished(CallProbe probe, List<CallEntity.TraceEntry> trace, int at, FlowEvent finished) {
    CallEntity.TraceEntry end = trace.get(at);
    if (end.flow() != finished) return; // trace and outbox out of step: no timing rather than a wrong one
    for (int j = at - 1, stop = Math.max(0, at - MAX_LOOKBACK); j >= stop; j--) {
      CallEntity.TraceEntry t = trace.get(j);
      FlowEvent f = t.flow();
      if (f != null && f.phase() == FlowEvent.Phase.STARTED && java.util.Objects.equals(f.path(), finished.path())) {
        probe.verb(finished.command(), nanosBetween(t.at(), end.at()));
        return;
      }
    }
  }

  private static long nanosBetween(Instant a, Instant b) {
    return (b.getEpochSecond() - a.getEpochSecond()) * 1_000_000_000L + (b.getNano() - a.getNano());
  }
}
