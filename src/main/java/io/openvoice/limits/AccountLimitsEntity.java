package io.openvoice.limits;

import io.openvoice.common.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * An account's call limits as the platform operator set them (sharded by account id): calls started per second and
 * calls live at once (null: the platform's default, {@code openvoice.limits}). The prepaid SMS balance is not here:
 * it changes with every message and lives in a ledger ({@link SmsBalance}).
 */
public final class AccountLimitsEntity extends DurableStateBehavior<AccountLimitsEntity.Command,
    AccountLimitsEntity.Limits> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AccountLimits");

  public record Limits(Integer cps, Integer concurrentCalls) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  public record Get(ActorRef<Limits> replyTo) implements Command {}

  /**
   * Changes the limits that are flagged ({@code setCps}, {@code setConcurrentCalls}; a null value: back to the
   * default) and keeps the others, in one step (two operators' changes of different limits do not undo each other).
   */
  public record Update(boolean setCps, Integer cps, boolean setConcurrentCalls, Integer concurrentCalls,
                       ActorRef<Limits> replyTo) implements Command {}

  public static Behavior<Command> create(String accountId) {
    return new AccountLimitsEntity(accountId);
  }

  private AccountLimitsEntity(String accountId) {
    super(PersistenceId.of(TYPE_KEY.name(), accountId));
  }

  @Override
  public Limits emptyState() {
    return new Limits(null, null);
  }

  @Override
  public CommandHandler<Command, Limits> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(Update.class, (s, c) -> {
          Limits next = new Limits(c.setCps() ? c.cps() : s.cps(),
              c.setConcurrentCalls() ? c.concurrentCalls() : s.concurrentCalls());
          if (next.equals(s)) return Effect().reply(c.replyTo(), s);
          return Effect().persist(next).thenReply(c.replyTo(), st -> st);
        })
        .build();
  }
}
