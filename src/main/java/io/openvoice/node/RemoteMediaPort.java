package io.openvoice.node;

import io.openvoice.call.CallSpec;
import io.openvoice.call.MediaPort;
import io.openvoice.flow.Action;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The media port of a call whose session lives on another node: each command is told to that node's
 * {@link EdgeHost}. Outcomes come back to the call entity through sharding, wherever it runs; if the other node
 * is gone, the call entity learns it from watching the host (media_node_lost).
 */
final class RemoteMediaPort implements MediaPort {
  private final ActorRef<EdgeHost.Command> host;

  RemoteMediaPort(ActorRef<EdgeHost.Command> host) {
    this.host = host;
  }

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt) {
    host.tell(new EdgeHost.Execute(callId, handle, action, startedAt));
  }

  @Override
  public void cancel(String callId, CallSpec.MediaHandle handle, int seq) {
    host.tell(new EdgeHost.Cancel(callId, handle, seq));
  }

  @Override
  public void checkAttached(String callId, CallSpec.MediaHandle handle) {
    host.tell(new EdgeHost.CheckAttached(callId, handle));
  }

  @Override
  public void release(String callId, CallSpec.MediaHandle handle) {
    host.tell(new EdgeHost.Release(callId, handle));
  }
}
