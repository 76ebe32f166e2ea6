package io.openvoice.xml;

import static io.openvoice.xml.FlowBuilder.attributeOrContent;
import static io.openvoice.xml.FlowBuilder.childPath;
import static io.openvoice.xml.FlowBuilder.rejectChildren;
import static io.openvoice.xml.FlowBuilder.rejectText;
import static io.openvoice.xml.FlowBuilder.src;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds one verb from its element: reads its attributes, applies every default, and collects its children. */
final class VerbBuilder {
  private static final List<String> LEGS = List.of("aleg", "bleg", "both");
  private static final List<String> CALLBACK_METHODS = List.of("POST", "GET", "PATCH", "DELETE");
  private static final List<String> GATHER_METHODS = List.of("GET", "POST");
  private static final List<String> CURL_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  private static final List<String> CALL_OPS = List.of("eq", "ne", "lt", "le", "gt", "ge", "prefix", "contains");
  private static final List<String> PROMPTS = List.of("Say", "Play", "Pause", "Tone");
  private static final List<String> GATHER_CHILDREN =
      FlowBuilder.concat(PROMPTS, List.of("DTMF", "Switch", "Default", "Error", "Meta"));
  private static final List<String> SWITCH_CHILDREN = List.of("Case", "Default", "Error");
  private static final List<String> DIAL_CHILDREN = List.of("To", "Sip", "Number", "Error", "Meta");
  private static final List<String> CURL_CHILDREN = List.of("Header", "Error", "Meta");

  private final FlowBuilder flow;

  VerbBuilder(FlowBuilder flow) {
    this.flow = flow;
  }

  /** {@code el} is a verb (see {@link Names#VERBS}); {@code path} its path. */
  Verb build(XmlElement el, String path) throws FlowXmlException {
    return switch (Names.canonical(el)) {
      case "Answer" -> answer(el, path);
      case "Hangup" -> hangup(el, path);
      case "Reject" -> reject(el, path);
      case "Say" -> say(el, path);
      case "Play" -> play(el, path);
      case "Pause" -> pause(el, path);
      case "Record" -> record(el, path);
      case "RecordStart" -> recordStart(el, path);
      case "RecordStop" -> recordStop(el, path);
      case "RecordWait" -> recordWait(el, path);
      case "Gather" -> gather(el, path);
      case "Dial" -> dial(el, path);
      case "Callback" -> callback(el, path, false);
      case "Redirect" -> callback(el, path, true);
      case "Call" -> call(el, path);
      case "Geo" -> geo(el, path);
      case "Schedule", "Scheduler" -> schedule(el, path);
      case "Hold" -> hold(el, path);
      case "Unhold" -> unhold(el, path);
      case "Tone" -> tone(el, path);
      case "Curl" -> curl(el, path);
      default -> throw new IllegalStateException("not a verb: " + el.name());
    };
  }

