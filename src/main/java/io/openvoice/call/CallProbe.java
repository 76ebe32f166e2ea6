package io.openvoice.call;

/**
 * What a call entity tells its node's metrics ({@code io.openvoice.metrics.CallMetrics}) about itself. Called on
 * the entity's thread after its events are persisted (never during replay), by many entities at once: an
 * implementation must be thread-safe, cheap and never block.
 */
public interface CallProbe {
  /** The entity's journal write took {@code nanos}, from the persist to its confirmation (thenRun). */
  void journalWrite(long nanos);

  /** A call started on this node (its {@code init} state was published). */
  void started(CallView call);

  /** A call ended on this node ({@code destroyed} was published); its cause and reason are on the view. */
  void ended(CallView call);

  /** A verb of a call's flow ({@code command}: Say, Play, Gather...) finished {@code nanos} after it started. */
  void verb(String command, long nanos);

  /** Call {@code callId} is live and its entity runs on this node (started or recovered here). Idempotent. */
  void running(String callId);

  /** The entity of {@code callId} no longer runs a live call here (ended, handed off, stopped). Idempotent. */
  void stopped(String callId);

  /** Reports nothing (for code that runs call entities without metrics). */
  CallProbe NONE = new CallProbe() {
    @Override public void journalWrite(long nanos) {}
    @Override public void started(CallView call) {}
    @Override public void ended(CallView call) {}
    @Override public void verb(String command, long nanos) {}
    @Override public void running(String callId) {}
    @Override public void stopped(String callId) {}
  };
}
