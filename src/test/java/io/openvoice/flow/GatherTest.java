package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Gather: branches, attempts, Default and Error (decision 2), remote URL, nesting, Switch/Case. */
class GatherTest {

  private static final String MENU = """
      <Response><Answer/>
        <Gather dtmf_length="2" attempts="2" timeout="3000">
          <Say>Enter 12 for sales or 34 for support</Say>
          <DTMF value="12"><Say>sales</Say></DTMF>
          <DTMF value="34"><Say>support</Say></DTMF>
          <Default><Say>unknown code</Say></Default>
          <Error><Say>no input</Say></Error>
        </Gather>
        <Say>goodbye</Say>
      </Response>""";

  private static final String PROMPT = "Collect[Say(Enter 12 for sales or 34 for support)]";

  @Test
  void digitsChooseTheMatchingBranchThenTheFlowContinuesAfterTheGather() {
    FlowDriver d = new FlowDriver().start(MENU).digits("34").run();
    assertEquals(List.of("Answer", PROMPT, "Say(support)", "Say(goodbye)", "Hangup(16,flow_completed)"), d.actions());
    assertEquals("34", d.engine().lastDigits());
    assertTrue(d.events().stream().anyMatch(e -> e.startsWith("Gather@Gather[1] FINISHED ok: digits 34 matched DTMF")),
        d.events().toString());
    Action.Collect c = (Action.Collect) d.rawActions().get(1);
    assertEquals(2, c.maxDigits());
    assertEquals(3000, c.timeoutMs());
    assertEquals("#", c.finishOnKey());
  }

  @Test
  void promptsHaveTheirOwnSequenceNumbers() {
    FlowDriver d = new FlowDriver().start(MENU).next();
    Action.Collect c = (Action.Collect) d.last();
    assertEquals(2, c.seq());
    assertEquals(3, c.prompts().get(0).seq());
    d.digits("12").next();
    assertEquals(4, d.last().seq()); // Say(sales)
  }

  @Test
  void unmatchedDigitsRetryThenRunDefault() {
    FlowDriver d = new FlowDriver().start(MENU).digits("99", "98").run();
    assertEquals(List.of("Answer", PROMPT, PROMPT, "Say(unknown code)", "Say(goodbye)", "Hangup(16,flow_completed)"),
        d.actions());
    assertEquals("98", d.engine().lastDigits());
  }

  @Test
  void noInputRetriesThenRunsError() {
    FlowDriver d = new FlowDriver().start(MENU).digits("", "").run();
    assertEquals(List.of("Answer", PROMPT, PROMPT, "Say(no input)", "Say(goodbye)", "Hangup(16,flow_completed)"),
        d.actions());
  }

  @Test
  void aRetryCanStillMatch() {
    FlowDriver d = new FlowDriver().start(MENU).digits("", "12").run();
    assertEquals(List.of("Answer", PROMPT, PROMPT, "Say(sales)", "Say(goodbye)", "Hangup(16,flow_completed)"),
        d.actions());
  }

