package io.openvoice.sms.gateway;

import io.openvoice.sms.SmsDeps;
import io.openvoice.sms.SmsMessage.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The gateway of each attempt: on-net when the destination is an SMS-enabled number of the platform, else the
 * node's off-net gateway ({@code openvoice.sms.gateway}); with none, the attempt is refused for good with
 * {@code no_route}. When the on-net lookup fails no gateway is called: the attempt is refused {@code route_unknown},
 * retryable and certainly not sent.
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
    CompletableFuture<SmsDeps.Routed> routed = new CompletableFuture<>();
    lookup(m.to()).whenComplete((local, err) -> {
      if (err != null) {
        // no gateway was called: certainly nothing went out, so the attempt may simply be made again
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        routed.complete(new SmsDeps.Routed(null, new SmsGateway.SubmitResult.Rejected("route_unknown",
            "could not tell whether " + m.to() + " is on-net: " + cause, true, false)));
        return;
      }
      SmsGateway g = local ? onNet : offNet;
      if (g == null) {
        routed.complete(new SmsDeps.Routed(null, new SmsGateway.SubmitResult.Rejected(
            "no_route", "no SMS gateway to " + m.to() + " (openvoice.sms.gateway = none)", false, false)));
        return;
      }
      try {
        g.submit(sms).whenComplete((r, e) -> {
          if (e != null) routed.completeExceptionally(e);
          else routed.complete(new SmsDeps.Routed(g.name(), r));
        });
      } catch (RuntimeException e) {
        routed.completeExceptionally(e);
      }
    });
    return routed;
  }

  private CompletionStage<Boolean> lookup(String to) {
    try {
      return isOnNet.apply(to);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
