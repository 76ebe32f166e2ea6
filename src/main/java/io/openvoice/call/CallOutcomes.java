package io.openvoice.call;

import io.openvoice.flow.Outcome;

/** Small helpers over outcomes. */
final class CallOutcomes {
  private CallOutcomes() {}

  /** The action seq an outcome answers, or null for outcomes that are not tied to an action. */
  static Integer seqOf(Outcome o) {
    if (o instanceof Outcome.Done d) return d.seq();
    if (o instanceof Outcome.Failed f) return f.seq();
    if (o instanceof Outcome.Digits d) return d.seq();
    if (o instanceof Outcome.HttpResult h) return h.seq();
    if (o instanceof Outcome.DialAnswered d) return d.seq();
    if (o instanceof Outcome.DialEnded d) return d.seq();
    return null;
  }
}
