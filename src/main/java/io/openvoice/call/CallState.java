package io.openvoice.call;

import io.openvoice.flow.Action;
import io.openvoice.flow.FlowContext;
import io.openvoice.flow.FlowEngine;
import io.openvoice.flow.FlowEvent;
import io.openvoice.flow.Outcome;
import io.openvoice.flow.Step;
import io.openvoice.geo.GeoLookup;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The state of one call, rebuilt from its journal by replaying {@link CallEntity.Event}s through the
 * (deterministic) interpreter. Mutable, owned by the call entity; the event handler is the only writer.
 * Things to publish are queued in {@link #outbox} and sent by the entity after the event is persisted (never
 * during replay).
 */
final class CallState {
  /** An event to publish once persisted: a state change or a flow step, with the call as it was then. */
  record Publication(String type, String state, FlowEvent flow, CallView call) {}

  CallSpec spec;
  FlowEngine engine;
  String state = "none";
  Instant createdOn, modifiedOn, ringOn, answerOn, hangupOn, destroyOn;
  Integer cause;
  String endReason;
  /** When the currently pending action was issued (for resuming it after a failover). */
  Instant pendingSince;
  /** The actions produced by the last applied event, to perform after persisting. */
  List<Action> lastActions = List.of();
  final List<FlowEvent> flowLog = new ArrayList<>();
  /** Every state change and flow step in order: the simulator's trace and the call detail API. */
  final List<CallEntity.TraceEntry> trace = new ArrayList<>();
  final List<Publication> outbox = new ArrayList<>();

  /** How long a control command's idempotency key is remembered. */
  static final java.time.Duration COMMAND_WINDOW = java.time.Duration.ofSeconds(60);
  /** Idempotency keys of control commands carried out, with when (only the last {@link #COMMAND_WINDOW}). */
  private final java.util.Map<String, Instant> commands = new java.util.HashMap<>();

  void onCommandSeen(String commandId, Instant at) {
    commands.values().removeIf(t -> t.isBefore(at.minus(COMMAND_WINDOW)));
    commands.put(commandId, at);
  }

  /** Whether a command with this key was carried out within the window before {@code now}. */
  boolean commandSeen(String commandId, Instant now) {
    Instant t = commands.get(commandId);
    return t != null && !t.isBefore(now.minus(COMMAND_WINDOW));
  }

  boolean started() { return spec != null; }

  boolean ended() { return "destroyed".equals(state) || "failed".equals(state); }

  /** A dialled leg: no flow; its life is reported by the edge that dials it. */
  boolean isLeg() { return spec != null && spec.source().kind() == CallSpec.FlowSource.Kind.LEG; }

  /**
   * A call the platform placed ({@code direction "out"}, not a dialled leg): its flow starts when the far end
   * answers (LegAnswered); until then {@link #engine} is null and the call rings.
   */
  boolean placed() {
    return spec != null && "out".equals(spec.direction()) && spec.source().kind() != CallSpec.FlowSource.Kind.LEG;
  }

  /**
   * Why this call cannot be bridged with another now, or null when it can: it must be answered and live, not a
   * dialled leg, not bridged already and not in a Dial.
   */
  String whyNotBridgeable() {
    if (ended()) return "is not live (" + state + ")";
    if (isLeg()) return "is a dialled leg of call " + spec.parentCallId();
    if (engine == null || !engine.answered() || answerOn == null) return "is not answered yet";
    if ("bridged".equals(state)) return "is bridged already";
    if (engine.pending() instanceof Action.Dial) return "is dialling";
    return null;
  }

  /** The action the flow waits for, or null (also for a leg, which has no flow). */
  Action pending() { return engine == null ? null : engine.pending(); }

  /**
   * Applies one journal event (the entity's event handler, and the call-log projection's replay). A defect in the
   * interpreter ends the call ({@link #failInternally}); the exception is returned for logging, else null.
   */
  RuntimeException apply(CallEntity.Event e) {
    if (e instanceof CallEntity.CommandSeen c) { // bookkeeping of idempotency keys: no flow step
      onCommandSeen(c.commandId(), c.at());
      return null;
    }
    Instant at = e instanceof CallEntity.Started st ? st.at() : ((CallEntity.Fed) e).at();
    try {
      if (e instanceof CallEntity.Started st) {
        onStarted(st.spec(), st.at(), st.callerGeo());
      } else {
        onFed(((CallEntity.Fed) e).outcome(), at);
      }
      return null;
    } catch (RuntimeException bug) {
      failInternally(bug, at);
      return bug;
    }
  }

