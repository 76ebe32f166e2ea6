package io.openvoice.sip;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load shedding at the door: at most {@code limit} inbound calls being set up at once (routed, admitted, their call
 * entity started and journalled). When the journal falls behind, set-ups take longer and pile up here; beyond the
 * limit a new INVITE gets 503 at once (the carrier tries elsewhere) instead of joining a queue whose every entry
 * would time out, so the node keeps serving the calls it has and the journal catches up.
 */
final class SetupGate {
  private final int limit;
  private final AtomicInteger inProgress = new AtomicInteger();

  SetupGate(int limit) {
    if (limit < 1) throw new IllegalArgumentException("openvoice.sip.max-setups-in-progress must be at least 1");
    this.limit = limit;
  }

  /** Takes a place; false (and nothing taken) when {@code limit} set-ups are in progress. */
  boolean tryEnter() {
    while (true) {
      int n = inProgress.get();
      if (n >= limit) return false;
      if (inProgress.compareAndSet(n, n + 1)) return true;
    }
  }

  /** Gives back a place taken by {@link #tryEnter}. */
  void exit() {
    inProgress.decrementAndGet();
  }

  int inProgress() {
    return inProgress.get();
  }
}
