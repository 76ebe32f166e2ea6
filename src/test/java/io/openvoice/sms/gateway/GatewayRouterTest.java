package io.openvoice.sms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.sms.SmsDeps;
import io.openvoice.sms.SmsMessage;
import io.openvoice.sms.SmsMessage.Message;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which gateway an attempt goes to, and what a failed on-net lookup means (nothing was sent). */
class GatewayRouterTest {
  static final class Counting implements SmsGateway {
    final String name;
    final AtomicInteger calls = new AtomicInteger();

    Counting(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletionStage<SubmitResult> submit(OutboundSms sms) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(new SubmitResult.Accepted("r-" + name));
    }
  }

  static Message message() {
    Instant now = Instant.now();
    return new Message("5f0e3c2a-0000-4000-8000-000000000001", SmsMessage.OUT, "acc", "12025550100", "12025550101",
        "hi", SmsGateway.Coding.GSM7, 1, "t", "12025550100", "p", "p", null, null, null, false, "sending", false, null,
        null, null, null, null, 1, SmsMessage.Phase.IN_FLIGHT, null, now, now);
  }

  @Test
  void aFailedOnNetLookupIsARetryableRefusalThatCertainlySentNothing() throws Exception {
    Counting on = new Counting("onnet");
    Counting off = new Counting("offnet");
    for (GatewayRouter router : new GatewayRouter[] {
        new GatewayRouter(on, off, to -> CompletableFuture.failedFuture(new TimeoutException("ask timed out"))),
        new GatewayRouter(on, off, to -> { throw new IllegalStateException("sharding not started"); })}) {
      SmsDeps.Routed r = router.submit(message()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertNull(r.gateway());
      SmsGateway.SubmitResult.Rejected x = assertInstanceOf(SmsGateway.SubmitResult.Rejected.class, r.result());
      assertEquals("route_unknown", x.reason());
      assertTrue(x.retryable());
      assertFalse(x.maybeSent());
    }
    assertEquals(0, on.calls.get() + off.calls.get(), "no gateway was called");
  }

  @Test
  void anOnNetDestinationGoesOnNetAndAnyOtherOffNet() throws Exception {
    Counting on = new Counting("onnet");
    Counting off = new Counting("offnet");
    assertEquals("onnet", new GatewayRouter(on, off, to -> CompletableFuture.completedFuture(true)).submit(message())
        .toCompletableFuture().get(5, TimeUnit.SECONDS).gateway());
    assertEquals("offnet", new GatewayRouter(on, off, to -> CompletableFuture.completedFuture(false)).submit(message())
        .toCompletableFuture().get(5, TimeUnit.SECONDS).gateway());
  }
}
