package io.openvoice.xml;

import static io.openvoice.xml.Flows.at;
import static io.openvoice.xml.Flows.reference;
import static io.openvoice.xml.Flows.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.xml.Verb.Answer;
import io.openvoice.xml.Verb.Branch;
import io.openvoice.xml.Verb.Call;
import io.openvoice.xml.Verb.Callback;
import io.openvoice.xml.Verb.Curl;
import io.openvoice.xml.Verb.Dial;
import io.openvoice.xml.Verb.DialTarget;
import io.openvoice.xml.Verb.Gather;
import io.openvoice.xml.Verb.Geo;
import io.openvoice.xml.Verb.Hangup;
import io.openvoice.xml.Verb.Hold;
import io.openvoice.xml.Verb.Pause;
import io.openvoice.xml.Verb.Play;
import io.openvoice.xml.Verb.Record;
import io.openvoice.xml.Verb.RecordStart;
import io.openvoice.xml.Verb.RecordStop;
import io.openvoice.xml.Verb.RecordWait;
import io.openvoice.xml.Verb.Reject;
import io.openvoice.xml.Verb.Say;
import io.openvoice.xml.Verb.Schedule;
import io.openvoice.xml.Verb.TargetKind;
import io.openvoice.xml.Verb.Tone;
import io.openvoice.xml.Verb.Unhold;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example and inline fragment of reference sections 4 and 5 parses into the model values the reference
 * describes, with the defaults applied. The documents live in {@code src/test/resources/flows/reference/} so that
 * other tests can run them.
 */
class ReferenceExamplesParseTest {