  @Test
  void noInputRunsDefaultWhenThereIsNoError() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Gather numDigits="1"><Say>Press 1</Say><DTMF value="1"><Say>one</Say></DTMF>
          <Default><Say>default</Say></Default></Gather><Say>end</Say></Response>""").digits("").run();
    assertEquals(List.of("Answer", "Collect[Say(Press 1)]", "Say(default)", "Say(end)", "Hangup(16,flow_completed)"),
        d.actions());
  }

  @Test
  void noInputWithoutHandlersContinuesAfterTheGather() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Gather numDigits="1"><DTMF value="1"><Say>one</Say></DTMF></Gather><Say>end</Say></Response>""")
        .digits("").run();
    assertEquals(List.of("Answer", "Collect[]", "Say(end)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.events().contains("Gather@Gather[0] FINISHED FAILED: no input"), d.events().toString());
  }

  @Test
  void unmatchedDigitsWithoutDefaultContinueAfterTheGather() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Gather numDigits="1"><DTMF value="1"><Say>one</Say></DTMF></Gather><Say>end</Say></Response>""")
        .digits("5").run();
    assertEquals(List.of("Answer", "Collect[]", "Say(end)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.rawEvents().stream().anyMatch(e -> e.command().equals("Gather") && e.success()
        && e.phase() == FlowEvent.Phase.FINISHED && e.reason().contains("no branch matched")), d.events().toString());
  }

  @Test
  void nestedGatherInABranch() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/>
          <Gather length="1"><Say>Main menu</Say>
            <DTMF value="1">
              <Gather length="1"><Say>Sub menu</Say>
                <DTMF value="2"><Say>one two</Say></DTMF>
              </Gather>
              <Say>back in branch</Say>
            </DTMF>
          </Gather>
          <Say>end</Say>
        </Response>""").digits("1", "2").run();
    assertEquals(List.of("Answer", "Collect[Say(Main menu)]", "Collect[Say(Sub menu)]", "Say(one two)",
        "Say(back in branch)", "Say(end)", "Hangup(16,flow_completed)"), d.actions());
  }

  @Test
  void switchCaseSyntaxFromTheInboundCallControlExample() {
    String xml = """
        <Response>
          <Gather numDigits="1" attempts="2" timeout="10000" finishOnKey="*">
            <Say>For sales press 1, for support press 2</Say>
            <Switch>
              <Case dtmf="1"><Dial><Sip>1000@10.0.0.1:9000</Sip></Dial></Case>
              <Case dtmf="2"><Say>support is closed</Say></Case>
              <Default><Say>invalid choice</Say></Default>
              <Error><Say>you did not press anything</Say></Error>
            </Switch>
          </Gather>
        </Response>""";
    FlowDriver sales = new FlowDriver().start(xml).digits("1").dialAnswered("1000@10.0.0.1:9000").run();
    assertEquals(List.of("Answer", "Collect[Say(For sales press 1, for support press 2)]", "Dial(1000@10.0.0.1:9000)",
        "Hangup(16,flow_completed)"), sales.actions());
    Action.Collect c = (Action.Collect) sales.rawActions().get(1);
    assertEquals("*", c.finishOnKey());
    assertEquals(10_000, c.timeoutMs());

    FlowDriver wrong = new FlowDriver().start(xml).digits("7", "8").run();
    assertEquals("Say(invalid choice)", wrong.actions().get(3));
    FlowDriver silent = new FlowDriver().start(xml).digits("", "").run();
    assertEquals("Say(you did not press anything)", silent.actions().get(3));
  }

  @Test
  void gatherUrlSendsTheDigitsAndTheReturnedFlowReplacesTheRest() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Meta name="lang" value="en"/>
          <Gather dtmf_length="4" url="http://app/pin?token=X"><Say>Enter your PIN</Say>
            <Error><Say>service unavailable</Say></Error></Gather>
          <Say>never said</Say>
        </Response>""")
        .digits("1234")
        .http("http://app/pin?token=X", 200, "<Response><Say>PIN accepted</Say></Response>").run();
    assertEquals(List.of("Answer", "Collect[Say(Enter your PIN)]", "Fetch(GATHER GET http://app/pin?token=X)",
        "Say(PIN accepted)", "Hangup(16,flow_completed)"), d.actions());
    Action.Fetch f = d.fetches().get(0);
    assertEquals("1234", f.params().get("dtmf"));
    assertEquals("1234", f.params().get("code"));
    assertEquals(FlowDriver.CALLER, f.params().get("from"));
    assertEquals("18382050099", f.params().get("tn"));
    assertEquals("live", f.params().get("state"));
    assertEquals("app-1", f.params().get("sca"));
    assertEquals("call-1", f.params().get("call"));
    assertEquals("true", f.params().get("success"));
    assertEquals("1", f.params().get("attempts"));
    assertEquals("en", f.params().get("meta[lang]"));
    assertEquals(false, f.includeCall());
    assertEquals(10_000, f.timeoutMs());
  }

  @Test
  void gatherUrlFailureRunsTheGathersError() {
    String xml = """
        <Response><Answer/>
          <Gather dtmf_length="4" callback="http://app/pin" method="POST"><Say>Enter your PIN</Say>
            <Error><Say>service unavailable</Say></Error></Gather>
          <Say>after</Say>
        </Response>""";
    FlowDriver d = new FlowDriver().start(xml).digits("1234").http("http://app/pin", 500, "oops").run();
    assertEquals(List.of("Answer", "Collect[Say(Enter your PIN)]", "Fetch(GATHER POST http://app/pin)",
        "Say(service unavailable)", "Say(after)", "Hangup(16,flow_completed)"), d.actions());
    assertTrue(d.fetches().get(0).includeCall());
    assertTrue(d.events().contains("Gather@Gather[1] FINISHED FAILED: http 500"), d.events().toString());

    FlowDriver garbage = new FlowDriver().start(xml).digits("1234").http("http://app/pin", 200, "not xml").run();
    assertEquals("Say(service unavailable)", garbage.actions().get(3));
  }

  @Test
  void gatherUrlFailureWithoutHandlerEndsTheCall() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Gather url="http://app/pin"><Say>PIN</Say></Gather><Say>never</Say></Response>""")
        .digits("1").httpError("http://app/pin", "timeout").run();
    assertEquals("Hangup(41,Gather failed: timeout)", FlowDriver.text(d.last()));
  }

  @Test
  void oldDraftSyntaxWithAttemptsAndCallback() {
    FlowDriver d = new FlowDriver().start("""
        <Response><Answer/><Gather numDigits="1" timeout="4000" finishOnKey="#" callback="http://app/g" method="GET"
          attempts="3"><Say>Press a key</Say></Gather></Response>""")
        .digits("", "", "5").http("http://app/g", 200, "<Response><Hangup/></Response>").run();
    assertEquals(List.of("Answer", "Collect[Say(Press a key)]", "Collect[Say(Press a key)]",
        "Collect[Say(Press a key)]", "Fetch(GATHER GET http://app/g)", "Hangup(16,hangup)"), d.actions());
    assertEquals("3", d.fetches().get(0).params().get("attempts"));
  }
}
