package io.openvoice.bench;

import io.openvoice.flow.Action;
import io.openvoice.flow.FlowContext;
import io.openvoice.flow.FlowEngine;
import io.openvoice.flow.Outcome;
import io.openvoice.flow.Step;
import io.openvoice.geo.GeoLookup;
import io.openvoice.xml.CallFlow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One call through a parsed flow, the way a call entity drives the pure interpreter: start, then feed the outcome of
 * each pending action (media done, the caller's digits, an HTTP 200, a dial answered then hung up by the callee)
 * until the flow ends. A "step" is one transition of the interpreter: the start, or one outcome applied.
 */
final class FlowScenario {
  /** A Wednesday noon: the large document's business-hours Schedule lets the call in. */
  static final Instant NOW = Instant.parse("2024-01-03T12:00:00Z");
  static final FlowContext CTX = new FlowContext("call-1", "app-1", "+12025550111", "+12025550100", "12025550100",
      "in", ZoneOffset.UTC, false, GeoLookup.NONE);
  private static final int MAX_STEPS = 1000;

  final CallFlow flow;
  private final String[] digits;

  FlowScenario(CallFlow flow, String... digits) {
    this.flow = flow;
    this.digits = digits;
  }

  /** The scenario of each benchmark document: the large one goes support → product 10 → survey 5. */
  static FlowScenario of(String doc) {
    CallFlow flow = Docs.parse(Docs.load(doc));
    return switch (doc) {
      case "small" -> new FlowScenario(flow);
      case "large" -> new FlowScenario(flow, "2", "10", "5");
      default -> throw new IllegalArgumentException(doc);
    };
  }

  /** The caller and the far end: the outcome each action gets. Holds one run's position in the script. */
  final class Responder {
    private int digit;
    private boolean bridged;

    Outcome respond(Action a) {
      if (a instanceof Action.Collect) {
        String d = digit < digits.length ? digits[digit++] : "";
        return new Outcome.Digits(a.seq(), d, d.isEmpty() ? "timeout" : "max_digits");
      }
      if (a instanceof Action.Fetch) return new Outcome.HttpResult(a.seq(), 200, "{}", null);
      if (a instanceof Action.Dial d) {
        if (bridged) {
          bridged = false;
          return new Outcome.DialEnded(a.seq(), true, "callee_hangup", 16);
        }
        bridged = true;
        return new Outcome.DialAnswered(a.seq(), "leg-1", d.targets().get(0).value());
      }
      return new Outcome.Done(a.seq());
    }
  }

  /** Runs the call through the interpreter; returns the number of steps. */
  int run() {
    FlowEngine engine = new FlowEngine(CTX);
    Responder responder = new Responder();
    Step step = engine.start(flow, NOW);
    int steps = 1;
    long actions = step.actions().size();
    while (!engine.ended() && engine.pending() != null) {
      step = engine.apply(responder.respond(engine.pending()), NOW);
      actions += step.actions().size();
      if (++steps > MAX_STEPS) throw new IllegalStateException("the flow did not end in " + MAX_STEPS + " steps");
    }
    if (!engine.ended()) throw new IllegalStateException("the flow stopped without ending (nothing pending)");
    return actions > 0 ? steps : 0;
  }

  /** The actions the interpreter waited on, in order, with the final step's: what the reference replays. */
  List<Action> recordPending() {
    FlowEngine engine = new FlowEngine(CTX);
    Responder responder = new Responder();
    engine.start(flow, NOW);
    List<Action> out = new ArrayList<>();
    while (!engine.ended() && engine.pending() != null) {
      Action a = engine.pending();
      out.add(a);
      engine.apply(responder.respond(a), NOW);
    }
    return out;
  }
}
