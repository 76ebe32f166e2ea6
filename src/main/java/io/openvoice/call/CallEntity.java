package io.openvoice.call;

import io.openvoice.common.CborSerializable;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * One live call: sharded by call id, event-sourced, remembered. It persists the call's start and every outcome
 * fed to its interpreter; replaying them rebuilds the flow position, so on another node it resumes the pending
 * step (media re-attach with the original start time, HTTP re-sent, park timer re-armed with what is left).
 * Side effects (media, HTTP, events) happen only after an event is persisted, never during replay.
 */
public final class CallEntity extends EventSourcedBehavior<CallEntity.Command, CallEntity.Event, CallState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Call");
  public static final List<String> TAGS = List.of("call-0", "call-1", "call-2", "call-3");

  // ---- protocol --------------------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** The end of the error a Start for an existing call gets (an error reply carries only its text). */
  public static final String ALREADY_EXISTS = " already exists";

  /** Whether {@code err} is the reply to a Start for a call that exists already. */
  public static boolean isAlreadyExists(Throwable err) {
    Throwable t = io.openvoice.common.Errors.unwrap(err);
    return t instanceof StatusReply.ErrorMessage && t.getMessage() != null && t.getMessage().endsWith(ALREADY_EXISTS);
  }

  /** Create the call and start its flow. Replies with the call. */
  public record Start(CallSpec spec, ActorRef<StatusReply<CallView>> replyTo) implements Command {}

  /** An outcome from media, dialling or the platform; stale ones (wrong seq, ended call) are dropped. */
  public record Feed(Outcome outcome) implements Command {}

  /** End the call from the platform side (REST hang-up, watchdog). Replies with the ended call. */
  public record Terminate(int cause, String reason, ActorRef<StatusReply<CallView>> replyTo) implements Command {}

  /**
   * Replace the rest of the flow with this XML. Replies with the call, or an error for bad XML / ended call.
   * {@code commandId} (may be null): a push repeated with the same id within {@link CallState#COMMAND_WINDOW} is
   * acknowledged with the call and not run again.
   */
  public record PushXml(String xml, String commandId, ActorRef<StatusReply<CallView>> replyTo) implements Command {}

  /**
   * Bridge this live call with {@code otherCallId} (REST; the other call gets the same command naming this one):
   * what the flow was doing is abandoned and the media of the two is joined; when the bridge ends the flow goes
   * on. Refused (error reply) for a call that is not answered, is bridged already, is dialling or is a leg.
   * {@code commandId} as for {@link PushXml}.
   */
  public record Bridge(String otherCallId, String commandId, ActorRef<StatusReply<CallView>> replyTo)
      implements Command {}

  public record Get(ActorRef<StatusReply<CallDetails>> replyTo) implements Command {}

  /** A watchdog or park timer for the action with this seq ({@code seq} 0: the call-length watchdog). */
  record TimerFired(int seq) implements Command {}

  /** The node holding this call's SIP dialog and media left the cluster (its host, watched, terminated). */
  record MediaHostGone() implements Command {}

  /**
   * The call with its flow log (the simulator's trace, the call detail API) and its media handle (which edge node
   * holds its media, or null for a call created before this field existed).
   */
  public record CallDetails(CallView call, List<TraceEntry> trace, CallSpec.MediaHandle media)
      implements CborSerializable {}

  /** One line of a call's trace: a state change ({@code flow == null}) or a flow step. */
  public record TraceEntry(Instant at, String type, String state, io.openvoice.flow.FlowEvent flow)
      implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  /**
   * The call began. {@code callerGeo} is the caller's location looked up once, when the call started, so that a
   * replay on a node with other geography data takes the same {@code <Geo>} branches (null: unknown).
   */
  public record Started(CallSpec spec, Instant at, io.openvoice.geo.GeoLookup.GeoInfo callerGeo) implements Event {}

  public record Fed(Outcome outcome, Instant at) implements Event {}

  /** A control command with an idempotency key was carried out (so that a repeat is not). */
  public record CommandSeen(String commandId, Instant at) implements Event {}

  // ---- construction ----------------------------------------------------------------------------------------

  public static Behavior<Command> create(String callId, CallDeps deps,
                                         ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new CallEntity(callId, deps, shard, ctx, timers)));
  }

  private final String callId;
  private final CallDeps deps;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private boolean watchingMedia;
  private long writeStart; // System.nanoTime() of the last events applied before their journal write (metrics)

  private CallEntity(String callId, CallDeps deps, ActorRef<ClusterSharding.ShardCommand> shard,
                     ActorContext<Command> ctx, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), callId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.callId = callId;
    this.deps = deps;
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public CallState emptyState() {
    return new CallState();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(callId));
  }

  /** The tag of all of a call's events: its slice of the read side (the call-log projection runs one per tag). */
  public static String tagFor(String callId) {
    return TAGS.get(Math.abs(callId.hashCode() % TAGS.size()));
  }

  // ---- commands --------------------------------------------------------------------------------------------

  @Override
  public CommandHandler<Command, Event, CallState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Feed.class, this::onFeed)
        .onCommand(Terminate.class, this::onTerminate)
        .onCommand(PushXml.class, this::onPush)
        .onCommand(Bridge.class, this::onBridge)
        .onCommand(Get.class, (s, c) -> {
          if (!s.started()) return notFound(c.replyTo());
          c.replyTo().tell(StatusReply.success(new CallDetails(s.view(Instant.now()), List.copyOf(s.trace),
              s.spec.media())));
          return Effect().none();
        })
        .onCommand(TimerFired.class, this::onTimer)
        .onCommand(MediaHostGone.class, (s, c) -> {
          if (!s.started() || s.ended()) return Effect().none();
          ctx.getLog().warn("call {}: the node holding its SIP dialog and media left the cluster; ending it", callId);
          return Effect().persist(new Fed(new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE,
              "media_node_lost: the node holding this call's SIP dialog and media left the cluster"), Instant.now()))
              .thenRun(this::afterPersist);
        })
        .build();
  }

  private Effect<Event, CallState> onStart(CallState s, Start c) {
    if (s.started()) {
      c.replyTo().tell(StatusReply.error("call " + callId + ALREADY_EXISTS));
      return Effect().none();
    }
    io.openvoice.geo.GeoLookup.GeoInfo geo = c.spec().from() == null ? null
        : deps.geo().lookup(c.spec().from()).orElse(null);
    return Effect().persist(new Started(c.spec(), Instant.now(), geo))
        .thenRun(st -> {
          afterPersist(st);
          c.replyTo().tell(StatusReply.success(st.view(Instant.now())));
        });
  }

  private Effect<Event, CallState> onFeed(CallState s, Feed c) {
    if (!s.started() || s.ended()) {
      ctx.getLog().debug("call {}: dropping late {} (call {})", callId, c.outcome(), s.started() ? "ended" : "unknown");
      if (!s.started()) passivate();
      return Effect().none();
    }
    if (!accepts(s, c.outcome())) {
      ctx.getLog().debug("call {}: dropping stale {}", callId, c.outcome());
      return Effect().none();
    }
    return Effect().persist(new Fed(c.outcome(), Instant.now())).thenRun(this::afterPersist);
  }

  /**
   * A command for a call that never started (a wrong id): answer, then stop the entity again. Calls are remembered
   * entities, so one left running would be restarted on every node start for ever.
   */
  private <T> Effect<Event, CallState> notFound(ActorRef<StatusReply<T>> replyTo) {
    replyTo.tell(StatusReply.error("call not found"));
    passivate();
    return Effect().none();
  }

  private Effect<Event, CallState> onTerminate(CallState s, Terminate c) {
    if (!s.started()) return notFound(c.replyTo());
    if (s.ended()) {
      c.replyTo().tell(StatusReply.success(s.view(Instant.now())));
      return Effect().none();
    }
    return Effect().persist(new Fed(new Outcome.CallEnded(c.cause(), c.reason()), Instant.now()))
        .thenRun(st -> {
          afterPersist(st);
          c.replyTo().tell(StatusReply.success(st.view(Instant.now())));
        });
  }

  private Effect<Event, CallState> onPush(CallState s, PushXml c) {
    if (!s.started()) return notFound(c.replyTo());
    if (s.ended()) {
      c.replyTo().tell(StatusReply.error("call " + callId + " is not live (" + s.state + ")"));
      return Effect().none();
    }
    if (s.placed() && s.engine == null) {
      c.replyTo().tell(StatusReply.error("call " + callId + " is not answered yet: XML runs once it is"));
      return Effect().none();
    }
    if (s.isLeg()) {
      c.replyTo().tell(StatusReply.error("call " + callId + " is a dialled leg: XML runs on its parent call "
          + s.spec.parentCallId()));
      return Effect().none();
    }
    try {
      FlowXmlParser.parse(c.xml());
    } catch (FlowXmlException e) {
      c.replyTo().tell(StatusReply.error("invalid call flow XML: " + e.getMessage()));
      return Effect().none();
    }
    return redirect(s, new Outcome.Push(c.xml()), c.commandId(), c.replyTo());
  }

  private Effect<Event, CallState> onBridge(CallState s, Bridge c) {
    if (!s.started()) return notFound(c.replyTo());
    Instant at = Instant.now();
    if (c.commandId() != null && s.commandSeen(c.commandId(), at)) {
      c.replyTo().tell(StatusReply.success(s.view(at))); // a repeat: acknowledged, not run twice
      return Effect().none();
    }
    String why = c.otherCallId().equals(callId) ? "cannot be bridged with itself" : s.whyNotBridgeable();
    if (why != null) {
      c.replyTo().tell(StatusReply.error("call " + callId + " " + why));
      return Effect().none();
    }
    return redirect(s, new Outcome.Bridge(c.otherCallId()), c.commandId(), c.replyTo());
  }

  /**
   * Persists a control command that takes the flow somewhere else (pushed XML, a bridge) with its idempotency key,
   * stops the media of the action it abandons, and replies with the call. A repeated key is acknowledged only.
   */
  private Effect<Event, CallState> redirect(CallState s, Outcome command, String commandId,
                                            ActorRef<StatusReply<CallView>> replyTo) {
    Instant at = Instant.now();
    if (commandId != null && s.commandSeen(commandId, at)) {
      replyTo.tell(StatusReply.success(s.view(at))); // a repeat: acknowledged, not run twice
      return Effect().none();
    }
    Action abandoned = s.pending();
    List<Event> events = commandId == null ? List.of(new Fed(command, at))
        : List.of(new CommandSeen(commandId, at), new Fed(command, at));
    return Effect().persist(events)
        .thenRun(st -> {
          Action now = st.pending();
          if (abandoned != null && !st.ended() && (now == null || now.seq() != abandoned.seq())) {
            mediaPort(st).cancel(callId, st.spec.media(), abandoned.seq()); // what played is replaced
          }
          afterPersist(st);
          replyTo.tell(StatusReply.success(st.view(Instant.now())));
        });
  }

  private Effect<Event, CallState> onTimer(CallState s, TimerFired c) {
    if (!s.started() || s.ended()) return Effect().none();
    if (c.seq() == 0) {
      return Effect().persist(new Fed(new Outcome.CallEnded(Q850.RECOVERY_ON_TIMER_EXPIRE, "max_call_length"),
          Instant.now())).thenRun(this::afterPersist);
    }
    Action pending = s.pending();
    if (pending == null || pending.seq() != c.seq()) return Effect().none();
    Outcome o = pending instanceof Action.Park
        ? new Outcome.Done(c.seq())
        : !deps.media().reachable(s.spec.media())
        ? new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE, "media_node_lost: the node holding this call's SIP "
            + "dialog and media cannot be reached (" + kind(pending) + " at " + pending.path() + " got no answer)")
        : new Outcome.CallEnded(Q850.RECOVERY_ON_TIMER_EXPIRE, "step_timeout: " + kind(pending) + " at " + pending.path());
    return Effect().persist(new Fed(o, Instant.now())).thenRun(this::afterPersist);
  }

  private static boolean accepts(CallState s, Outcome o) {
    if ((o instanceof Outcome.DialAnswered || o instanceof Outcome.Joined) && "bridged".equals(s.state)) {
      return false; // re-sent by a media leg resumed after a failover: already applied
    }
    Integer seq = Outcome.seqOf(o);
    if (seq == null) return true;
    Action pending = s.pending();
    return pending != null && pending.seq() == seq;
  }

  // ---- events ----------------------------------------------------------------------------------------------

  @Override
  public EventHandler<CallState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onAnyEvent((s, e) -> {
          writeStart = System.nanoTime(); // applied just before the journal write is sent (and in replay: unused)
          RuntimeException bug = s.apply(e);
          if (bug != null) ctx.getLog().error("call {}: the interpreter failed on {}; ending the call", callId, e, bug);
          return s;
        });
  }

  @Override
  public SignalHandler<CallState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(org.apache.pekko.actor.typed.PostStop.instance(), s -> deps.probe().stopped(callId))
        .build();
  }

  private void onRecovered(CallState s) {
    s.outbox.clear();
    if (!s.started()) return;
    if (s.ended()) {
      // an ended call woken by a late message or by remember-entities: make sure media is gone, then sleep
      mediaPort(s).release(callId, s.spec.media());
      passivate();
      return;
    }
    ctx.getLog().info("call {} recovered in state {} at step {}", callId, s.state,
        s.pending() == null ? "-" : s.pending().path());
    watchMediaHost(s);
    armCallWatchdog(s);
    deps.probe().running(callId);
    Action pending = s.pending();
    if (pending != null) {
      CallEffects.perform(callId, s, List.of(pending), s.pendingSince, deps, ctx, timers);
      armStepWatchdog(s, pending, RECOVERY_GRACE);
    } else {
      mediaPort(s).checkAttached(callId, s.spec.media()); // nothing to re-issue: is its media still there?
    }
  }

  // ---- side effects ----------------------------------------------------------------------------------------

  private void afterPersist(CallState s) {
    CallProbes.afterPersist(deps.probe(), callId, s, writeStart);
    CallEffects.publish(s, deps.bus(), deps.webhooks());
    CallEffects.perform(callId, s, s.lastActions, s.pendingSince, deps, ctx, timers);
    s.lastActions = List.of();
    if (s.ended()) {
      timers.cancelAll();
      mediaPort(s).release(callId, s.spec.media());
      ctx.getLog().info("call {} ended: {} ({})", callId, Q850.name(s.cause == null ? 0 : s.cause), s.endReason);
      passivate();
      return;
    }
    if (s.createdOn != null && !timers.isTimerActive("max-length")) armCallWatchdog(s);
    watchMediaHost(s);
    Action pending = s.pending();
    if (pending != null) armStepWatchdog(s, pending);
  }

  /**
   * A call whose media lives on another node watches that node's media host: when the node leaves the cluster
   * (crashed and downed, or gone) the call ends with {@code media_node_lost} instead of waiting for its watchdog.
   */
  private void watchMediaHost(CallState s) {
    if (watchingMedia || s.spec == null) return;
    ActorRef<?> host = deps.media().remoteHost(s.spec.media());
    if (host == null) return;
    ctx.watchWith(host, new MediaHostGone());
    watchingMedia = true;
  }

  private void armCallWatchdog(CallState s) {
    Duration left = Duration.between(Instant.now(), s.createdOn.plusMillis(s.spec.maxCallLengthMs()));
    timers.startSingleTimer("max-length", new TimerFired(0), left.isNegative() ? Duration.ZERO : left);
  }

  private void armStepWatchdog(CallState s, Action pending) {
    armStepWatchdog(s, pending, Duration.ZERO);
  }

  /**
   * The step watchdog at the pending action's persisted deadline, but never sooner than {@code atLeast} from now:
   * a call recovered on another node gives its media that long to answer the re-issued action (its outcome may
   * have been lost with the old node) before the watchdog, a safety net, ends the call.
   */
  private void armStepWatchdog(CallState s, Action pending, Duration atLeast) {
    if (pending instanceof Action.Park) return; // its own timer (same key) is the watchdog: keep it
    Duration budget = CallEffects.stepBudget(pending, deps.maxStepWait());
    if (budget == null) {
      timers.cancel("step");
      return;
    }
    Duration left = Duration.between(Instant.now(), s.pendingSince.plus(budget));
    if (left.compareTo(atLeast) < 0) left = atLeast;
    timers.startSingleTimer("step", new TimerFired(pending.seq()), left);
  }

  /** See {@link #armStepWatchdog(CallState, Action, Duration)}. */
  static final Duration RECOVERY_GRACE = Duration.ofSeconds(10);

  private MediaPort mediaPort(CallState s) {
    return deps.media().forHandle(s.spec.media());
  }

  private void passivate() {
    if (shard != null) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
  }

  private static String kind(Action a) {
    return a.getClass().getSimpleName();
  }
}
