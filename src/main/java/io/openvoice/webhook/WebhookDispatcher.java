package io.openvoice.webhook;

import io.openvoice.account.AccountEntity;
import io.openvoice.call.HttpPort;
import io.openvoice.common.CborSerializable;
import io.openvoice.events.PlatformEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The webhook queue of one app: a sharded, event-sourced, remembered entity keyed by app uuid. Each queued event
 * and its settlement (delivered, given up, dropped) is journalled, so the events queued or being retried when a
 * node dies are sent by the entity restarted elsewhere (at least once: one in flight at the crash goes again; the
 * receiver tells repeats by the event uuid). The journal is trimmed by a snapshot every
 * {@value #SNAPSHOT_EVERY} events.
 *
 * <p>Call entities {@code tell} it their events ({@link Deliver}); it never makes them wait. It holds at most
 * {@code queue-size} events (when full, the oldest not yet in flight is dropped, with a WARN naming the app and
 * the count), sends at most {@code max-in-flight} requests at a time, and the events of one call one after the
 * other in the order they came (a call's next event waits while its previous one is being retried). A failed
 * attempt (connection error, timeout, 5xx, 429) is retried with exponential backoff and jitter up to
 * {@code max-attempts} (counted afresh after a restart); other statuses are not retried. After the last failure the
 * event goes once to the app's {@code webhook_fallback_url} if it has one; otherwise a WARN and the {@code failed}
 * counter. Requests are signed with the account's secret (cached for {@code secret-cache-ttl}, so a rotation takes
 * effect within it).
 */
public final class WebhookDispatcher
    extends EventSourcedBehavior<WebhookDispatcher.Command, WebhookDispatcher.Event, WebhookDispatcher.Queue> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "WebhookDispatcher");
  static final int SNAPSHOT_EVERY = 200;

  public sealed interface Command extends CborSerializable {}

  /**
   * One event to deliver, with the app's webhook settings as of the call's start. {@code timeoutMs} ≤ 0: the
   * node's {@code max-request-timeout}.
   */
  public record Deliver(String accountId, String url, String method, long timeoutMs, String fallbackUrl,
                        String callId, String state, String from, String to, PlatformEvent event) implements Command {}

  /**
   * {@code deliver}, answered once it is journalled in the queue (the sender may then forget it). An event of the
   * same uuid still in the queue is not queued again (a sender that restarted before its answer asks again).
   */
  public record DeliverAcked(Deliver deliver, ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  record Sent(long seq, int status, String error, WebhookOutcome.Kind kind) implements Command {}

  record Wake(long seq) implements Command {}

  record SecretLoaded(String secret, String error) implements Command {}

  record ReportDrops(long unused) implements Command {}

  record IdleCheck(long unused) implements Command {}

  public sealed interface Event extends CborSerializable {}

  /** An event was queued under {@code seq}. */
  public record Queued(long seq, Deliver deliver) implements Event {}

  /** The event {@code seq} left the queue: delivered, given up, or dropped for a full queue. */
  public record Settled(long seq) implements Event {}

  /** The event {@code seq} failed for good at the webhook URL and now goes to the fallback URL. */
  public record ToFallback(long seq) implements Event {}

  /** A queued event ({@code toFallback}: it goes to the fallback URL now). */
  public record Entry(Deliver deliver, boolean toFallback) implements CborSerializable {
    String url() {
      return toFallback ? deliver.fallbackUrl() : deliver.url();
    }
  }

  /** The queue, in arrival order by seq. Immutable: each event makes a new one (snapshots may hold the old). */
  public record Queue(long nextSeq, LinkedHashMap<Long, Entry> entries) implements CborSerializable {
    static final Queue EMPTY = new Queue(1, new LinkedHashMap<>());

    Queue apply(Event e) {
      LinkedHashMap<Long, Entry> next = new LinkedHashMap<>(entries);
      long n = nextSeq;
      if (e instanceof Queued q) {
        next.put(q.seq(), new Entry(q.deliver(), false));
        n = Math.max(n, q.seq() + 1);
      } else if (e instanceof Settled st) {
        next.remove(st.seq());
      } else if (e instanceof ToFallback f) {
        Entry old = next.get(f.seq());
        if (old != null) next.put(f.seq(), new Entry(old.deliver(), true));
      }
      return new Queue(n, next);
    }
  }

  /** What a dispatcher needs from its node. */
  public record Deps(HttpPort http, WebhookSettings settings, WebhookStats stats, ClusterSharding sharding,
                     Duration askTimeout) {}

  public static Behavior<Command> create(String appId, Deps deps,
                                         ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WebhookDispatcher(appId, deps, shard, ctx, timers)));
  }

  /** How the sending of a queued event goes on this incarnation (not journalled). */
  private static final class Attempt {
    int attempts;
    long notBefore;
    boolean inFlight;
  }

  private final String appId;
  private final Deps deps;
  private final WebhookSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Map<Long, Attempt> attempts = new HashMap<>();
  private int inFlight;
  private String accountId;
  private String secret;
  private long secretLoadedAt;
  private boolean loadingSecret;
  private long droppedSinceReport;

  private WebhookDispatcher(String appId, Deps deps, ActorRef<ClusterSharding.ShardCommand> shard,
                            ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), appId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.appId = appId;
    this.deps = deps;
    this.settings = deps.settings();
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public Queue emptyState() {
    return Queue.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public EventHandler<Queue, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Queue::apply);
  }

  @Override
  public SignalHandler<Queue> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), q -> {
          if (!q.entries().isEmpty()) {
            ctx.getLog().info("app {}: {} webhook event(s) still to send after a restart", appId, q.entries().size());
            Deliver any = q.entries().values().iterator().next().deliver();
            accountId = any.accountId();
          }
          ctx.getSelf().tell(new Wake(0));
        })
        .build();
  }

  @Override
  public CommandHandler<Command, Event, Queue> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Deliver.class, this::onDeliver)
        .onCommand(DeliverAcked.class, (q, d) -> {
          String id = d.deliver().event().uuid();
          boolean queued = q.entries().values().stream().anyMatch(e -> id.equals(e.deliver().event().uuid()));
          if (queued) return Effect().reply(d.replyTo(), org.apache.pekko.Done.getInstance());
          return onDeliver(q, d.deliver()).thenReply(d.replyTo(), st -> org.apache.pekko.Done.getInstance());
        })
        .onCommand(Sent.class, this::onSent)
        .onCommand(Wake.class, (q, w) -> dispatch(q))
        .onCommand(SecretLoaded.class, this::onSecret)
        .onCommand(ReportDrops.class, (q, r) -> reportDrops())
        .onCommand(IdleCheck.class, (q, i) -> {
          if (q.entries().isEmpty() && inFlight == 0 && shard != null) {
            shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
          }
          return Effect().none();
        })
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, Queue> onDeliver(Queue q, Deliver d) {
    timers.cancel("idle");
    if (accountId == null || !accountId.equals(d.accountId())) {
      accountId = d.accountId();
      secret = null; // an app belongs to one account; this only matters for a reused id
    }
    List<Event> events = new ArrayList<>(2);
    if (q.entries().size() >= settings.queueSize()) {
      Long oldest = oldestNotInFlight(q);
      if (oldest != null) {
        events.add(new Settled(oldest));
        attempts.remove(oldest);
        deps.stats().dropped.incrementAndGet();
        if (droppedSinceReport++ == 0) timers.startSingleTimer("drops", new ReportDrops(0), Duration.ofSeconds(1));
      }
    }
    events.add(new Queued(q.nextSeq(), d));
    return Effect().persist(events).thenRun(this::dispatchNow);
  }

  private Long oldestNotInFlight(Queue q) {
    for (Long seq : q.entries().keySet()) {
      Attempt a = attempts.get(seq);
      if (a == null || !a.inFlight) return seq;
    }
    return null;
  }

  /** One WARN a second at most while events are dropped, with how many. */
  private Effect<Event, Queue> reportDrops() {
    if (droppedSinceReport > 0) {
      ctx.getLog().warn("app {}: webhook queue full ({} events), dropped the {} oldest unsent event(s)",
          appId, settings.queueSize(), droppedSinceReport);
      droppedSinceReport = 0;
    }
    return Effect().none();
  }

  private Effect<Event, Queue> dispatch(Queue q) {
    dispatchNow(q);
    return Effect().none();
  }

  /** Sends what may go now: the oldest waiting event of each call that has none in flight, up to max-in-flight. */
  private void dispatchNow(Queue q) {
    if (q.entries().isEmpty()) {
      if (inFlight == 0) timers.startSingleTimer("idle", new IdleCheck(0), settings.idleTimeout());
      return;
    }
    long now = System.currentTimeMillis();
    if (secret == null || now - secretLoadedAt > settings.secretCacheTtl().toMillis()) {
      loadSecret();
      if (secret == null) return;
    }
    Set<String> callsSeen = new HashSet<>();
    long nextWake = Long.MAX_VALUE;
    for (Map.Entry<Long, Entry> e : q.entries().entrySet()) {
      if (inFlight >= settings.maxInFlight()) break;
      if (!callsSeen.add(e.getValue().deliver().callId())) continue; // a call's later events wait for its earlier one
      Attempt a = attempts.computeIfAbsent(e.getKey(), k -> new Attempt());
      if (a.inFlight) continue;
      if (a.notBefore > now) {
        nextWake = Math.min(nextWake, a.notBefore);
        continue;
      }
      send(e.getKey(), e.getValue(), a, now);
    }
    if (nextWake != Long.MAX_VALUE) {
      timers.startSingleTimer("wake", new Wake(0), Duration.ofMillis(Math.max(1, nextWake - now)));
    }
  }

  private void loadSecret() {
    if (loadingSecret || accountId == null) return;
    loadingSecret = true;
    var account = deps.sharding().entityRefFor(AccountEntity.TYPE_KEY, accountId);
    ctx.pipeToSelf(account.<String>askWithStatus(AccountEntity.GetWebhookSecret::new, deps.askTimeout()),
        (s, err) -> new SecretLoaded(s, err == null ? null : WebhookOutcome.describe(err)));
  }

  private Effect<Event, Queue> onSecret(Queue q, SecretLoaded m) {
    loadingSecret = false;
    if (m.secret() != null) {
      secret = m.secret();
      secretLoadedAt = System.currentTimeMillis();
      return dispatch(q);
    }
    ctx.getLog().warn("app {}: no webhook signing secret for account {} ({}); trying again in 1 s",
        appId, accountId, m.error());
    if (secret == null) {
      timers.startSingleTimer("wake", new Wake(0), Duration.ofSeconds(1));
      return Effect().none();
    }
    secretLoadedAt = System.currentTimeMillis(); // keep the cached one a while longer
    return dispatch(q);
  }

  private void send(long seq, Entry entry, Attempt a, long now) {
    a.inFlight = true;
    a.attempts++;
    inFlight++;
    Deliver d = entry.deliver();
    PlatformEvent ev = d.event();
    Duration timeout = d.timeoutMs() > 0 && d.timeoutMs() < settings.maxRequestTimeout().toMillis()
        ? Duration.ofMillis(d.timeoutMs()) : settings.maxRequestTimeout();
    WebhookRequests.Built b = WebhookRequests.build(d.method(), entry.url(), timeout, secret, now / 1000,
        new WebhookRequests.Event(ev.uuid(), ev.type(), d.callId(), d.state(), d.from(), d.to(), ev.json()));
    long sentAt = System.nanoTime();
    ctx.pipeToSelf(deps.http().send(b.request()), (res, err) -> {
      WebhookOutcome o = WebhookOutcome.of(res == null ? 0 : res.status(), err);
      deps.stats().requestTook(o.kind(), System.nanoTime() - sentAt);
      return new Sent(seq, o.status(), o.error(), o.kind());
    });
  }

  private Effect<Event, Queue> onSent(Queue q, Sent s) {
    Attempt a = attempts.get(s.seq());
    if (a != null && a.inFlight) {
      a.inFlight = false;
      inFlight--;
    }
    Entry entry = q.entries().get(s.seq());
    if (entry == null || a == null) return dispatch(q);
    Deliver d = entry.deliver();
    switch (s.kind()) {
      case DELIVERED -> {
        deps.stats().delivered.incrementAndGet();
        ctx.getLog().debug("app {}: event {} delivered to {} ({})", appId, d.event().uuid(), entry.url(), s.status());
        return settle(s.seq());
      }
      case RETRY -> {
        if (a.attempts < (entry.toFallback() ? 1 : settings.maxAttempts())) {
          Duration wait = settings.backoff().delay(a.attempts);
          a.notBefore = System.currentTimeMillis() + wait.toMillis();
          deps.stats().retried.incrementAndGet();
          ctx.getLog().debug("app {}: event {} attempt {} to {} failed ({}); retry in {} ms", appId,
              d.event().uuid(), a.attempts, entry.url(), s.error(), wait.toMillis());
          return dispatch(q);
        }
        return giveUp(s.seq(), entry, a, s.error());
      }
      default -> {
        return giveUp(s.seq(), entry, a, s.error());
      }
    }
  }

  private Effect<Event, Queue> settle(long seq) {
    attempts.remove(seq);
    return Effect().persist(new Settled(seq)).thenRun(this::dispatchNow);
  }

  /** The URL failed for good: the fallback once, if there is one and it was not what failed; else log and count. */
  private Effect<Event, Queue> giveUp(long seq, Entry entry, Attempt a, String error) {
    Deliver d = entry.deliver();
    if (!entry.toFallback() && d.fallbackUrl() != null && !d.fallbackUrl().isBlank()) {
      ctx.getLog().info("app {}: event {} ({} of call {}) failed at {} after {} attempt(s) ({}); sending it "
          + "to the fallback URL", appId, d.event().uuid(), d.event().type(), d.callId(), d.url(), a.attempts, error);
      deps.stats().fallbacks.incrementAndGet();
      a.attempts = 0;
      a.notBefore = 0;
      return Effect().persist(new ToFallback(seq)).thenRun(this::dispatchNow);
    }
    deps.stats().failed.incrementAndGet();
    ctx.getLog().warn("app {}: webhook event {} ({} of call {}) not delivered to {} after {} attempt(s): {}",
        appId, d.event().uuid(), d.event().type(), d.callId(), entry.url(), a.attempts, error);
    return settle(seq);
  }
}
