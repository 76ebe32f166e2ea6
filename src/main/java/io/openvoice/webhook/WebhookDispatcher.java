package io.openvoice.webhook;

import io.openvoice.account.AccountEntity;
import io.openvoice.call.HttpPort;
import io.openvoice.common.CborSerializable;
import io.openvoice.events.PlatformEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The webhook queue of one app: a sharded entity keyed by app uuid, <b>not persistent</b> (its queue lives in
 * memory on the node that hosts it: events still queued or being retried when that node dies or the entity moves
 * in a rebalance are lost).
 *
 * <p>Call entities {@code tell} it their events ({@link Deliver}); it never makes them wait. It holds at most
 * {@code queue-size} events (when full, the oldest not yet in flight is dropped, with a WARN naming the app and
 * the count), sends at most {@code max-in-flight} requests at a time, and the events of one call one after the
 * other in the order they came (a call's next event waits while its previous one is being retried). A failed
 * attempt (connection error, timeout, 5xx, 429) is retried with exponential backoff and jitter up to
 * {@code max-attempts}; other statuses are not retried. After the last failure the event goes once to the app's
 * {@code webhook_fallback_url} if it has one; otherwise a WARN and the {@code failed} counter. Requests are signed
 * with the account's secret (cached for {@code secret-cache-ttl}, so a rotation takes effect within it).
 */
public final class WebhookDispatcher extends AbstractBehavior<WebhookDispatcher.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "WebhookDispatcher");

  public sealed interface Command extends CborSerializable {}

  /**
   * One event to deliver, with the app's webhook settings as of the call's start. {@code timeoutMs} ≤ 0: the
   * node's {@code max-request-timeout}.
   */
  public record Deliver(String accountId, String url, String method, long timeoutMs, String fallbackUrl,
                        String callId, String state, String from, String to, PlatformEvent event) implements Command {}

  record Sent(long seq, int status, String error, WebhookOutcome.Kind kind) implements Command {}

  record Wake(long seq) implements Command {}

  record SecretLoaded(String secret, String error) implements Command {}

  record ReportDrops(long unused) implements Command {}

  record IdleCheck(long unused) implements Command {}

  /** What a dispatcher needs from its node. */
  public record Deps(HttpPort http, WebhookSettings settings, WebhookStats stats, ClusterSharding sharding,
                     Duration askTimeout) {}

  public static Behavior<Command> create(String appId, Deps deps,
                                         ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WebhookDispatcher(appId, deps, shard, ctx, timers)));
  }

  /** A queued event. {@code attempts}: requests made so far (to the current URL); {@code notBefore}: epoch ms. */
  private static final class Item {
    final long seq;
    final Deliver d;
    int attempts;
    long notBefore;
    boolean inFlight;
    boolean toFallback;

    Item(long seq, Deliver d) {
      this.seq = seq;
      this.d = d;
    }

    String url() {
      return toFallback ? d.fallbackUrl() : d.url();
    }
  }

  private final String appId;
  private final Deps deps;
  private final WebhookSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final TimerScheduler<Command> timers;
  /** Queued events in arrival order (in flight ones included), by seq. */
  private final LinkedHashMap<Long, Item> queue = new LinkedHashMap<>();
  private long nextSeq = 1;
  private int inFlight;
  private String accountId;
  private String secret;
  private long secretLoadedAt;
  private boolean loadingSecret;
  private long droppedSinceReport;

  private WebhookDispatcher(String appId, Deps deps, ActorRef<ClusterSharding.ShardCommand> shard,
                            ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(ctx);
    this.appId = appId;
    this.deps = deps;
    this.settings = deps.settings();
    this.shard = shard;
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Sent.class, this::onSent)
        .onMessage(Wake.class, w -> dispatch())
        .onMessage(SecretLoaded.class, this::onSecret)
        .onMessage(ReportDrops.class, r -> reportDrops())
        .onMessage(IdleCheck.class, i -> {
          if (queue.isEmpty() && shard != null) shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onDeliver(Deliver d) {
    timers.cancel("idle");
    if (accountId == null || !accountId.equals(d.accountId())) {
      accountId = d.accountId();
      secret = null; // an app belongs to one account; this only matters for a reused id
    }
    if (queue.size() >= settings.queueSize()) dropOldest();
    long seq = nextSeq++;
    queue.put(seq, new Item(seq, d));
    return dispatch();
  }

  private void dropOldest() {
    for (Iterator<Item> it = queue.values().iterator(); it.hasNext(); ) {
      Item i = it.next();
      if (i.inFlight) continue;
      it.remove();
      deps.stats().dropped.incrementAndGet();
      if (droppedSinceReport++ == 0) {
        timers.startSingleTimer("drops", new ReportDrops(0), Duration.ofSeconds(1));
      }
      return;
    }
  }

  /** One WARN a second at most while events are dropped, with how many. */
  private Behavior<Command> reportDrops() {
    if (droppedSinceReport > 0) {
      getContext().getLog().warn("app {}: webhook queue full ({} events), dropped the {} oldest unsent event(s)",
          appId, settings.queueSize(), droppedSinceReport);
      droppedSinceReport = 0;
    }
    return this;
  }

  /** Sends what may go now: the oldest waiting event of each call that has none in flight, up to max-in-flight. */
  private Behavior<Command> dispatch() {
    if (queue.isEmpty()) {
      if (inFlight == 0) timers.startSingleTimer("idle", new IdleCheck(0), settings.idleTimeout());
      return this;
    }
    long now = System.currentTimeMillis();
    if (secret == null || now - secretLoadedAt > settings.secretCacheTtl().toMillis()) {
      loadSecret();
      if (secret == null) return this;
    }
    Set<String> callsSeen = new HashSet<>();
    long nextWake = Long.MAX_VALUE;
    for (Item i : queue.values()) {
      if (inFlight >= settings.maxInFlight()) break;
      if (!callsSeen.add(i.d.callId())) continue; // a call's later events wait for its earlier one
      if (i.inFlight) continue;
      if (i.notBefore > now) {
        nextWake = Math.min(nextWake, i.notBefore);
        continue;
      }
      send(i, now);
    }
    if (nextWake != Long.MAX_VALUE) {
      timers.startSingleTimer("wake", new Wake(0), Duration.ofMillis(Math.max(1, nextWake - now)));
    }
    return this;
  }

  private void loadSecret() {
    if (loadingSecret || accountId == null) return;
    loadingSecret = true;
    var account = deps.sharding().entityRefFor(AccountEntity.TYPE_KEY, accountId);
    getContext().pipeToSelf(account.<String>askWithStatus(AccountEntity.GetWebhookSecret::new, deps.askTimeout()),
        (s, err) -> new SecretLoaded(s, err == null ? null : WebhookOutcome.describe(err)));
  }

  private Behavior<Command> onSecret(SecretLoaded m) {
    loadingSecret = false;
    if (m.secret() != null) {
      secret = m.secret();
      secretLoadedAt = System.currentTimeMillis();
      return dispatch();
    }
    getContext().getLog().warn("app {}: no webhook signing secret for account {} ({}); trying again in 1 s",
        appId, accountId, m.error());
    if (secret == null) timers.startSingleTimer("wake", new Wake(0), Duration.ofSeconds(1));
    else {
      secretLoadedAt = System.currentTimeMillis(); // keep the cached one a while longer
      return dispatch();
    }
    return this;
  }

  private void send(Item i, long now) {
    i.inFlight = true;
    i.attempts++;
    inFlight++;
    Deliver d = i.d;
    PlatformEvent ev = d.event();
    Duration timeout = d.timeoutMs() > 0 && d.timeoutMs() < settings.maxRequestTimeout().toMillis()
        ? Duration.ofMillis(d.timeoutMs()) : settings.maxRequestTimeout();
    WebhookRequests.Built b = WebhookRequests.build(d.method(), i.url(), timeout, secret, now / 1000,
        new WebhookRequests.Event(ev.uuid(), ev.type(), d.callId(), d.state(), d.from(), d.to(), ev.json()));
    long seq = i.seq;
    getContext().pipeToSelf(deps.http().send(b.request()), (res, err) -> {
      WebhookOutcome o = WebhookOutcome.of(res == null ? 0 : res.status(), err);
      return new Sent(seq, o.status(), o.error(), o.kind());
    });
  }

  private Behavior<Command> onSent(Sent s) {
    Item i = queue.get(s.seq());
    if (i == null) return dispatch();
    inFlight--;
    i.inFlight = false;
    Deliver d = i.d;
    switch (s.kind()) {
      case DELIVERED -> {
        queue.remove(s.seq());
        deps.stats().delivered.incrementAndGet();
        getContext().getLog().debug("app {}: event {} delivered to {} ({})", appId, d.event().uuid(), i.url(), s.status());
      }
      case RETRY -> {
        if (i.attempts < (i.toFallback ? 1 : settings.maxAttempts())) {
          Duration wait = settings.backoff().delay(i.attempts);
          i.notBefore = System.currentTimeMillis() + wait.toMillis();
          deps.stats().retried.incrementAndGet();
          getContext().getLog().debug("app {}: event {} attempt {} to {} failed ({}); retry in {} ms", appId,
              d.event().uuid(), i.attempts, i.url(), s.error(), wait.toMillis());
        } else {
          giveUp(i, s.error());
        }
      }
      case FINAL -> giveUp(i, s.error());
    }
    return dispatch();
  }

  /** The URL failed for good: the fallback once, if there is one and it was not what failed; else log and count. */
  private void giveUp(Item i, String error) {
    Deliver d = i.d;
    if (!i.toFallback && d.fallbackUrl() != null && !d.fallbackUrl().isBlank()) {
      getContext().getLog().info("app {}: event {} ({} of call {}) failed at {} after {} attempt(s) ({}); sending it "
          + "to the fallback URL", appId, d.event().uuid(), d.event().type(), d.callId(), d.url(), i.attempts, error);
      deps.stats().fallbacks.incrementAndGet();
      i.toFallback = true;
      i.attempts = 0;
      i.notBefore = 0;
      return;
    }
    queue.remove(i.seq);
    deps.stats().failed.incrementAndGet();
    getContext().getLog().warn("app {}: webhook event {} ({} of call {}) not delivered to {} after {} attempt(s): {}",
        appId, d.event().uuid(), d.event().type(), d.callId(), i.url(), i.attempts, error);
  }
}
