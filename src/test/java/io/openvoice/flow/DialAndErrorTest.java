package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Dial and its legs; the failure rule (decision 3) on several verbs. */
class DialAndErrorTest {

  private static final String DIAL = """
      <Response><Answer/>
        <Dial timeout="20000" callerId="+18382050099">
          <To>sip:support1@sip.opentact.org</To><To>12223334455</To>
          <Error><Say>nobody is available</Say></Error>
        </Dial>
        <Say>the call continues</Say>
      </Response>""";

  @Test
  void dialRingsEveryTarget() {
    FlowDriver d = new FlowDriver().start(DIAL).next();
    Action.Dial dial = (Action.Dial) d.engine().pending();
    assertEquals(List.of(new Action.Dial.Target("SIP_URI", "sip:support1@sip.opentact.org"),
        new Action.Dial.Target("NUMBER", "12223334455")), dial.targets());
    assertEquals(20_000, dial.ringTimeoutMs());
    assertEquals("+18382050099", dial.callerId());
  }

  @Test
  void dialNoAnswerRunsError() {
    FlowDriver d = new FlowDriver().start(DIAL).dialFails("no_answer").run();
    assertEquals(List.of("Answer", "Dial(sip:support1@sip.opentact.org,12223334455)", "Say(nobody is available)",
        "Say(the call continues)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.events().contains("Dial@Dial[1] FINISHED FAILED: no_answer"), d.events().toString());
  }

  @Test
  void dialAnsweredThenCalleeHangsUpContinuesWithTheNextVerb() {
    FlowDriver d = new FlowDriver().start(DIAL).dialAnswered("12223334455").next();
    int dialSeq = d.engine().pending().seq();
    Step bridged = d.apply(new Outcome.DialAnswered(dialSeq, "leg-9", "12223334455"));
    assertTrue(bridged.actions().isEmpty());
    assertEquals(List.of("Dial@Dial[1] STARTED: bridged to 12223334455"),
        bridged.events().stream().map(FlowDriver::text).toList());
    assertEquals(dialSeq, d.engine().pending().seq());
    d.apply(new Outcome.DialEnded(dialSeq, true, "callee hung up", 16));
    d.run();
    assertEquals(List.of("Answer", "Dial(sip:support1@sip.opentact.org,12223334455)", "Say(the call continues)",
        "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void callerHangsUpMidDial() {
    FlowDriver d = new FlowDriver().start(DIAL).dialAnswered("12223334455").next().next();
    Step s = d.apply(new Outcome.CallEnded(16, "caller hung up"));
    assertTrue(s.ended());
    assertTrue(s.actions().isEmpty());
    assertEquals(List.of("Dial@Dial[1] FINISHED FAILED: call_ended"), s.events().stream().map(FlowDriver::text).toList());
    assertTrue(d.engine().ended());
  }

  @Test
  void dialFailureWithoutHandlerEndsTheCallWithTheCauseOfTheFailure() {
    String flow = "<Response><Dial><Number>12223334455</Number></Dial><Say>x</Say></Response>";
    assertEquals(List.of("Dial(12223334455)", "Hangup(17,Dial failed: busy)"),
        new FlowDriver().start(flow).dialFails("busy").run().actions());
    assertEquals(List.of("Dial(12223334455)", "Hangup(19,Dial failed: no_answer)"),
        new FlowDriver().start(flow).dialFails("no_answer").run().actions());
    assertEquals(List.of("Dial(12223334455)", "Hangup(20,Dial failed: unreachable)"),
        new FlowDriver().start(flow).dialFails("unreachable").run().actions());
    assertEquals(List.of("Dial(12223334455)", "Hangup(41,Dial failed: failed)"),
        new FlowDriver().start(flow).dialFails("failed").run().actions());
  }

  @Test
  void playFailureIsHandledByASiblingError() {
    String xml = """
        <Response><Answer/>
          <Play>https://media.example.com/missing.mp3</Play>
          <Error><Say>The file is not available</Say></Error>
          <Say>next</Say>
        </Response>""";
    FlowDriver failed = new FlowDriver().start(xml).failAt("Play[1]", "file unavailable").run();
    assertEquals(List.of("Answer", "Play(https://media.example.com/missing.mp3)", "Say(The file is not available)",
        "Say(next)", "Hangup(16,flow_completed)"), failed.actions());
    FlowDriver fine = new FlowDriver().start(xml).run();
    assertEquals(List.of("Answer", "Play(https://media.example.com/missing.mp3)", "Say(next)",
        "Hangup(16,flow_completed)"), fine.actions());
  }

  @Test
  void ownErrorChildTakesPrecedenceOverTheSiblingAndBothAreSkippedAfterwards() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Play url="http://m/a.wav"><Error><Say>own</Say></Error></Play>
          <Error><Say>sibling</Say></Error><Say>next</Say></Response>""")
        .failAt("Play[0]", "404").run();
    assertEquals(List.of("Play(http://m/a.wav)", "Say(own)", "Say(next)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void failureInsideAnErrorHandlerUsesTheRuleAgain() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Play url="http://m/a.wav"/><Error><Play url="http://m/b.wav"/></Error><Say>next</Say></Response>""")
        .failAt("Play[0]", "404").failAt("Error[1].Play[0]", "404 again").run();
    assertEquals(List.of("Play(http://m/a.wav)", "Play(http://m/b.wav)", "Hangup(41,Play failed: 404 again)"),
        d.actions());
  }

  @Test
  void sayFailureWithoutHandlerHangsUp() {
    FlowDriver d = new FlowDriver().start("<Response><Say>hi</Say><Say>never</Say></Response>")
        .failAt("Say[0]", "tts error").run();
    assertEquals(List.of("Say(hi)", "Hangup(41,Say failed: tts error)"), d.actions());
    assertEquals("Say[0]", d.last().path());
  }

  @Test
  void failedImplicitAnswerFailsTheGather() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Gather><Say>x</Say><Error><Say>could not answer</Say></Error></Gather></Response>""")
        .failAt("Gather[0]", "media error").run();
    assertEquals(List.of("Answer", "Say(could not answer)", "Hangup(16,flow_completed)"), d.actions());
  }
}
