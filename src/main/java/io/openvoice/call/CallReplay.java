package io.openvoice.call;

import io.openvoice.flow.FlowEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A call rebuilt outside its entity from its journal events, the way the entity rebuilds itself (the same
 * deterministic {@link CallState}): the read side (the call-log projection) learns from each event what the call
 * looks like after it and which flow steps it ran, none of which the events carry themselves. No side effects.
 */
public final class CallReplay {
  private final CallState state = new CallState();
  private long seqNr;

  /** What one event did: its time, the call after it (as of that time) and the flow steps it ran, in order. */
  public record Applied(Instant at, CallView call, List<FlowEvent> steps) {}

  /** The journal sequence number of the last event applied (0: none). */
  public long seqNr() {
    return seqNr;
  }

  /** The call is over: no further event will be written for it. */
  public boolean ended() {
    return state.ended();
  }

  /** Applies the event with this sequence number. */
  public Applied apply(CallEntity.Event event, long sequenceNr) {
    state.outbox.clear();
    state.apply(event);
    seqNr = sequenceNr;
    List<FlowEvent> steps = new ArrayList<>();
    for (CallState.Publication p : state.outbox) if (p.flow() != null) steps.add(p.flow());
    state.outbox.clear();
    state.lastActions = List.of();
    Instant at = event instanceof CallEntity.Started s ? s.at() : ((CallEntity.Fed) event).at();
    return new Applied(at, state.view(at), steps);
  }
}
