package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answer (explicit, delayed, automatic, implicit), early media, media verbs, hold and recording. */
class AnswerAndMediaTest {

  @Test
  void answerWithDelayWaitsBeforeTheNextVerb() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer delay="2000" tag="123456"/><Say>Hi</Say></Response>""").run();
    assertEquals(List.of("Answer", "Pause(2000)", "Say(Hi)", "Hangup(16,flow_completed)"), d.actions());
    FlowEvent answered = d.rawEvents().stream()
        .filter(e -> e.command().equals("Answer") && e.phase() == FlowEvent.Phase.FINISHED).findFirst().orElseThrow();
    assertEquals("Call answered", answered.reason());
    assertEquals("123456", answered.tag());
    assertEquals("Answer[0]", answered.path());
  }

  @Test
  void answerOnAnAnsweredCallEmitsNoActionButKeepsItsDelay() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Answer delay="500"/><Hangup/></Response>""").run();
    assertEquals(List.of("Answer", "Pause(500)", "Hangup(16,hangup)"), d.actions());
    assertTrue(d.events().contains("Answer@Answer[1] FINISHED ok: already answered"), d.events().toString());
  }

  @Test
  void autoAnswerAnswersBeforeTheFirstVerb() {
    FlowDriver d = new FlowDriver(FlowDriver.ctx(true, GeoLookup.NONE)).start("""
        <Response><Say>Welcome</Say></Response>""");
    assertEquals(List.of("Answer"), d.actions());
    assertEquals("", d.last().path());
    assertFalse(d.engine().answered());
    d.run();
    assertEquals(List.of("Answer", "Say(Welcome)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.engine().answered());
  }

  @Test
  void gatherOnAnUnansweredCallAnswersFirst() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Gather numDigits="1"><Say>Press 1</Say><DTMF value="1"><Say>one</Say></DTMF></Gather></Response>""");
    assertEquals(List.of("Answer"), d.actions());
    assertEquals("Gather[0]", d.last().path());
    d.digits("1").run();
    assertEquals(List.of("Answer", "Collect[Say(Press 1)]", "Say(one)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void sayBeforeAnswerIsEarlyMediaAndDoesNotAnswer() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Say>Please hold</Say><Play>http://media/ring.wav</Play><Answer/><Say>Hello</Say></Response>""");
    assertEquals(List.of("Say(Please hold)"), d.actions());
    assertFalse(d.engine().answered());
    d.next();
    assertFalse(d.engine().answered());
    d.run();
    assertEquals(List.of("Say(Please hold)", "Play(http://media/ring.wav)", "Answer", "Say(Hello)",
        "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void sayAttributeAndContentFormsAreTheSame() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Say text="Hi"/><Say tag="greeting" lang="es">Hola</Say></Response>""").run();
    assertEquals(List.of("Say(Hi)", "Say(Hola)", "Hangup(16,flow_completed)"), d.actions());
    Action.Say hola = (Action.Say) d.rawActions().get(1);
    assertEquals("es", hola.lang());
  }

  @Test
  void toneExamplesMapToToneActions() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Tone don="1000" hz="480"/><Tone don="2000" hz="420,500,440,480" v="-70"/><Tone/></Response>""")
        .run();
    assertEquals(List.of("Tone(480)", "Tone(420,500,440,480)", "Tone(440)", "Hangup(16,flow_completed)"),
        d.actions());
    Action.Tone ring = (Action.Tone) d.rawActions().get(1);
    assertEquals(2000, ring.onMs());
    assertEquals(-70, ring.volume());
  }

  @Test
  void pauseEndsEarlyOnItsDtmfStopKey() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Pause length="10000" dtmf_stop="#"/><Say>after</Say></Response>""")
        .on("Pause[0]", seq -> new Outcome.Digits(seq, "#", "dtmf_stop")).run();
    assertEquals(List.of("Pause(10000,#)", "Say(after)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.events().stream().anyMatch(e -> e.startsWith("Pause@Pause[0] FINISHED ok")), d.events().toString());
  }

  @Test
  void holdThenUnhold() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Hold timeout="60000" tag="h"/><Unhold tag="u"/><Say>back</Say></Response>""");
    d.next();
    assertEquals("Hold", FlowDriver.text(d.last()));
    assertTrue(d.engine().onHold());
    assertEquals(60_000, ((Action.Hold) d.last()).timeoutMs());
    d.next();
    assertFalse(d.engine().onHold());
    assertEquals(List.of("Answer", "Hold", "Unhold", "Say(back)"), d.actions());
    d.run();
    assertEquals("Hangup(16,flow_completed)", FlowDriver.text(d.last()));
  }

  @Test
  void holdOnAnUnansweredCallAnswersFirst() {
    FlowDriver d = new FlowDriver().start("<Response><Hold/></Response>").run();
    assertEquals(List.of("Answer", "Hold", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void recordWithAPauseWindowStopsOnDtmf() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Say>Leave a message</Say>
          <Record tag="name1" asr="true" timeout="45000"><Pause length="60000" dtmf_stop="#"/></Record>
          <Play record="name1"/></Response>""")
        .on("Record[2].Pause[0]", seq -> new Outcome.Digits(seq, "#", "dtmf_stop"));
    d.next().next();
    assertEquals(List.of("Answer", "Say(Leave a message)", "RecordStart(name1)", "Pause(60000,#)"), d.actions());
    Action.RecordStart start = (Action.RecordStart) d.rawActions().get(2);
    assertTrue(start.asr());
    assertEquals(45_000, start.maxMs());
    assertFalse(start.stereo());
    assertEquals(java.util.Set.of("name1"), d.engine().activeRecordings());
    d.run();
    assertEquals(List.of("Answer", "Say(Leave a message)", "RecordStart(name1)", "Pause(60000,#)",
        "RecordStop(name1)", "Play(record:name1)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.engine().activeRecordings().isEmpty());
    assertTrue(d.events().contains("Record@Record[2] FINISHED ok: recorded"), d.events().toString());
  }

  @Test
  void recordWithoutBodyRecordsUntilItsTimeoutOrStopKey() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Record timeout="30000" dtmf_stop="*"/></Response>""").run();
    assertEquals(List.of("Answer", "RecordStart(rec-2)", "Pause(30000,*)", "RecordStop(rec-2)",
        "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void recordStartStopAndWait() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><RecordStart tag="a" format="mp3" stereo="true"/><RecordStart tag="b"/>
          <RecordWait tag="a" timeout="5000"/><RecordStop tag="b"/><Say>x</Say><RecordStop/></Response>""");
    d.next();
    assertEquals(List.of("Answer", "RecordStart(a)", "RecordStart(b)", "RecordWait(a)"), d.actions());
    assertEquals(java.util.Set.of("a", "b"), d.engine().activeRecordings());
    Action.RecordStart a = (Action.RecordStart) d.rawActions().get(1);
    assertEquals("mp3", a.format());
    assertTrue(a.stereo());
    d.next();
    assertEquals(java.util.Set.of("a"), d.engine().activeRecordings());
    d.run();
    assertEquals(List.of("Answer", "RecordStart(a)", "RecordStart(b)", "RecordWait(a)", "RecordStop(b)", "Say(x)",
        "RecordStop(null)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.engine().activeRecordings().isEmpty());
  }

  @Test
  void hangupAndRejectEndTheFlow() {
    FlowDriver reject = new FlowDriver().start("<Response><Reject reason=\"busy\"/><Say>never</Say></Response>");
    assertEquals(List.of("Reject(busy)"), reject.actions());
    assertTrue(reject.engine().ended());
    assertTrue(reject.steps().get(0).ended());

    FlowDriver afterAnswer = new FlowDriver().start("<Response><Answer/><Reject/></Response>").run();
    assertEquals(List.of("Answer", "Hangup(21,call_rejected)"), afterAnswer.actions());

    FlowDriver hangup = new FlowDriver().start("<Response><Hangup cause=\"17\" reason=\"busy here\"/></Response>");
    assertEquals(List.of("Hangup(17,busy here)"), hangup.actions());
  }
}