  /** A placed call's caller geography, for the flow it starts when answered. */
  private GeoLookup placedGeo;

  void onStarted(CallSpec s, Instant at, GeoLookup.GeoInfo callerGeo) {
    GeoLookup geo = number -> java.util.Optional.ofNullable(callerGeo); // only the caller is ever looked up
    placedGeo = geo;
    spec = s;
    createdOn = modifiedOn = at;
    engine = new FlowEngine(new FlowContext(s.callId(), s.app() == null ? null : s.app().uuid(), s.from(), s.to(),
        s.tn(), s.direction(), zone(s.timeZone()), s.app() != null && s.app().autoAnswer(), geo));
    transition("init", at);
    if ("in".equals(s.direction()) || "out".equals(s.direction())) { // an INVITE is out or in: it rings
      ringOn = at;
      transition("ringing", at);
    }
    if (s.source().kind() == CallSpec.FlowSource.Kind.LEG || placed()) {
      engine = null;
      lastActions = List.of();
      return;
    }
    startFlow(s, at);
  }

  /** Runs the call's flow from its source (hosted XML, the call-flow URL, or parked). */
  private void startFlow(CallSpec s, Instant at) {
    Step step;
    CallSpec.FlowSource src = s.source();
    switch (src.kind()) {
      case URL -> step = engine.startFromUrl(src.url(), src.method(), src.timeoutMs(), at);
      case PARKED -> step = engine.startParked(src.timeoutMs(), at);
      default -> {
        try {
          step = engine.start(FlowXmlParser.parse(src.xml()), at);
        } catch (FlowXmlException e) {
          // the hosted document was validated when saved; a bad one here still ends the call cleanly
          FlowEvent bad = new FlowEvent("", "Response", FlowEvent.Phase.FINISHED, false, e.getMessage(), null, java.util.Map.of());
          flowLog.add(bad);
          trace.add(new CallEntity.TraceEntry(at, "call_flow", state, bad));
          outbox.add(new Publication("call_flow", state, bad, null));
          finish(Q850.NORMAL_TEMPORARY_FAILURE, "bad call flow: " + e.getMessage(), at);
          lastActions = List.of(new Action.Hangup(0, "", Q850.NORMAL_TEMPORARY_FAILURE, "bad call flow"));
          return;
        }
      }
    }
    absorb(step, at, null);
  }

  void onFed(Outcome outcome, Instant at) {
    modifiedOn = at;
    if (ended()) {
      lastActions = List.of();
      return;
    }
    if (isLeg()) {
      onLegFed(outcome, at);
      return;
    }
    if (engine == null && placed()) { // still ringing: the answer starts the flow, anything else ends the call
      lastActions = List.of();
      if (outcome instanceof Outcome.LegAnswered) {
        engine = new FlowEngine(new FlowContext(spec.callId(), spec.app() == null ? null : spec.app().uuid(),
            spec.from(), spec.to(), spec.tn(), spec.direction(), zone(spec.timeZone()), true, placedGeo));
        startFlow(spec, at);
      } else if (outcome instanceof Outcome.CallEnded ce) {
        finish(ce.cause(), ce.reason(), at);
      }
      return;
    }
    Action before = engine.pending();
    Step step = engine.apply(outcome, at);
    if (outcome instanceof Outcome.DialAnswered || outcome instanceof Outcome.Joined) {
      transition("bridged", at);
    } else if ("bridged".equals(state) && engine.pending() != before && !engine.ended()) {
      transition("live", at); // the Dial or Join that bridged it is over (ended, cancelled by pushed XML)
    }
    absorb(step, at, outcome);
  }

  private void onLegFed(Outcome outcome, Instant at) {
    lastActions = List.of();
    if (outcome instanceof Outcome.LegAnswered && answerOn == null) {
      answerOn = at;
      transition("live", at);
      transition("bridged", at);
    } else if (outcome instanceof Outcome.CallEnded ce) {
      finish(ce.cause(), ce.reason(), at);
    }
  }

