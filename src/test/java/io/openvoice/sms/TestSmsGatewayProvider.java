package io.openvoice.sms;

import com.typesafe.config.Config;
import io.openvoice.sms.gateway.SmsGateway;
import io.openvoice.sms.gateway.SmsGatewayProvider;
import io.openvoice.sms.gateway.SmsSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The off-net gateway of the tests ({@code openvoice.sms.gateway = "test"}): takes every message (reference
 * {@code test-<n>}) and records it; the sink it was given is kept so a test can hand in inbound messages and
 * delivery reports as a real gateway would.
 */
public final class TestSmsGatewayProvider implements SmsGatewayProvider {
  public static final List<SmsGateway.OutboundSms> SUBMITTED = new CopyOnWriteArrayList<>();
  public static volatile SmsSink sink;

  @Override
  public String name() {
    return "test";
  }

  @Override
  public SmsGateway create(ActorSystem<?> system, Config config, SmsSink s) {
    sink = s;
    return new SmsGateway() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public CompletionStage<SubmitResult> submit(OutboundSms sms) {
        SUBMITTED.add(sms);
        return CompletableFuture.completedFuture(new SubmitResult.Accepted("test-" + SUBMITTED.size()));
      }
    };
  }
}
