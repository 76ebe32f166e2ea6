package io.openvoice.flow;

import static io.openvoice.flow.M.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Core interpreter behaviour on hand-built documents (independent of the XML parser). */
class FlowEngineModelTest {

  @Test
  void answerSayThenEndOfFlowHangsUpWithFlowCompleted() {
    FlowDriver d = new FlowDriver().start(flow(answer("Answer[0]", 0), say("Say[1]", "Hello"))).run();
    assertEquals(List.of("Answer", "Say(Hello)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.events().contains("Answer@Answer[0] FINISHED ok: Call answered"), d.events().toString());
    assertTrue(d.engine().ended());
    assertTrue(d.engine().answered());
  }

  @Test
  void actionsAreNumberedFromOneAndOnlyTheLastOfAStepAwaits() {
    FlowDriver d = new FlowDriver().start(flow(say("Say[0]", "a"), pause("Pause[1]", 500, null))).run();
    for (int i = 0; i < d.rawActions().size(); i++) {
      assertEquals(i + 1, d.rawActions().get(i).seq());
    }
    for (Step s : d.steps()) {
      for (int i = 0; i < s.actions().size() - 1; i++) {
        assertFalse(s.actions().get(i).awaitsOutcome(), s.toString());
      }
    }
  }

  @Test
  void playFailureRunsTheSiblingErrorThenContinuesAfterIt() {
    FlowDriver d = new FlowDriver()
        .start(flow(play("Play[0]", "http://x/a.wav", null), error("Error[1]", say("Error[1].Say[0]", "sorry")),
            say("Say[2]", "next")))
        .failAt("Play[0]", "file unavailable").run();
    assertEquals(List.of("Play(http://x/a.wav)", "Say(sorry)", "Say(next)", "Hangup(16,flow_completed)"),
        d.actions());
    assertTrue(d.events().contains("Play@Play[0] FINISHED FAILED: file unavailable"), d.events().toString());
  }

  @Test
  void siblingErrorIsSkippedInNormalFlow() {
    FlowDriver d = new FlowDriver()
        .start(flow(play("Play[0]", "http://x/a.wav", null), error("Error[1]", say("Error[1].Say[0]", "sorry")),
            say("Say[2]", "next"))).run();
    assertEquals(List.of("Play(http://x/a.wav)", "Say(next)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.events().stream().noneMatch(e -> e.contains("Error")), d.events().toString());
  }

  @Test
  void failureWithoutHandlerHangsUpWithCause41() {
    FlowDriver d = new FlowDriver().start(flow(play("Play[0]", "http://x/a.wav", null), say("Say[1]", "never")))
        .failAt("Play[0]", "file unavailable").run();
    assertEquals(List.of("Play(http://x/a.wav)", "Hangup(41,Play failed: file unavailable)"), d.actions());
  }

  @Test
  void gatherRetriesThenRunsDefaultForUnmatchedDigits() {
    FlowDriver d = new FlowDriver()
        .start(flow(gather("Gather[0]", 2, null, List.of(say("Gather[0].Say[0]", "press 1")),
            List.of(branch("Gather[0].DTMF[1]", "1", say("Gather[0].DTMF[1].Say[0]", "one"))),
            deflt("Gather[0].Default[2]", say("Gather[0].Default[2].Say[0]", "bad")), null), say("Say[1]", "bye")))
        .digits("7", "8").run();
    assertEquals(List.of("Answer", "Collect[Say(press 1)]", "Collect[Say(press 1)]", "Say(bad)", "Say(bye)",
        "Hangup(16,flow_completed)"), d.actions());
    assertEquals("8", d.engine().lastDigits());
  }

  @Test
  void callbackReplacesTheRestOfTheFlowAndSendsMetas() {
    FlowDriver d = new FlowDriver()
        .start(flow(meta("Meta[0]", "category", "music"),
            callback("Callback[1]", "http://app/next", null, meta("Callback[1].Meta[0]", "n", 2L)),
            say("Say[2]", "never")))
        .http("http://app/next", 200, "<Response><Say>new</Say></Response>");
    // the parser is needed for the new document; only the request is checked here
    Action.Fetch f = d.fetches().get(0);
    assertEquals("CALLBACK", f.purpose());
    assertEquals("music", f.params().get("meta[category]"));
    assertEquals("2", f.params().get("meta[n]"));
    assertEquals("ringing", f.params().get("state"));
    assertTrue(f.includeCall());
    assertEquals(Map.of("category", "music", "n", 2L), d.engine().metas());
  }

  @Test
  void staleAndLateOutcomesAreIgnored() {
    FlowDriver d = new FlowDriver().start(flow(say("Say[0]", "a")));
    int seq = d.engine().pending().seq();
    assertTrue(d.apply(new Outcome.Done(seq + 7)).actions().isEmpty());
    assertEquals(seq, d.engine().pending().seq());
    d.run();
    assertTrue(d.engine().ended());
    Step late = d.apply(new Outcome.Done(seq));
    assertTrue(late.actions().isEmpty() && late.events().isEmpty() && !late.ended());
    assertTrue(d.apply(new Outcome.CallEnded(16, "bye")).events().isEmpty());
    assertTrue(d.apply(new Outcome.Push("<Response/>")).actions().isEmpty());
    assertNull(d.engine().pending());
  }

  @Test
  void callEndedFinishesTheRunningVerbAndEndsWithoutActions() {
    FlowDriver d = new FlowDriver().start(flow(pause("Pause[0]", 5000, null), say("Say[1]", "never")));
    Step s = d.apply(new Outcome.CallEnded(16, "caller hung up"));
    assertTrue(s.actions().isEmpty());
    assertTrue(s.ended());
    assertEquals(List.of("Pause@Pause[0] FINISHED FAILED: call_ended"),
        d.events().subList(d.events().size() - 1, d.events().size()));
    assertTrue(d.engine().ended());
  }

  @Test
  void curlAsyncNotifiesAndContinues() {
    FlowDriver d = new FlowDriver().start(flow(curl("Curl[0]", "http://crm/x", true, false), hangup("Hangup[1]")));
    assertEquals(List.of("Notify(GET http://crm/x)", "Hangup(16,hangup)"), d.actions());
  }
}