  private void absorb(Step step, Instant at, Outcome cause) {
    boolean wasLive = answerOn != null;
    for (FlowEvent fe : step.events()) {
      flowLog.add(fe);
      trace.add(new CallEntity.TraceEntry(at, "call_flow", state, fe));
      outbox.add(new Publication("call_flow", state, fe, null));
    }
    if (!wasLive && engine.answered()) {
      answerOn = at;
      transition("live", at);
    }
    lastActions = step.actions();
    if (engine.pending() != null) pendingSince = pendingSinceFor(step, at);
    if (engine.ended()) {
      int q = Q850.NORMAL_CLEARING;
      String reason = "hangup";
      for (Action a : step.actions()) {
        if (a instanceof Action.Hangup h) { q = h.cause(); reason = h.reason(); }
        if (a instanceof Action.Reject r) { q = "busy".equals(r.reason()) ? Q850.USER_BUSY : Q850.CALL_REJECTED; reason = r.reason(); }
      }
      if (cause instanceof Outcome.CallEnded ce) { q = ce.cause(); reason = ce.reason(); }
      finish(q, reason, at);
    }
  }

  /**
   * A defect in the interpreter (an exception while applying an event) ends the call instead of wedging it: the
   * same exception happens again on every replay, so this outcome is as deterministic as any other.
   */
  void failInternally(RuntimeException bug, Instant at) {
    if (spec == null || ended()) return;
    String reason = "internal_error: " + bug.getClass().getSimpleName()
        + (bug.getMessage() == null ? "" : ": " + bug.getMessage());
    FlowEvent fe = new FlowEvent("", "Response", FlowEvent.Phase.FINISHED, false, reason, null, java.util.Map.of());
    flowLog.add(fe);
    trace.add(new CallEntity.TraceEntry(at, "call_flow", state, fe));
    outbox.add(new Publication("call_flow", state, fe, null));
    finish(Q850.NORMAL_TEMPORARY_FAILURE, reason, at);
    lastActions = List.of(new Action.Hangup(0, "", Q850.NORMAL_TEMPORARY_FAILURE, "internal error"));
  }

  private Instant pendingSinceFor(Step step, Instant at) {
    Action p = engine.pending();
    for (Action a : step.actions()) if (a.seq() == p.seq()) return at;
    return pendingSince == null ? at : pendingSince;
  }

  private void finish(int q850, String reason, Instant at) {
    cause = q850;
    endReason = reason;
    hangupOn = at;
    transition("hangup", at);
    destroyOn = at;
    transition("destroyed", at);
  }

  private void transition(String next, Instant at) {
    state = next;
    modifiedOn = at;
    trace.add(new CallEntity.TraceEntry(at, "call_state", next, null));
    outbox.add(new Publication("call_state", next, null, view(at)));
  }

  CallView view(Instant now) {
    if (spec == null) return null;
    CallSpec.AppSnapshot a = spec.app();
    Instant end = destroyOn != null ? destroyOn : now;
    return new CallView(spec.callId(), "CallSCA", spec.direction(), spec.from(), spec.to(), state,
        ended() ? "offline" : "online", Math.max(0, Duration.between(createdOn, end).toSeconds()), createdOn,
        modifiedOn, createdOn, ringOn, answerOn, hangupOn, destroyOn, destroyOn, cause,
        cause == null ? null : Q850.name(cause), endReason, spec.tn() == null ? null : new CallView.Tn(spec.tn()),
        a == null ? null : new CallView.App(a.uuid(), a.name(), true, a.autoAnswer(), a.webhookUrl(),
            a.webhookMethod(), a.webhookTimeoutMs(), a.maxCallLengthMin()),
        new CallView.Account(spec.accountId()), spec.parentCallId(),
        engine == null ? java.util.Map.of() : new LinkedHashMap<>(engine.metas()),
        engine == null ? null : engine.lastDigits());
  }

  private static ZoneId zone(String id) {
    try {
      return id == null || id.isBlank() ? ZoneId.of("UTC") : ZoneId.of(id);
    } catch (RuntimeException e) {
      return ZoneId.of("UTC");
    }
  }
}
