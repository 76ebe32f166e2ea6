package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live call bridged with another over REST: the verb it was running is abandoned, the flow waits on a Join, and
 * when the bridge is over (the other hung up, or it never came about) the flow goes on after that verb; a parked
 * call parks again. The interpreter stays deterministic: replaying the inputs rebuilds the same position.
 */
class BridgeFlowTest {
  static final String FLOW = "<Response><Answer/><Pause length=\"60000\"/><Say>after the bridge</Say><Hangup/></Response>";
  final Instant t0 = Instant.parse("2024-01-03T12:00:00Z");
  final List<Outcome> inputs = new ArrayList<>();

  FlowEngine engine() {
    return new FlowEngine(FlowDriver.ctx(false, GeoLookup.NONE));
  }

  Step feed(FlowEngine e, Outcome o) {
    inputs.add(o);
    return e.apply(o, t0.plusSeconds(inputs.size()));
  }

  @Test
  void theInterruptedVerbIsAbandonedAndTheFlowGoesOnAfterItWhenTheBridgeEnds() {
    FlowEngine e = engine();
    e.start(FlowDriver.parse(FLOW), t0);
    feed(e, new Outcome.Done(e.pending().seq())); // answered; now the Pause
    assertInstanceOf(Action.Pause.class, e.pending());

    Step bridged = feed(e, new Outcome.Bridge("call-b"));
    Action.Join join = assertInstanceOf(Action.Join.class, e.pending());
    assertEquals("call-b", join.otherCallId());
    assertEquals(List.of(join), bridged.actions());
    FlowEvent pause = bridged.events().get(0);
    assertEquals("Pause", pause.command());
    assertFalse(pause.success());
    assertTrue(pause.reason().contains("bridged with call call-b"), pause.reason());

    Step joined = feed(e, new Outcome.Joined(join.seq(), "call-b"));
    assertTrue(joined.actions().isEmpty());
    assertEquals("Bridge", joined.events().get(0).command());
    assertTrue(joined.events().get(0).success());
    assertEquals(join, e.pending(), "still bridged");

    Step over = feed(e, new Outcome.Done(join.seq()));
    assertEquals("bridge with call call-b ended", over.events().get(0).reason());
    Action.Say say = assertInstanceOf(Action.Say.class, e.pending());
    assertEquals("after the bridge", say.text());

    Step end = feed(e, new Outcome.Done(say.seq()));
    assertTrue(e.ended());
    assertInstanceOf(Action.Hangup.class, end.actions().get(end.actions().size() - 1));
  }

  @Test
  void aParkedCallParksAgainForItsWholeParkTimeWhenTheBridgeFails() {
    FlowEngine e = engine();
    e.startParked(30_000, t0);
    feed(e, new Outcome.Bridge("call-b"));
    Action.Join join = assertInstanceOf(Action.Join.class, e.pending());

    Step failed = feed(e, new Outcome.Failed(join.seq(), "call call-b never joined"));
    assertFalse(failed.events().get(0).success());
    assertTrue(failed.events().get(0).reason().contains("never joined"));
    Action.Park park = assertInstanceOf(Action.Park.class, e.pending());
    assertEquals(30_000, park.timeoutMs());
    assertFalse(e.ended());

    feed(e, new Outcome.Done(park.seq())); // the park time passes with no XML
    assertTrue(e.ended());
  }

  @Test
  void xmlPushedToABridgedCallEndsTheBridgeAndRunsInsteadOfParkingAgain() {
    FlowEngine e = engine();
    e.startParked(30_000, t0);
    feed(e, new Outcome.Bridge("call-b"));
    int joinSeq = e.pending().seq();
    Step pushed = feed(e, new Outcome.Push("<Response><Say>pushed</Say></Response>"));
    assertTrue(pushed.actions().stream().anyMatch(a -> a instanceof Action.Say s && s.text().equals("pushed")),
        pushed.actions().toString());
    assertTrue(feed(e, new Outcome.Done(joinSeq)).actions().isEmpty(), "the old Join's end is stale now");
    Action.Say say = assertInstanceOf(Action.Say.class, e.pending());
    feed(e, new Outcome.Done(say.seq()));
    assertTrue(e.ended(), "the pushed document ended the call; it did not park again");
  }

  @Test
  void aHoldInterruptedByABridgeIsOverAndStaleOutcomesOfTheAbandonedVerbAreIgnored() {
    FlowEngine e = engine();
    e.start(FlowDriver.parse("<Response><Answer/><Hold timeout=\"60000\"/><Say>back</Say></Response>"), t0);
    feed(e, new Outcome.Done(e.pending().seq()));
    int holdSeq = e.pending().seq();
    assertTrue(e.onHold());
    feed(e, new Outcome.Bridge("call-b"));
    assertFalse(e.onHold());
    assertTrue(feed(e, new Outcome.Done(holdSeq)).events().isEmpty(), "the hold's own end comes too late");
    assertInstanceOf(Action.Join.class, e.pending());
  }

  @Test
  void replayingTheInputsRebuildsTheSamePosition() {
    FlowEngine e = engine();
    e.start(FlowDriver.parse(FLOW), t0);
    feed(e, new Outcome.Done(e.pending().seq()));
    feed(e, new Outcome.Bridge("call-b"));
    feed(e, new Outcome.Joined(e.pending().seq(), "call-b"));

    FlowEngine again = engine();
    again.start(FlowDriver.parse(FLOW), t0);
    for (int i = 0; i < inputs.size(); i++) again.apply(inputs.get(i), t0.plusSeconds(i + 1));
    assertEquals(e.pending(), again.pending());
  }
}
