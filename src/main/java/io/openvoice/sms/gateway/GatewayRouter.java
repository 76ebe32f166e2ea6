package io.openvoice.sms.gateway;

import io.openvoice.sms.SmsDeps;
import io.openvoice.sms.SmsMessage.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The gateway of each attempt: on-net when the destination is an SMS-enabled number of the platform, else the
 * node's off-net gateway ({@code openvoice.sms.gateway}); with none, the attempt is refused for good with
 * {@code no_route}.
 */
public final class GatewayRouter {
  private final SmsGateway onNet;
  private final SmsGateway offNet;
  private final Function<String, CompletionStage<Boolean>> isOnNet;

  /** @param isOnNet whether a destination (digits) is an SMS-enabled number of the platform */
  public GatewayRouter(SmsGateway onNet, SmsGateway offNet, Function<String, CompletionStage<Boolean>> isOnNet) {
    this.onNet = onNet;
    this.offNet = offNet;
    this.isOnNet = isOnNet;
  }

  public SmsGateway offNet() {
    return offNet;
  }

  public CompletionStage<SmsDeps.Routed> submit(Message m) {
    SmsGateway.OutboundSms sms = new SmsGateway.OutboundSms(m.uuid(), m.from(), m.to(), m.text(), m.coding(), m.parts());
    return isOnNet.apply(m.to()).thenCompose(local -> {
      SmsGateway g = local ? onNet : offNet;
      if (g == null) {
        return CompletableFuture.completedFuture(new SmsDeps.Routed(null, new SmsGateway.SubmitResult.Rejected(
            "no_route", "no SMS gateway to " + m.to() + " (openvoice.sms.gateway = none)", false, false)));
      }
      return g.submit(sms).thenApply(r -> new SmsDeps.Routed(g.name(), r));
    });
  }
}