  static Stream<String> referenceDocuments() throws IOException, URISyntaxException {
    Path dir = Path.of(Flows.class.getResource(Flows.REFERENCE_DIR).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
          .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("referenceDocuments")
  void everyReferenceDocumentParsesIntoANonEmptyFlow(String name) throws FlowXmlException {
    assertFalse(reference(name).body().isEmpty(), name);
  }

  @Test
  void referenceDocumentSetIsComplete() throws Exception {
    List<String> names = referenceDocuments().toList();
    for (String required : List.of("answer-delay", "say-attribute-and-content", "say-spanish",
        "play-with-error-sibling", "play-record-tag", "pause-dtmf-stop", "record-voicemail", "record-window",
        "record-start-stop-wait", "gather-dtmf-branches", "gather-switch-case", "gather-old-callback", "gather-url",
        "dial-multi", "dial-sip-and-number-aliases", "callback-attr", "callback-text", "call-field-to",
        "call-field-from", "geo-full-example", "schedule-full-example", "scheduler-alias", "hold-unhold",
        "tone-examples", "meta-attr-and-text", "meta-inside-dtmf-before-dial", "curl-with-headers",
        "redirect-legacy", "hangup", "reject")) {
      assertTrue(names.contains(required), "missing reference document " + required);
    }
  }

  @Test
  void answerDelayKeepsDelayAndTagAndPositions() throws FlowXmlException {
    CallFlow f = reference("answer-delay");
    assertEquals(3, f.body().size());
    Answer a = at(f, 0, Answer.class);
    assertEquals(2000, a.delayMs());
    assertEquals("123456", a.tag());
    assertEquals(new Src("Answer[0]", 4, 3), a.src());
    assertNull(a.onError());
    assertTrue(a.metas().isEmpty());
    Say s = at(f, 1, Say.class);
    assertEquals("Thank you for calling.", s.text());
    assertEquals(new Src("Say[1]", 5, 3), s.src());
    Hangup h = at(f, 2, Hangup.class);
    assertEquals(16, h.cause());
    assertNull(h.reason());
    assertEquals("Hangup[2]", h.src().path());
  }

  @Test
  void answerWithoutDelayDefaultsToZero() throws FlowXmlException {
    Answer a = single("<Answer/>", Answer.class);
    assertEquals(0, a.delayMs());
    assertNull(a.tag());
  }

  @Test
  void sayTakesTextFromAttributeOrContentWithDefaults() throws FlowXmlException {
    CallFlow f = reference("say-attribute-and-content");
    Say attr = at(f, 0, Say.class);
    Say content = at(f, 1, Say.class);
    for (Say s : List.of(attr, content)) {
      assertEquals("Hi", s.text());
      assertEquals("Standard", s.type());
      assertEquals("FEMALE", s.gender());
      assertNull(s.code());
      assertEquals("en-US", s.lang());
      assertEquals(1, s.loop());
      assertEquals("aleg", s.leg());
      assertNull(s.tag());
    }
    Say full = at(f, 2, Say.class);
    assertEquals("Welcome to our company.", full.text());
    assertEquals("greeting", full.tag());
    assertEquals("WaveNet", full.type());
    assertEquals("MALE", full.gender());
    assertEquals("en-US-Wavenet-D", full.code());
    assertEquals("en-GB", full.lang());
    assertEquals(2, full.loop());
    assertEquals("both", full.leg());
  }

  @Test
  void sayInSpanishKeepsTheLanguage() throws FlowXmlException {
    Say s = at(reference("say-spanish"), 0, Say.class);
    assertEquals("es", s.lang());
    assertEquals("Hola, gracias por llamar.", s.text());
  }

  @Test
  void playFollowedByErrorSiblingGivesABlockInTheSequence() throws FlowXmlException {
    CallFlow f = reference("play-with-error-sibling");
    assertEquals(3, f.body().size());
    Play p = at(f, 0, Play.class);
    assertEquals("https://example.com/audio/welcome.wav", p.url());
    assertNull(p.record());
    assertEquals(1, p.loop());
    assertEquals("aleg", p.leg());
    assertNull(p.onError(), "a sibling Error is not the Play's own handler");
    Block err = at(f, 1, Block.class);
    assertEquals(Block.Kind.ERROR, err.kind());
    assertEquals("Error[1]", err.src().path());
    assertEquals(2, err.body().size());
    assertEquals("The audio file is not available", at(err.body(), 0, Say.class).text());
    assertEquals("Error[1].Hangup[1]", at(err.body(), 1, Hangup.class).src().path());
    Play menu = at(f, 2, Play.class);
    assertEquals("https://example.com/audio/menu.mp3", menu.url());
    assertEquals(3, menu.loop());
    assertEquals("bleg", menu.leg());
  }

  @Test
  void playRecordReplaysATaggedRecording() throws FlowXmlException {
    CallFlow f = reference("play-record-tag");
    Record r = at(f, 1, Record.class);
    assertEquals("name1", r.tag());
    assertEquals(5000, r.timeoutMs());
    assertTrue(r.beep());
    assertTrue(r.body().isEmpty());
    Play p = at(f, 3, Play.class);
    assertEquals("name1", p.record());
    assertNull(p.url());
  }

  @Test
  void pauseDefaultsToOneSecondAndStopsOnKey() throws FlowXmlException {
    CallFlow f = reference("pause-dtmf-stop");
    Pause dflt = at(f, 0, Pause.class);
    assertEquals(1000, dflt.lengthMs());
    assertNull(dflt.dtmfStop());
    Pause stop = at(f, 1, Pause.class);
    assertEquals(5000, stop.lengthMs());
    assertEquals("#", stop.dtmfStop());
  }

  @Test
  void voicemailIsAPromptThenARecordWithDefaults() throws FlowXmlException {
    CallFlow f = reference("record-voicemail");
    assertEquals(4, f.body().size());
    at(f, 0, Answer.class);
    assertEquals("Please leave a message after the beep.", at(f, 1, Say.class).text());
    Record r = at(f, 2, Record.class);
    assertEquals("voicemail", r.tag());
    assertTrue(r.asr());
    assertEquals(45000, r.timeoutMs());
    assertEquals("wav", r.format());
    assertEquals("both", r.leg());
    assertFalse(r.beep());
    assertNull(r.dtmfStop());
    assertTrue(r.body().isEmpty());
    at(f, 3, Hangup.class);
  }

  @Test
  void recordWindowHoldsAPauseAsItsBody() throws FlowXmlException {
    CallFlow f = reference("record-window");
    Record r = at(f, 0, Record.class);
    assertEquals("window", r.tag());
    assertEquals("mp3", r.format());
    assertEquals(60000, r.timeoutMs());
    assertFalse(r.asr());
    assertEquals(1, r.body().size());
    Pause p = at(r.body(), 0, Pause.class);
    assertEquals(60000, p.lengthMs());
    assertEquals("#", p.dtmfStop());
    assertEquals("Record[0].Pause[0]", p.src().path());
    assertEquals("Recording finished.", at(f, 1, Say.class).text());
  }

  @Test
  void backgroundRecordingVerbsKeepTagsAndDefaults() throws FlowXmlException {
    CallFlow f = reference("record-start-stop-wait");
    RecordStart start = at(f, 0, RecordStart.class);
    assertEquals("x", start.tag());
    assertEquals("both", start.leg());
    assertEquals("mp3", start.format());
    assertFalse(start.stereo());
    assertFalse(start.asr());
    assertEquals(0, start.timeoutMs());
    assertEquals("x", at(f, 2, RecordStop.class).tag());
    RecordWait wait = at(f, 3, RecordWait.class);
    assertEquals("x", wait.tag());
    assertEquals(10000, wait.timeoutMs());
    RecordStart bare = at(f, 4, RecordStart.class);
    assertNull(bare.tag());
    assertEquals("wav", bare.format());
    assertEquals("both", bare.leg());
    assertNull(at(f, 5, RecordStop.class).tag(), "no tag stops all recordings");
    RecordWait bareWait = at(f, 6, RecordWait.class);
    assertNull(bareWait.tag());
    assertEquals(60000, bareWait.timeoutMs());
  }

  @Test
  void gatherWithDtmfBranchesNestedGatherDefaultAndError() throws FlowXmlException {
    CallFlow f = reference("gather-dtmf-branches");
    Gather g = at(f, 1, Gather.class);
    assertEquals("Gather[1]", g.src().path());
    assertEquals(1, g.maxDigits());
    assertEquals("#", g.finishOnKey());
    assertEquals(10000, g.timeoutMs());
    assertEquals(1, g.attempts());
    assertNull(g.url());
    assertEquals("GET", g.method());
    assertEquals("main-menu", g.tag());
    assertEquals(2, g.prompts().size());
    assertEquals("Gather[1].Say[0]", g.prompts().get(0).src().path());
    assertEquals(2000, ((Pause) g.prompts().get(1)).lengthMs());

    assertEquals(2, g.branches().size());
    Branch one = g.branches().get(0);
    assertEquals("1", one.value());
    assertEquals("Gather[1].DTMF[2]", one.src().path());
    assertEquals("Gather[1].DTMF[2].Say[0]", one.body().get(0).src().path());
    Dial d = at(one.body(), 1, Dial.class);
    assertEquals(List.of(new DialTarget(new Src("Gather[1].DTMF[2].Dial[1].To[0]", 11, 9), TargetKind.SIP_URI,
        "sip:sales@example.com")), d.targets());

    Branch two = g.branches().get(1);
    assertEquals("2", two.value());
    assertEquals("support", two.tag());
    Gather nested = at(two.body(), 0, Gather.class);
    assertEquals("Gather[1].DTMF[3].Gather[0]", nested.src().path());
    assertEquals(2, nested.maxDigits(), "length is an alias of dtmf_length");
    assertEquals("#", nested.finishOnKey());
    assertEquals(List.of("10", "20"), nested.branches().stream().map(Branch::value).toList());
    assertEquals("Unknown product.", ((Say) nested.onDefault().body().get(0)).text());
    assertNull(nested.onError());

    assertEquals(Block.Kind.DEFAULT, g.onDefault().kind());
    assertEquals("unmatched", g.onDefault().tag());
    assertEquals("Gather[1].Default[4]", g.onDefault().src().path());
    assertEquals(Block.Kind.ERROR, g.onError().kind());
    assertEquals("Gather[1].Error[5]", g.onError().src().path());
    at(g.onError().body(), 1, Hangup.class);
  }

  @Test
  void gatherWithSwitchAndCase() throws FlowXmlException {
    Gather g = at(reference("gather-switch-case"), 0, Gather.class);
    assertEquals(1, g.maxDigits());
    assertEquals(2, g.attempts());
    assertEquals(10000, g.timeoutMs());
    assertEquals("*", g.finishOnKey());
    assertEquals(1, g.prompts().size());
    assertEquals(List.of("1", "2"), g.branches().stream().map(Branch::value).toList());
    Branch one = g.branches().get(0);
    assertEquals("Gather[0].Switch[1].Case[0]", one.src().path());
    assertEquals("Gather[0].Switch[1].Case[0].Say[0]", one.body().get(0).src().path());
    Dial d = at(one.body(), 1, Dial.class);
    assertEquals(TargetKind.SIP_USER, d.targets().get(0).kind());
    assertEquals("1000@x.x.x.x:9000", d.targets().get(0).value());
    assertEquals("Gather[0].Switch[1].Default[2]", g.onDefault().src().path());
    assertEquals("Gather[0].Switch[1].Error[3]", g.onError().src().path());
    at(g.onError().body(), 1, Hangup.class);
  }

  @Test
  void oldGatherSyntaxMapsCallbackAndMethod() throws FlowXmlException {
    Gather g = at(reference("gather-old-callback"), 0, Gather.class);
    assertEquals(4, g.maxDigits());
    assertEquals(15000, g.timeoutMs());
    assertEquals("*", g.finishOnKey());
    assertEquals("https://example.com/pin", g.url());
    assertEquals("POST", g.method());
    assertEquals(3, g.attempts());
    assertEquals(3, g.prompts().size());
    assertEquals("https://example.com/audio/beep.wav", ((Play) g.prompts().get(1)).url());
    assertTrue(g.branches().isEmpty());
    assertNull(g.onDefault());
    assertNull(g.onError());
  }

  @Test
  void gatherUrlKeepsTheUrlAndDefaultFinishKey() throws FlowXmlException {
    Gather g = at(reference("gather-url"), 0, Gather.class);
    assertEquals(3, g.maxDigits());
    assertEquals("#", g.finishOnKey());
    assertEquals(5000, g.timeoutMs());
    assertEquals("https://example.com/ivr?token=X", g.url());
    assertEquals("GET", g.method());
    assertEquals("The service is not available.", ((Say) g.onError().body().get(0)).text());
  }

  @Test
  void dialRingsEveryTargetKindAndKeepsItsError() throws FlowXmlException {
    CallFlow f = reference("dial-multi");
    Dial d = at(f, 0, Dial.class);
    assertEquals(List.of(TargetKind.SIP_URI, TargetKind.SIP_USER, TargetKind.SIP_USER, TargetKind.NUMBER),
        d.targets().stream().map(DialTarget::kind).toList());
    assertEquals(List.of("sip:user@example.com", "support1@sip.opentact.org", "mary@dnl.sip.stage.opentact.org",
        "12223334455"), d.targets().stream().map(DialTarget::value).toList());
    assertEquals("Dial[0].To[3]", d.targets().get(3).src().path());
    assertEquals(30000, d.timeoutMs());
    assertNull(d.callerId());
    assertEquals("do-not-record", d.record());
    assertEquals(0, d.timeLimitMs());
    assertEquals("Dial[0].Error[4]", d.onError().src().path());
    at(d.onError().body(), 1, Hangup.class);
    at(f, 1, Say.class);
  }

  @Test
  void dialAcceptsSipAndNumberChildrenAndItsAttributes() throws FlowXmlException {
    Dial d = at(reference("dial-sip-and-number-aliases"), 0, Dial.class);
    assertEquals(List.of(TargetKind.SIP_USER, TargetKind.NUMBER),
        d.targets().stream().map(DialTarget::kind).toList());
    assertEquals("+12223334455", d.targets().get(1).value());
    assertEquals("Dial[0].Number[1]", d.targets().get(1).src().path());
    assertEquals(20000, d.timeoutMs());
    assertEquals("+15551234567", d.callerId());
    assertEquals("record-from-answer", d.record());
    assertEquals(3600000, d.timeLimitMs());
    assertEquals("agents", d.tag());
    assertEquals(1, d.metas().size());
    assertEquals("queue", d.metas().get(0).name());
    assertEquals("sales", d.metas().get(0).value());
    assertEquals("Dial[0].Meta[2]", d.metas().get(0).src().path());
  }

  @Test
  void callbackWithUrlAttributeAndErrorChild() throws FlowXmlException {
    CallFlow f = reference("callback-attr");
    assertEquals(1, f.body().size());
    Callback c = at(f, 0, Callback.class);
    assertEquals("https://example.com/flow", c.url());
    assertEquals("GET", c.method());
    assertTrue(c.includeBody());
    assertEquals(5000, c.timeoutMs());
    assertEquals("cb1", c.tag());
    assertEquals("Callback[0].Error[0]", c.onError().src().path());
    assertEquals("An error occurred", ((Say) c.onError().body().get(0)).text());
  }

  @Test
  void section4HostedCallbackFragment() throws FlowXmlException {
    Callback c = single("<Callback url=\"https://app.example.com/flow\"/>", Callback.class);
    assertEquals("https://app.example.com/flow", c.url());
    assertEquals("POST", c.method());
    assertFalse(c.includeBody());
    assertEquals(10000, c.timeoutMs());
    assertNull(c.onError());
  }

  @Test
  void lowerCaseCallbackWithTextUrl() throws FlowXmlException {
    Callback c = at(reference("callback-text"), 0, Callback.class);
    assertEquals("https://example.com/next-step", c.url());
    assertEquals("POST", c.method());
    assertEquals(10000, c.timeoutMs());
    assertEquals("Callback[0]", c.src().path(), "canonical name in the path");
    assertEquals("Callback", c.src().name());
  }

  @Test
  void callOnToRunsItsBody() throws FlowXmlException {
    CallFlow f = reference("call-field-to");
    Call c = at(f, 0, Call.class);
    assertEquals("to", c.field());
    assertEquals("18382050099", c.value());
    assertEquals("eq", c.op());
    assertEquals(1, c.body().size());
    assertEquals("Call[0].Say[0]", c.body().get(0).src().path());
    assertEquals("Goodbye.", at(f, 1, Say.class).text());
  }

  @Test
  void callOnFromKeepsAnErrorSiblingInItsBody() throws FlowXmlException {
    Call c = at(reference("call-field-from"), 0, Call.class);
    assertEquals("from", c.field());
    assertEquals("12223334455", c.value());
    assertEquals("vip", c.tag());
    assertEquals(2, c.body().size());
    Block err = at(c.body(), 1, Block.class);
    assertEquals(Block.Kind.ERROR, err.kind());
    assertEquals("Call[0].Error[1]", err.src().path());
    assertNull(c.onError());
  }

  @Test
  void geoBlocksKeepStatesAndCountyUpperCased() throws FlowXmlException {
    CallFlow f = reference("geo-full-example");
    assertEquals(4, f.body().size());
    Geo a = at(f, 0, Geo.class);
    assertEquals(Set.of("NJ", "CA"), a.states());
    assertNull(a.county());
    Geo b = at(f, 1, Geo.class);
    assertEquals(Set.of("NJ"), b.states());
    assertEquals("ESSEX", b.county());
    Geo c = at(f, 2, Geo.class);
    assertEquals(Set.of("NY", "TX"), c.states());
    Geo all = at(f, 3, Geo.class);
    assertTrue(all.states().isEmpty());
    assertNull(all.county());
    assertEquals("Hello everybody.", ((Say) all.body().get(0)).text());
    assertEquals("Geo[3].Say[0]", all.body().get(0).src().path());
  }

  @Test
  void scheduleBlocksKeepDaysAndTimeRanges() throws FlowXmlException {
    CallFlow f = reference("schedule-full-example");
    assertEquals(5, f.body().size());
    Schedule weekend = at(f, 0, Schedule.class);
    assertEquals(Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), weekend.days());
    assertNull(weekend.from());
    assertNull(weekend.to());
    assertNull(weekend.tz());
    at(weekend.body(), 1, Hangup.class);
    Set<DayOfWeek> weekdays = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY);
    Schedule early = at(f, 1, Schedule.class);
    assertEquals(weekdays, early.days());
    assertEquals(LocalTime.of(0, 0), early.from());
    assertEquals(LocalTime.of(6, 59, 59), early.to());
    Schedule late = at(f, 2, Schedule.class);
    assertEquals(LocalTime.of(18, 0), late.from());
    assertEquals(LocalTime.of(23, 59, 59), late.to());
    Schedule open = at(f, 3, Schedule.class);
    assertEquals(LocalTime.of(7, 0), open.from());
    assertEquals(LocalTime.of(18, 0), open.to());
    assertEquals("Good day and welcome.", ((Say) open.body().get(0)).text());
    assertEquals("Thanks for calling", at(f, 4, Say.class).text());
  }

