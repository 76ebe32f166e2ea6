package io.openvoice.node;

import io.openvoice.sip.SipEdge;
import io.openvoice.sip.SipMedia;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a node out of service without dropping a call. A drain starts on SIGTERM (the JVM's shutdown hook runs
 * Pekko's coordinated shutdown), on {@code POST /rest/node/drain}, or on any other coordinated shutdown. In its
 * first phase the node stops taking calls: readiness turns false, its SIP edge answers OPTIONS and INVITE with
 * 503 (a Kamailio dispatcher takes it out), REST and bulk calls are placed by other edges. It then waits until the
 * SIP dialogs of its edge have ended, at most {@code openvoice.drain.max-wait}; the later phases hand its sharded
 * entities (calls, numbers, webhook queues...) over to the other control nodes, and the node leaves the cluster.
 */
public final class Drain {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);
  /** The reason a drain asked over REST gives coordinated shutdown. */
  public static final CoordinatedShutdown.Reason REQUESTED = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "drain requested";
    }
  };

  private final ActorSystem<?> system;
  private final Duration maxWait;
  private final Duration poll = Duration.ofMillis(200);
  private volatile boolean draining;
  private volatile SipEdge edge;
  private volatile SipMedia media;

  private static final java.util.Map<Object, Drain> BY_SYSTEM =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** The drain of the node running on {@code system} (classic or typed), or null before the node set it up. */
  public static Drain of(Object system) {
    Object key = system instanceof ActorSystem<?> typed ? org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(typed)
        : system;
    return BY_SYSTEM.get(key);
  }

  Drain(ActorSystem<?> system, Duration maxWait) {
    this.system = system;
    this.maxWait = maxWait;
    BY_SYSTEM.put(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system), this);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "openvoice-drain",
        this::run);
  }

  /** This node's SIP edge, once started: its dialogs are what a drain waits for. */
  void edge(SipEdge edge, SipMedia media) {
    this.edge = edge;
    this.media = media;
  }

  /** True from the first moment of a drain: the node is not ready for new work. */
  public boolean draining() {
    return draining;
  }

  /** The live SIP calls (and dialled legs) of this node's edge. */
  public int liveSipCalls() {
    SipMedia m = media;
    return m == null || edge == null ? 0 : m.activeCalls();
  }

  /** Starts a drain (coordinated shutdown); completes at once, the node leaves when its calls have ended. */
  public void start() {
    CoordinatedShutdown.get(system).run(REQUESTED);
  }

  private CompletionStage<Done> run() {
    draining = true;
    SipEdge e = edge;
    if (e != null) e.refuseNewCalls();
    Instant deadline = Instant.now().plus(maxWait);
    log.info("draining: no new calls; waiting for {} live SIP call(s) to end (at most {})", liveSipCalls(), maxWait);
    CompletableFuture<Done> done = new CompletableFuture<>();
    waitForCalls(deadline, done);
    return done;
  }

  private void waitForCalls(Instant deadline, CompletableFuture<Done> done) {
    int live = liveSipCalls();
    if (live == 0 || Instant.now().isAfter(deadline)) {
      if (live > 0) log.warn("drain: {} SIP call(s) still up after {}; leaving anyway", live, maxWait);
      else log.info("drain: no SIP call left; handing over and leaving the cluster");
      done.complete(Done.getInstance());
      return;
    }
    system.scheduler().scheduleOnce(poll, () -> waitForCalls(deadline, done), system.executionContext());
  }
}
