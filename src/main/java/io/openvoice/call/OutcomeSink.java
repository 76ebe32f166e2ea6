package io.openvoice.call;

import io.openvoice.flow.Outcome;

/** Delivers an outcome to a call entity wherever it lives (through sharding, by call id). */
@FunctionalInterface
public interface OutcomeSink {
  void deliver(String callId, Outcome outcome);
}
