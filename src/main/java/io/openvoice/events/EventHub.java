package io.openvoice.events;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's view of the event stream for WebSocket clients: the recent events of the whole cluster (every node
 * subscribes to the bus, so each holds the same window), bounded by age and count, and the live connections of
 * this node, to which each event is handed in bus order.
 *
 * <p>Everything happens in one actor, so registering a connection, replaying what it missed and continuing live is
 * one step: the replay is the held events up to the newest one, live delivery starts right after it, and nothing
 * falls between the two or comes twice.
 */
public final class EventHub {
  /** A WebSocket connection as the hub sees it; its methods never block (they offer to a bounded queue). */
  public interface Conn {
    String accountId();

    /** Whether the connection's user subscribes to this event's type now. */
    boolean accepts(PlatformEvent ev);

    /** A live event; false when the connection could not take it (it is closing as too slow, or closed). */
    boolean live(PlatformEvent ev);

    /** Missed events, in order, then whatever {@link #live} hands over; false when it could not take them. */
    boolean replay(List<PlatformEvent> events, String afterId);

    /** The event to resume after is no longer held (or never was). */
    void resumeUnknown(String afterId);
  }

  /** Subscriptions of a user changed somewhere in the cluster: connections of that user re-read them. */
  public record SubscriptionsChanged(String userId) implements CborSerializable {}

  /** Local only: carries connections, never leaves this node. */
  private sealed interface Msg extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  private record Bus(PlatformEvent event) implements Msg {}

  /** Start live delivery; with {@code resumeAfter}, replay the held events after it first. */
  private record Register(Conn conn, String resumeAfter) implements Msg {}

  /** Replay the held events after {@code afterId} that this connection has not had. */
  private record Resume(Conn conn, String afterId) implements Msg {}

  private record Unregister(Conn conn) implements Msg {}

  private record Changed(SubscriptionsChanged change) implements Msg {}

  private enum Prune implements Msg { INSTANCE }

  private record Held(long seq, PlatformEvent event, Instant arrived) {}

  /** Per connection: every accepted event with a sequence number above {@code coveredAfter} has been handed over. */
  private static final class Reg {
    long coveredAfter;

    Reg(long coveredAfter) {
      this.coveredAfter = coveredAfter;
    }
  }

  private final ActorRef<Msg> actor;
  private final ActorRef<Topic.Command<SubscriptionsChanged>> changes;
  private final Map<String, Set<java.util.function.Consumer<String>>> changeListeners = new java.util.concurrent.ConcurrentHashMap<>();

  public EventHub(ActorSystem<?> system, EventBus bus, Duration retention, int maxEvents) {
    this.actor = system.systemActorOf(behavior(retention, maxEvents), "event-hub", Props.empty());
    this.changes = system.systemActorOf(Topic.create(SubscriptionsChanged.class, "event-subscriptions-changed"),
        "event-subscriptions-changed-topic", Props.empty());
    ActorRef<PlatformEvent> busIn = system.systemActorOf(Behaviors.<PlatformEvent>receiveMessage(ev -> {
      actor.tell(new Bus(ev));
      return Behaviors.same();
    }), "event-hub-bus", Props.empty());
    bus.subscribe(busIn);
    ActorRef<SubscriptionsChanged> changesIn = system.systemActorOf(Behaviors.<SubscriptionsChanged>receiveMessage(c -> {
      actor.tell(new Changed(c));
      return Behaviors.same();
    }), "event-hub-changes", Props.empty());
    changes.tell(Topic.subscribe(changesIn));
  }

  public void register(Conn conn, String resumeAfter) {
    actor.tell(new Register(conn, resumeAfter));
  }

  public void resume(Conn conn, String afterId) {
    actor.tell(new Resume(conn, afterId));
  }

  public void unregister(Conn conn) {
    actor.tell(new Unregister(conn));
  }

  /** Tells every node that {@code userId}'s subscriptions changed. */
  public void subscriptionsChanged(String userId) {
    changes.tell(Topic.publish(new SubscriptionsChanged(userId)));
  }

