package io.openvoice.call;

import io.openvoice.flow.Action;
import java.time.Instant;

/**
 * The media side of a call: plays, collects digits, dials, records, hangs up. The call entity does not know which
 * implementation it talks to (the simulator's, the SIP/RTP edge's). Implementations never block the caller and
 * report results by sending {@link CallEntity.Feed} to the call entity through sharding ({@link OutcomeSink}).
 *
 * <p>{@code execute} must be idempotent per (call, action seq): after a node failover the entity re-issues its
 * pending action with the original {@code startedAt}, and an implementation that is already executing it simply
 * carries on (re-attaching), while a fresh one resumes it for the remaining time.
 */
public interface MediaPort {
  void execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt);

  /**
   * The flow moved on without waiting for the action with this seq (XML pushed to the live call): stop what it
   * plays or collects, and report nothing more for it. Idempotent; unknown seqs are ignored.
   */
  void cancel(String callId, CallSpec.MediaHandle handle, int seq);

  /**
   * A call recovered with no action pending (a dialled leg, which has no flow): if its session is not here any
   * more, report the call ended ({@code media_node_lost}), so that it does not wait for its length watchdog.
   */
  default void checkAttached(String callId, CallSpec.MediaHandle handle) {}

  /** The call is over: hang up if still up and free every resource. Idempotent. */
  void release(String callId, CallSpec.MediaHandle handle);
}
