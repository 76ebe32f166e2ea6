package io.openvoice.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.flow.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a call entity reports to its node's metrics after each persist, from a call's events alone. */
class CallProbesTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Records what it is told, as text. */
  static final class Recorder implements CallProbe {
    final List<String> seen = new ArrayList<>();
    int journalWrites;

    @Override public void journalWrite(long nanos) { journalWrites++; assertTrue(nanos >= 0); }
    @Override public void started(CallView call) { seen.add("started " + call.direction()); }
    @Override public void ended(CallView call) { seen.add("ended " + call.q850Cause() + " " + call.hangupReason()); }
    @Override public void verb(String command, long nanos) { seen.add(command + " " + nanos / 1_000_000 + "ms"); }
    @Override public void running(String callId) { seen.add("running " + callId); }
    @Override public void stopped(String callId) { seen.add("stopped " + callId); }
  }

  private static void persisted(Recorder r, CallState s, CallEntity.Event e) {
    long start = System.nanoTime();
    s.apply(e);
    CallProbes.afterPersist(r, "call-1", s, start);
    s.outbox.clear(); // what CallEffects.publish does after the probe
  }

  @Test
  void reportsTheCallsLifeAndEachVerbsDurationFromItsEventTimes() {
    CallSpec spec = new CallSpec("call-1", "acc", null, null, "+12015550123", "+12025550100", "in",
        CallSpec.FlowSource.hosted("<Response><Answer/><Say>hi</Say><Pause length=\"2000\"/><Hangup/></Response>"),
        600_000, "UTC", new CallSpec.MediaHandle("sim", "node", "data"), null);
    CallState s = new CallState();
    Recorder r = new Recorder();
    persisted(r, s, new CallEntity.Started(spec, T0, null));
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(10)));   // Answer
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(1510))); // Say
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(3510))); // Pause
    assertEquals(List.of("started in", "running call-1", "Answer 10ms", "Say 1500ms", "Pause 2000ms", "Hangup 0ms",
        "ended 16 hangup", "stopped call-1"), r.seen);
    assertEquals(4, r.journalWrites);
  }

  @Test
  void aVerbInsideAnotherIsTimedFromItsOwnStartAndTheOuterFromItsOwn() {
    CallSpec spec = new CallSpec("call-1", "acc", null, null, "+12015550123", "+12025550100", "in",
        CallSpec.FlowSource.hosted("<Response><Answer/><Gather numDigits=\"1\"><Say>press one</Say>"
            + "<DTMF value=\"1\"><Say>one</Say></DTMF></Gather><Hangup/></Response>"),
        600_000, "UTC", new CallSpec.MediaHandle("sim", "node", "data"), null);
    CallState s = new CallState();
    Recorder r = new Recorder();
    persisted(r, s, new CallEntity.Started(spec, T0, null));
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(5)));    // Answer
    persisted(r, s, new CallEntity.Fed(new Outcome.Digits(s.pending().seq(), "1", null), T0.plusMillis(805)));
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(1305)));  // Say one
    assertEquals(List.of("started in", "running call-1", "Answer 5ms", "Gather 800ms", "Say 500ms", "Hangup 0ms",
        "ended 16 hangup", "stopped call-1"), r.seen);
  }

  @Test
  void aVerbRunAgainAtTheSamePathIsTimedFromItsLatestStart() {
    String xml = "<Response><Answer/><Say>hi</Say><Pause length=\"60000\"/></Response>";
    CallSpec spec = new CallSpec("call-1", "acc", null, null, "+12015550123", "+12025550100", "in",
        CallSpec.FlowSource.hosted(xml), 600_000, "UTC", new CallSpec.MediaHandle("sim", "node", "data"), null);
    CallState s = new CallState();
    Recorder r = new Recorder();
    persisted(r, s, new CallEntity.Started(spec, T0, null));
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(5)));    // Answer
    persisted(r, s, new CallEntity.Fed(new Outcome.Push(xml), T0.plusMillis(1005)));              // Say cut short
    persisted(r, s, new CallEntity.Fed(new Outcome.Done(s.pending().seq()), T0.plusMillis(1505))); // Say again
    // the pushed flow's platform step (Push) has no start and is not a verb: not timed
    assertEquals(List.of("started in", "running call-1", "Answer 5ms", "Say 1000ms", "Answer 0ms", "Say 500ms"),
        r.seen);
  }
}
