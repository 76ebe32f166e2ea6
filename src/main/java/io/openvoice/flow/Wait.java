package io.openvoice.flow;

import io.openvoice.xml.Verb;

/**
 * Why the interpreter is waiting on its pending action, and what it needs to resume.
 *
 * @param verb    the verb the pending action belongs to, or null for platform actions (auto-answer, park, the
 *                call-flow URL)
 * @param attempt the Gather attempt (1-based), otherwise 0
 * @param detail  the recording tag (RECORD_WINDOW), the digits sent (GATHER_FETCH), the URL (CALL_FLOW), the other
 *                call (JOIN), or null
 */
record Wait(Kind kind, Verb verb, int attempt, String detail) {

  enum Kind {
    /** Platform answer before the flow runs ({@code auto_answer}). */
    AUTO_ANSWER,
    /** Parked call waiting for pushed XML. */
    PARK,
    /** Fetch of the app's call-flow URL. */
    CALL_FLOW,
    /** The Answer verb's Answer action. */
    ANSWER,
    /** The pause after an Answer with a delay. */
    ANSWER_DELAY,
    /** The Answer a media verb issues on an unanswered call before doing its own work. */
    IMPLICIT_ANSWER,
    /** Say, Play, Tone, Pause, RecordWait: Done finishes the verb. */
    MEDIA,
    HOLD,
    /** The Pause bounding a {@code <Record>} with an empty body. */
    RECORD_WINDOW,
    COLLECT,
    GATHER_FETCH,
    DIAL,
    CALLBACK,
    CURL,
    /** Bridged to another live call (REST): Done or Failed ends the bridge, the flow goes on. */
    JOIN
  }

  static Wait of(Kind kind, Verb verb) {
    return new Wait(kind, verb, 0, null);
  }
}
