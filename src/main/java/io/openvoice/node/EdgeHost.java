package io.openvoice.node;

import io.openvoice.call.CallSpec;
import io.openvoice.call.CallView;
import io.openvoice.call.MediaPorts;
import io.openvoice.common.CborSerializable;
import io.openvoice.flow.Action;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * This node's media sessions and call placing, reachable from the other nodes of the cluster. A call entity
 * running on one node drives the media of a call whose SIP dialog and RTP live on another (the edge) through the
 * edge's host: the media handle names it. Nodes with a SIP edge also register under {@link #EDGES}, so that a
 * node without one can have calls placed ({@code POST /rest/call}, bulk calls) by one that has.
 */
public final class EdgeHost {
  private EdgeHost() {}

  /** The hosts of the nodes that can place calls (a SIP edge). */
  public static final ServiceKey<Command> EDGES = ServiceKey.create(Command.class, "openvoice-sip-edges");

  public sealed interface Command extends CborSerializable {}

  public record Execute(String callId, CallSpec.MediaHandle handle, Action action, Instant startedAt) implements Command {}

  public record Cancel(String callId, CallSpec.MediaHandle handle, int seq) implements Command {}

  public record CheckAttached(String callId, CallSpec.MediaHandle handle) implements Command {}

  public record Release(String callId, CallSpec.MediaHandle handle) implements Command {}

  /** Place call {@code spec} from this node's SIP edge; the reply says how it went. */
  public record Originate(CallSpec spec, String target, String callerId, long ringTimeoutMs,
                          ActorRef<Originated> replyTo) implements Command {}

  /**
   * The answer to {@link Originate}: the call, or why not ({@code status}: the SIP-like status of {@link
   * Platform.OriginateFailed}, 409 when the call exists already, 503 without an edge).
   */
  public record Originated(CallView call, int status, String reason) implements CborSerializable {}

  static Behavior<Command> create(MediaPorts ports, Supplier<Platform.Originator> originator) {
    return Behaviors.receive(Command.class)
        .onMessage(Execute.class, m -> {
          ports.local(m.handle()).execute(m.callId(), m.handle(), m.action(), m.startedAt());
          return Behaviors.same();
        })
        .onMessage(Cancel.class, m -> {
          ports.local(m.handle()).cancel(m.callId(), m.handle(), m.seq());
          return Behaviors.same();
        })
        .onMessage(CheckAttached.class, m -> {
          ports.local(m.handle()).checkAttached(m.callId(), m.handle());
          return Behaviors.same();
        })
        .onMessage(Release.class, m -> {
          ports.local(m.handle()).release(m.callId(), m.handle());
          return Behaviors.same();
        })
        .onMessage(Originate.class, m -> {
          Platform.Originator o = originator.get();
          if (o == null) {
            m.replyTo().tell(new Originated(null, 503, "no SIP edge on this node"));
            return Behaviors.same();
          }
          o.originate(m.spec(), m.target(), m.callerId(), m.ringTimeoutMs()).whenComplete((view, err) -> {
            Throwable t = err == null ? null : io.openvoice.common.Errors.unwrap(err);
            if (t == null) m.replyTo().tell(new Originated(view, 0, null));
            else if (t instanceof Platform.CallExists) m.replyTo().tell(new Originated(null, 409, t.getMessage()));
            else if (t instanceof Platform.OriginateFailed f) m.replyTo().tell(new Originated(null, f.sipStatus, f.getMessage()));
            else m.replyTo().tell(new Originated(null, 500, io.openvoice.common.Errors.describe(t)));
          });
          return Behaviors.same();
        })
        .build();
  }
}
