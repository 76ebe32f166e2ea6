package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.openvoice.geo.GeoLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reference documents stored under {@code flows/reference/} (reference sections 4 and 5), each run with a
 * script that fits it, asserting the whole trace of actions. The caller is +12223334455 (NJ, Essex county),
 * calling +18382050099 on Wednesday 2024-01-03 at noon UTC unless the scenario says otherwise. A document added
 * later without a scenario here still runs under a generic script ({@link ReferenceExamplesTest}).
 */
class ReferenceDocumentsTest {
  private static final Path DIR = Path.of("src/test/resources/flows/reference");
  private static final GeoLookup NJ = n -> Optional.of(new GeoLookup.GeoInfo("NJ", "ESSEX"));
  private static final String HANGUP = "Hangup(16,hangup)";
  private static final String COMPLETED = "Hangup(16,flow_completed)";
  private static final String OLD_PROMPT = "Collect[Say(Please enter your four digit PIN.),"
      + "Play(https://example.com/audio/beep.wav),Pause(500)]";
  private static final String SWITCH_PROMPT = "Collect[Say(Press 1 to talk to an agent, press 2 to hang up.)]";

  private record Scenario(String file, String name, UnaryOperator<FlowDriver> script, List<String> expected,
                          Consumer<FlowDriver> check) {
    Scenario(String file, String name, UnaryOperator<FlowDriver> script, List<String> expected) {
      this(file, name, script, expected, d -> { });
    }
  }

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario("answer-delay.xml", "answers, waits 2 s, greets", d -> d,
          List.of("Answer", "Pause(2000)", "Say(Thank you for calling.)", HANGUP)),
      new Scenario("call-field-from.xml", "known caller", d -> d, List.of("Say(Welcome back.)", COMPLETED)),
      new Scenario("call-field-from.xml", "the Say fails: the Error sibling inside the block hangs up",
          d -> d.failAt("Call[0].Say[0]", "tts error"), List.of("Say(Welcome back.)", HANGUP)),
      new Scenario("call-field-to.xml", "the sales line", d -> d,
          List.of("Say(You reached the sales line.)", "Say(Goodbye.)", COMPLETED)),
      new Scenario("callback-attr.xml", "the app times out: Error", d -> d.httpError("https://example.com/flow", "timeout"),
          List.of("Fetch(CALLBACK GET https://example.com/flow)", "Say(An error occurred)", HANGUP),
          d -> {
            Action.Fetch f = d.fetches().get(0);
            assertEquals(true, f.includeCall());
            assertEquals(5000, f.timeoutMs());
            assertEquals("cb1", f.params().get("tag"));
          }),
      new Scenario("callback-attr.xml", "the app answers: its flow runs",
          d -> d.http("https://example.com/flow", 200, "<Response><Say>from the app</Say></Response>"),
          List.of("Fetch(CALLBACK GET https://example.com/flow)", "Say(from the app)", COMPLETED)),
      new Scenario("callback-text.xml", "URL as content",
          d -> d.http("https://example.com/next-step", 200, "<Response><Say>next step</Say></Response>"),
          List.of("Fetch(CALLBACK POST https://example.com/next-step)", "Say(next step)", COMPLETED)),
      new Scenario("curl-with-headers.xml", "async notify, then execute the answer",
          d -> d.http("https://api.example.com/next", 200, "<Response><Say>step two</Say></Response>"),
          List.of("Notify(POST https://api.example.com/crm/calls)", "Fetch(CURL GET https://api.example.com/next)",
              "Say(step two)", COMPLETED),
          d -> {
            Action.Notify n = (Action.Notify) d.rawActions().get(0);
            assertEquals("{\"event\":\"call\"}", n.body());
            assertEquals(Map.of("Authorization", "Bearer abc123", "Content-Type", "application/json"), n.headers());
            assertEquals(Map.of("meta[source]", "ivr"), n.params());
            assertEquals("{\"step\":2}", d.fetches().get(0).body());
          }),
      new Scenario("dial-multi.xml", "nobody answers", d -> d.dialFails("no_answer"),
          List.of("Dial(sip:user@example.com,support1@sip.opentact.org,mary@dnl.sip.stage.opentact.org,12223334455)",
              "Say(Nobody is available.)", HANGUP)),
      new Scenario("dial-multi.xml", "answered, then the callee hangs up", d -> d.dialAnswered("12223334455"),
          List.of("Dial(sip:user@example.com,support1@sip.opentact.org,mary@dnl.sip.stage.opentact.org,12223334455)",
              "Say(The call has ended.)", COMPLETED)),
      new Scenario("dial-sip-and-number-aliases.xml", "aliases and attributes", d -> d.dialAnswered("+12223334455"),
          List.of("Dial(1000@192.0.2.10:9000,+12223334455)", COMPLETED),
          d -> {
            Action.Dial dial = (Action.Dial) d.rawActions().get(0);
            assertEquals(new Action.Dial(1, "Dial[0]", List.of(new Action.Dial.Target("SIP_USER", "1000@192.0.2.10:9000"),
                new Action.Dial.Target("NUMBER", "+12223334455")), 20_000, "+15551234567", "record-from-answer",
                3_600_000), dial);
            assertEquals("sales", d.engine().metas().get("queue"));
          }),
      new Scenario("gather-dtmf-branches.xml", "2 then 20: the nested Gather", d -> d.digits("2", "20"),
          List.of("Answer", "Collect[Say(Press 1 for sales, 2 for support.),Pause(2000)]",
              "Collect[Say(Enter your two-digit product code.)]", "Say(Product twenty.)", COMPLETED)),
      new Scenario("gather-dtmf-branches.xml", "1: sales", d -> d.digits("1").dialAnswered("sip:sales@example.com"),
          List.of("Answer", "Collect[Say(Press 1 for sales, 2 for support.),Pause(2000)]",
              "Say(Connecting you to sales.)", "Dial(sip:sales@example.com)", COMPLETED)),
      new Scenario("gather-dtmf-branches.xml", "9: Default", d -> d.digits("9"),
          List.of("Answer", "Collect[Say(Press 1 for sales, 2 for support.),Pause(2000)]",
              "Say(Sorry, that is not a valid choice.)", COMPLETED)),
      new Scenario("gather-dtmf-branches.xml", "no input: Error", d -> d.digits(""),
          List.of("Answer", "Collect[Say(Press 1 for sales, 2 for support.),Pause(2000)]",
              "Say(We did not get your choice. Goodbye.)", HANGUP)),
      new Scenario("gather-old-callback.xml", "two silent attempts, then a PIN",
          d -> d.digits("", "", "1234").http("https://example.com/pin", 200, "<Response><Say>PIN ok</Say></Response>"),
          List.of("Answer", OLD_PROMPT, OLD_PROMPT, OLD_PROMPT, "Fetch(GATHER POST https://example.com/pin)",
              "Say(PIN ok)", COMPLETED),
          d -> {
            Action.Fetch f = d.fetches().get(0);
            assertEquals("1234", f.params().get("code"));
            assertEquals("3", f.params().get("attempts"));
            assertEquals(true, f.includeCall());
          }),
      new Scenario("gather-switch-case.xml", "2: goodbye", d -> d.digits("2"),
          List.of("Answer", SWITCH_PROMPT, "Say(Goodbye.)", HANGUP)),
      new Scenario("gather-switch-case.xml", "silence twice: Error", d -> d.digits("", ""),
          List.of("Answer", SWITCH_PROMPT, SWITCH_PROMPT, "Say(No input received.)", HANGUP)),
      new Scenario("gather-switch-case.xml", "wrong twice: Default", d -> d.digits("5", "6"),
          List.of("Answer", SWITCH_PROMPT, SWITCH_PROMPT, "Say(That is not a valid option.)", COMPLETED)),
      new Scenario("gather-url.xml", "the URL fails: Error",
          d -> d.digits("101").http("https://example.com/ivr?token=X", 503, "busy"),
          List.of("Answer", "Collect[Say(Enter the extension.)]", "Fetch(GATHER GET https://example.com/ivr?token=X)",
              "Say(The service is not available.)", COMPLETED)),
      new Scenario("geo-full-example.xml", "a caller from Essex, NJ", d -> d,
          List.of("Say(Hello New Jersey or California.)", "Say(Hello Essex county.)", "Say(Hello everybody.)",
              COMPLETED)),
      new Scenario("hangup.xml", "goodbye", d -> d, List.of("Say(Goodbye.)", HANGUP)),
      new Scenario("hold-unhold.xml", "hold twice", d -> d,
          List.of("Answer", "Hold", "Unhold", "Hold", "Unhold", COMPLETED),
          d -> assertEquals(new Action.Hold(4, "Hold[2]", 60_000, "https://example.com/audio/hold.mp3"),
              d.rawActions().get(3))),
      new Scenario("meta-attr-and-text.xml", "typed metas", d -> d, List.of("Say(Hello.)", COMPLETED),
          d -> {
            Map<String, Object> m = d.engine().metas();
            assertEquals(List.of("category", "description", "count", "ratio", "vip", "zip"), List.copyOf(m.keySet()));
            assertEquals(42L, m.get("count"));
            assertEquals(0.75, m.get("ratio"));
            assertEquals(true, m.get("vip"));
          }),
      new Scenario("meta-inside-dtmf-before-dial.xml", "billing is busy: no handler, the call ends",
          d -> d.digits("1").dialFails("busy"),
          List.of("Answer", "Collect[Say(Press 1 for billing.)]", "Dial(billing@example.com)",
              "Hangup(17,Dial failed: busy)"),
          d -> assertEquals("billing", d.engine().metas().get("department"))),
      new Scenario("pause-dtmf-stop.xml", "# ends the second pause",
          d -> d.on("Pause[1]", seq -> new Outcome.Digits(seq, "#", "dtmf_stop")),
          List.of("Pause(1000)", "Pause(5000,#)", COMPLETED)),
      new Scenario("play-record-tag.xml", "record a name, play it back", d -> d,
          List.of("Say(Say your name after the tone.)", "Answer", "RecordStart(name1)", "Pause(5000)",
              "RecordStop(name1)", "Say(You said)", "Play(record:name1)", COMPLETED),
          d -> assertEquals(true, ((Action.RecordStart) d.rawActions().get(2)).beep())),
      new Scenario("play-with-error-sibling.xml", "the file plays", d -> d,
          List.of("Play(https://example.com/audio/welcome.wav)", "Play(https://example.com/audio/menu.mp3)", COMPLETED)),
      new Scenario("play-with-error-sibling.xml", "the file is missing",
          d -> d.failAt("Play[0]", "404"),
          List.of("Play(https://example.com/audio/welcome.wav)", "Say(The audio file is not available)", HANGUP)),
      new Scenario("record-start-stop-wait.xml", "background recordings", d -> d,
          List.of("Answer", "RecordStart(x)", "Say(This call is recorded.)", "RecordStop(x)", "RecordWait(x)",
              "RecordStart(rec-6)", "RecordStop(null)", "RecordWait(null)", COMPLETED)),
      new Scenario("record-voicemail.xml", "voicemail", d -> d,
          List.of("Answer", "Say(Please leave a message after the beep.)", "RecordStart(voicemail)", "Pause(45000)",
              "RecordStop(voicemail)", HANGUP)),
      new Scenario("record-window.xml", "# ends the window",
          d -> d.on("Record[0].Pause[0]", seq -> new Outcome.Digits(seq, "#", "dtmf_stop")),
          List.of("Answer", "RecordStart(window)", "Pause(60000,#)", "RecordStop(window)", "Say(Recording finished.)",
              COMPLETED)),
      new Scenario("redirect-legacy.xml", "the first redirect wins",
          d -> d.http("https://example.com/next.xml", 200, "<Response><Say>next</Say></Response>"),
          List.of("Say(Transferring you.)", "Fetch(CALLBACK GET https://example.com/next.xml)", "Say(next)",
              COMPLETED)),
      new Scenario("redirect-legacy.xml", "the redirect fails without handler",
          d -> d.http("https://example.com/next.xml", 500, ""),
          List.of("Say(Transferring you.)", "Fetch(CALLBACK GET https://example.com/next.xml)",
              "Hangup(41,Redirect failed: http 500)")),
      new Scenario("reject.xml", "busy", d -> d, List.of("Reject(busy)")),
      new Scenario("say-attribute-and-content.xml", "three Says", d -> d,
          List.of("Say(Hi)", "Say(Hi)", "Say(Welcome to our company.)", COMPLETED),
          d -> assertEquals(new Action.Say(3, "Say[2]", "Welcome to our company.", "WaveNet", "MALE", "en-US-Wavenet-D",
              "en-GB", 2, "both"), d.rawActions().get(2))),
      new Scenario("say-spanish.xml", "Spanish", d -> d, List.of("Say(Hola, gracias por llamar.)", COMPLETED)),
      new Scenario("schedule-full-example.xml", "Wednesday noon", d -> d,
          List.of("Say(Good day and welcome.)", "Say(Thanks for calling)", COMPLETED)),
      new Scenario("schedule-full-example.xml", "Sunday", d -> at(d, "2024-01-07T12:00:00Z"),
          List.of("Say(We are closed on weekends. Please call on weekdays.)", HANGUP)),
      new Scenario("schedule-full-example.xml", "Wednesday night", d -> at(d, "2024-01-03T21:00:00Z"),
          List.of(HANGUP)),
      new Scenario("scheduler-alias.xml", "Friday 09:00 in New York", d -> at(d, "2024-01-05T14:00:00Z"),
          List.of("Say(We are open.)", COMPLETED)),
      new Scenario("scheduler-alias.xml", "Friday 17:31 in New York", d -> at(d, "2024-01-05T22:31:00Z"),
          List.of(COMPLETED)),
      new Scenario("scheduler-alias.xml", "Wednesday", d -> d, List.of(COMPLETED)),
      new Scenario("tone-examples.xml", "four tones", d -> d,
          List.of("Tone(480)", "Tone(420,500,440,480)", "Tone(440,440,480)", "Tone(440)", COMPLETED),
          d -> assertEquals(Map.of("category", "music"), d.rawEvents().stream()
              .filter(e -> e.path().equals("Tone[2]")).findFirst().orElseThrow().metas())));

  private static FlowDriver at(FlowDriver d, String instant) {
    d.now = Instant.parse(instant);
    return d;
  }

  @TestFactory
  Stream<DynamicTest> everyStoredReferenceDocumentRunsItsScenario() {
    return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s.file() + ": " + s.name(), () -> {
      FlowDriver d = s.script().apply(new FlowDriver(FlowDriver.ctx(false, NJ))).start(read(s.file())).run();
      assertEquals(s.expected(), d.actions());
      s.check().accept(d);
    }));
  }

  private static String read(String file) {
    try {
      return Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
