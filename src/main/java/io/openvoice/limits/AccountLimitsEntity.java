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
 * An account's limits as the platform operator set them (sharded by account id): calls started per second and
 * calls live at once (null: the platform's default, {@code openvoice.limits}), and the prepaid SMS balance in
 * message parts (null: unlimited). Each outbound SMS takes its parts from the balance when the API accepts it
 * ({@link DebitSms}; refused when fewer are left: 405 Insufficient Balance); a message that fails before it was
 * sent gives them back ({@link CreditSms}).
 */
public final class AccountLimitsEntity extends DurableStateBehavior<AccountLimitsEntity.Command,
    AccountLimitsEntity.Limits> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AccountLimits");

  public record Limits(Integer cps, Integer concurrentCalls, Long smsBalance) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  public record Get(ActorRef<Limits> replyTo) implements Command {}

  /** Replaces the limits (null: back to the default). */
  public record Set(Limits limits, ActorRef<Limits> replyTo) implements Command {}

  /** Takes {@code parts} from the SMS balance if that many are left (or it is unlimited); replies whether it did. */
  public record DebitSms(long parts, ActorRef<Debited> replyTo) implements Command {}

  public record Debited(boolean ok, Long balance) implements CborSerializable {}

  /** Gives {@code parts} back to the SMS balance (a message that failed before it was sent). */
  public record CreditSms(long parts) implements Command {}

  /**
   * Takes back {@code parts} given back ({@link CreditSms}) for a message that a late delivery report proved sent:
   * never refused, the balance may go below zero (the account owes them).
   */
  public record RedebitSms(long parts) implements Command {}

  public static Behavior<Command> create(String accountId) {
    return new AccountLimitsEntity(accountId);
  }

  private AccountLimitsEntity(String accountId) {
    super(PersistenceId.of(TYPE_KEY.name(), accountId));
  }

  @Override
  public Limits emptyState() {
    return new Limits(null, null, null);
  }

  @Override
  public CommandHandler<Command, Limits> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(Set.class, (s, c) -> Effect().persist(c.limits()).thenReply(c.replyTo(), st -> st))
        .onCommand(DebitSms.class, (s, c) -> {
          if (s.smsBalance() == null) return Effect().reply(c.replyTo(), new Debited(true, null));
          if (s.smsBalance() < c.parts()) return Effect().reply(c.replyTo(), new Debited(false, s.smsBalance()));
          return Effect().persist(new Limits(s.cps(), s.concurrentCalls(), s.smsBalance() - c.parts()))
              .thenReply(c.replyTo(), st -> new Debited(true, st.smsBalance()));
        })
        .onCommand(CreditSms.class, (s, c) -> s.smsBalance() == null ? Effect().none()
            : Effect().persist(new Limits(s.cps(), s.concurrentCalls(), s.smsBalance() + c.parts())))
        .onCommand(RedebitSms.class, (s, c) -> s.smsBalance() == null ? Effect().none()
            : Effect().persist(new Limits(s.cps(), s.concurrentCalls(), s.smsBalance() - c.parts())))
        .build();
  }
}
