package io.openvoice.node;

import io.openvoice.common.CborSerializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The SIP edges of the cluster as this node sees them (the receptionist's {@link EdgeHost#EDGES} listing), handed
 * out in turn to place calls from a node that has no edge of its own.
 */
final class EdgeDirectory {
  private EdgeDirectory() {}

  sealed interface Command extends CborSerializable {}

  /** The next edge to use ({@code host} null: there is none). */
  record Next(ActorRef<Edge> replyTo) implements Command {}

  record Edge(ActorRef<EdgeHost.Command> host) implements CborSerializable {}

  private record Listed(Receptionist.Listing listing) implements Command {}

  static Behavior<Command> create() {
    return Behaviors.setup(ctx -> {
      ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class, Listed::new);
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(EdgeHost.EDGES, adapter));
      ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
      List<ActorRef<EdgeHost.Command>> edges = new ArrayList<>();
      int[] turn = {0};
      return Behaviors.receive(Command.class)
          .onMessage(Listed.class, l -> {
            edges.clear();
            edges.addAll(l.listing().getServiceInstances(EdgeHost.EDGES));
            edges.sort(Comparator.comparing(resolver::toSerializationFormat)); // the same order on every node
            return Behaviors.same();
          })
          .onMessage(Next.class, n -> {
            n.replyTo().tell(new Edge(edges.isEmpty() ? null : edges.get(Math.floorMod(turn[0]++, edges.size()))));
            return Behaviors.same();
          })
          .build();
    });
  }
}
