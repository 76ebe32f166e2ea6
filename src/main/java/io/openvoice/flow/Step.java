package io.openvoice.flow;

import java.util.List;

/**
 * The result of feeding the interpreter: the actions to perform now (in order; at most the last one awaits an
 * outcome), the flow events to publish, and whether the flow has ended (the last action is then Hangup or Reject).
 */
public record Step(List<Action> actions, List<FlowEvent> events, boolean ended) {
  public Step {
    actions = List.copyOf(actions);
    events = List.copyOf(events);
  }
}
