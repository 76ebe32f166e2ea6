package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * The pool of one messaging profile (sharded by the profile's uuid, durable state): picks senders
 * ({@link SmsPool#pick}) and keeps what the choice needs across restarts, the sticky senders included, and the
 * health of its numbers fed by the outcomes of their sends.
 */
public final class SmsPoolEntity extends DurableStateBehavior<SmsPoolEntity.Command, SmsPool.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SmsPool");

  public sealed interface Command extends CborSerializable {}

  /** Pick a sender among {@code tns} for {@code recipient}. */
  public record Pick(List<String> tns, String recipient, SmsPool.Settings settings, ActorRef<Chosen> replyTo)
      implements Command {}

  /** The sender chosen; null when the pool has none. */
  public record Chosen(String tn) implements CborSerializable {}

  /** A send from {@code tn} ended: sent ({@code ok}) or failed. */
  public record Outcome(String tn, boolean ok) implements Command {}

  public static Behavior<Command> create(String profileUuid, int unhealthyAfter, Duration unhealthyFor) {
    return new SmsPoolEntity(profileUuid, unhealthyAfter, unhealthyFor);
  }

  private final int unhealthyAfter;
  private final Duration unhealthyFor;

  private SmsPoolEntity(String profileUuid, int unhealthyAfter, Duration unhealthyFor) {
    super(PersistenceId.of(TYPE_KEY.name(), profileUuid));
    this.unhealthyAfter = unhealthyAfter;
    this.unhealthyFor = unhealthyFor;
  }

  @Override
  public SmsPool.State emptyState() {
    return SmsPool.State.EMPTY;
  }

  @Override
  public CommandHandler<Command, SmsPool.State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Pick.class, (s, c) -> {
          SmsPool.Picked p = SmsPool.pick(s, c.tns(), c.recipient(), c.settings(), Instant.now());
          if (p.next().equals(s)) return Effect().reply(c.replyTo(), new Chosen(p.tn()));
          return Effect().persist(p.next()).thenReply(c.replyTo(), st -> new Chosen(p.tn()));
        })
        .onCommand(Outcome.class, (s, c) -> {
          SmsPool.State next = SmsPool.outcome(s, c.tn(), c.ok(), Instant.now(), unhealthyAfter, unhealthyFor);
          return next.equals(s) ? Effect().none() : Effect().persist(next);
        })
        .build();
  }
}
