package io.openvoice.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management readiness check ({@code /ready}): false while the node drains, so that a load balancer or
 * Kubernetes stops sending it work from the first moment of a drain.
 */
public final class DrainReadiness implements Supplier<CompletionStage<Boolean>> {
  private final ActorSystem system;

  public DrainReadiness(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    Drain d = Drain.of(system);
    return CompletableFuture.completedFuture(d != null && !d.draining());
  }
}