  /** {@code onChange} runs (on the hub's thread: it must not block) when this user's subscriptions change. */
  public Runnable onSubscriptionsChanged(String userId, java.util.function.Consumer<String> onChange) {
    changeListeners.computeIfAbsent(userId, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(onChange);
    return () -> changeListeners.computeIfPresent(userId, (k, set) -> {
      set.remove(onChange);
      return set.isEmpty() ? null : set;
    });
  }

  private Behavior<Msg> behavior(Duration retention, int maxEvents) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Prune.INSTANCE, Duration.ofSeconds(1));
      ArrayDeque<Held> held = new ArrayDeque<>();
      Map<String, Long> seqOf = new HashMap<>();
      Map<String, Map<Conn, Reg>> byAccount = new HashMap<>();
      long[] seq = {0};

      Runnable prune = () -> {
        Instant oldest = Instant.now().minus(retention);
        while (!held.isEmpty() && (held.size() > maxEvents || held.peekFirst().arrived().isBefore(oldest))) {
          seqOf.remove(held.pollFirst().event().uuid());
        }
      };

      return Behaviors.<Msg>receive((ctx, msg) -> {
        if (msg instanceof Bus b) {
          PlatformEvent ev = b.event();
          if (seqOf.containsKey(ev.uuid())) return Behaviors.same(); // the topic delivered it twice
          long s = ++seq[0];
          held.addLast(new Held(s, ev, Instant.now()));
          seqOf.put(ev.uuid(), s);
          prune.run();
          Map<Conn, Reg> conns = ev.accountId() == null ? null : byAccount.get(ev.accountId());
          if (conns != null) {
            for (Iterator<Map.Entry<Conn, Reg>> it = conns.entrySet().iterator(); it.hasNext(); ) {
              Map.Entry<Conn, Reg> e = it.next();
              if (e.getKey().accepts(ev) && !e.getKey().live(ev)) it.remove();
            }
            if (conns.isEmpty()) byAccount.remove(ev.accountId());
          }
        } else if (msg instanceof Register r) {
          Reg reg = new Reg(seq[0]);
          byAccount.computeIfAbsent(r.conn().accountId(), k -> new java.util.LinkedHashMap<>()).put(r.conn(), reg);
          if (r.resumeAfter() != null) resume(r.conn(), reg, r.resumeAfter(), held, seqOf, byAccount);
        } else if (msg instanceof Resume r) {
          Map<Conn, Reg> conns = byAccount.get(r.conn().accountId());
          Reg reg = conns == null ? null : conns.get(r.conn());
          if (reg != null) resume(r.conn(), reg, r.afterId(), held, seqOf, byAccount);
        } else if (msg instanceof Unregister u) {
          Map<Conn, Reg> conns = byAccount.get(u.conn().accountId());
          if (conns != null) {
            conns.remove(u.conn());
            if (conns.isEmpty()) byAccount.remove(u.conn().accountId());
          }
        } else if (msg instanceof Changed c) {
          Set<java.util.function.Consumer<String>> ls = changeListeners.get(c.change().userId());
          if (ls != null) new ArrayList<>(ls).forEach(l -> l.accept(c.change().userId()));
        } else if (msg == Prune.INSTANCE) {
          prune.run();
        }
        return Behaviors.same();
      });
    });
  }

  /**
   * Hands the connection the accepted events after {@code afterId} it has not had: those between {@code afterId}
   * and the point from which it already receives everything live. They come in order; live delivery goes on.
   */
  private static void resume(Conn conn, Reg reg, String afterId, ArrayDeque<Held> held, Map<String, Long> seqOf,
                             Map<String, Map<Conn, Reg>> byAccount) {
    Long from = seqOf.get(afterId);
    if (from == null) {
      conn.resumeUnknown(afterId);
      return;
    }
    List<PlatformEvent> missed = new ArrayList<>();
    if (from < reg.coveredAfter) {
      for (Held h : held) {
        if (h.seq() > reg.coveredAfter) break;
        if (h.seq() > from && conn.accountId().equals(h.event().accountId()) && conn.accepts(h.event())) {
          missed.add(h.event());
        }
      }
      reg.coveredAfter = from;
    }
    if (!conn.replay(missed, afterId)) {
      Map<Conn, Reg> conns = byAccount.get(conn.accountId());
      if (conns != null) conns.remove(conn);
    }
  }
}
