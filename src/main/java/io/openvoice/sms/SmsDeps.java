package io.openvoice.sms;

import io.openvoice.limits.SmsBalance;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.SmsMessage.Pending;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a message entity needs from its node. Each port only tells or starts asynchronous work; none blocks.
 *
 * @param submit hands an attempt to the gateway the message routes to, answering which gateway and what it said
 * @param charge takes a new outbound message's parts from its account's SMS balance (idempotent per message)
 * @param effects carries out one effect of a change ({@link SmsMessage.EffectKind}); the entity journals it as done
 *     once the stage completes, and runs it again after a restart until then, so each must be safe to repeat
 */
public record SmsDeps(SmsSettings settings, Function<Message, CompletionStage<Routed>> submit,
                      Function<Message, CompletionStage<SmsBalance.Debit>> charge, Effects effects) {

  /** A gateway's answer, with the gateway's name. */
  public record Routed(String gateway, SubmitResult result) {}

  @FunctionalInterface
  public interface Effects {
    CompletionStage<?> run(Pending effect);
  }

  @FunctionalInterface
  public interface Notifier {
    /**
     * {@code what}: received, sent, delivered, failed, dlr (an informative delivery report); {@code eventId}: the
     * same for every repeat of one notification. Completes once the webhook is queued.
     */
    CompletionStage<?> notify(Message m, String what, String eventId);
  }

  @FunctionalInterface
  public interface PoolOutcome {
    void outcome(Message m, boolean ok);
  }

  /** A change of the message's balance (refund, re-debit), applied once per message however often it is asked. */
  @FunctionalInterface
  public interface Ledger {
    CompletionStage<?> apply(Message m);
  }

  /** The effects, each kind to its port. */
  public static Effects effects(Notifier notifier, PoolOutcome pool, Ledger refund, Ledger redebit) {
    return p -> switch (p.kind()) {
      case NOTIFY -> notifier.notify(p.message(), p.what(), p.eventId());
      case POOL_SENT, POOL_FAILED -> {
        pool.outcome(p.message(), p.kind() == SmsMessage.EffectKind.POOL_SENT);
        yield CompletableFuture.completedFuture(null);
      }
      case REFUND -> refund.apply(p.message());
      case REDEBIT -> redebit.apply(p.message());
    };
  }
}