  @Test
  void schedulerAliasWithFullDayNamesShortTimesAndZone() throws FlowXmlException {
    Schedule s = at(reference("scheduler-alias"), 0, Schedule.class);
    assertEquals("Scheduler[0]", s.src().path());
    assertEquals(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), s.days());
    assertEquals(LocalTime.of(9, 0), s.from());
    assertEquals(LocalTime.of(17, 30), s.to());
    assertEquals("America/New_York", s.tz());
    assertEquals("Scheduler[0].Say[0]", s.body().get(0).src().path());
  }

  @Test
  void holdDefaultsToFiveMinutesAndUnholdKeepsItsTag() throws FlowXmlException {
    CallFlow f = reference("hold-unhold");
    Hold h = at(f, 0, Hold.class);
    assertEquals(300000, h.timeoutMs());
    assertNull(h.url());
    assertEquals("hold1", h.tag());
    assertEquals("unhold1", at(f, 1, Unhold.class).tag());
    Hold music = at(f, 2, Hold.class);
    assertEquals(60000, music.timeoutMs());
    assertEquals("https://example.com/audio/hold.mp3", music.url());
    assertNull(at(f, 3, Unhold.class).tag());
  }

  @Test
  void toneExamplesExpandFrequenciesAndApplyDefaults() throws FlowXmlException {
    CallFlow f = reference("tone-examples");
    Tone oneSecond = at(f, 0, Tone.class);
    assertEquals(List.of(480), oneSecond.hz());
    assertEquals(1000, oneSecond.onMs());
    assertEquals(0, oneSecond.offMs());
    assertEquals(1, oneSecond.loop());
    assertEquals(0, oneSecond.volume());
    assertEquals(30000, oneSecond.timeoutMs());
    assertEquals("aleg", oneSecond.leg());
    Tone usRing = at(f, 1, Tone.class);
    assertEquals(List.of(420, 500, 440, 480), usRing.hz());
    assertEquals(2000, usRing.onMs());
    Tone quiet = at(f, 2, Tone.class);
    assertEquals(-70, quiet.volume(), "v is an alias of volume");
    assertEquals(List.of(440, 440, 480), quiet.hz());
    assertEquals(4000, quiet.offMs());
    assertEquals(3, quiet.loop());
    assertEquals(20000, quiet.timeoutMs());
    assertEquals("both", quiet.leg());
    assertEquals("ring", quiet.tag());
    assertEquals(List.of("category"), quiet.metas().stream().map(Meta::name).toList());
    assertEquals("Tone[2].Meta[0]", quiet.metas().get(0).src().path());
    Tone dflt = at(f, 3, Tone.class);
    assertEquals(List.of(440), dflt.hz());
    assertEquals(1000, dflt.onMs());
  }

  @Test
  void metaValuesComeFromAttributeOrContentAndAreTyped() throws FlowXmlException {
    CallFlow f = reference("meta-attr-and-text");
    Meta category = at(f, 0, Meta.class);
    assertEquals("category", category.name());
    assertEquals("music", category.value());
    assertEquals("Meta[0]", category.src().path());
    String description = (String) at(f, 1, Meta.class).value();
    assertTrue(description.startsWith("A caller from the"), description);
    assertTrue(description.endsWith("spring campaign"), description);
    assertEquals(42L, at(f, 2, Meta.class).value());
    assertEquals(0.75, at(f, 3, Meta.class).value());
    assertEquals(Boolean.TRUE, at(f, 4, Meta.class).value());
    assertEquals("07001", at(f, 5, Meta.class).value(), "a leading zero keeps the value a string");
    at(f, 6, Say.class);
  }

  @Test
  void metaInsideADtmfBranchPrecedesTheDial() throws FlowXmlException {
    Gather g = at(reference("meta-inside-dtmf-before-dial"), 0, Gather.class);
    Branch b = g.branches().get(0);
    Meta m = at(b.body(), 0, Meta.class);
    assertEquals("department", m.name());
    assertEquals("billing", m.value());
    assertEquals("Gather[0].DTMF[1].Meta[0]", m.src().path());
    Dial d = at(b.body(), 1, Dial.class);
    assertEquals(TargetKind.SIP_USER, d.targets().get(0).kind());
  }

  @Test
  void curlKeepsHeadersBodyFlagsErrorAndMeta() throws FlowXmlException {
    CallFlow f = reference("curl-with-headers");
    Curl c = at(f, 0, Curl.class);
    assertEquals("https://api.example.com/crm/calls", c.url());
    assertEquals("POST", c.method());
    assertEquals(3000, c.timeoutMs());
    assertEquals("{\"event\":\"call\"}", c.body());
    assertEquals(Map.of("Authorization", "Bearer abc123", "Content-Type", "application/json"), c.headers());
    assertTrue(c.async());
    assertFalse(c.execute());
    assertEquals("source", c.metas().get(0).name());
    assertEquals("Curl[0].Error[3]", c.onError().src().path());
    Curl next = at(f, 1, Curl.class);
    assertEquals("GET", next.method());
    assertEquals(10000, next.timeoutMs());
    assertEquals("{\"step\":2}", next.body());
    assertTrue(next.headers().isEmpty());
    assertFalse(next.async());
    assertTrue(next.execute());
  }

  @Test
  void legacyRedirectIsACallbackNamedRedirect() throws FlowXmlException {
    CallFlow f = reference("redirect-legacy");
    Callback r = at(f, 1, Callback.class);
    assertEquals("Redirect[1]", r.src().path());
    assertEquals("Redirect", r.src().name());
    assertEquals("https://example.com/next.xml", r.url());
    assertEquals("GET", r.method());
    assertFalse(r.includeBody());
    assertEquals(10000, r.timeoutMs());
    Callback fallback = at(f, 2, Callback.class);
    assertEquals("https://example.com/fallback.xml", fallback.url());
    assertEquals("POST", fallback.method());
  }

  @Test
  void hangupDefaultsToNormalClearing() throws FlowXmlException {
    CallFlow f = reference("hangup");
    Hangup h = at(f, 1, Hangup.class);
    assertEquals(16, h.cause());
    assertNull(h.reason());
    assertNull(h.tag());
  }

  @Test
  void hangupCauseAndReasonVariants() throws FlowXmlException {
    Hangup numericReason = single("<Hangup reason=\"17\"/>", Hangup.class);
    assertEquals(17, numericReason.cause());
    assertNull(numericReason.reason());
    Hangup both = single("<Hangup cause=\"21\" reason=\"caller blocked\" tag=\"bye\"/>", Hangup.class);
    assertEquals(21, both.cause());
    assertEquals("caller blocked", both.reason());
    assertEquals("bye", both.tag());
    Hangup textReason = single("<Hangup reason=\"done\"/>", Hangup.class);
    assertEquals(16, textReason.cause());
    assertEquals("done", textReason.reason());
  }

  @Test
  void rejectKeepsBusyAndDefaultsToRejected() throws FlowXmlException {
    assertEquals("busy", at(reference("reject"), 0, Reject.class).reason());
    assertEquals("rejected", single("<Reject/>", Reject.class).reason());
  }

  // Inline fragments quoted in section 5, each wrapped in <Response>.

  @Test
  void inlineSayFragments() throws FlowXmlException {
    assertEquals("Hi", single("<Say>Hi</Say>", Say.class).text());
    assertEquals("Hi", single("<Say text=\"Hi\"/>", Say.class).text());
    assertEquals("greeting", single("<Say tag=\"greeting\">Welcome</Say>", Say.class).tag());
  }

  @Test
  void inlinePlayFragments() throws FlowXmlException {
    assertEquals("https://example.com/x.wav", single("<Play>https://example.com/x.wav</Play>", Play.class).url());
    assertEquals("name1", single("<Play record=\"name1\"/>", Play.class).record());
  }

  @Test
  void inlineRecordFragments() throws FlowXmlException {
    Record r = single("<Record tag=\"name1\"/>", Record.class);
    assertEquals("name1", r.tag());
    assertEquals(60000, r.timeoutMs());
    assertFalse(r.asr());
    assertTrue(single("<Record asr=\"true\"/>", Record.class).asr());
    assertEquals(45000, single("<Record timeout=\"45000\"/>", Record.class).timeoutMs());
    Record window = single("<Record><Pause length=\"60000\" dtmf_stop=\"#\"/></Record>", Record.class);
    assertEquals(60000, ((Pause) window.body().get(0)).lengthMs());
  }

  @Test
  void inlineGatherSwitchFragmentFromInboundCallControl() throws FlowXmlException {
    Gather g = single("<Gather numDigits=\"1\" attempts=\"2\" timeout=\"10000\" finishOnKey=\"*\"> <Say>Menu</Say>"
        + " <Switch> <Case dtmf=\"1\"><Say>One</Say></Case> <Default><Say>Bad</Say></Default>"
        + " <Error><Hangup/></Error> </Switch> </Gather>", Gather.class);
    assertEquals(1, g.maxDigits());
    assertEquals("*", g.finishOnKey());
    assertEquals(1, g.branches().size());
    assertEquals(Block.Kind.DEFAULT, g.onDefault().kind());
    assertEquals(Block.Kind.ERROR, g.onError().kind());
  }

  @Test
  void inlineSipTargetFromInboundCallControl() throws FlowXmlException {
    Dial d = single("<Dial><Sip>1000@x.x.x.x:9000</Sip></Dial>", Dial.class);
    assertEquals(TargetKind.SIP_USER, d.targets().get(0).kind());
  }

  @Test
  void inlineCallbackWithErrorFragment() throws FlowXmlException {
    Callback c = single("<Callback url=\"https://example.com/x\"><Error><Say text=\"An error occurred\"/><Hangup/>"
        + "</Error></Callback>", Callback.class);
    assertEquals(2, c.onError().body().size());
  }

  @Test
  void inlineToneAndMetaFragments() throws FlowXmlException {
    Tone t = single("<Tone><Meta name=\"category\" value=\"music\"/></Tone>", Tone.class);
    assertEquals(List.of(440), t.hz());
    assertEquals("music", t.metas().get(0).value());
    assertEquals("multi line", single("<Meta name=\"description\">multi line</Meta>", Meta.class).value());
  }

  @Test
  void inlineRedirectFragment() throws FlowXmlException {
    Callback r = single("<Redirect method=\"POST\">https://example.com/r</Redirect>", Callback.class);
    assertEquals("POST", r.method());
    assertEquals("https://example.com/r", r.url());
  }
}
