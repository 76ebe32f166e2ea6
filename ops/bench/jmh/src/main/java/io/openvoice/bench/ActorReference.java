package io.openvoice.bench;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The reference figure for "heap per call": the heap one idle Pekko typed actor takes (its cell, mailbox and
 * behavior, a child of one parent), measured as N of them spawned in a plain local actor system in this JVM.
 */
final class ActorReference {
  private ActorReference() {}

  private record Spawn(int count, ActorRef<Integer> replyTo) {}

  /** Bytes of heap per idle actor, from N actors; the system is gone again when this returns. */
  static double bytesPerActor(int n) throws Exception {
    ActorSystem<Spawn> system = ActorSystem.create(parent(), "reference", ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.management.http.port = 0
        """).withFallback(ConfigFactory.defaultReference()));
    try {
      long before = Heap.usedAfterGc();
      int spawned = 0;
      while (spawned < n) {
        int batch = Math.min(10_000, n - spawned);
        CompletionStage<Integer> done = AskPattern.ask(system, r -> new Spawn(batch, r), Duration.ofSeconds(60),
            system.scheduler());
        spawned = done.toCompletableFuture().get();
      }
      long after = Heap.usedAfterGc();
      return (after - before) / (double) n;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private static Behavior<Spawn> parent() {
    return Behaviors.setup(ctx -> {
      List<ActorRef<Object>> children = new ArrayList<>();
      return Behaviors.receiveMessage(m -> {
        for (int i = 0; i < m.count(); i++) {
          children.add(ctx.spawn(Behaviors.receiveMessage(x -> Behaviors.same()), "a" + children.size()));
        }
        m.replyTo().tell(children.size());
        return Behaviors.same();
      });
    });
  }
}
