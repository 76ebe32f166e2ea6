package io.openvoice.limits;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Admits an account's new calls against its limits (sharded by account id, so one place in the cluster decides
 * for an account): no more than {@code cps} starts in any second, no more than {@code concurrentCalls} live calls.
 * Kept in memory: the live set is reconciled every second with the cluster's view of online calls
 * ({@code liveCalls}), so calls that end (or an admission entity restarted elsewhere) correct it within a second;
 * calls admitted in the last few seconds count even before their first event is seen.
 */
public final class CallAdmission {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "CallAdmission");

  /** A call admitted recently counts as live this long, even if no event of it was seen yet. */
  static final Duration GRACE = Duration.ofSeconds(10);

  public sealed interface Command extends CborSerializable {}

  /** May call {@code callId} start now? */
  public record Acquire(String callId, ActorRef<Admission> replyTo) implements Command {}

  /** The limits changed: read them again. */
  public record Reload() implements Command {}

  public record Usage(ActorRef<Snapshot> replyTo) implements Command {}

  private record Loaded(AccountLimitsEntity.Limits limits) implements Command {}

  private record Tick() implements Command {}

  /**
   * {@code reason}: null when granted, else "cps" or "concurrent_calls"; {@code limit}: the limit that refused
   * the call, or when granted the account's calls-per-second limit (so that a bulk call can pace itself).
   */
  public record Admission(boolean granted, String reason, int limit) implements CborSerializable {}

  public record Snapshot(int cps, int concurrentCalls, int liveCalls, int startsLastSecond)
      implements CborSerializable {}

  /** What an admission entity needs: defaults, the stored limits, and the live calls the cluster sees. */
  public record Deps(int defaultCps, int defaultConcurrentCalls,
                     java.util.function.Function<String, java.util.concurrent.CompletionStage<AccountLimitsEntity.Limits>> limits,
                     java.util.function.Function<String, Set<String>> liveCalls) {}

  public static Behavior<Command> create(String accountId, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new CallAdmission(accountId, deps, ctx, timers).behavior()));
  }

  private final String accountId;
  private final Deps deps;
  private final ActorContext<Command> ctx;
  private int cps;
  private int concurrent;
  private final ArrayDeque<Long> starts = new ArrayDeque<>();
  private final Map<String, Long> admitted = new HashMap<>();
  private Set<String> live = new HashSet<>();

  private CallAdmission(String accountId, Deps deps, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    this.accountId = accountId;
    this.deps = deps;
    this.ctx = ctx;
    this.cps = deps.defaultCps();
    this.concurrent = deps.defaultConcurrentCalls();
    timers.startTimerAtFixedRate(new Tick(), Duration.ofSeconds(1));
    load(deps);
    reconcile(System.nanoTime());
  }

  private void load(Deps d) {
    ctx.pipeToSelf(d.limits().apply(accountId), (l, err) -> new Loaded(err == null ? l : new AccountLimitsEntity.Limits(null, null)));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Acquire.class, this::onAcquire)
        .onMessage(Loaded.class, m -> {
          cps = m.limits().cps() != null ? m.limits().cps() : deps.defaultCps();
          concurrent = m.limits().concurrentCalls() != null ? m.limits().concurrentCalls() : deps.defaultConcurrentCalls();
          return Behaviors.same();
        })
        .onMessage(Reload.class, m -> {
          load(deps);
          return Behaviors.same();
        })
        .onMessage(Tick.class, m -> {
          reconcile(System.nanoTime());
          return Behaviors.same();
        })
        .onMessage(Usage.class, m -> {
          long now = System.nanoTime();
          trimStarts(now);
          m.replyTo().tell(new Snapshot(cps, concurrent, liveCount(now), starts.size()));
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onAcquire(Acquire a) {
    long now = System.nanoTime();
    trimStarts(now);
    if (starts.size() >= cps) {
      a.replyTo().tell(new Admission(false, "cps", cps));
    } else if (liveCount(now) >= concurrent) {
      a.replyTo().tell(new Admission(false, "concurrent_calls", concurrent));
    } else {
      starts.addLast(now);
      admitted.put(a.callId(), now);
      a.replyTo().tell(new Admission(true, null, cps)); // the calls-per-second limit, for callers that pace
    }
    return Behaviors.same();
  }

  private void trimStarts(long now) {
    while (!starts.isEmpty() && now - starts.peekFirst() >= 1_000_000_000L) starts.removeFirst();
  }

  private int liveCount(long now) {
    int n = live.size();
    for (Map.Entry<String, Long> e : admitted.entrySet()) {
      if (!live.contains(e.getKey()) && now - e.getValue() < GRACE.toNanos()) n++;
    }
    return n;
  }

  private void reconcile(long now) {
    live = deps.liveCalls().apply(accountId);
    admitted.keySet().removeAll(live); // seen: from now on the cluster's view says whether it is live
    admitted.values().removeIf(t -> now - t >= GRACE.toNanos());
  }
}
