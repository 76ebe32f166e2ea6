package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.SmsMessage.Phase;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import io.openvoice.sms.gateway.SmsSink.DlrStatus;
import java.time.Duration;
import java.time.Instant;
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
 * message handed over twice is kept once). Every change that matters is published as an {@code sms} event and sent
 * to the message's webhooks ({@link SmsDeps#notifier}). The entity stops itself {@code idle-stop} after it has
 * nothing left to do; a later report or read starts it again from its journal.
 */
public final class SmsMessageEntity extends EventSourcedBehavior<SmsMessageEntity.Command, SmsMessage.Event, Message> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SmsMessage");
  /** The tag of every event (the SMS log projection reads it). */
  public static final String TAG = "sms";

  public sealed interface Command extends CborSerializable {}

  /** Start an outbound message (state created); a message that exists already is answered as it is. */
  public record Send(Message message, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /** Keep an inbound message; one that exists already (the same gateway id) is answered as it is. */
  public record Receive(Message message, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /** The message as {@code accountId} sees it ({@code null}: the platform); else "not found". */
  public record Get(String accountId, ActorRef<StatusReply<Message>> replyTo) implements Command {}

  /**
   * A delivery report for this message; {@code replyTo} (may be null) is answered once it is journalled, or at once
   * when there is nothing to journal (an unknown message, a report that changes nothing).
   */
  public record Report(String gateway, DlrStatus status, String detail, ActorRef<Done> replyTo) implements Command {
    public Report(String gateway, DlrStatus status, String detail) {
      this(gateway, status, detail, null);
    }
  }

  /** The gateway's answer to attempt {@code attempt}. */
  record Submitted(int attempt, String gateway, boolean accepted, String reference, String reason, String detail,
                   boolean retryable, boolean maybeSent) implements Command {}

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
  public Message emptyState() {
    return SmsMessage.empty();
  }

  @Override
  public Set<String> tagsFor(SmsMessage.Event event) {
    return Set.of(TAG);
  }

  @Override
  public EventHandler<Message, SmsMessage.Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SmsMessage::apply);
  }

  @Override
  public SignalHandler<Message> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), m -> {
          // a recovery is a new incarnation, also after a persist failure, where the behaviour restarts (with
          // backoff) inside this same object: an attempt in flight now was handed over by an earlier one
          attemptedHere = 0;
          ctx.getSelf().tell(new Resume());
        })
        .build();
  }

  @Override
  public CommandHandler<Command, SmsMessage.Event, Message> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Send.class, this::onSend)
        .onCommand(Receive.class, this::onReceive)
        .onCommand(Get.class, (m, c) -> Effect().reply(c.replyTo(), m.exists()
            && (c.accountId() == null || c.accountId().equals(m.accountId())) ? StatusReply.success(m)
            : StatusReply.error("not found")))
        .onCommand(Report.class, this::onReport)
        .onCommand(Submitted.class, this::onSubmitted)
        .onCommand(Due.class, this::onDue)
        .onCommand(Resume.class, (m, c) -> resume(m))
        .onCommand(Stop.class, (m, c) -> {
          if (m.phase() == Phase.DONE || !m.exists()) {
            if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
            else return Effect().stop();
          }
          return Effect().none();
        })
        .build();
  }

  private Effect<SmsMessage.Event, Message> onSend(Message m, Send c) {
    if (m.exists()) return Effect().reply(c.replyTo(), StatusReply.success(m));
    return Effect().persist(new SmsMessage.Created(c.message()))
        .thenRun(st -> ctx.getSelf().tell(new Resume()))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private Effect<SmsMessage.Event, Message> onReceive(Message m, Receive c) {
    if (m.exists()) return Effect().reply(c.replyTo(), StatusReply.success(m));
    return Effect().persist(new SmsMessage.Received(c.message()))
        .thenRun(st -> deps.notifier().notify(st, "received"))
        .thenRun(st -> idle())
        .thenReply(c.replyTo(), StatusReply::success);
  }

  /** What the journal says is pending, after recovery or creation. */
  private Effect<SmsMessage.Event, Message> resume(Message m) {
    if (!m.exists() || !m.outbound()) {
      idle();
      return Effect().none();
    }
    Instant now = Instant.now();
    return switch (m.phase()) {
      case NEW -> attempt(m, 1);
      case IN_FLIGHT -> {
        if (attemptedHere == m.attempts()) yield Effect().none(); // ours, its answer is on its way
        // this incarnation did not hand the attempt over: it may have gone out; do not send it again
        ctx.getLog().info("sms {}: attempt {} was in flight when the entity stopped; waiting for a delivery report",
            m.uuid(), m.attempts());
        Instant until = now.plus(deps.settings().confirmWait());
        yield Effect().persist(new SmsMessage.Unconfirmed(m.gateway(), "restarted_in_flight",
                "the entity restarted while attempt " + m.attempts() + " was in flight", until, now))
            .thenRun(st -> wake(st));
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

  /** Journals attempt {@code n}, then hands the message to the gateway router. */
  private Effect<SmsMessage.Event, Message> attempt(Message m, int n) {
    return Effect().persist(new SmsMessage.AttemptStarted(n, Instant.now())).thenRun(st -> {
      attemptedHere = n;
      CompletionStage<SmsDeps.Routed> sent = deps.submit().apply(st);
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

  private Effect<SmsMessage.Event, Message> onSubmitted(Message m, Submitted s) {
    if (m.phase() != Phase.IN_FLIGHT || m.attempts() != s.attempt()) {
      ctx.getLog().debug("sms {}: late answer to attempt {} dropped (phase {})", m.uuid(), s.attempt(), m.phase());
      return Effect().none();
    }
    Instant now = Instant.now();
    if (s.accepted()) {
      return Effect().persist(new SmsMessage.Accepted(s.gateway(), s.reference(), now))
          .thenRun(st -> {
            deps.notifier().notify(st, "sent");
            deps.poolOutcome().outcome(st, true);
            idle();
          });
    }
    if (s.maybeSent()) {
      Instant until = now.plus(deps.settings().confirmWait());
      return Effect().persist(new SmsMessage.Unconfirmed(s.gateway(), s.reason(), s.detail(), until, now))
          .thenRun(this::wake);
    }
    if (s.retryable() && s.attempt() < deps.settings().maxAttempts()) {
      Instant at = now.plus(deps.settings().backoff().delay(s.attempt()));
      return Effect().persist(new SmsMessage.AttemptFailed(s.gateway(), s.reason(), s.detail(), at, now))
          .thenRun(this::wake);
    }
    return fail(s.gateway(), s.reason(), s.detail());
  }

  private Effect<SmsMessage.Event, Message> fail(String gateway, String reason, String detail) {
    return Effect().persist(new SmsMessage.Failed(gateway, reason, detail, Instant.now())).thenRun(st -> {
      ctx.getLog().info("sms {}: failed after {} attempt(s): {} ({})", st.uuid(), st.attempts(), reason, detail);
      deps.notifier().notify(st, "failed");
      deps.poolOutcome().outcome(st, false);
      deps.refund().refund(st);
      idle();
    });
  }

  private Effect<SmsMessage.Event, Message> onDue(Message m, Due d) {
    if (m.phase() != d.phase() || m.attempts() != d.attempt()) return Effect().none();
    if (m.phase() == Phase.RETRY_WAIT) return attempt(m, m.attempts() + 1);
    if (m.phase() == Phase.UNCONFIRMED) {
      return fail(m.gateway(), "submit_unconfirmed", "no delivery report within "
          + deps.settings().confirmWait().toSeconds() + " s after an attempt whose outcome is unknown ("
          + m.reason() + (m.detail() == null ? "" : ": " + m.detail()) + ")");
    }
    return Effect().none();
  }

  private Effect<SmsMessage.Event, Message> onReport(Message m, Report r) {
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
    String before = m.state();
    boolean wasDelivered = m.delivered();
    boolean informative = m.finallyReported();
    boolean wasRefunded = m.refunded();
    return Effect().persist(new SmsMessage.Dlr(r.gateway(), r.status(), r.detail(), Instant.now())).thenRun(st -> {
      if (informative) {
        ctx.getLog().info("sms {}: delivery report {} after the final {} kept as information only", st.uuid(),
            r.status(), st.dlrStatus());
        idle();
        return;
      }
      if (wasRefunded) {
        ctx.getLog().info("sms {}: delivery report {} proves the message, failed {}, was sent: its parts are taken again",
            st.uuid(), r.status(), m.reason());
        deps.redebit().refund(st);
      }
      boolean nowSent = "sent".equals(st.state()) && !"sent".equals(before);
      if (nowSent) {
        deps.notifier().notify(st, "sent");
        deps.poolOutcome().outcome(st, true);
      }
      switch (r.status()) {
        case DELIVERED -> {
          if (!wasDelivered) deps.notifier().notify(st, "delivered");
        }
        case UNDELIVERABLE, SMSC_REJECTED -> {
          if (!"failed".equals(before)) {
            deps.notifier().notify(st, "failed");
            deps.poolOutcome().outcome(st, false);
          }
        }
        default -> {
          if (!nowSent) deps.notifier().notify(st, "dlr");
        }
      }
      idle();
    }).thenRun(st -> acknowledge(r));
  }

  private static void acknowledge(Report r) {
    if (r.replyTo() != null) r.replyTo().tell(Done.getInstance());
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
  static final List<Phase> ACTIVE = List.of(Phase.NEW, Phase.IN_FLIGHT, Phase.RETRY_WAIT, Phase.UNCONFIRMED);
}
