package io.openvoice.xml;

import static io.openvoice.xml.Flows.at;
import static io.openvoice.xml.Flows.fragment;
import static io.openvoice.xml.Flows.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.xml.Verb.Callback;
import io.openvoice.xml.Verb.Dial;
import io.openvoice.xml.Verb.Gather;
import io.openvoice.xml.Verb.Hangup;
import io.openvoice.xml.Verb.Pause;
import io.openvoice.xml.Verb.Record;
import io.openvoice.xml.Verb.RecordStart;
import io.openvoice.xml.Verb.Say;
import io.openvoice.xml.Verb.Schedule;
import io.openvoice.xml.Verb.TargetKind;
import io.openvoice.xml.Verb.Tone;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Decision 1: element and attribute names match in any case, and every documented alias means the same. */
class CaseInsensitivityAndAliasesTest {

  @Test
  void elementNamesMatchInAnyCaseAndPathsUseTheCanonicalSpelling() throws FlowXmlException {
    CallFlow f = FlowXmlParser.parse("<RESPONSE><say>Hi</say><GATHER NUMDIGITS=\"2\"><dtmf VALUE=\"12\"><HANGUP/>"
        + "</dtmf><switch><CASE DTMF=\"34\"/><default/><ERROR/></switch></GATHER><recordstart/><CallBack>"
        + "https://x/y</CallBack></RESPONSE>");
    assertEquals("Say[0]", at(f, 0, Say.class).src().path());
    Gather g = at(f, 1, Gather.class);
    assertEquals(2, g.maxDigits());
    assertEquals("Gather[1].DTMF[0]", g.branches().get(0).src().path());
    assertEquals("Gather[1].DTMF[0].Hangup[0]", g.branches().get(0).body().get(0).src().path());
    assertEquals("Gather[1].Switch[1].Case[0]", g.branches().get(1).src().path());
    assertEquals("Gather[1].Switch[1].Default[1]", g.onDefault().src().path());
    assertEquals("Gather[1].Switch[1].Error[2]", g.onError().src().path());
    assertEquals("RecordStart[2]", at(f, 2, RecordStart.class).src().path());
    Callback c = at(f, 3, Callback.class);
    assertEquals("Callback[3]", c.src().path());
    assertEquals("https://x/y", c.url());
  }

