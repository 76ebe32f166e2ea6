package io.openvoice.sms;

import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a message entity needs from its node. Each port only tells or starts asynchronous work; none blocks.
 *
 * @param submit hands an attempt to the gateway the message routes to, answering which gateway and what it said
 * @param notifier publishes an {@code sms} event and queues the message's webhooks
 * @param poolOutcome tells the message's pool how a send from its number ended (number health)
 * @param refund gives the parts of a message that failed before it was sent back to the account's SMS balance
 * @param redebit takes them again when a late delivery report proves such a message was sent after all
 */
public record SmsDeps(SmsSettings settings, Function<Message, CompletionStage<Routed>> submit, Notifier notifier,
                      PoolOutcome poolOutcome, Refund refund, Refund redebit) {

  /** A gateway's answer, with the gateway's name. */
  public record Routed(String gateway, SubmitResult result) {}

  @FunctionalInterface
  public interface Notifier {
    /** {@code what}: received, sent, delivered, failed, dlr (an informative delivery report). */
    void notify(Message m, String what);
  }

  @FunctionalInterface
  public interface PoolOutcome {
    void outcome(Message m, boolean ok);
  }

  @FunctionalInterface
  public interface Refund {
    void refund(Message m);
  }
}
