package io.openvoice.flow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.openvoice.common.CborSerializable;

/**
 * What happened, fed back to the interpreter. These are the events the call entity persists: replaying them in
 * order through a fresh interpreter rebuilds the same flow position (the interpreter is deterministic).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Outcome.Done.class, name = "Done"),
    @JsonSubTypes.Type(value = Outcome.Failed.class, name = "Failed"),
    @JsonSubTypes.Type(value = Outcome.Digits.class, name = "Digits"),
    @JsonSubTypes.Type(value = Outcome.HttpResult.class, name = "HttpResult"),
    @JsonSubTypes.Type(value = Outcome.DialAnswered.class, name = "DialAnswered"),
    @JsonSubTypes.Type(value = Outcome.DialEnded.class, name = "DialEnded"),
    @JsonSubTypes.Type(value = Outcome.CallEnded.class, name = "CallEnded"),
    @JsonSubTypes.Type(value = Outcome.LegAnswered.class, name = "LegAnswered"),
    @JsonSubTypes.Type(value = Outcome.Push.class, name = "Push"),
    @JsonSubTypes.Type(value = Outcome.Bridge.class, name = "Bridge"),
    @JsonSubTypes.Type(value = Outcome.Joined.class, name = "Joined")})
public sealed interface Outcome extends CborSerializable {

  /** The action seq an outcome answers, or null for outcomes that are not tied to an action. */
  static Integer seqOf(Outcome o) {
    if (o instanceof Done d) return d.seq();
    if (o instanceof Failed f) return f.seq();
    if (o instanceof Digits d) return d.seq();
    if (o instanceof HttpResult h) return h.seq();
    if (o instanceof DialAnswered d) return d.seq();
    if (o instanceof DialEnded d) return d.seq();
    if (o instanceof Joined j) return j.seq();
    return null;
  }


  /** The action with this seq finished normally. */
  record Done(int seq) implements Outcome {}

  /** The action with this seq failed (file unavailable, TTS error, media error...). */
  record Failed(int seq, String reason) implements Outcome {}

  /**
   * Digits for a Collect or a Pause with dtmf_stop. {@code end}: "max_digits", "finish_key", "timeout" (digits may
   * be partial or empty) or "dtmf_stop".
   */
  record Digits(int seq, String digits, String end) implements Outcome {}

  /**
   * Result of a Fetch. {@code status} is the HTTP status (0 when no response); {@code error} is non-null when the
   * request failed (timeout, refused, SSRF guard, too large...).
   */
  record HttpResult(int seq, int status, String body, String error) implements Outcome {}

  /** A Dial leg answered and is bridged (not final for the Dial). */
  record DialAnswered(int seq, String legCallId, String target) implements Outcome {}

  /**
   * The Dial is over. {@code answered}: some leg was bridged (and has now hung up); otherwise no target answered
   * ({@code reason}: no_answer, busy, unreachable, failed) and the Dial failed.
   */
  record DialEnded(int seq, boolean answered, String reason, int cause) implements Outcome {}

  /** The caller (the call itself) hung up, or the platform ended it (watchdog). Final. */
  record CallEnded(int cause, String reason) implements Outcome {}

  /** A dialled leg (a child call with no flow) was answered and bridged to its parent. */
  record LegAnswered(String parentCallId) implements Outcome {}

  /** New XML pushed to the live call (REST): replaces the rest of the flow. */
  record Push(String xml) implements Outcome {}

  /**
   * The call is to be bridged with another live call (REST): what the flow was doing is abandoned and it waits on a
   * Join; when the bridge is over, the flow goes on after the verb it interrupted (a parked call parks again).
   */
  record Bridge(String otherCallId) implements Outcome {}

  /** The Join with this seq connected the two calls' media (not final for the Join). */
  record Joined(int seq, String otherCallId) implements Outcome {}
}
