package io.openvoice.sms.gateway;

import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Messages between two numbers of the platform: the message is handed to the receiving number as an inbound
 * message (through {@code deliver}, which completes once the inbound message is journalled), then a DELIVERED
 * report goes back to the sender's message. The inbound message's gateway id is the outbound message's id, so a
 * retried attempt never makes a second inbound message: a refusal is always safe to retry ({@code maybeSent}
 * false).
 */
public final class OnNetGateway implements SmsGateway {
  public static final String NAME = "onnet";

  private final Function<SmsSink.InboundSms, CompletionStage<String>> deliver;
  private final SmsSink sink;

  /**
   * @param deliver keeps an inbound message and answers its uuid (fails when the number takes no SMS)
   * @param sink where the DELIVERED report goes
   */
  public OnNetGateway(Function<SmsSink.InboundSms, CompletionStage<String>> deliver, SmsSink sink) {
    this.deliver = deliver;
    this.sink = sink;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CompletionStage<SubmitResult> submit(OutboundSms sms) {
    SmsSink.InboundSms in = new SmsSink.InboundSms(NAME, sms.messageId(), sms.from(), sms.to(), sms.text(), Instant.now());
    return deliver.apply(in).handle((inboundId, err) -> {
      if (err != null) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        return new SubmitResult.Rejected("onnet_unavailable", String.valueOf(t.getMessage()), true, false);
      }
      sink.deliveryReport(new SmsSink.DeliveryReport(NAME, sms.messageId(), SmsSink.DlrStatus.DELIVERED,
          "delivered on-net as " + inboundId, Instant.now(), inboundId));
      return new SubmitResult.Accepted(inboundId);
    });
  }
}
