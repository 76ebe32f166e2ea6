package io.openvoice.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the simulated caller does, in milliseconds from the start of the call: press digits, hang up; and how
 * dialled parties behave. Parsed from the simulate request (snake_case JSON).
 *
 * @param realtime false (default): the call runs in virtual time, as fast as the entity can go; true: real time
 *     (a Pause of 5000 takes five seconds), which is what failover and restart tests need
 */
public record SimScript(List<CallerAction> actions, Dial dial, boolean realtime) {

  public SimScript {
    actions = actions == null ? List.of() : actions.stream()
        .sorted(java.util.Comparator.comparingLong(CallerAction::atMs)).toList();
    dial = dial == null ? new Dial(false, 0, 0, "no_answer") : dial;
  }

  /** {@code digits} pressed at {@code at_ms}, or {@code hangup} at {@code at_ms}. */
  public record CallerAction(@JsonProperty("at_ms") long atMs, String digits, boolean hangup) {}

  /**
   * Dialled parties: {@code answer} after {@code answer_after_ms}, talk {@code talk_ms} then hang up; when not
   * answering, fail with {@code reason} (no_answer after the ring timeout; busy, unreachable at once).
   */
  public record Dial(boolean answer, @JsonProperty("answer_after_ms") long answerAfterMs,
                     @JsonProperty("talk_ms") long talkMs, String reason) {}
}
