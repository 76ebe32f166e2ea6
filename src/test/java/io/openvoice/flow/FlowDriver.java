package io.openvoice.flow;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.openvoice.geo.GeoLookup;
import io.openvoice.xml.CallFlow;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Drives a {@link FlowEngine} through a scenario: media actions finish ({@code Done}), Collect gets the scripted
 * digits (none left = timeout), Fetch gets the scripted HTTP result for its URL, Dial the scripted plan. Records
 * every action and event as short text, and every input, so tests read as scenarios and can be replayed.
 */
final class FlowDriver {
  static final String CALLER = "+12223334455";
  static final String CALLED = "+18382050099";

  /** One input fed to the engine, for replay. */
  record Input(Outcome outcome, Instant now) {}

  private final FlowEngine engine;
  private final List<String> actions = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<Action> rawActions = new ArrayList<>();
  private final List<FlowEvent> rawEvents = new ArrayList<>();
  private final List<Input> inputs = new ArrayList<>();
  private final Deque<String> digits = new ArrayDeque<>();
  private final Map<String, Deque<Outcome.HttpResult>> http = new HashMap<>();
  private final Map<String, Deque<IntFunction<Outcome>>> byPath = new HashMap<>();
  private final Deque<String[]> dials = new ArrayDeque<>();
  private final List<Step> steps = new ArrayList<>();
  private String dialBridged; // the target of a bridged Dial whose callee is still talking
  private Outcome.HttpResult anyHttp; // for URLs without a script, or null (then the test fails)
  private String anyDigits; // for Collects once the scripted digits are used, or null (no input)
  private boolean anyDialAnswers;
  Instant now = Instant.parse("2024-01-03T12:00:00Z"); // a Wednesday

  FlowDriver(FlowContext ctx) {
    this.engine = new FlowEngine(ctx);
  }

  FlowDriver() {
    this(ctx(false, GeoLookup.NONE));
  }

  static FlowContext ctx(boolean autoAnswer, GeoLookup geo) {
    return new FlowContext("call-1", "app-1", CALLER, CALLED, "18382050099", "in", ZoneOffset.UTC, autoAnswer, geo);
  }

  static FlowContext ctx(String from, String to, ZoneId zone) {
    return new FlowContext("call-1", "app-1", from, to, to, "in", zone, false, GeoLookup.NONE);
  }

  static CallFlow parse(String xml) {
    try {
      return FlowXmlParser.parse(xml);
    } catch (FlowXmlException e) {
      throw new AssertionError("test document does not parse: " + e.getMessage(), e);
    }
  }

  // ---- scripting ----

  /** Digits for the next Collect actions, in order; "" = no input (timeout). */
  FlowDriver digits(String... d) {
    digits.addAll(List.of(d));
    return this;
  }

  FlowDriver http(String url, int status, String body) {
    http.computeIfAbsent(url, u -> new ArrayDeque<>()).add(new Outcome.HttpResult(0, status, body, null));
    return this;
  }

  FlowDriver httpError(String url, String error) {
    http.computeIfAbsent(url, u -> new ArrayDeque<>()).add(new Outcome.HttpResult(0, 0, null, error));
    return this;
  }

  /** Every Fetch without a script gets this, every Collect without script these digits, every Dial answers. */
  FlowDriver anything(int status, String body, String digits) {
    anyHttp = new Outcome.HttpResult(0, status, body, null);
    anyDigits = digits;
    anyDialAnswers = true;
    return this;
  }

  /** The next action of the verb at this path gets this outcome instead of the default. */
  FlowDriver on(String path, IntFunction<Outcome> outcome) {
    byPath.computeIfAbsent(path, p -> new ArrayDeque<>()).add(outcome);
    return this;
  }

  FlowDriver failAt(String path, String reason) {
    return on(path, seq -> new Outcome.Failed(seq, reason));
  }

  /** The next Dial: bridged to the target, then the callee hangs up. */
  FlowDriver dialAnswered(String target) {
    dials.add(new String[] {target, null});
    return this;
  }

  /** The next Dial: nobody answers. */
  FlowDriver dialFails(String reason) {
    dials.add(new String[] {null, reason});
    return this;
  }

  // ---- running ----

  FlowDriver start(String xml) {
    return start(parse(xml));
  }

  FlowDriver start(CallFlow flow) {
    record(engine.start(flow, now));
    return this;
  }

  FlowDriver startFromUrl(String url, String method) {
    record(engine.startFromUrl(url, method, 5000, now));
    return this;
  }

  FlowDriver startParked() {
    record(engine.startParked(30_000, now));
    return this;
  }

  /** Feeds one outcome. */
  Step apply(Outcome o) {
    inputs.add(new Input(o, now));
    Step step = engine.apply(o, now);
    record(step);
    return step;
  }

  /** Answers pending actions by the script until the flow ends (or nothing is pending). */
  FlowDriver run() {
    for (int i = 0; i < 500; i++) {
      Action a = engine.pending();
      if (engine.ended() || a == null) {
        return this;
      }
      apply(respond(a));
    }
    return fail("the flow did not end in 500 steps: " + actions);
  }

