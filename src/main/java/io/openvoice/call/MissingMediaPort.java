package io.openvoice.call;

import io.openvoice.flow.Action;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Used when a call's media kind has no implementation on this node: nothing can be played; the call is ended. */
final class MissingMediaPort implements MediaPort {
  static final MissingMediaPort INSTANCE = new MissingMediaPort();
  private static final Logger log = LoggerFactory.getLogger(MissingMediaPort.class);

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt) {
    log.warn("call {}: no media implementation for {} on this node; dropping {}", callId, handle, action);
  }

  @Override
  public void cancel(String callId, CallSpec.MediaHandle handle, int seq) {}

  @Override
  public void release(String callId, CallSpec.MediaHandle handle) {}
}
