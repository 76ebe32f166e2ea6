package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.SmsMessage.Phase;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import io.openvoice.sms.gateway.SmsSink.DlrStatus;
import java.time.Duration;
import java.time.Instant;
import io.openvoice.common.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One SMS, sharded by its uuid, event-sourced and remembered while it has work to do: an outbound message is never
 * lost and never sent twice. Before each gateway call the attempt is journalled ({@link SmsMessage.AttemptStarted});
 * the gateway's answer is journalled next: accepted → {@code sent}; a retryable refusal → another attempt after a
 * bounded backoff ({@code openvoice.sms.max-attempts}, {@code backoff}), then {@code failed} with the last reason;
 * a final refusal → {@code failed}. When an attempt's outcome is unknown (the gateway says it may have gone out, or
 * the entity restarted, e.g. on another node, while an attempt was in flight) it is <b>not</b> sent again: the entity
 * waits up to {@code confirm-wait} for a delivery report of the message (any report proves it went out), and
 * otherwise ends {@code failed} with reason {@code submit_unconfirmed}. Delivery reports: DELIVERED sets
 * {@code delivered}; UNDELIVERABLE and SMSC_REJECTED end it {@code failed} with the report's text; BUFFERED and
 * SMSC_ACCEPTED are passed on as events. The first final report (DELIVERED, UNDELIVERABLE, SMSC_REJECTED) wins: a
 * later one (a late or out-of-order report, or another part of a multipart message) is journalled as information
 * and changes nothing; the same status again is dropped. Any report about a message that had failed before a
 * report (e.g. {@code submit_unconfirmed}) proves it was sent: it becomes {@code sent} (or fails with the report's
 * text) and the parts given back to the balance are taken again. Inbound messages are entities too (id derived from the gateway's id, so a
 * message handed over twice is kept once).
 *
 * <p>Before the first attempt the message's parts are taken from the account's SMS balance (phase
 * {@code CHARGING}: journalled first, then charged through a ledger keyed by the message, so a restart charges
 * again without taking twice); the API's caller is answered once that is decided ({@code insufficient_balance}
 * ends it failed at once, nothing sent).
 *
 * <p>What a change makes happen outside (the {@code sms} event and webhook, the pool's number health, a refund or
 * re-debit of the balance) is journalled with the change as pending effects ({@link SmsMessage#step}: an outbox),
 * carried out after it, and marked done ({@link SmsMessage.EffectsDone}) before the entity stops; a crash in
 * between runs them again on recovery: at least once, each notification with the same event uuid, each balance
 * change once (the ledger). The entity stops itself {@code idle-stop} after it has nothing left to do; a later
 * report or read starts it again from its journal.
 */
public final class SmsMessageEntity
    extends EventSourcedBehavior<SmsMessageEntity.Command, SmsMessage.Event, SmsMessage.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SmsMessage");
  /** The tag of every event (the SMS log projection reads it). */
  public static final String TAG = "sms";

  public sealed interface Command extends CborSerializable {}

  /**
   * Start an outbound message (state created, then charged); a message that exists already is answered as it is
   * (once its charge is decided), unless it was refused for want of balance: then it starts again.
   */
  public record Send(Message message, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /** Keep an inbound message; one that exists already (the same gateway id) is answered as it is. */
  public record Receive(Message message, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /** The message as {@code accountId} sees it ({@code null}: the platform); else "not found". */
  public record Get(String accountId, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /**
   * A delivery report for this message; {@code replyTo} (may be null) is answered once it is journalled, or at once
   * when there is nothing to journal (an unknown message, a report that changes nothing).
   */
  public record Report(String gateway, DlrStatus status, String detail, String reference, ActorRef<Done> replyTo)
      implements Command {
    public Report(String gateway, DlrStatus status, String detail) {
      this(gateway, status, detail, null, null);
    }

    public Report(String gateway, DlrStatus status, String detail, ActorRef<Done> replyTo) {
      this(gateway, status, detail, null, replyTo);
    }
  }

  /** The gateway's answer to attempt {@code attempt}. */
  record Submitted(int attempt, String gateway, boolean accepted, String reference, String reason, String detail,
                   boolean retryable, boolean maybeSent) implements Command {}

  /** The balance's answer to the charge. */
  record ChargeAnswer(boolean ok, Long balance, String error) implements Command {}

  /** Charge again after the balance could not be reached. */
  record ChargeAgain() implements Command {}

  /** Effect {@code id} was carried out ({@code error} null) or failed. */
  record EffectRan(long id, String error) implements Command {}

  /** Run the pending effects not carried out yet (after one failed). */
  record RunEffects() implements Command {}

  /** A timer of the phase that was current when it was started. */
  record Due(Phase phase, int attempt) implements Command {}

  /** After recovery: carry on with what the journal says is pending. */
  record Resume() implements Command {}

  record Stop() implements Command {}

  public static Behavior<Command> create(String uuid, SmsDeps deps, ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new SmsMessageEntity(uuid, deps, shard, ctx, t)));
  }

  private final SmsDeps deps;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  /**
   * The attempt this incarnation handed to a gateway (0: none): an attempt in flight that is not it was cut off.
   * Reset on each {@link RecoveryCompleted}: this object outlives a restart after a journal failure.
   */
  private int attemptedHere;
  /** Callers of {@link Send} waiting for the charge to be decided (this incarnation's). */
  private final List<ActorRef<StatusReply<Message>>> waiting = new ArrayList<>();
  private boolean charging;
  private int chargeFailures;
  /** Pending effects this incarnation started, and those that completed. */
  private final Set<Long> effectsStarted = new HashSet<>();
  private final Set<Long> effectsDone = new HashSet<>();
  private int effectFailures;

  private SmsMessageEntity(String uuid, SmsDeps deps, ActorRef<ClusterSharding.ShardCommand> shard,
                           ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.deps = deps;
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public SmsMessage.State emptyState() {
    return SmsMessage.State.EMPTY;
  }

  @Override
  public Set<String> tagsFor(SmsMessage.Event event) {
    return Set.of(TAG);
  }

  @Override
  public EventHandler<SmsMessage.State, SmsMessage.Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SmsMessage::step);
  }

  @Override
  public SignalHandler<SmsMessage.State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), m -> {
          // a recovery is a new incarnation, also after a persist failure, where the behaviour restarts (with
          // backoff) inside this same object: an attempt in flight now was handed over by an earlier one, and the
          // pending effects are not known to be done
          attemptedHere = 0;
          charging = false;
          chargeFailures = 0;
          effectsStarted.clear();
          effectsDone.clear();
          effectFailures = 0;
          ctx.getSelf().tell(new Resume());
        })
        .build();
  }

  @Override
  public CommandHandler<Command, SmsMessage.Event, SmsMessage.State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Send.class, (s, c) -> onSend(s.message(), c))
        .onCommand(Receive.class, (s, c) -> onReceive(s.message(), c))
        .onCommand(Get.class, (s, c) -> {
          Message m = s.message();
          return Effect().reply(c.replyTo(), m.exists()
              && (c.accountId() == null || c.accountId().equals(m.accountId())) ? StatusReply.success(m)
              : StatusReply.error("not found"));
        })
        .onCommand(Report.class, (s, c) -> onReport(s.message(), c))
        .onCommand(ChargeAnswer.class, (s, c) -> onCharged(s.message(), c))
        .onCommand(ChargeAgain.class, (s, c) -> {
          if (s.message().phase() == Phase.CHARGING) charge(s.message());
          return Effect().none();
        })
        .onCommand(Submitted.class, (s, c) -> onSubmitted(s.message(), c))
        .onCommand(Due.class, (s, c) -> onDue(s.message(), c))
        .onCommand(Resume.class, (s, c) -> {
          runEffects(s);
          return resume(s.message());
        })
        .onCommand(EffectRan.class, this::onEffectRan)
        .onCommand(RunEffects.class, (s, c) -> {
          runEffects(s);
          return Effect().none();
        })
        .onCommand(Stop.class, (s, c) -> onStop(s))
        .build();
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onSend(Message m, Send c) {
    if (m.exists() && m.phase() == Phase.CHARGING) {
      waiting.add(c.replyTo()); // the same message asked again (an API retry) while its charge is decided
      return Effect().none();
    }
    // a message refused for want of balance is started again when it is sent again (the balance may be topped up)
    if (m.exists() && !m.refusedForBalance()) return Effect().reply(c.replyTo(), StatusReply.success(m));
    return Effect().persist(new SmsMessage.Created(c.message())).thenRun(st -> {
      if (st.message().phase() == Phase.CHARGING) waiting.add(c.replyTo());
      else c.replyTo().tell(StatusReply.success(st.message()));
      ctx.getSelf().tell(new Resume());
    });
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onReceive(Message m, Receive c) {
    if (m.exists()) return Effect().reply(c.replyTo(), StatusReply.success(m));
    return Effect().persist(new SmsMessage.Received(c.message()))
        .thenRun(this::afterChange)
        .thenReply(c.replyTo(), st -> StatusReply.success(st.message()));
  }

  /** What the journal says is pending, after recovery or creation. */
  private Effect<SmsMessage.Event, SmsMessage.State> resume(Message m) {
    if (!m.exists() || !m.outbound()) {
      idle();
      return Effect().none();
    }
    Instant now = Instant.now();
    return switch (m.phase()) {
      case CHARGING -> {
        charge(m);
        yield Effect().none();
      }
      case NEW -> attempt(m, 1);
      case IN_FLIGHT -> {
        if (attemptedHere == m.attempts()) yield Effect().none(); // ours, its answer is on its way
        // this incarnation did not hand the attempt over: it may have gone out; do not send it again
        ctx.getLog().info("sms {}: attempt {} was in flight when the entity stopped; waiting for a delivery report",
            m.uuid(), m.attempts());
        Instant until = now.plus(deps.settings().confirmWait());
        yield Effect().persist(new SmsMessage.Unconfirmed(m.gateway(), "restarted_in_flight",
                "the entity restarted while attempt " + m.attempts() + " was in flight", until, now))
            .thenRun(st -> wake(st.message()));
      }
      case RETRY_WAIT, UNCONFIRMED -> {
        wake(m);
        yield Effect().none();
      }
      case DONE -> {
        idle();
        yield Effect().none();
      }
    };
  }

  /** Asks the balance for the message's parts (again after a restart: the ledger takes them once). */
  private void charge(Message m) {
    if (charging) return;
    charging = true;
    ctx.pipeToSelf(deps.charge().apply(m).toCompletableFuture().orTimeout(deps.settings().submitTimeout().toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS), (d, err) -> err != null
            ? new ChargeAnswer(false, null, String.valueOf(Errors.describe(err)))
            : new ChargeAnswer(d.ok(), d.balance(), null));
  }

  /** How often a charge is tried when the balance cannot be reached, before the message fails. */
  static final int CHARGE_TRIES = 3;

  private Effect<SmsMessage.Event, SmsMessage.State> onCharged(Message m, ChargeAnswer a) {
    charging = false;
    if (m.phase() != Phase.CHARGING) return Effect().none();
    if (a.error() != null) {
      chargeFailures++;
      if (chargeFailures < CHARGE_TRIES) {
        ctx.getLog().warn("sms {}: the SMS balance could not be charged ({}); trying again", m.uuid(), a.error());
        timers.startSingleTimer("charge", new ChargeAgain(), Duration.ofSeconds(chargeFailures));
        return Effect().none();
      }
      ctx.getLog().warn("sms {}: the SMS balance could not be charged ({}); the message fails", m.uuid(), a.error());
      return Effect().persist(new SmsMessage.Failed(null, "balance_unavailable", "the account's SMS balance could "
              + "not be charged: " + a.error(), Instant.now()))
          .thenRun(this::afterCharge);
    }
    if (!a.ok()) {
      return Effect().persist(new SmsMessage.Failed(null, "insufficient_balance", "needs " + m.parts()
              + " SMS part(s); the account's SMS balance is " + a.balance(), Instant.now()))
          .thenRun(this::afterCharge);
    }
    return Effect().persist(new SmsMessage.Charged(a.balance(), Instant.now()))
        .thenRun(this::afterCharge)
        .thenRun(st -> ctx.getSelf().tell(new Resume()));
  }

  /** The charge is decided: the callers waiting for it are answered. */
  private void afterCharge(SmsMessage.State st) {
    for (ActorRef<StatusReply<Message>> r : waiting) r.tell(StatusReply.success(st.message()));
    waiting.clear();
    afterChange(st);
  }

  /** Journals attempt {@code n}, then hands the message to the gateway router. */
  private Effect<SmsMessage.Event, SmsMessage.State> attempt(Message m, int n) {
    return Effect().persist(new SmsMessage.AttemptStarted(n, Instant.now())).thenRun(state -> {
      attemptedHere = n;
      CompletionStage<SmsDeps.Routed> sent = deps.submit().apply(state.message());
      ctx.pipeToSelf(sent.toCompletableFuture().orTimeout(deps.settings().submitTimeout().toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS), (r, err) -> {
            if (err != null) {
              // no answer from the gateway in time, or a bug in it: the message may have gone out
              return new Submitted(n, null, false, null, "gateway_error", String.valueOf(err.getMessage()), true, true);
            }
            if (r.result() instanceof SubmitResult.Accepted a) {
              return new Submitted(n, r.gateway(), true, a.reference(), null, null, false, false);
            }
            SubmitResult.Rejected x = (SubmitResult.Rejected) r.result();
            return new Submitted(n, r.gateway(), false, null, x.reason(), x.detail(), x.retryable(), x.maybeSent());
          });
    });
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onSubmitted(Message m, Submitted s) {
    if (m.phase() != Phase.IN_FLIGHT || m.attempts() != s.attempt()) {
      ctx.getLog().debug("sms {}: late answer to attempt {} dropped (phase {})", m.uuid(), s.attempt(), m.phase());
      return Effect().none();
    }
    Instant now = Instant.now();
    if (s.accepted()) {
      return Effect().persist(new SmsMessage.Accepted(s.gateway(), s.reference(), now)).thenRun(this::afterChange);
    }
    if (s.maybeSent()) {
      Instant until = now.plus(deps.settings().confirmWait());
      return Effect().persist(new SmsMessage.Unconfirmed(s.gateway(), s.reason(), s.detail(), until, now))
          .thenRun(st -> wake(st.message()));
    }
    if (s.retryable() && s.attempt() < deps.settings().maxAttempts()) {
      Instant at = now.plus(deps.settings().backoff().delay(s.attempt()));
      return Effect().persist(new SmsMessage.AttemptFailed(s.gateway(), s.reason(), s.detail(), at, now))
          .thenRun(st -> wake(st.message()));
    }
    return fail(s.gateway(), s.reason(), s.detail());
  }

  private Effect<SmsMessage.Event, SmsMessage.State> fail(String gateway, String reason, String detail) {
    return Effect().persist(new SmsMessage.Failed(gateway, reason, detail, Instant.now())).thenRun(st -> {
      ctx.getLog().info("sms {}: failed after {} attempt(s): {} ({})", st.message().uuid(), st.message().attempts(),
          reason, detail);
      afterChange(st);
    });
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onDue(Message m, Due d) {
    if (m.phase() != d.phase() || m.attempts() != d.attempt()) return Effect().none();
    if (m.phase() == Phase.RETRY_WAIT) return attempt(m, m.attempts() + 1);
    if (m.phase() == Phase.UNCONFIRMED) {
      return fail(m.gateway(), "submit_unconfirmed", "no delivery report within "
          + deps.settings().confirmWait().toSeconds() + " s after an attempt whose outcome is unknown ("
          + m.reason() + (m.detail() == null ? "" : ": " + m.detail()) + ")");
    }
    return Effect().none();
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onReport(Message m, Report r) {
    if (!m.exists() || !m.outbound()) {
      ctx.getLog().info("sms {}: delivery report {} for an unknown message dropped", ctx.getSelf().path().name(), r.status());
      if (!m.exists()) idle();
      acknowledge(r);
      return Effect().none();
    }
    if (r.status().name().equals(m.dlrStatus())) {
      // the same report again (a gateway's retry, or another part of a multipart message): nothing to keep
      ctx.getLog().debug("sms {}: delivery report {} again, dropped", m.uuid(), r.status());
      acknowledge(r);
      return Effect().none();
    }
    if (m.finallyReported()) {
      ctx.getLog().info("sms {}: delivery report {} after the final {} kept as information only", m.uuid(),
          r.status(), m.dlrStatus());
    } else if (m.refunded()) {
      ctx.getLog().info("sms {}: delivery report {} proves the message, failed {}, was sent: its parts are taken again",
          m.uuid(), r.status(), m.reason());
    }
    return Effect().persist(new SmsMessage.Dlr(r.gateway(), r.status(), r.detail(), Instant.now(), r.reference()))
        .thenRun(this::afterChange)
        .thenRun(st -> acknowledge(r));
  }

  private static void acknowledge(Report r) {
    if (r.replyTo() != null) r.replyTo().tell(Done.getInstance());
  }

  /** After a journalled change: its effects, and the idle timer when nothing else is due. */
  private void afterChange(SmsMessage.State st) {
    runEffects(st);
    if (st.message().phase() == Phase.DONE) idle();
  }

  /** Starts the pending effects this incarnation has not started; each reports back ({@link EffectRan}). */
  private void runEffects(SmsMessage.State st) {
    for (SmsMessage.Pending p : st.pending()) {
      if (!effectsStarted.add(p.id())) continue;
      CompletionStage<?> done;
      try {
        done = deps.effects().run(p);
      } catch (RuntimeException e) {
        done = java.util.concurrent.CompletableFuture.failedFuture(e);
      }
      ctx.pipeToSelf(done.toCompletableFuture().orTimeout(deps.settings().submitTimeout().toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS), (x, err) -> new EffectRan(p.id(),
              err == null ? null : Errors.describe(err)));
    }
  }

  private Effect<SmsMessage.Event, SmsMessage.State> onEffectRan(SmsMessage.State st, EffectRan r) {
    if (r.error() == null) {
      effectsDone.add(r.id());
      effectFailures = 0;
    } else {
      effectsStarted.remove(r.id());
      effectFailures++;
      Duration in = EFFECT_RETRY.multipliedBy(1L << Math.min(effectFailures - 1, 4)); // 2 s doubling to 32 s
      ctx.getLog().warn("sms {}: effect {} failed ({}); trying again in {} s", st.message().uuid(), r.id(), r.error(),
          in.toSeconds());
      timers.startSingleTimer("effects", new RunEffects(), in);
    }
    return Effect().none();
  }

  static final Duration EFFECT_RETRY = Duration.ofSeconds(2);

  /**
   * Stops a message with nothing left to do; its carried-out effects are journalled as done first. One whose effects
   * are still running waits for another idle period.
   */
  private Effect<SmsMessage.Event, SmsMessage.State> onStop(SmsMessage.State st) {
    Message m = st.message();
    if (m.exists() && m.phase() != Phase.DONE) return Effect().none();
    if (!st.pending().isEmpty()) {
      boolean allDone = st.pending().stream().allMatch(p -> effectsDone.contains(p.id()));
      if (!allDone) {
        runEffects(st);
        idle();
        return Effect().none();
      }
      long upTo = st.pending().get(st.pending().size() - 1).id();
      SmsMessage.EffectsDone done = new SmsMessage.EffectsDone(upTo);
      if (shard == null) return Effect().persist(done).thenStop();
      return Effect().persist(done).thenRun(x -> shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf())));
    }
    return passivate();
  }

  private Effect<SmsMessage.Event, SmsMessage.State> passivate() {
    if (shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
      return Effect().none();
    }
    return Effect().stop();
  }

  /** Starts the timer of the current waiting phase. */
  private void wake(Message m) {
    if (m.nextAt() == null) return;
    Duration in = Duration.between(Instant.now(), m.nextAt());
    timers.startSingleTimer("due", new Due(m.phase(), m.attempts()), in.isNegative() ? Duration.ZERO : in);
  }

  private void idle() {
    timers.startSingleTimer("stop", new Stop(), deps.settings().idleStop());
  }

  /** For tests and logs: the phases that still have work. */
  static final List<Phase> ACTIVE = List.of(Phase.CHARGING, Phase.NEW, Phase.IN_FLIGHT, Phase.RETRY_WAIT,
      Phase.UNCONFIRMED);
}
