package io.openvoice.flow;

import io.openvoice.xml.Meta;
import io.openvoice.xml.Verb;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the interpreter knows about one call's flow, and the output of the step being computed. Only the
 * interpreter's own classes touch it.
 */
final class FlowState {
  final FlowContext ctx;
  final Deque<Frame> stack = new ArrayDeque<>();
  final Map<String, Object> metas = new LinkedHashMap<>();
  final Set<String> activeRecordings = new LinkedHashSet<>();

  boolean started;
  boolean ended;
  boolean answered;
  boolean onHold;
  String lastDigits;
  /** The action awaiting an outcome, and why. Both null, or both set. */
  Action pending;
  Wait wait;
  /** The park time to park again with when a bridge ends (the bridged call was parked), else -1. */
  long reparkMs = -1;
  /** The time of the input being processed (Schedule evaluates against it). */
  Instant now = Instant.EPOCH;

  private int lastSeq;
  private List<Action> actions = new ArrayList<>();
  private List<FlowEvent> events = new ArrayList<>();
  private boolean endedInStep;

  FlowState(FlowContext ctx) {
    this.ctx = ctx;
  }

  int nextSeq() {
    return ++lastSeq;
  }

  /** Emits an action that does not await an outcome. */
  void emit(Action action) {
    actions.add(action);
  }

  /** Emits the action the flow now waits on. */
  void await(Action action, Wait why) {
    actions.add(action);
    pending = action;
    wait = why;
  }

  boolean waiting() {
    return wait != null;
  }

  void clearWait() {
    pending = null;
    wait = null;
  }

  /** Ends the flow with a Hangup action: final, nothing runs after it. */
  void hangup(String path, int cause, String reason) {
    emit(new Action.Hangup(nextSeq(), path, cause, reason));
    terminate();
  }

  /** Ends the flow with a Reject action. */
  void reject(String path, String reason) {
    emit(new Action.Reject(nextSeq(), path, reason));
    terminate();
  }

  /** The flow is over (hung up here, or the call is gone): nothing is pending and nothing will run. */
  void terminate() {
    ended = true;
    endedInStep = true;
    stack.clear();
    clearWait();
  }

  void started(Verb verb) {
    events.add(event(verb, FlowEvent.Phase.STARTED, true, null));
  }

  void started(Verb verb, String reason) {
    events.add(event(verb, FlowEvent.Phase.STARTED, true, reason));
  }

  void finished(Verb verb, boolean success, String reason) {
    events.add(event(verb, FlowEvent.Phase.FINISHED, success, reason));
  }

  void skipped(Verb verb, String reason) {
    events.add(event(verb, FlowEvent.Phase.SKIPPED, true, reason));
  }

  /** An event that belongs to no verb (path ""), e.g. a rejected Push or a failed call-flow URL. */
  void platformEvent(String command, boolean success, String reason) {
    events.add(new FlowEvent("", command, FlowEvent.Phase.FINISHED, success, reason, null, Map.of()));
  }

  void addMetas(List<Meta> list) {
    for (Meta m : list) {
      addMeta(m);
    }
  }

  void addMeta(Meta m) {
    metas.put(m.name(), m.value()); // a later value wins; the name keeps its first position
  }

  /** The actions and events produced since the last call, as a Step. */
  Step drain() {
    Step step = new Step(actions, events, endedInStep);
    actions = new ArrayList<>();
    events = new ArrayList<>();
    endedInStep = false;
    return step;
  }

  /** The element name as the document has it (Redirect, Scheduler...), else the model's name for the verb. */
  static String command(Verb verb) {
    String name = verb.src().name();
    return name.isEmpty() ? verb.getClass().getSimpleName() : name;
  }

  private static FlowEvent event(Verb verb, FlowEvent.Phase phase, boolean success, String reason) {
    return new FlowEvent(verb.src().path(), command(verb), phase, success, reason, verb.tag(), metasOf(verb));
  }

  static Map<String, Object> metasOf(Verb verb) {
    if (verb.metas().isEmpty()) {
      return Map.of();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (Meta meta : verb.metas()) {
      m.put(meta.name(), meta.value());
    }
    return Collections.unmodifiableMap(m);
  }
}
