package io.openvoice.xml;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Documents that must not run: each is rejected with a {@link FlowXmlException} that says where (line, column,
 * element) and what is wrong. Hostile documents (entities, DTDs, huge or deep documents) are refused before anything
 * is expanded or read in full.
 */
class MalformedAndHostileDocumentsTest {

  private static final String XXE = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE Response [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
      <Response><Say>&xxe;</Say></Response>
      """;

  private static final String BILLION_LAUGHS = """
      <?xml version="1.0"?>
      <!DOCTYPE lolz [
       <!ENTITY lol "lol">
       <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
       <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
       <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
       <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
       <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
       <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
       <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
       <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
       <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
      ]>
      <Response><Say>&lol9;</Say></Response>
      """;

  private static final int TEN_MB = 10 * 1024 * 1024;

  /** {@code <Response>} padded with whitespace to exactly 10 MiB. */
  static String tenMegabyteDocument() {
    String open = "<Response>";
    String close = "</Response>";
    return open + " ".repeat(TEN_MB - open.length() - close.length()) + close;
  }

  /** 10 000 nested elements (Response and 9 999 Records). */
  static String deepDocument() {
    return "<Response>" + "<Record>".repeat(9_999) + "</Record>".repeat(9_999) + "</Response>";
  }

  /** Response plus 20 001 Pauses: one more than the default element limit allows... and then some. */
  static String wideDocument() {
    return "<Response>" + "<Pause/>".repeat(20_001) + "</Response>";
  }

  /** Wraps lines in a Response: line 1 is {@code <Response>}, the given lines start on line 2. */
  private static String doc(String... lines) {
    return "<Response>\n" + String.join("\n", lines) + "\n</Response>";
  }

  static Stream<Arguments> badDocuments() {
    return Stream.of(
        // name, document, line, column, element (null = the document), words the problem must contain
        bad("XXE external entity", XXE, 2, 1, null, "DTD is not allowed"),
        bad("billion laughs", BILLION_LAUGHS, 2, 1, null, "DTD is not allowed"),
        bad("any DOCTYPE", "<!DOCTYPE Response SYSTEM \"http://example.com/flow.dtd\">\n<Response/>", 1, 1, null,
            "DTD is not allowed"),
        bad("DOCTYPE after a comment", "<!-- hi -->\n  <!DOCTYPE Response>\n<Response/>", 2, 3, null,
            "DTD is not allowed"),
        bad("undeclared entity", doc("  <Say>Hello &name;</Say>"), 2, 14, "Say", "undeclared entity reference &name;"),
        bad("10 MB document", tenMegabyteDocument(), 0, 0, null,
            "document is " + TEN_MB + " characters, limit is 1000000"),
        bad("nesting depth 10 000", deepDocument(), 1, 11 + 63 * 8, "Record",
            "nested more than 64 levels deep"),
        bad("too many elements", wideDocument(), 1, 11 + 19_999 * 8, "Pause", "more than 20000 elements"),
        bad("unknown verb", doc("  <Say>Hi</Say>", "  <Dance/>"), 3, 3, "Dance",
            "unknown element <Dance>; expected one of Answer, Hangup, Reject, Say, Play"),
        bad("unknown element inside a verb", doc("  <Say>Hi<Foo/></Say>"), 2, 10, "Foo",
            "unknown element <Foo>; expected one of Error, Meta"),
        bad("bad duration", doc("  <Pause length=\"abc\"/>"), 2, 3, "Pause",
            "attribute 'length' must be a non-negative integer (milliseconds), got 'abc'"),
        bad("bad integer", doc("  <Gather numDigits=\"abc\"/>"), 2, 3, "Gather",
            "attribute 'numDigits' must be a non-negative integer, got 'abc'"),
        bad("negative length", doc("  <Pause length=\"-5\"/>"), 2, 3, "Pause",
            "attribute 'length' must be a non-negative integer (milliseconds), got '-5'"),
        bad("negative timeout", doc("  <Dial timeout=\"-1\"><To>123</To></Dial>"), 2, 3, "Dial",
            "attribute 'timeout' must be a non-negative integer (milliseconds), got '-1'"),
        bad("bad boolean", doc("  <Record asr=\"yes\"/>"), 2, 3, "Record",
            "attribute 'asr' must be true or false (or 1 or 0), got 'yes'"),
        bad("bad enumerated value", doc("  <Say leg=\"cleg\">Hi</Say>"), 2, 3, "Say",
            "attribute 'leg' must be one of aleg, bleg, both, got 'cleg'"),
        bad("unknown attribute", doc("  <Say voice=\"alice\">Hi</Say>"), 2, 3, "Say",
            "unknown attribute 'voice' on <Say>; allowed: code, gender, lang, leg, loop, tag, text, type"),
        bad("attribute given twice in two cases", doc("  <Gather numDigits=\"1\" numdigits=\"2\"/>"), 2, 3,
            "Gather", "attribute 'numdigits' is given twice"),
        bad("two aliases given", doc("  <Gather numDigits=\"1\" dtmf_length=\"2\"/>"), 2, 3, "Gather",
            "attributes 'dtmf_length' and 'numDigits' mean the same; give only one"),
        bad("Play with neither url nor record", doc("  <Play loop=\"2\"/>"), 2, 3, "Play",
            "<Play> needs a url (attribute or text content) or a 'record' attribute"),
        bad("Play with url and record", doc("  <Play url=\"https://x/a.wav\" record=\"r1\"/>"), 2, 3, "Play",
            "takes either a url or a 'record' attribute, not both"),
        bad("Play url as attribute and content", doc("  <Play url=\"https://x/a.wav\">https://x/b.wav</Play>"),
            2, 3, "Play", "give the url either as the 'url' attribute or as text content, not both"),
        bad("Say without text", doc("  <Say lang=\"es\"/>"), 2, 3, "Say", "<Say> needs text"),
        bad("Callback without url", doc("  <Callback method=\"GET\"/>"), 2, 3, "Callback",
            "<Callback> needs a URL"),
        bad("Meta without name", doc("  <Meta value=\"x\"/>"), 2, 3, "Meta", "attribute 'name' is required"),
        bad("Call without field", doc("  <Call value=\"1\"><Say>x</Say></Call>"), 2, 3, "Call",
            "attribute 'field' is required"),
        bad("Dial without target", doc("  <Dial>", "    <Error><Hangup/></Error>", "  </Dial>"), 2, 3, "Dial",
            "<Dial> needs at least one target: a <To>, <Sip> or <Number> child"),
        bad("bad dial target", doc("  <Dial>", "    <To>  call me maybe</To>", "  </Dial>"), 3, 11, "To",
            "'call me maybe' is not a dial target"),
        bad("empty dial target", doc("  <Dial><Number> </Number></Dial>"), 2, 9, "Number", "<Number> is empty"),
        bad("DTMF outside Gather", doc("  <DTMF value=\"1\"><Say>x</Say></DTMF>"), 2, 3, "DTMF",
            "<DTMF> is only allowed inside <Gather>"),
        bad("Case outside Switch", doc("  <Gather><Case dtmf=\"1\"/></Gather>"), 2, 11, "Case",
            "<Case> is only allowed inside <Switch>"),
        bad("Default at top level", doc("  <Say>x</Say>", "  <Default><Hangup/></Default>"), 3, 3, "Default",
            "<Default> is only allowed inside <Gather> or <Switch>"),
        bad("two Error children", doc("  <Play url=\"https://x/a.wav\">", "    <Error><Hangup/></Error>",
            "    <Error><Say>x</Say></Error>", "  </Play>"), 4, 5, "Error",
            "<Play> has more than one <Error>; the first is at line 3, column 5"),
        bad("two Defaults in Gather and Switch", doc("  <Gather><Default/><Switch><Default/></Switch></Gather>"),
            2, 29, "Default", "<Gather> has more than one <Default>"),
        bad("two branches for one value", doc("  <Gather><DTMF value=\"1\"/><DTMF value=\"1\"/></Gather>"), 2,
            28, "DTMF", "has two branches for '1'"),
        bad("verb inside Gather that is not a prompt", doc("  <Gather><Dial><To>1</To></Dial></Gather>"), 2, 11,
            "Dial", "<Dial> is not allowed inside <Gather>"),
        bad("root not Response", "<Flow>\n  <Say>Hi</Say>\n</Flow>", 1, 1, "Flow",
            "root element must be <Response>, got <Flow>"),
        bad("nested Response", doc("  <Response/>"), 2, 3, "Response", "only allowed as the root element"),
        bad("empty document", "", 1, 1, null, "document is empty"),
        bad("blank document", "  \n  ", 1, 1, null, "document is empty"),
        bad("text at top level", doc("  Hello there", "  <Say>Hi</Say>"), 2, 3, "Response",
            "text is not allowed inside <Response>: 'Hello there'"),
        bad("text inside Gather", doc("  <Gather>", "    press one", "  </Gather>"), 3, 5, "Gather",
            "text is not allowed inside <Gather>"),
        bad("unclosed tag", doc("  <Say>Hi", "  <Hangup/>"), 4, 3, "Say", "malformed XML"),
        bad("document cut short", "<Response>\n  <Say>Hi</Say>", 2, 16, "Response",
            "the document ends before <Response> (line 1, column 1) is closed"),
        bad("unquoted attribute", doc("  <Say text=hi/>"), 2, 13, "Say",
            "malformed XML: Open quote is expected for attribute \"text\""),
        bad("content after the root", "<Response/>\n<Response/>", 2, 2, null, "malformed XML"),
        bad("bad Schedule time", doc("  <Schedule time=\"25:00:00-26:00:00\"/>"), 2, 3, "Schedule",
            "attribute 'time' must be a range HH:MM:SS-HH:MM:SS"),
        bad("Schedule time over midnight", doc("  <Schedule time=\"22:00-06:00\"/>"), 2, 3, "Schedule",
            "starts after it ends"),
        bad("bad Schedule day", doc("  <Schedule dow=\"mon,funday\"/>"), 2, 3, "Schedule", "bad item 'funday'"),
        bad("bad tz", doc("  <Schedule tz=\"Mars/Olympus_Mons\"/>"), 2, 3, "Schedule",
            "attribute 'tz' must be a time-zone id"),
        bad("bad Tone hz", doc("  <Tone hz=\"440,abc\"/>"), 2, 3, "Tone", "bad item 'abc'"),
        bad("Tone hz repeated beyond the bound", doc("  <Tone hz=\"440x999\"/>"), 2, 3, "Tone",
            "lists more than 32 frequencies"),
        bad("Tone volume above 0", doc("  <Tone v=\"10\"/>"), 2, 3, "Tone",
            "attribute 'v' must be an integer from -100 to 0"),
        bad("bad Geo state", doc("  <Geo states=\"NJ,New York\"/>"), 2, 3, "Geo", "bad item 'New York'"),
        bad("Hangup cause out of range", doc("  <Hangup cause=\"500\"/>"), 2, 3, "Hangup",
            "attribute 'cause' must be an integer from 1 to 127"),
        bad("bad DTMF value", doc("  <Gather><DTMF value=\"1x\"/></Gather>"), 2, 11, "DTMF",
            "attribute 'value' must be DTMF keys"),
        bad("DTMF without value", doc("  <Gather><DTMF/></Gather>"), 2, 11, "DTMF", "attribute 'value' is required"),
        bad("attempts of zero", doc("  <Gather attempts=\"0\"/>"), 2, 3, "Gather", "must be at least 1"),
        bad("element inside Meta", doc("  <Meta name=\"a\"><Say>x</Say></Meta>"), 2, 18, "Say",
            "<Say> is not allowed inside <Meta>"),
        bad("duplicate Curl header", doc("  <Curl url=\"https://x\"><Header name=\"A\" value=\"1\"/>"
            + "<Header name=\"a\" value=\"2\"/></Curl>"), 2, 53, "Header", "header 'a' is given twice"),
        bad("attribute on Response", "<Response version=\"1\"/>", 1, 1, "Response",
            "unknown attribute 'version' on <Response>; it takes no attributes"));
  }

  private static Arguments bad(String name, String xml, int line, int column, String element, String problem) {
    return Arguments.of(name, xml, line, column, element, problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDocuments")
  void badDocumentIsRejectedWithPositionElementAndProblem(String name, String xml, int line, int column,
      String element, String problem) {
    FlowXmlException e = assertThrows(FlowXmlException.class, () -> FlowXmlParser.parse(xml));
    assertAll(name,
        () -> assertTrue(e.problem().contains(problem), "problem was: " + e.problem()),
        () -> assertEquals(line, e.line(), "line; message: " + e.getMessage()),
        () -> assertEquals(column, e.column(), "column; message: " + e.getMessage()),
        () -> assertEquals(element, e.element(), "element; message: " + e.getMessage()),
        () -> assertTrue(e.getMessage().endsWith(e.problem()), "message ends with the problem"));
  }

  @Test
  void externalEntityIsNeverResolved() {
    FlowXmlException e = assertThrows(FlowXmlException.class, () -> FlowXmlParser.parse(XXE));
    assertFalse(e.getMessage().contains("root:"), "no file content may leak: " + e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void entityBombIsRefusedBeforeAnyExpansion() {
    // Fully expanded this is 3 GB of "lol"; the DTD is refused at its first line, so nothing is expanded.
    FlowXmlException e = assertThrows(FlowXmlException.class, () -> FlowXmlParser.parse(BILLION_LAUGHS));
    assertFalse(e.getMessage().contains("lollol"), e.getMessage());
  }

  @Test
  void sizeIsCheckedBeforeParsingEvenForGarbage() {
    String garbage = "<".repeat(101);
    FlowXmlException e = assertThrows(FlowXmlException.class,
        () -> FlowXmlParser.parse(garbage, new FlowXmlParser.Limits(100, 64, 20_000)));
    assertEquals("document is 101 characters, limit is 100", e.problem());
    assertEquals(0, e.line());
    assertEquals("document is 101 characters, limit is 100", e.getMessage(), "no position for the whole document");
  }

  @Test
  void depthLimitComesFromTheGivenLimits() throws FlowXmlException {
    FlowXmlParser.Limits three = new FlowXmlParser.Limits(1_000_000, 3, 20_000);
    assertEquals(1, FlowXmlParser.parse("<Response><Geo><Say>x</Say></Geo></Response>", three).body().size());
    FlowXmlException e = assertThrows(FlowXmlException.class,
        () -> FlowXmlParser.parse("<Response><Geo><Geo><Say>x</Say></Geo></Geo></Response>", three));
    assertEquals("Say", e.element());
    assertTrue(e.problem().contains("nested more than 3 levels deep"), e.problem());
  }

  @Test
  void elementLimitComesFromTheGivenLimits() throws FlowXmlException {
    FlowXmlParser.Limits three = new FlowXmlParser.Limits(1_000_000, 64, 3);
    assertEquals(2, FlowXmlParser.parse("<Response><Answer/><Hangup/></Response>", three).body().size());
    FlowXmlException e = assertThrows(FlowXmlException.class,
        () -> FlowXmlParser.parse("<Response><Answer/><Say>x</Say><Hangup/></Response>", three));
    assertEquals("Hangup", e.element());
    assertEquals(1, e.line());
    assertEquals(32, e.column());
  }

  @Test
  void messageCarriesPositionAndElement() {
    FlowXmlException e = assertThrows(FlowXmlException.class,
        () -> FlowXmlParser.parse("<Response>\n  <Dance/>\n</Response>"));
    assertTrue(e.getMessage().startsWith("line 2, column 3: <Dance>: unknown element <Dance>"), e.getMessage());
  }
}
