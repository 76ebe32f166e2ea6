package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The pool of one messaging profile (sharded by the profile's uuid): picks senders ({@link SmsPool#pick}) and
 * keeps the health of its numbers, fed by the outcomes of their sends.
 *
 * <p>Nothing of it is persisted: the round-robin counters and the health live in memory (a restart or a move to
 * another node starts them afresh; health is a minutes-long heuristic). The sticky senders are rows of
 * {@link StickySenders}, behind an LRU cache of {@code sticky-cache} recent pairs. A pick for a recipient whose
 * pair is not cached looks it up (a future piped to itself, never blocking); picks for that recipient that arrive
 * meanwhile wait for the answer, other recipients' picks go on. At most {@link #MAX_LOOKUPS} recipients are looked
 * up at a time; further picks wait in a backlog of at most {@link #MAX_BACKLOG} (beyond it, or when the database
 * fails, a pick is answered without stickiness rather than not at all, and a warning logged).
 */
public final class SmsPoolEntity extends AbstractBehavior<SmsPoolEntity.Command> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SmsPool");

  /** Recipients whose stored sender may be in the database's hands at once. */
  static final int MAX_LOOKUPS = 16;
  /** Picks that may wait for a lookup slot. */
  static final int MAX_BACKLOG = 10_000;
  /** Claims of one recipient's pair before a pick gives up storing it (another writer kept changing it). */
  static final int CLAIM_ROUNDS = 3;
  /** The longest recipient a pair is stored for (the table's column); longer ones are picked without stickiness. */
  static final int MAX_RECIPIENT = 32;

  public sealed interface Command extends CborSerializable {}

  /** Pick a sender among {@code tns} for {@code recipient}. */
  public record Pick(List<String> tns, String recipient, SmsPool.Settings settings, ActorRef<Chosen> replyTo)
      implements Command {}

  /** The sender chosen; null when the pool has none. */
  public record Chosen(String tn) implements CborSerializable {}

  /** A send from {@code tn} ended: sent ({@code ok}) or failed. */
  public record Outcome(String tn, boolean ok) implements Command {}

  /** The recipient's stored pair (null: none), or why it could not be read. */
  private record Found(String recipient, StickySenders.Row row, String error) implements Command {}

  /** A claim of {@code chosen} for the recipient ended with {@code row} in the table ({@code ours} or another's). */
  private record Claimed(String recipient, String chosen, StickySenders.Row row, boolean ours, int round,
                         String error) implements Command {}

  /** A refresh of the recipient's {@code used_on} changed the row ({@code updated}) or did not. */
  private record Touched(String recipient, String sender, boolean updated) implements Command {}

  public static Behavior<Command> create(String profileUuid, SmsPoolSettings settings, StickySenders store) {
    return Behaviors.setup(ctx -> new SmsPoolEntity(ctx, profileUuid, settings, store));
  }

  private final String profile;
  private final SmsPoolSettings settings;
  private final StickySenders store;
  private SmsPool.State pool = SmsPool.State.EMPTY;
  /** Recent pairs as stored (least recently used first). */
  private final LinkedHashMap<String, StickySenders.Row> cache;
  /** Recipients being looked up or claimed: the pick in hand first, then those waiting for the same answer. */
  private final HashMap<String, ArrayDeque<Pick>> busy = new HashMap<>();
  private final ArrayDeque<Pick> backlog = new ArrayDeque<>();

  private SmsPoolEntity(ActorContext<Command> ctx, String profile, SmsPoolSettings settings, StickySenders store) {
    super(ctx);
    this.profile = profile;
    this.settings = settings;
    this.store = store;
    int size = settings.stickyCache();
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StickySenders.Row> eldest) {
        return size() > size;
      }
    };
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Pick.class, this::onPick)
        .onMessage(Outcome.class, o -> {
          pool = SmsPool.outcome(pool, o.tn(), o.ok(), Instant.now(), settings.unhealthyAfter(),
              settings.unhealthyFor());
          return this;
        })
        .onMessage(Found.class, this::onFound)
        .onMessage(Claimed.class, this::onClaimed)
        .onMessage(Touched.class, this::onTouched)
        .build();
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS); // as the table keeps it
  }

  private Behavior<Command> onPick(Pick c) {
    handle(c, now());
    drainBacklog();
    return this;
  }

  private void handle(Pick c, Instant now) {
    String r = c.recipient();
    if (!c.settings().stickySender() || r == null || r.length() > MAX_RECIPIENT
        || SmsPool.usable(pool, c.tns(), c.settings(), now).isEmpty()) {
      answerUnstored(c, now);
      return;
    }
    ArrayDeque<Pick> waiting = busy.get(r);
    if (waiting != null) {
      waiting.add(c);
      return;
    }
    StickySenders.Row row = cache.get(r);
    if (row != null && keeps(c, row, now)) {
      use(c, row, now);
      return;
    }
    if (busy.size() >= MAX_LOOKUPS) {
      if (backlog.size() < MAX_BACKLOG) {
        backlog.add(c);
      } else {
        getContext().getLog().warn("sms pool {}: {} picks wait for sticky look-ups; answering one without stickiness",
            profile, backlog.size());
        answerUnstored(c, now);
      }
      return;
    }
    ArrayDeque<Pick> q = new ArrayDeque<>();
    q.add(c);
    busy.put(r, q);
    if (row != null) {
      cache.remove(r);
      decide(c, row, now); // the cached pair is known; no need to read it again before replacing it
    } else {
      getContext().pipeToSelf(bounded(store.find(profile, r)),
          (found, err) -> new Found(r, err == null ? found.orElse(null) : null, err == null ? null : err.toString()));
    }
  }

  /** Whether the stored pair may serve this pick: unexpired, its sender a usable number of the pick's. */
  private boolean keeps(Pick c, StickySenders.Row row, Instant now) {
    return !row.expired(now, settings.stickyTtl()) && SmsPool.keeps(pool, c.tns(), row.sender(), c.settings(), now);
  }

  /** Answers with the stored sender (it {@link #keeps}). */
  private void use(Pick c, StickySenders.Row row, Instant now) {
    pool = SmsPool.pick(pool, c.tns(), row.sender(), c.settings(), now).next();
    keep(c.recipient(), row, now);
    c.replyTo().tell(new Chosen(row.sender()));
  }

  /** Caches the pair in use, refreshing its {@code used_on} when due (at most once a day). */
  private void keep(String r, StickySenders.Row row, Instant now) {
    if (row.due(now, settings.stickyRefresh())) {
      remember(r, new StickySenders.Row(row.sender(), now));
      getContext().pipeToSelf(bounded(store.touch(profile, r, row.sender(), now, now.minus(settings.stickyRefresh()))),
          (updated, err) -> new Touched(r, row.sender(), err == null && updated));
    } else {
      remember(r, row);
    }
  }

  /** A round-robin pick, answered and not stored. */
  private void answerUnstored(Pick c, Instant now) {
    SmsPool.Picked p = SmsPool.pick(pool, c.tns(), c.settings(), now);
    pool = p.next();
    c.replyTo().tell(new Chosen(p.tn()));
  }

  /** The pick in hand for a recipient whose pair is {@code row} (null: none): keep it, or choose and claim. */
  private void decide(Pick c, StickySenders.Row row, Instant now) {
    StickySenders.Row live = row != null && !row.expired(now, settings.stickyTtl()) ? row : null;
    SmsPool.Picked p = SmsPool.pick(pool, c.tns(), live == null ? null : live.sender(), c.settings(), now);
    pool = p.next();
    String r = c.recipient();
    if (p.tn() == null) {
      finish(r, null, now);
    } else if (p.kept()) {
      keep(r, live, now);
      finish(r, live.sender(), now);
    } else {
      claim(r, row, p.tn(), 1);
    }
  }

  private void claim(String r, StickySenders.Row expected, String chosen, int round) {
    getContext().pipeToSelf(bounded(store.claim(profile, r, expected, chosen, now())), (claim, err) -> err == null
        ? new Claimed(r, chosen, claim.row(), claim.ours(), round, null)
        : new Claimed(r, chosen, null, false, round, err.toString()));
  }

  private Behavior<Command> onFound(Found f) {
    Instant now = now();
    Pick c = inHand(f.recipient());
    if (c == null) return this;
    if (f.error() != null) {
      getContext().getLog().warn("sms pool {}: the sticky sender of {} could not be read ({}); picking without it",
          profile, f.recipient(), f.error());
      SmsPool.Picked p = SmsPool.pick(pool, c.tns(), c.settings(), now);
      pool = p.next();
      finish(f.recipient(), p.tn(), now);
    } else {
      decide(c, f.row(), now);
    }
    drainBacklog();
    return this;
  }

  private Behavior<Command> onClaimed(Claimed m) {
    Instant now = now();
    String r = m.recipient();
    Pick c = inHand(r);
    if (c == null) return this;
    if (m.error() != null) {
      getContext().getLog().warn("sms pool {}: the sticky sender {} of {} could not be stored ({}); using it unstored",
          profile, m.chosen(), r, m.error());
      finish(r, m.chosen(), now);
    } else if (m.ours()) {
      remember(r, m.row());
      finish(r, m.chosen(), now);
    } else if (keeps(c, m.row(), now)) {
      remember(r, m.row()); // another writer stored its choice first: everyone uses it
      finish(r, m.row().sender(), now);
    } else if (m.round() < CLAIM_ROUNDS) {
      claim(r, m.row(), m.chosen(), m.round() + 1); // what it stored is of no use here (left the pool, unhealthy)
    } else {
      getContext().getLog().warn("sms pool {}: the sticky sender of {} kept changing; using {} unstored", profile, r,
          m.chosen());
      finish(r, m.chosen(), now);
    }
    drainBacklog();
    return this;
  }

  private Behavior<Command> onTouched(Touched t) {
    StickySenders.Row cached = cache.get(t.recipient());
    // not refreshed: the row is gone or changed (or the write failed); the next pick reads it again
    if (!t.updated() && cached != null && cached.sender().equals(t.sender())) cache.remove(t.recipient());
    return this;
  }

  private Pick inHand(String r) {
    ArrayDeque<Pick> q = busy.get(r);
    return q == null ? null : q.peek();
  }

  /**
   * The recipient's look-up is over: the pick in hand gets {@code sender}, and so do those that waited for it when
   * it is a usable number of theirs; the others are handled again.
   */
  private void finish(String r, String sender, Instant now) {
    ArrayDeque<Pick> q = busy.remove(r);
    if (q == null) return;
    Pick head = q.poll();
    if (head != null) head.replyTo().tell(new Chosen(sender));
    for (Pick waiting : q) {
      if (sender != null && waiting.settings().stickySender()
          && SmsPool.keeps(pool, waiting.tns(), sender, waiting.settings(), now)) {
        pool = SmsPool.pick(pool, waiting.tns(), sender, waiting.settings(), now).next();
        waiting.replyTo().tell(new Chosen(sender));
      } else {
        handle(waiting, now);
      }
    }
  }

  /** How long a sticky look-up or write may take before the pick goes on without it (a hung database). */
  static final java.time.Duration STORE_TIMEOUT = java.time.Duration.ofSeconds(5);

  /**
   * The store's answer, or a timeout failure after {@link #STORE_TIMEOUT}: a recipient's picks never wait longer
   * for the table (they are answered without stickiness, as on any database failure).
   */
  private static <T> java.util.concurrent.CompletionStage<T> bounded(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().copy().orTimeout(STORE_TIMEOUT.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void drainBacklog() {
    Instant now = now();
    while (!backlog.isEmpty() && busy.size() < MAX_LOOKUPS) handle(backlog.poll(), now);
  }

  private void remember(String r, StickySenders.Row row) {
    if (settings.stickyCache() > 0) cache.put(r, row);
  }
}