  /** Answers exactly one pending action by the script. */
  FlowDriver next() {
    Action a = engine.pending();
    assertNotNull(a, "nothing pending");
    apply(respond(a));
    return this;
  }

  private Outcome respond(Action a) {
    Deque<IntFunction<Outcome>> custom = byPath.get(a.path());
    if (custom != null && !custom.isEmpty()) {
      return custom.poll().apply(a.seq());
    }
    if (a instanceof Action.Collect) {
      String d = !digits.isEmpty() ? digits.poll() : anyDigits != null ? anyDigits : "";
      return new Outcome.Digits(a.seq(), d, d.isEmpty() ? "timeout" : "max_digits");
    }
    if (a instanceof Action.Fetch f) {
      Deque<Outcome.HttpResult> q = http.get(f.url());
      Outcome.HttpResult r = q != null && !q.isEmpty() ? q.poll() : anyHttp;
      if (r == null) {
        return fail("no HTTP result scripted for " + f.url());
      }
      return new Outcome.HttpResult(a.seq(), r.status(), r.body(), r.error());
    }
    if (a instanceof Action.Dial) {
      if (dialBridged != null) {
        dialBridged = null;
        return new Outcome.DialEnded(a.seq(), true, "callee hung up", 16);
      }
      String[] plan = dials.poll();
      if (plan == null && anyDialAnswers) {
        plan = new String[] {((Action.Dial) a).targets().get(0).value(), null};
      }
      if (plan == null) {
        return fail("no Dial scripted");
      }
      if (plan[0] == null) {
        return new Outcome.DialEnded(a.seq(), false, plan[1], 19);
      }
      dialBridged = plan[0];
      return new Outcome.DialAnswered(a.seq(), "leg-1", plan[0]);
    }
    return new Outcome.Done(a.seq());
  }

  private void record(Step step) {
    steps.add(step);
    for (Action a : step.actions()) {
      rawActions.add(a);
      actions.add(text(a));
    }
    for (FlowEvent e : step.events()) {
      rawEvents.add(e);
      events.add(text(e));
    }
  }

  // ---- results ----

  FlowEngine engine() { return engine; }
  List<String> actions() { return actions; }
  List<String> events() { return events; }
  List<Action> rawActions() { return rawActions; }
  List<FlowEvent> rawEvents() { return rawEvents; }
  List<Input> inputs() { return inputs; }
  List<Step> steps() { return steps; }

  /** The Fetch actions emitted, in order. */
  List<Action.Fetch> fetches() {
    return rawActions.stream().filter(a -> a instanceof Action.Fetch).map(a -> (Action.Fetch) a)
        .collect(Collectors.toList());
  }

  /** The last action emitted. */
  Action last() {
    return rawActions.get(rawActions.size() - 1);
  }

  static String text(Action a) {
    if (a instanceof Action.Answer) return "Answer";
    if (a instanceof Action.Say s) return "Say(" + s.text() + ")";
    if (a instanceof Action.Play p) return p.url() != null ? "Play(" + p.url() + ")" : "Play(record:" + p.recordingTag() + ")";
    if (a instanceof Action.Pause p) return "Pause(" + p.lengthMs() + (p.dtmfStop() == null ? "" : "," + p.dtmfStop()) + ")";
    if (a instanceof Action.Tone t) return "Tone(" + t.hz().stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    if (a instanceof Action.Collect c) {
      return "Collect" + c.prompts().stream().map(FlowDriver::text).collect(Collectors.joining(",", "[", "]"));
    }
    if (a instanceof Action.Hold) return "Hold";
    if (a instanceof Action.Unhold) return "Unhold";
    if (a instanceof Action.RecordStart r) return "RecordStart(" + r.tag() + ")";
    if (a instanceof Action.RecordStop r) return "RecordStop(" + r.tag() + ")";
    if (a instanceof Action.RecordWait r) return "RecordWait(" + r.tag() + ")";
    if (a instanceof Action.Dial d) {
      return "Dial(" + d.targets().stream().map(Action.Dial.Target::value).collect(Collectors.joining(",")) + ")";
    }
    if (a instanceof Action.Fetch f) return "Fetch(" + f.purpose() + " " + f.method() + " " + f.url() + ")";
    if (a instanceof Action.Notify n) return "Notify(" + n.method() + " " + n.url() + ")";
    if (a instanceof Action.Park) return "Park";
    if (a instanceof Action.Hangup h) return "Hangup(" + h.cause() + "," + h.reason() + ")";
    if (a instanceof Action.Reject r) return "Reject(" + r.reason() + ")";
    return a.toString();
  }

  static String text(FlowEvent e) {
    String s = e.command() + "@" + e.path() + " " + e.phase();
    if (e.phase() == FlowEvent.Phase.FINISHED) {
      s += e.success() ? " ok" : " FAILED";
    }
    return e.reason() == null ? s : s + ": " + e.reason();
  }
}