  private Verb answer(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "delay");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.Answer(src(el, path), a.duration(0, "delay"), a.tag(), x.onError, x.metas);
  }

  /** {@code cause} is a Q.850 code; a numeric {@code reason} is a cause too, any other reason is free text. */
  private Verb hangup(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "cause", "reason");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    int cause = a.intInRange(16, 1, 127, "cause");
    String reason = a.optional("reason");
    if (reason != null && reason.chars().allMatch(Character::isDigit)) {
      if (a.has("cause")) throw el.error("attributes 'cause' and 'reason' both give a cause; give only one");
      cause = a.intInRange(16, 1, 127, "reason");
      reason = null;
    }
    return new Verb.Hangup(src(el, path), cause, reason, a.tag(), x.onError, x.metas);
  }

  private Verb reject(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "reason");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    String reason = a.oneOf("rejected", List.of("rejected", "busy"), "reason");
    return new Verb.Reject(src(el, path), reason, a.tag(), x.onError, x.metas);
  }

  private Verb say(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "text", "type", "gender", "code", "lang", "loop", "leg");
    FlowBuilder.Extras x = flow.extras(el, path, true);
    String text = attributeOrContent(a, "text");
    if (text == null) throw el.error("<" + el.name() + "> needs text: a 'text' attribute or text content");
    String lang = a.optional("lang");
    return new Verb.Say(src(el, path), text,
        a.oneOf("Standard", List.of("Standard", "WaveNet"), "type"),
        a.oneOf("FEMALE", List.of("FEMALE", "MALE"), "gender"),
        a.optional("code"),
        lang == null ? "en-US" : lang,
        a.nonNegativeInt(1, "loop"),
        a.oneOf("aleg", LEGS, "leg"),
        a.tag(), x.onError, x.metas);
  }

  private Verb play(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "url", "record", "loop", "leg");
    FlowBuilder.Extras x = flow.extras(el, path, true);
    String url = attributeOrContent(a, "url");
    String record = a.optional("record");
    if (url == null && record == null) {
      throw el.error("<" + el.name() + "> needs a url (attribute or text content) or a 'record' attribute");
    }
    if (url != null && record != null) {
      throw el.error("<" + el.name() + "> takes either a url or a 'record' attribute, not both");
    }
    return new Verb.Play(src(el, path), url, record, a.nonNegativeInt(1, "loop"), a.oneOf("aleg", LEGS, "leg"),
        a.tag(), x.onError, x.metas);
  }

  private Verb pause(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "length", "dtmf_stop");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.Pause(src(el, path), a.duration(1000, "length"), stopKey(a), a.tag(), x.onError, x.metas);
  }

  private static String stopKey(AttributeReader a) throws FlowXmlException {
    XmlElement.Attr stop = a.find("dtmf_stop");
    return stop == null ? null : Values.finishKeys(a, stop);
  }

  /** The children of {@code <Record>} are its body (the recording window); Error → onError, Meta → metas. */
  private Verb record(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "asr", "timeout", "format", "leg", "beep", "dtmf_stop");
    FlowBuilder.Extras x = flow.new Extras();
    List<Node> body = flow.body(el, path, x);
    return new Verb.Record(src(el, path), a.tag(), a.bool(false, "asr"), a.duration(60_000, "timeout"),
        a.oneOf("wav", List.of("wav", "mp3"), "format"), a.oneOf("both", LEGS, "leg"), a.bool(false, "beep"),
        stopKey(a), body, x.onError, x.metas);
  }

  private Verb recordStart(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "leg", "format", "stereo", "asr", "timeout");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.RecordStart(src(el, path), a.tag(), a.oneOf("both", LEGS, "leg"),
        a.oneOf("wav", List.of("wav", "mp3"), "format"), a.bool(false, "stereo"), a.bool(false, "asr"),
        a.duration(0, "timeout"), x.onError, x.metas);
  }

  private Verb recordStop(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el);
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.RecordStop(src(el, path), a.tag(), x.onError, x.metas);
  }

  private Verb recordWait(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "timeout");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.RecordWait(src(el, path), a.tag(), a.duration(60_000, "timeout"), x.onError, x.metas);
  }

  /** Gather state collected from its children (and those of its {@code <Switch>}). */
  private static final class GatherParts {
    final List<Verb> prompts = new ArrayList<>();
    final List<Verb.Branch> branches = new ArrayList<>();
    final Map<String, Verb.Branch> byValue = new HashMap<>();
    Block onDefault;
    Block onError;
    final List<Meta> metas = new ArrayList<>();
  }

  /** All three syntaxes: DTMF branches; Switch/Case; the old numDigits/callback form. */
  private Verb gather(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "dtmf_length", "numDigits", "length", "dtmf_stop",
        "finishOnKey", "timeout", "attempts", "url", "callback", "method");
    XmlElement.Attr digits = a.find("dtmf_length", "numDigits", "length");
    XmlElement.Attr finish = a.find("dtmf_stop", "finishOnKey");
    String finishKey = finish == null ? "#" : Values.finishKeys(a, finish);
    rejectText(el);

    GatherParts g = new GatherParts();
    List<XmlElement> kids = el.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      String cpath = childPath(path, child, i);
      String c = Names.canonical(child);
      if (Names.kind(child) == Names.Kind.VERB && PROMPTS.contains(c)) {
        g.prompts.add(build(child, cpath));
      } else if (c.equals("DTMF")) {
        addBranch(g, el, branch(child, cpath, "value"));
      } else if (c.equals("Switch")) {
        switchCases(g, el, child, cpath);
      } else if (c.equals("Default")) {
        g.onDefault = FlowBuilder.once(el, g.onDefault, flow.block(child, cpath, Block.Kind.DEFAULT));
      } else if (c.equals("Error")) {
        g.onError = FlowBuilder.once(el, g.onError, flow.block(child, cpath, Block.Kind.ERROR));
      } else if (c.equals("Meta")) {
        g.metas.add(flow.meta(child, cpath));
      } else if (Names.kind(child) == Names.Kind.VERB) {
        throw child.error("<" + child.name() + "> is not allowed inside <" + el.name() + ">; a Gather holds prompts"
            + " (Say, Play, Pause, Tone), DTMF branches, Switch, Default, Error and Meta");
      } else {
        throw Names.misplaced(child, el, GATHER_CHILDREN);
      }
    }

    int maxDigits;
    if (digits != null) {
      maxDigits = a.nonNegativeInt(0, digits.name());
    } else if (finish != null && finishKey != null) {
      maxDigits = 0;
    } else {
      maxDigits = g.branches.stream().mapToInt(b -> b.value().length()).max().orElse(1);
    }
    String url = a.optional("url", "callback");
    return new Verb.Gather(src(el, path), maxDigits, finishKey, a.duration(5000, "timeout"),
        a.positiveInt(1, "attempts"), url, a.oneOf("GET", GATHER_METHODS, "method"), a.tag(), g.prompts,
        g.branches, g.onDefault, g.onError, g.metas);
  }

  private void switchCases(GatherParts g, XmlElement gather, XmlElement sw, String path) throws FlowXmlException {
    new AttributeReader(sw);
    rejectText(sw);
    List<XmlElement> kids = sw.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      String cpath = childPath(path, child, i);
      switch (Names.canonical(child)) {
        case "Case" -> addBranch(g, sw, branch(child, cpath, "dtmf"));
        case "Default" -> g.onDefault = FlowBuilder.once(gather, g.onDefault,
            flow.block(child, cpath, Block.Kind.DEFAULT));
        case "Error" -> g.onError = FlowBuilder.once(gather, g.onError, flow.block(child, cpath, Block.Kind.ERROR));
        default -> throw Names.misplaced(child, sw, SWITCH_CHILDREN);
      }
    }
  }

  private static void addBranch(GatherParts g, XmlElement parent, Verb.Branch b) throws FlowXmlException {
    Verb.Branch prev = g.byValue.putIfAbsent(b.value(), b);
    if (prev != null) {
      throw new FlowXmlException(b.src().line(), b.src().column(), b.src().name(), "<" + parent.name()
          + "> has two branches for '" + b.value() + "'; the first is at line " + prev.src().line() + ", column "
          + prev.src().column());
    }
    g.branches.add(b);
  }

  /** {@code <DTMF value>} or {@code <Case dtmf>}: a branch whose children are a sequence. */
  private Verb.Branch branch(XmlElement el, String path, String valueAttr) throws FlowXmlException {
    AttributeReader a = new AttributeReader(el, valueAttr, "tag");
    XmlElement.Attr v = a.find(valueAttr);
    if (v == null) throw el.error("attribute '" + valueAttr + "' is required (the digits this branch answers)");
    String value = Values.dtmfKeys(a, v);
    return new Verb.Branch(src(el, path), value, a.tag(), flow.sequence(el, path));
  }

  private Verb dial(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "timeout", "callerId", "record", "timeLimit");
    rejectText(el);
    FlowBuilder.Extras x = flow.new Extras();
    List<Verb.DialTarget> targets = new ArrayList<>();
    List<XmlElement> kids = el.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      String cpath = childPath(path, child, i);
      if (x.take(el, child, cpath)) continue;
      switch (Names.canonical(child)) {
        case "To", "Sip", "Number" -> targets.add(target(child, cpath));
        default -> throw Names.misplaced(child, el, DIAL_CHILDREN);
      }
    }
    if (targets.isEmpty()) {
      throw el.error("<" + el.name() + "> needs at least one target: a <To>, <Sip> or <Number> child");
    }
    return new Verb.Dial(src(el, path), targets, a.duration(30_000, "timeout"), a.optional("callerId"),
        a.oneOf("do-not-record", List.of("do-not-record", "record-from-answer"), "record"),
        a.duration(0, "timeLimit"), a.tag(), x.onError, x.metas);
  }

  private static Verb.DialTarget target(XmlElement el, String path) throws FlowXmlException {
    new AttributeReader(el);
    rejectChildren(el, "the target as text");
    String value = FlowBuilder.content(el);
    if (value == null) {
      throw el.error("<" + el.name() + "> is empty; it must hold a SIP URI, user@domain or a phone number");
    }
    Verb.TargetKind kind = Values.targetKind(value);
    if (kind == null) {
      throw new FlowXmlException(el.textLine(), el.textColumn(), el.name(), "'" + XmlTreeReader.snippet(value)
          + "' is not a dial target; expected a SIP URI (sip:user@host), user@domain or a phone number"
          + " (digits, optional leading +)");
    }
    return new Verb.DialTarget(src(el, path), kind, value);
  }

  /** {@code <Callback>} (url attribute or text) and the legacy {@code <Redirect method>URL</Redirect>}. */
  private Verb callback(XmlElement el, String path, boolean redirect) throws FlowXmlException {
    AttributeReader a = redirect ? AttributeReader.forVerb(el, "url", "method")
        : AttributeReader.forVerb(el, "url", "method", "body", "timeout");
    FlowBuilder.Extras x = flow.extras(el, path, true);
    String url = attributeOrContent(a, "url");
    if (url == null) throw el.error("<" + el.name() + "> needs a URL: a 'url' attribute or text content");
    return new Verb.Callback(src(el, path), url, a.oneOf("POST", CALLBACK_METHODS, "method"),
        !redirect && a.bool(false, "body"), redirect ? 10_000 : a.duration(10_000, "timeout"), a.tag(),
        x.onError, x.metas);
  }

  /** Call, Geo and Schedule: all children are the body (an Error child is a sibling handler in it). */
  private Verb call(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "field", "value", "op");
    String field = a.required("field");
    String value = a.string("value");
    String op = a.oneOf("eq", CALL_OPS, "op");
    return new Verb.Call(src(el, path), field, value, op, flow.sequence(el, path), a.tag(), null, List.of());
  }

  private Verb geo(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "states", "county");
    XmlElement.Attr states = a.find("states");
    Set<String> codes = states == null ? Set.of() : Values.states(a, states);
    String county = a.optional("county");
    return new Verb.Geo(src(el, path), codes, county == null ? null : county.toUpperCase(Locale.ROOT),
        flow.sequence(el, path), a.tag(), null, List.of());
  }

  private Verb schedule(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "dow", "time", "tz");
    XmlElement.Attr dow = a.find("dow");
    Set<DayOfWeek> days = dow == null ? Set.of() : Values.days(a, dow);
    XmlElement.Attr time = a.find("time");
    LocalTime[] range = time == null || time.value().isBlank() ? new LocalTime[2] : Values.timeRange(a, time);
    XmlElement.Attr tz = a.find("tz");
    String zone = tz == null || tz.value().isBlank() ? null : Values.zone(a, tz);
    return new Verb.Schedule(src(el, path), days, range[0], range[1], zone, flow.sequence(el, path), a.tag(),
        null, List.of());
  }

  private Verb hold(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "timeout", "url");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.Hold(src(el, path), a.duration(300_000, "timeout"), a.optional("url"), a.tag(), x.onError,
        x.metas);
  }

  private Verb unhold(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el);
    FlowBuilder.Extras x = flow.extras(el, path, false);
    return new Verb.Unhold(src(el, path), a.tag(), x.onError, x.metas);
  }

  private Verb tone(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "hz", "don", "doff", "loop", "volume", "v", "timeout", "leg");
    FlowBuilder.Extras x = flow.extras(el, path, false);
    XmlElement.Attr hz = a.find("hz");
    List<Integer> freqs = hz == null ? List.of(440) : Values.toneHz(a, hz);
    return new Verb.Tone(src(el, path), freqs, a.duration(1000, "don"), a.duration(0, "doff"),
        a.nonNegativeInt(1, "loop"), a.intInRange(0, -100, 0, "volume", "v"), a.duration(30_000, "timeout"),
        a.oneOf("aleg", LEGS, "leg"), a.tag(), x.onError, x.metas);
  }

  private Verb curl(XmlElement el, String path) throws FlowXmlException {
    AttributeReader a = AttributeReader.forVerb(el, "url", "method", "timeout", "body", "async", "execute");
    String url = a.required("url");
    String body = attributeOrContent(a, "body");
    FlowBuilder.Extras x = flow.new Extras();
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, XmlElement> seen = new HashMap<>();
    List<XmlElement> kids = el.children();
    for (int i = 0; i < kids.size(); i++) {
      XmlElement child = kids.get(i);
      if (x.take(el, child, childPath(path, child, i))) continue;
      if (!Names.is(child, "Header")) throw Names.misplaced(child, el, CURL_CHILDREN);
      AttributeReader h = new AttributeReader(child, "name", "value");
      String name = h.required("name");
      rejectChildren(child, "its value");
      String value = attributeOrContent(h, "value");
      XmlElement prev = seen.put(name.toLowerCase(Locale.ROOT), child);
      if (prev != null) {
        throw child.error("header '" + name + "' is given twice; the first is at line " + prev.line() + ", column "
            + prev.column());
      }
      headers.put(name, value == null ? "" : value);
    }
    return new Verb.Curl(src(el, path), url, a.oneOf("GET", CURL_METHODS, "method"), a.duration(10_000, "timeout"),
        body, headers, a.bool(false, "async"), a.bool(false, "execute"), a.tag(), x.onError, x.metas);
  }
}
