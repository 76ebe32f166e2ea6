package io.openvoice.flow;

import io.openvoice.xml.CallFlow;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The call-flow interpreter: plain Java, no actors, no I/O, deterministic. One instance per call; not
 * thread-safe (the call entity owns it). Feed it outcomes; it answers with the next {@link Step}.
 * (Placeholder signatures; the implementation lands with the interpreter.)
 */
public final class FlowEngine {
  private final FlowContext ctx;

  public FlowEngine(FlowContext ctx) {
    this.ctx = ctx;
  }

  public FlowContext context() { return ctx; }

  public Step start(CallFlow flow, Instant now) { throw new UnsupportedOperationException(); }
  public Step startFromUrl(String url, String method, long timeoutMs, Instant now) { throw new UnsupportedOperationException(); }
  public Step startParked(long timeoutMs, Instant now) { throw new UnsupportedOperationException(); }
  public Step apply(Outcome outcome, Instant now) { throw new UnsupportedOperationException(); }
  public Action pending() { return null; }
  public boolean ended() { return false; }
  public boolean answered() { return false; }
  public boolean onHold() { return false; }
  public Map<String, Object> metas() { return Map.of(); }
  public String lastDigits() { return null; }
  public Set<String> activeRecordings() { return Set.of(); }
}