  @Test
  void schedulerKeepsItsOwnSpellingInThePath() throws FlowXmlException {
    CallFlow f = fragment("<SCHEDULER/><schedule/>");
    assertEquals("Scheduler[0]", at(f, 0, Schedule.class).src().path());
    assertEquals("Schedule[1]", at(f, 1, Schedule.class).src().path());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dtmf_length", "numDigits", "length", "NUMDIGITS", "numdigits", "Dtmf_Length"})
  void everyDigitCountSpellingSetsMaxDigits(String attr) throws FlowXmlException {
    assertEquals(3, single("<Gather " + attr + "=\"3\"/>", Gather.class).maxDigits());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dtmf_stop", "finishOnKey", "FINISHONKEY", "DTMF_STOP"})
  void everyFinishKeySpellingSetsTheFinishKey(String attr) throws FlowXmlException {
    Gather g = single("<Gather " + attr + "=\"*\"/>", Gather.class);
    assertEquals("*", g.finishOnKey());
    assertEquals(0, g.maxDigits(), "an explicit finish key and no digit count: collect until the key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"url", "callback", "URL", "CallBack"})
  void everyGatherUrlSpellingSetsTheUrl(String attr) throws FlowXmlException {
    assertEquals("https://x/g", single("<Gather " + attr + "=\"https://x/g\"/>", Gather.class).url());
  }

  @Test
  void gatherMaxDigitsRules() throws FlowXmlException {
    assertEquals(1, single("<Gather/>", Gather.class).maxDigits(), "no branches: one digit");
    Gather g = single("<Gather><DTMF value=\"1\"/><DTMF value=\"123\"/></Gather>", Gather.class);
    assertEquals(3, g.maxDigits(), "the longest branch value");
    assertEquals("#", g.finishOnKey(), "default finish key");
    assertEquals(2, single("<Gather numDigits=\"2\" finishOnKey=\"#\"/>", Gather.class).maxDigits(),
        "explicit count wins over an explicit finish key");
    assertEquals(0, single("<Gather numDigits=\"0\"/>", Gather.class).maxDigits(), "explicit 0 = no limit");
    Gather none = single("<Gather finishOnKey=\"\"><DTMF value=\"12\"/></Gather>", Gather.class);
    assertNull(none.finishOnKey(), "an empty finish key means none");
    assertEquals(2, none.maxDigits());
  }

  @Test
  void gatherSyntaxesAreEquivalent() throws FlowXmlException {
    Gather a = single("<Gather dtmf_length=\"1\" dtmf_stop=\"*\" url=\"https://x\"><DTMF value=\"1\"><Hangup/></DTMF>"
        + "<Default><Hangup/></Default></Gather>", Gather.class);
    Gather b = single("<Gather numDigits=\"1\" finishOnKey=\"*\" callback=\"https://x\"><Switch><Case dtmf=\"1\">"
        + "<Hangup/></Case><Default><Hangup/></Default></Switch></Gather>", Gather.class);
    assertEquals(a.maxDigits(), b.maxDigits());
    assertEquals(a.finishOnKey(), b.finishOnKey());
    assertEquals(a.url(), b.url());
    assertEquals(a.branches().get(0).value(), b.branches().get(0).value());
    assertEquals(a.onDefault().body().size(), b.onDefault().body().size());
  }

  @Test
  void attributeNamesMatchInAnyCase() throws FlowXmlException {
    Say s = single("<Say TEXT=\"Hi\" Gender=\"male\" TYPE=\"wavenet\" Lang=\"de-DE\" LOOP=\"2\" Leg=\"BOTH\" TAG=\"t\"/>",
        Say.class);
    assertEquals("Hi", s.text());
    assertEquals("MALE", s.gender());
    assertEquals("WaveNet", s.type());
    assertEquals("de-DE", s.lang());
    assertEquals(2, s.loop());
    assertEquals("both", s.leg());
    assertEquals("t", s.tag());
    Pause p = single("<Pause LENGTH=\"10\" Dtmf_Stop=\"#\"/>", Pause.class);
    assertEquals(10, p.lengthMs());
    assertEquals("#", p.dtmfStop());
  }

  @ParameterizedTest
  @CsvSource({"true,true", "TRUE,true", "1,true", "false,false", "False,false", "0,false"})
  void booleansAcceptTrueFalseOneZeroInAnyCase(String written, boolean expected) throws FlowXmlException {
    Record r = single("<Record asr=\"" + written + "\" beep=\"" + written + "\"/>", Record.class);
    assertEquals(expected, r.asr());
    assertEquals(expected, r.beep());
  }

  @Test
  void enumeratedValuesAreCanonicalised() throws FlowXmlException {
    assertEquals("mp3", single("<Record format=\"MP3\"/>", Record.class).format());
    assertEquals("PATCH", single("<Callback url=\"https://x\" method=\"patch\"/>", Callback.class).method());
    assertEquals("POST", single("<Gather method=\"post\"/>", Gather.class).method());
    assertEquals("record-from-answer",
        single("<Dial record=\"Record-From-Answer\"><To>1</To></Dial>", Dial.class).record());
  }

  @ParameterizedTest
  @ValueSource(strings = {"volume", "v", "V", "Volume"})
  void toneVolumeAcceptsVolumeOrV(String attr) throws FlowXmlException {
    assertEquals(-20, single("<Tone " + attr + "=\"-20\"/>", Tone.class).volume());
  }

  @Test
  void dialTargetAliasesAndKinds() throws FlowXmlException {
    Dial d = single("<Dial><to>SIP:a@b</to><SIP>sips:c@d</SIP><number>+4420</number></Dial>", Dial.class);
    assertEquals(List.of(TargetKind.SIP_URI, TargetKind.SIP_URI, TargetKind.NUMBER),
        d.targets().stream().map(Verb.DialTarget::kind).toList());
    assertEquals(List.of("To", "Sip", "Number"), d.targets().stream().map(t -> t.src().name()).toList());
  }

  @Test
  void daysOfWeekInAnyCaseAndSpelledOut() throws FlowXmlException {
    Schedule s = single("<Schedule dow=\"SAT, Sun,monday,TUESDAY\"/>", Schedule.class);
    assertEquals(Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY), s.days());
  }

  @Test
  void hangupCauseMayBeWrittenAsReason() throws FlowXmlException {
    assertEquals(17, single("<Hangup reason=\"17\"/>", Hangup.class).cause());
    assertEquals(17, single("<Hangup cause=\"17\"/>", Hangup.class).cause());
  }

  @Test
  void errorAndMetaChildrenOfAVerbBelongToThatVerb() throws FlowXmlException {
    Say s = single("<Say>Hello <meta name=\"n\" value=\"1\"/> world<error><Hangup/></error></Say>", Say.class);
    assertEquals("Hello  world", s.text());
    assertEquals(1L, s.metas().get(0).value());
    assertEquals("Say[0].Meta[0]", s.metas().get(0).src().path());
    assertEquals("Say[0].Error[1]", s.onError().src().path());
    Record r = single("<Record><Pause/><Error><Hangup/></Error><Meta name=\"m\">x</Meta></Record>", Record.class);
    assertEquals(1, r.body().size(), "a Record's Error and Meta children are not part of its body");
    assertEquals("Record[0].Error[1]", r.onError().src().path());
    assertEquals("x", r.metas().get(0).value());
  }

  @Test
  void metaValuesAreTyped() throws FlowXmlException {
    CallFlow f = fragment("<Meta name=\"a\" value=\"TRUE\"/><Meta name=\"b\" value=\"-12\"/>"
        + "<Meta name=\"c\" value=\"-1.5\"/><Meta name=\"d\" value=\"+18005551212\"/><Meta name=\"e\" value=\"\"/>"
        + "<Meta name=\"f\" value=\"99999999999999999999\"/>");
    assertEquals(Boolean.TRUE, at(f, 0, Meta.class).value());
    assertEquals(-12L, at(f, 1, Meta.class).value());
    assertEquals(-1.5, at(f, 2, Meta.class).value());
    assertEquals("+18005551212", at(f, 3, Meta.class).value());
    assertEquals("", at(f, 4, Meta.class).value());
    assertEquals("99999999999999999999", at(f, 5, Meta.class).value(), "too big for a long: kept as text");
  }

  /** {@code tag} is accepted on every verb and lands in the model. */
  @ParameterizedTest
  @ValueSource(strings = {
      "<Answer tag=\"t\"/>", "<Hangup tag=\"t\"/>", "<Reject tag=\"t\"/>", "<Say tag=\"t\">x</Say>",
      "<Play tag=\"t\" url=\"https://x\"/>", "<Pause tag=\"t\"/>", "<Record tag=\"t\"/>", "<RecordStart tag=\"t\"/>",
      "<RecordStop tag=\"t\"/>", "<RecordWait tag=\"t\"/>", "<Gather tag=\"t\"/>", "<Dial tag=\"t\"><To>1</To></Dial>",
      "<Callback tag=\"t\" url=\"https://x\"/>", "<Redirect tag=\"t\">https://x</Redirect>",
      "<Call tag=\"t\" field=\"to\" value=\"1\"/>", "<Geo tag=\"t\"/>", "<Schedule tag=\"t\"/>",
      "<Scheduler tag=\"t\"/>", "<Hold tag=\"t\"/>", "<Unhold tag=\"t\"/>", "<Tone tag=\"t\"/>",
      "<Curl tag=\"t\" url=\"https://x\"/>"})
  void tagIsAcceptedOnEveryVerb(String verb) throws FlowXmlException {
    assertEquals("t", single(verb, Verb.class).tag());
  }

  @Test
  void blocksAndBranchesKeepTheirTags() throws FlowXmlException {
    Gather g = single("<Gather><DTMF value=\"1\" tag=\"b\"/><Default tag=\"d\"/><Error tag=\"e\"/></Gather>",
        Gather.class);
    assertEquals("b", g.branches().get(0).tag());
    assertEquals("d", g.onDefault().tag());
    assertEquals("e", g.onError().tag());
  }

  @Test
  void commentsProcessingInstructionsCdataAndEntitiesAreHandled() throws FlowXmlException {
    CallFlow f = FlowXmlParser.parse("\uFEFF<?xml version=\"1.0\"?><!-- a --><?app hint?><Response><!-- b -->"
        + "<Say><![CDATA[Tom & Jerry]]></Say><Say>a &amp; b &#65;</Say></Response>");
    assertEquals("Tom & Jerry", at(f, 0, Say.class).text());
    assertEquals("a & b A", at(f, 1, Say.class).text());
    assertFalse(f.body().isEmpty());
    assertTrue(f.body().stream().allMatch(n -> n instanceof Say));
  }
}
