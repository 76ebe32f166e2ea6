package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Seq matching, terminal states, CallEnded at any point, and deterministic replay. */
class LifecycleTest {

  /** A document that touches most verbs, with a script that walks all of it. */
  private static final String RICH = """
      <Response>
        <Say>early</Say><Answer delay="100"/>
        <Meta name="campaign" value="spring"/>
        <Geo states="NJ"><Say>hello New Jersey</Say></Geo>
        <Schedule dow="wed"><Tone hz="440"/></Schedule>
        <RecordStart tag="all"/>
        <Gather numDigits="1" attempts="2"><Say>press</Say>
          <DTMF value="1"><Hold timeout="1000"/><Unhold/>
            <Dial><To>12223334455</To></Dial></DTMF>
          <Default><Say>bad</Say></Default></Gather>
        <Curl url="http://crm/log" method="POST"/>
        <Record timeout="2000"><Say>speak</Say></Record>
        <Callback url="http://app/next"/>
      </Response>""";

  private static FlowDriver richDriver() {
    GeoLookup geo = n -> Optional.of(new GeoLookup.GeoInfo("NJ", "ESSEX"));
    return new FlowDriver(FlowDriver.ctx(false, geo))
        .digits("9", "1").dialAnswered("12223334455")
        .http("http://crm/log", 200, "ok")
        .http("http://app/next", 200, "<Response><Say>second document</Say><Pause length=\"300\"/></Response>");
  }

  @Test
  void richScenarioRunsToTheEnd() {
    FlowDriver d = richDriver().start(RICH).run();
    assertEquals(List.of("Say(early)", "Answer", "Pause(100)", "Say(hello New Jersey)", "Tone(440)",
        "RecordStart(all)", "Collect[Say(press)]", "Collect[Say(press)]", "Hold", "Unhold", "Dial(12223334455)",
        "Fetch(CURL POST http://crm/log)", "RecordStart(rec-15)", "Say(speak)", "RecordStop(rec-15)",
        "Fetch(CALLBACK POST http://app/next)", "Say(second document)", "Pause(300)", "Hangup(16,flow_completed)"),
        d.actions());
    assertEquals(java.util.Set.of("all"), d.engine().activeRecordings());
    assertEquals("1", d.engine().lastDigits());
    assertEquals("spring", d.fetches().get(1).params().get("meta[campaign]"));
    assertEquals(200L, d.engine().metas().get("curl_status"));
  }

