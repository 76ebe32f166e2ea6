package io.openvoice.flow;

import io.openvoice.xml.CallFlow;
import java.time.Instant;

/**
 * The call-flow interpreter: plain Java, no actors, no I/O, deterministic. One instance per call; not
 * thread-safe (the call entity owns it). Feed it outcomes; it answers with the next {@link Step}.
 */
public final class FlowEngine {
  private final FlowContext ctx;

  public FlowEngine(FlowContext ctx) {
    this.ctx = ctx;
  }

  public FlowContext context() { return ctx; }

  /** Start running a hosted document. */
  public Step start(CallFlow flow, Instant now) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
