package io.openvoice.batch;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.RecoveryCompleted;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;
import org.apache.pekko.persistence.typed.state.javadsl.SignalHandler;

/**
 * A bulk call (reference 3.9, {@code POST /rest/batch}), sharded by uuid and remembered, so a node that dies
 * mid-batch does not lose it: one call per phone, placed one after the other as fast as the account's
 * calls-per-second limit admits (a refused start is tried again a moment later). Its progress (the next phone,
 * calls started, calls that could not be placed) is stored after every call, so a restart neither skips a phone
 * nor calls one twice... except the one in flight when the node died, which may be placed again.
 */
public final class BatchEntity extends DurableStateBehavior<BatchEntity.Command, BatchEntity.Batch> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Batch");

  /** How often a batch tries its next call (the account's limit decides how many of these succeed). */
  static final Duration TICK = Duration.ofMillis(20);

  /**
   * {@code state}: created, processing, success (every phone placed), failed (none could be).
   * {@code outboundVoiceProfile}: the profile the calls leave with (its SIP connection and tech prefix), or null.
   */
  public record Batch(String uuid, String accountId, String tn, String leaseUuid, List<String> phones, String xml,
                      String state, int next, int started, int failed, Instant createdOn, Instant modifiedOn,
                      String outboundVoiceProfile)
      implements CborSerializable {
    public boolean exists() { return accountId != null; }

    Batch placed(boolean ok, Instant now) {
      int n = next + 1;
      int s = started + (ok ? 1 : 0);
      int f = failed + (ok ? 0 : 1);
      String st = n < phones.size() ? "processing" : s > 0 ? "success" : "failed";
      return new Batch(uuid, accountId, tn, leaseUuid, phones, xml, st, n, s, f, createdOn, now, outboundVoiceProfile);
    }
  }

  /**
   * What placing one call of a batch came to, and the account's calls-per-second limit when it was admitted (0:
   * unknown): the next call waits {@code 1000/cps} ms plus a margin, so the starts are evenly spaced and no clock
   * second ever holds more than the limit.
   */
  public record Placed(Kind kind, int cps) implements CborSerializable {
    public enum Kind { STARTED, THROTTLED, FAILED }

    public static Placed started(int cps) { return new Placed(Kind.STARTED, cps); }

    public static final Placed THROTTLED = new Placed(Kind.THROTTLED, 0);
    public static final Placed FAILED = new Placed(Kind.FAILED, 0);
  }

  public sealed interface Command extends CborSerializable {}

  public record Create(Batch batch, ActorRef<StatusReply<Batch>> replyTo) implements Command {}

  public record Get(String accountId, ActorRef<StatusReply<Batch>> replyTo) implements Command {}

  private record Tick() implements Command {}

  private record Result(int index, Placed placed) implements Command {}

  /** The pause after a started call is over. */
  private record Resume() implements Command {}

  public static Behavior<Command> create(String uuid, BiFunction<Batch, Integer, CompletionStage<Placed>> place,
                                         ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new BatchEntity(uuid, place, shard, ctx, timers)));
  }

  private final String uuid;
  private final BiFunction<Batch, Integer, CompletionStage<Placed>> place;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private boolean inFlight;

  private BatchEntity(String uuid, BiFunction<Batch, Integer, CompletionStage<Placed>> place,
                      ActorRef<ClusterSharding.ShardCommand> shard, ActorContext<Command> ctx,
                      TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid));
    this.uuid = uuid;
    this.place = place;
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public Batch emptyState() {
    return new Batch(uuid, null, null, null, List.of(), null, null, 0, 0, 0, null, null, null);
  }

  @Override
  public CommandHandler<Command, Batch> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, (s, c) -> {
          if (s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("batch " + uuid + " exists"));
          return Effect().persist(c.batch()).thenRun(st -> {
            ticking(st);
            c.replyTo().tell(StatusReply.success(st));
          });
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
            s.exists() && s.accountId().equals(c.accountId()) ? StatusReply.success(s) : StatusReply.error("not found")))
        .onCommand(Tick.class, (s, c) -> {
          if (!"processing".equals(s.state()) || inFlight) return Effect().none();
          inFlight = true;
          int index = s.next();
          ctx.pipeToSelf(place.apply(s, index), (p, err) -> new Result(index, err == null ? p : Placed.FAILED));
          return Effect().none();
        })
        .onCommand(Result.class, (s, r) -> {
          if (r.placed().kind() == Placed.Kind.THROTTLED || r.index() != s.next()) {
            inFlight = false; // try again next tick
            return Effect().none();
          }
          boolean ok = r.placed().kind() == Placed.Kind.STARTED;
          return Effect().persist(s.placed(ok, Instant.now())).thenRun(st -> {
            if (ok && r.placed().cps() > 0) {
              // evenly spaced starts, a little slower than the limit: ticks are skipped until the pause is over
              timers.startSingleTimer("spacing", new Resume(), Duration.ofMillis(1000L * 102 / 100 / r.placed().cps() + 1));
            } else {
              inFlight = false;
            }
            ticking(st);
          });
        })
        .onCommand(Resume.class, (s, r) -> {
          inFlight = false;
          return Effect().none();
        })
        .build();
  }

  @Override
  public SignalHandler<Batch> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::ticking).build();
  }

  /**
   * Ticks while there are phones to call; once done (or when woken only to be read) it stops, so that a finished
   * batch is not remembered and restarted with every node start.
   */
  private void ticking(Batch s) {
    if ("processing".equals(s.state())) {
      if (!timers.isTimerActive("tick")) timers.startTimerWithFixedDelay("tick", new Tick(), TICK);
    } else {
      timers.cancel("tick");
      if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    }
  }
}