  @Test
  void endOfFlowHangsUpWithFlowCompleted() {
    FlowDriver d = new FlowDriver().start("<Response/>");
    assertEquals(List.of("Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.steps().get(0).ended());
    assertTrue(d.engine().ended());
    assertNull(d.engine().pending());
  }

  @Test
  void staleSeqIsIgnored() {
    FlowDriver d = new FlowDriver().start("<Response><Say>a</Say><Say>b</Say></Response>");
    Action first = d.engine().pending();
    d.next();
    Step stale = d.apply(new Outcome.Done(first.seq()));
    assertTrue(stale.actions().isEmpty() && stale.events().isEmpty() && !stale.ended());
    assertEquals("Say(b)", FlowDriver.text(d.engine().pending()));
    assertTrue(d.apply(new Outcome.Failed(first.seq(), "late failure")).actions().isEmpty());
    assertTrue(d.apply(new Outcome.Digits(999, "1", "max_digits")).actions().isEmpty());
  }

  @Test
  void anOutcomeOfTheWrongKindIsDropped() {
    FlowDriver d = new FlowDriver().start("<Response><Say>a</Say></Response>");
    int seq = d.engine().pending().seq();
    assertTrue(d.apply(new Outcome.HttpResult(seq, 200, "<Response/>", null)).actions().isEmpty());
    assertTrue(d.apply(new Outcome.DialAnswered(seq, "leg", "x")).events().isEmpty());
    assertEquals(seq, d.engine().pending().seq());
    d.run();
    assertTrue(d.engine().ended());
  }

  @Test
  void everyOutcomeAfterTheEndIsIgnored() {
    FlowDriver d = new FlowDriver().start("<Response><Hangup/></Response>");
    assertTrue(d.engine().ended());
    List<Outcome> late = List.of(new Outcome.Done(1), new Outcome.Done(2), new Outcome.Failed(1, "x"),
        new Outcome.Digits(1, "1", "max_digits"), new Outcome.HttpResult(1, 200, "<Response/>", null),
        new Outcome.DialAnswered(1, "l", "t"), new Outcome.DialEnded(1, true, "r", 16),
        new Outcome.CallEnded(16, "bye"), new Outcome.Push("<Response><Say>x</Say></Response>"));
    for (Outcome o : late) {
      Step s = d.apply(o);
      assertTrue(s.actions().isEmpty() && s.events().isEmpty() && !s.ended(), o.toString());
      assertTrue(d.engine().ended());
    }
  }

  @Test
  void callEndedDuringAnyStepEndsTheFlowWithoutActions() {
    int total = richDriver().start(RICH).run().inputs().size();
    for (int k = 0; k < total; k++) {
      FlowDriver d = richDriver().start(RICH);
      for (int i = 0; i < k; i++) {
        d.next();
      }
      Action running = d.engine().pending();
      Step s = d.apply(new Outcome.CallEnded(16, "caller hung up"));
      assertTrue(s.ended(), "step " + k);
      assertTrue(s.actions().isEmpty(), "step " + k);
      // the pause after <Answer delay> belongs to an Answer that has already finished: no second event
      boolean answerDelay = running instanceof Action.Pause && running.path().startsWith("Answer");
      if (answerDelay) {
        assertTrue(s.events().isEmpty(), "step " + k);
      } else if (!running.path().isEmpty()) {
        assertEquals(1, s.events().size(), "step " + k);
        assertEquals(running.path(), s.events().get(0).path());
        assertEquals("call_ended", s.events().get(0).reason());
      }
      assertTrue(d.engine().ended());
      assertNull(d.engine().pending());
      assertTrue(d.apply(new Outcome.Done(running.seq())).actions().isEmpty());
    }
  }

  @Test
  void callEndedWhileParkedOrFetchingTheFlow() {
    FlowDriver parked = new FlowDriver().startParked();
    assertTrue(parked.apply(new Outcome.CallEnded(16, "bye")).ended());
    FlowDriver fetching = new FlowDriver().startFromUrl("http://app/flow", "GET");
    Step s = fetching.apply(new Outcome.CallEnded(16, "bye"));
    assertTrue(s.ended() && s.actions().isEmpty() && s.events().isEmpty());
  }

  /**
   * The property the persistent call entity relies on: the same inputs into a fresh engine give the same
   * actions, events and state.
   */
  @Test
  void replayingTheInputsRebuildsTheSameFlow() {
    FlowDriver original = richDriver();
    original.now = Instant.parse("2024-01-03T09:00:00Z");
    original.start(RICH);
    original.next().next().next(); // somewhere in the middle: a few outcomes in
    original.apply(new Outcome.Done(1)); // a stale outcome is part of the input too
    original.run();

    FlowEngine replay = new FlowEngine(FlowDriver.ctx(false, n -> Optional.of(new GeoLookup.GeoInfo("NJ", "ESSEX"))));
    List<Action> actions = new ArrayList<>();
    List<FlowEvent> events = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    steps.add(replay.start(FlowDriver.parse(RICH), Instant.parse("2024-01-03T09:00:00Z")));
    for (FlowDriver.Input in : original.inputs()) {
      steps.add(replay.apply(in.outcome(), in.now()));
    }
    steps.forEach(s -> {
      actions.addAll(s.actions());
      events.addAll(s.events());
    });
    assertEquals(original.steps(), steps);
    assertEquals(original.rawActions(), actions);
    assertEquals(original.rawEvents(), events);
    assertEquals(original.engine().pending(), replay.pending());
    assertEquals(original.engine().metas(), replay.metas());
    assertEquals(List.copyOf(original.engine().metas().keySet()), List.copyOf(replay.metas().keySet()));
    assertEquals(original.engine().lastDigits(), replay.lastDigits());
    assertEquals(original.engine().activeRecordings(), replay.activeRecordings());
    assertEquals(original.engine().ended(), replay.ended());
    assertEquals(original.engine().answered(), replay.answered());
  }

  @Test
  void replayingAPrefixRecoversAPositionMidFlow() {
    FlowDriver original = richDriver().start(RICH);
    for (int i = 0; i < 7; i++) { // the Hold is pending then
      original.next();
    }
    FlowEngine replay = new FlowEngine(FlowDriver.ctx(false, n -> Optional.of(new GeoLookup.GeoInfo("NJ", "ESSEX"))));
    replay.start(FlowDriver.parse(RICH), original.now);
    for (FlowDriver.Input in : original.inputs()) {
      replay.apply(in.outcome(), in.now());
    }
    assertEquals(original.engine().pending(), replay.pending());
    assertFalse(replay.ended());
    assertEquals(original.engine().onHold(), replay.onHold());
    // both continue identically
    Outcome next = new Outcome.Done(replay.pending().seq());
    assertEquals(original.apply(next), replay.apply(next, original.now));
  }
}
