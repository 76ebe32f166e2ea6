package io.openvoice.flow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.openvoice.common.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * What the interpreter asks the call to do. Each action has a sequence number unique within the call; an action
 * for which {@link #awaitsOutcome()} is true blocks the flow until an {@link Outcome} with the same {@code seq}
 * arrives (outcomes with another seq are stale and ignored). {@code path} is the call-flow path of the verb that
 * caused it ("" for platform actions such as auto-answer or park).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Action.Answer.class, name = "Answer"),
    @JsonSubTypes.Type(value = Action.Say.class, name = "Say"),
    @JsonSubTypes.Type(value = Action.Play.class, name = "Play"),
    @JsonSubTypes.Type(value = Action.Pause.class, name = "Pause"),
    @JsonSubTypes.Type(value = Action.Tone.class, name = "Tone"),
    @JsonSubTypes.Type(value = Action.Collect.class, name = "Collect"),
    @JsonSubTypes.Type(value = Action.Hold.class, name = "Hold"),
    @JsonSubTypes.Type(value = Action.Unhold.class, name = "Unhold"),
    @JsonSubTypes.Type(value = Action.RecordStart.class, name = "RecordStart"),
    @JsonSubTypes.Type(value = Action.RecordStop.class, name = "RecordStop"),
    @JsonSubTypes.Type(value = Action.RecordWait.class, name = "RecordWait"),
    @JsonSubTypes.Type(value = Action.Dial.class, name = "Dial"),
    @JsonSubTypes.Type(value = Action.Fetch.class, name = "Fetch"),
    @JsonSubTypes.Type(value = Action.Notify.class, name = "Notify"),
    @JsonSubTypes.Type(value = Action.Park.class, name = "Park"),
    @JsonSubTypes.Type(value = Action.Join.class, name = "Join"),
    @JsonSubTypes.Type(value = Action.Hangup.class, name = "Hangup"),
    @JsonSubTypes.Type(value = Action.Reject.class, name = "Reject")})
public sealed interface Action extends CborSerializable {
  int seq();
  String path();
  @JsonIgnore
  default boolean awaitsOutcome() { return true; }

  /** Answer the call (SIP 200 OK). Outcome: Done, or Failed. */
  record Answer(int seq, String path) implements Action {}

  /** Text to speech. Outcome: Done, or Failed (e.g. TTS engine error). */
  record Say(int seq, String path, String text, String type, String gender, String code, String lang, int loop,
             String leg) implements Action {}

  /** Play a URL or a recording of this call (by tag). Outcome: Done, or Failed (e.g. file unavailable). */
  record Play(int seq, String path, String url, String recordingTag, int loop, String leg) implements Action {}

  /** Silence for lengthMs; ends early on dtmfStop (null = never). Outcome: Done, or Digits(key). */
  record Pause(int seq, String path, long lengthMs, String dtmfStop) implements Action {}

  /** Generated tone. Outcome: Done. */
  record Tone(int seq, String path, List<Integer> hz, long onMs, long offMs, int loop, int volume, long timeoutMs,
              String leg) implements Action {}

  /**
   * Gather one attempt: play {@code prompts} (Say/Play/Pause/Tone actions, in order; the first digit stops them)
   * while collecting up to {@code maxDigits} (0 = no limit) digits, ending at {@code finishOnKey} (not included;
   * null = none) or after {@code timeoutMs} without a digit following the prompts. Outcome: Digits.
   */
  record Collect(int seq, String path, List<Action> prompts, int maxDigits, String finishOnKey, long timeoutMs)
      implements Action {}

  /** Put the caller on hold (music from url, or the platform default) for at most timeoutMs. Outcome: Done. */
  record Hold(int seq, String path, long timeoutMs, String url) implements Action {}

  /** Resume from hold. No outcome. */
  record Unhold(int seq, String path) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }

  /** Start a background recording. No outcome; the media later reports it (recording events). */
  record RecordStart(int seq, String path, String tag, String leg, String format, boolean stereo, boolean asr,
                     long maxMs, boolean beep) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }

  /** Stop a recording by tag (null = every recording of the call). No outcome. */
  record RecordStop(int seq, String path, String tag) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }

  /** Wait until the recording with tag ends, at most timeoutMs. Outcome: Done. */
  record RecordWait(int seq, String path, String tag, long timeoutMs) implements Action {}

  /**
   * Ring targets at once; the first to answer is bridged, the others cancelled. Outcomes: DialAnswered (not
   * final), then DialEnded.
   */
  record Dial(int seq, String path, List<Target> targets, long ringTimeoutMs, String callerId, String record,
              long timeLimitMs) implements Action {
    public record Target(String kind, String value) implements CborSerializable {}
  }

  /**
   * An HTTP request made for the flow. {@code purpose}: CALL_FLOW (the app's call-flow URL), CALLBACK, GATHER,
   * CURL. {@code params}: the flow's parameters (for GET appended to the query; for POST put in the JSON body next
   * to the call entity when {@code includeCall} is true). {@code body}: a literal body (Curl) or null.
   * Outcome: HttpResult.
   */
  record Fetch(int seq, String path, String purpose, String url, String method, Map<String, String> params,
               boolean includeCall, String body, Map<String, String> headers, long timeoutMs) implements Action {}

  /**
   * Fire-and-forget HTTP request (Curl async). No outcome.
   */
  record Notify(int seq, String path, String url, String method, Map<String, String> params, String body,
                Map<String, String> headers, long timeoutMs) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }

  /** Wait for XML pushed to the live call (asynchronous control). Outcome: Done (timeout, call ends) or Push. */
  record Park(int seq, String path, long timeoutMs) implements Action {}

  /**
   * Join this call's media with another live call's (REST bridge; the other call runs a Join naming this one).
   * Outcomes: Joined once the two are connected; Done when the bridge is over (the other call hung up or left it);
   * Failed when the two cannot be connected (the other never joined, is on another edge, has ended).
   */
  record Join(int seq, String path, String otherCallId) implements Action {}

  /** End the call. Final: nothing follows. */
  record Hangup(int seq, String path, int cause, String reason) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }

  /** Refuse an unanswered call (reason rejected|busy). Final. */
  record Reject(int seq, String path, String reason) implements Action {
    @JsonIgnore @Override public boolean awaitsOutcome() { return false; }
  }
}
