package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.geo.GeoLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The example documents of reference section 5, each run through the interpreter with a script that fits it.
 * The documents stored as files under {@code flows/reference/} (the parser's test corpus) also run end to end.
 */
class ReferenceExamplesTest {

  private record Example(String name, String xml, UnaryOperator<FlowDriver> script, List<String> expected) {}

  private static final GeoLookup NJ = n -> Optional.of(new GeoLookup.GeoInfo("NJ", "ESSEX"));

  private static final List<Example> EXAMPLES = List.of(
      new Example("5.2 Answer with delay and tag", """
          <?xml version="1.0" encoding="UTF-8"?>
          <Response><Answer delay="2000" tag="123456"/><Say>Hello</Say></Response>""", d -> d,
          List.of("Answer", "Pause(2000)", "Say(Hello)", "Hangup(16,flow_completed)")),
      new Example("5.4 Say as content and as attribute, Spanish voice", """
          <Response><Say>Hi</Say><Say text="Hi"/><Say type="WaveNet" gender="MALE" lang="es" loop="2">Hola</Say></Response>""",
          d -> d, List.of("Say(Hi)", "Say(Hi)", "Say(Hola)", "Hangup(16,flow_completed)")),
      new Example("5.5 Play with a sibling Error for an unavailable file", """
          <Response><Play>https://example.com/x.wav</Play><Error><Say>File not found</Say></Error></Response>""",
          d -> d.failAt("Play[0]", "404"),
          List.of("Play(https://example.com/x.wav)", "Say(File not found)", "Hangup(16,flow_completed)")),
      new Example("5.6 Pause with dtmf_stop", """
          <Response><Pause length="5000" dtmf_stop="#"/><Say>done</Say></Response>""",
          d -> d.on("Pause[0]", seq -> new Outcome.Digits(seq, "#", "dtmf_stop")),
          List.of("Pause(5000,#)", "Say(done)", "Hangup(16,flow_completed)")),
      new Example("5.7 Voicemail: Record bounded by a Pause, then playback", """
          <Response><Answer/><Say>Leave a message after the tone</Say>
            <Record tag="name1" asr="true" timeout="45000"><Pause length="60000" dtmf_stop="#"/></Record>
            <Play record="name1"/><Hangup/></Response>""", d -> d,
          List.of("Answer", "Say(Leave a message after the tone)", "RecordStart(name1)", "Pause(60000,#)",
              "RecordStop(name1)", "Play(record:name1)", "Hangup(16,hangup)")),
      new Example("5.8 A: DTMF branches with a remote url", """
          <Response><Gather dtmf_length="1" dtmf_stop="#" url="https://app.example.com/ivr?token=X">
            <Say>Press 1 for sales</Say><DTMF value="1"><Say>Sales</Say></DTMF>
            <Default><Say>Unknown</Say></Default><Error><Say>Error</Say></Error></Gather></Response>""",
          d -> d.digits("1").http("https://app.example.com/ivr?token=X", 200, "<Response><Say>remote</Say></Response>"),
          List.of("Answer", "Collect[Say(Press 1 for sales)]", "Fetch(GATHER GET https://app.example.com/ivr?token=X)",
              "Say(remote)", "Hangup(16,flow_completed)")),
      new Example("5.8 B: Switch/Case with Default and Error", """
          <Response><Gather numDigits="1" attempts="2" timeout="10000" finishOnKey="*"><Say>Menu</Say>
            <Switch><Case dtmf="1"><Dial><Sip>1000@10.1.1.1:9000</Sip></Dial></Case>
              <Default><Say>Invalid</Say></Default><Error><Say>No input</Say></Error></Switch></Gather></Response>""",
          d -> d.digits("", ""),
          List.of("Answer", "Collect[Say(Menu)]", "Collect[Say(Menu)]", "Say(No input)", "Hangup(16,flow_completed)")),
      new Example("5.8 C: old draft Gather with callback", """
          <Response><Gather numDigits="1" timeout="5000" finishOnKey="*" callback="https://app.example.com/cb"
            method="POST" attempts="1"><Say>Enter a digit</Say></Gather></Response>""",
          d -> d.digits("4").http("https://app.example.com/cb", 200, "<Response><Hangup/></Response>"),
          List.of("Answer", "Collect[Say(Enter a digit)]", "Fetch(GATHER POST https://app.example.com/cb)",
              "Hangup(16,hangup)")),
      new Example("5.8 nested Gather", """
          <Response><Gather length="1"><DTMF value="1"><Gather length="1"><DTMF value="2"><Say>1 then 2</Say></DTMF>
            </Gather></DTMF></Gather></Response>""", d -> d.digits("1", "2"),
          List.of("Answer", "Collect[]", "Collect[]", "Say(1 then 2)", "Hangup(16,flow_completed)")),
      new Example("5.9 Dial several targets, callee hangs up, the flow continues", """
          <Response><Dial><To>sip:user@example.com</To><To>support1@sip.opentact.org</To><To>12223334455</To>
            <Error><Say>Nobody answered</Say></Error></Dial><Say>Goodbye</Say></Response>""",
          d -> d.dialAnswered("12223334455"),
          List.of("Dial(sip:user@example.com,support1@sip.opentact.org,12223334455)", "Say(Goodbye)",
              "Hangup(16,flow_completed)")),
      new Example("5.10 Callback with an Error child", """
          <Response><Callback url="https://app.example.com/next" method="GET">
            <Error><Say text="An error occurred"/><Hangup/></Error></Callback></Response>""",
          d -> d.http("https://app.example.com/next", 500, ""),
          List.of("Fetch(CALLBACK GET https://app.example.com/next)", "Say(An error occurred)", "Hangup(16,hangup)")),
      new Example("4 hosted document that only points at the app", """
          <Response><callback>https://app.example.com/flow</callback></Response>""",
          d -> d.http("https://app.example.com/flow", 200, "<Response><Answer/><Say>dynamic</Say></Response>"),
          List.of("Fetch(CALLBACK POST https://app.example.com/flow)", "Answer", "Say(dynamic)",
              "Hangup(16,flow_completed)")),
      new Example("5.11 Call on the dialled number", """
          <Response><Call field="to" value="18382050099"><Say>Main number</Say></Call>
            <Call field="to" value="18382050100"><Say>Second number</Say></Call></Response>""", d -> d,
          List.of("Say(Main number)", "Hangup(16,flow_completed)")),
      new Example("5.12 Geo blocks evaluated one after the other", """
          <Response><Geo states="NJ,CA"><Say>NJ or CA</Say></Geo><Geo county="ESSEX"><Say>Essex</Say></Geo>
            <Geo states="NY"><Say>New York</Say></Geo><Geo><Say>Anyone</Say></Geo></Response>""", d -> d,
          List.of("Say(NJ or CA)", "Say(Essex)", "Say(Anyone)", "Hangup(16,flow_completed)")),
      new Example("5.13 Schedule office hours (Wednesday noon UTC)", """
          <Response>
            <Schedule dow="sat,sun"><Say>Please call on weekdays</Say><Hangup/></Schedule>
            <Schedule dow="mon,tue,wed,thu,fri" time="00:00:00-06:59:59"><Hangup/></Schedule>
            <Schedule dow="mon,tue,wed,thu,fri" time="18:00:00-23:59:59"><Hangup/></Schedule>
            <Scheduler dow="mon,tue,wed,thu,fri" time="07:00:00-18:00:00"><Say>Welcome</Say></Scheduler>
            <Say>Thanks for calling</Say></Response>""", d -> d,
          List.of("Say(Welcome)", "Say(Thanks for calling)", "Hangup(16,flow_completed)")),
      new Example("5.14 Hold and Unhold", """
          <Response><Answer/><Hold timeout="300000" tag="h1"/><Unhold tag="u1"/><Say>Thanks for waiting</Say></Response>""",
          d -> d, List.of("Answer", "Hold", "Unhold", "Say(Thanks for waiting)", "Hangup(16,flow_completed)")),
      new Example("5.15 Tones", """
          <Response><Tone don="1000" hz="480"/><Tone don="2000" hz="420,500,440,480" v="-70"/><Tone/></Response>""",
          d -> d, List.of("Tone(480)", "Tone(420,500,440,480)", "Tone(440)", "Hangup(16,flow_completed)")),
      new Example("5.17 Meta on a Tone and in a branch before a Dial", """
          <Response><Tone><Meta name="category" value="music"/></Tone>
            <Gather numDigits="1"><DTMF value="1"><Meta name="dept" value="sales"/><Dial><To>12223334455</To></Dial>
            </DTMF></Gather></Response>""", d -> d.digits("1").dialFails("busy"),
          List.of("Tone(440)", "Answer", "Collect[]", "Dial(12223334455)", "Hangup(17,Dial failed: busy)")),
      new Example("5.18 Curl then Say", """
          <Response><Curl url="https://crm.example.com/hook" method="POST" timeout="5000"/><Say>ok</Say></Response>""",
          d -> d.http("https://crm.example.com/hook", 204, null),
          List.of("Fetch(CURL POST https://crm.example.com/hook)", "Say(ok)", "Hangup(16,flow_completed)")));

  @TestFactory
  Stream<DynamicTest> referenceSection5Examples() {
    return EXAMPLES.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
      FlowDriver d = e.script().apply(new FlowDriver(FlowDriver.ctx(false, NJ))).start(e.xml()).run();
      assertEquals(e.expected(), d.actions());
      assertTrue(d.engine().ended());
    }));
  }

  /** Every stored reference document runs to a clean end under a generic script, and replays identically. */
  @TestFactory
  Stream<DynamicTest> storedReferenceDocumentsRunToAnEnd() throws IOException {
    Path dir = Path.of("src/test/resources/flows/reference");
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
    }
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      String xml = Files.readString(f, StandardCharsets.UTF_8);
      FlowDriver d = new FlowDriver(FlowDriver.ctx(false, NJ))
          .anything(200, "<Response><Say>from the app</Say></Response>", "1").start(xml).run();
      assertTrue(d.engine().ended(), f + ": " + d.actions());
      Action last = d.last();
      assertTrue(last instanceof Action.Hangup || last instanceof Action.Reject, f + ": " + d.actions());

      FlowEngine replay = new FlowEngine(FlowDriver.ctx(false, NJ));
      List<Step> steps = new java.util.ArrayList<>();
      steps.add(replay.start(FlowDriver.parse(xml), d.now));
      for (FlowDriver.Input in : d.inputs()) {
        steps.add(replay.apply(in.outcome(), in.now()));
      }
      assertEquals(d.steps(), steps, f.toString());
    }));
  }
}
