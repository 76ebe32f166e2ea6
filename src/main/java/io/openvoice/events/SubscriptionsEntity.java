package io.openvoice.events;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * One user's WebSocket event subscriptions (reference 3.11), sharded by user uuid and kept as durable state, so
 * they survive restarts and every node's connections read the same list.
 */
public final class SubscriptionsEntity extends DurableStateBehavior<SubscriptionsEntity.Command,
    SubscriptionsEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "EventSubscriptions");

  /** The event types a subscription may name (reference 3.11, aligned with the event types of section 6). */
  public static final Set<String> TYPES = Set.of("auth", "call_state", "call_flow", "sms", "tn_order", "balance",
      "call_record", "call_transcript");

  /** {@code isActive} as the client set it; {@link #activeAt} also honours {@code expiredOn}. */
  public record Subscription(String uuid, String accountId, String type, String channel, boolean isActive,
                             Instant expiredOn, Instant createdOn, Instant modifiedOn) implements CborSerializable {
    public boolean activeAt(Instant now) {
      return isActive && (expiredOn == null || now.isBefore(expiredOn));
    }
  }

  /** Subscriptions by uuid, in the order they were made. */
  public record State(LinkedHashMap<String, Subscription> subscriptions) implements CborSerializable {
    public List<Subscription> list() {
      return List.copyOf(subscriptions.values());
    }
  }

  public sealed interface Command extends CborSerializable {}

  public record Add(Subscription subscription, ActorRef<StatusReply<Subscription>> replyTo) implements Command {}

  public record ListAll(ActorRef<Listed> replyTo) implements Command {}

  /** The reply to {@link ListAll}: a record, so that it crosses nodes with the Jackson serializer. */
  public record Listed(List<Subscription> subscriptions) implements CborSerializable {}

  /** Removes the subscription; "not found" when the user has none of that uuid. */
  public record Remove(String uuid, ActorRef<StatusReply<Subscription>> replyTo) implements Command {}

  public static Behavior<Command> create(String userId) {
    return new SubscriptionsEntity(userId);
  }

  private SubscriptionsEntity(String userId) {
    super(PersistenceId.of(TYPE_KEY.name(), userId));
  }

  @Override
  public State emptyState() {
    return new State(new LinkedHashMap<>());
  }

  @Override
  public CommandHandler<Command, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Add.class, (s, c) -> {
          LinkedHashMap<String, Subscription> next = new LinkedHashMap<>(s.subscriptions());
          next.put(c.subscription().uuid(), c.subscription());
          return Effect().persist(new State(next)).thenReply(c.replyTo(), st -> StatusReply.success(c.subscription()));
        })
        .onCommand(ListAll.class, (s, c) -> Effect().reply(c.replyTo(), new Listed(s.list())))
        .onCommand(Remove.class, (s, c) -> {
          Subscription gone = s.subscriptions().get(c.uuid());
          if (gone == null) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          LinkedHashMap<String, Subscription> next = new LinkedHashMap<>(s.subscriptions());
          next.remove(c.uuid());
          return Effect().persist(new State(next)).thenReply(c.replyTo(), st -> StatusReply.success(gone));
        })
        .build();
  }

  /** The active, unexpired subscribed types of a list: type → expiry (null: none). */
  public static Map<String, Instant> activeTypes(List<Subscription> subs, Instant now) {
    Map<String, Instant> out = new java.util.HashMap<>();
    for (Subscription s : subs) {
      if (!s.activeAt(now)) continue;
      Instant prev = out.get(s.type());
      boolean known = out.containsKey(s.type());
      // the latest expiry wins; no expiry beats any
      if (!known || (prev != null && (s.expiredOn() == null || s.expiredOn().isAfter(prev)))) out.put(s.type(), s.expiredOn());
    }
    return out;
  }
}
