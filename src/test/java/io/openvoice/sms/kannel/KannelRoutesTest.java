package io.openvoice.sms.kannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.openvoice.sms.gateway.SmsSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KannelRoutes} over real HTTP, called the way smsbox calls them (the shapes smsbox 1.4.5 produced in
 * KannelGatewayTest, plus what it sends without mo-recode and through a post-url).
 */
class KannelRoutesTest {
  private static final String TOKEN = "secret-token_1";
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static ActorSystem<Void> system;
  private static CallbackServer server;
  private static final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "kannel-routes-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    server = new CallbackServer(system, TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      server.close();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void clear() {
    server.sink.inbound.clear();
    server.sink.reports.clear();
    server.sink.failWith = null;
    server.sink.failReportWith = null;
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachDlrTypeBecomesItsStatusWithTheSmscReplyTimeAndMessageId() throws Exception {
    Map<String, SmsSink.DlrStatus> types = Map.of("1", SmsSink.DlrStatus.DELIVERED, "2",
        SmsSink.DlrStatus.UNDELIVERABLE, "4", SmsSink.DlrStatus.BUFFERED, "8", SmsSink.DlrStatus.SMSC_ACCEPTED, "16",
        SmsSink.DlrStatus.SMSC_REJECTED);
    for (Map.Entry<String, SmsSink.DlrStatus> t : types.entrySet()) {
      HttpResponse<String> r = get("/gateway/kannel/dlr?id=0b9e5c7e-1111-4a4a-9c9c-123456789abc&type=" + t.getKey()
          + "&reply=id%3A123+sub%3A001+dlvrd%3A001+stat%3ADELIVRD&ts=1795489794&fid=abc&smsc=fake&token=" + TOKEN);
      assertEquals(200, r.statusCode());
      assertEquals("", r.body(), "an empty answer");
      SmsSink.DeliveryReport rep = server.sink.nextReport(WAIT);
      assertEquals(new SmsSink.DeliveryReport("kannel", "0b9e5c7e-1111-4a4a-9c9c-123456789abc", t.getValue(),
          "id:123 sub:001 dlvrd:001 stat:DELIVRD", Instant.ofEpochSecond(1795489794L), "abc"), rep);
    }
  }

  @Test
  void aDlrOfAnUnknownTypeOrWithoutIdIsABadRequest() throws Exception {
    assertEquals(400, get("/gateway/kannel/dlr?id=m1&type=3&token=" + TOKEN).statusCode());
    assertEquals(400, get("/gateway/kannel/dlr?type=1&token=" + TOKEN).statusCode());
    assertNull(server.sink.nextReport(Duration.ofMillis(200)));
  }

  @Test
  void callbacksWithoutTheTokenAre401AndWithAWrongOne403() throws Exception {
    assertEquals(401, get("/gateway/kannel/dlr?id=m1&type=1").statusCode());
    assertEquals(403, get("/gateway/kannel/dlr?id=m1&type=1&token=secret-token_2").statusCode());
    assertEquals(403, get("/gateway/kannel/inbound?from=1&to=2&text=x&token=" + TOKEN + "x").statusCode());
    assertNull(server.sink.nextReport(Duration.ofMillis(200)));
    assertNull(server.sink.nextInbound(Duration.ofMillis(10)));
  }

  @Test
  void withNoTokenConfiguredEveryCallbackIsRefused() throws Exception {
    try (CallbackServer open = new CallbackServer(system, "")) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(open.baseUrl()
          + "/gateway/kannel/dlr?id=m1&type=1&token=anything")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, r.statusCode());
      assertNull(open.sink.nextReport(Duration.ofMillis(200)));
    }
  }

  @Test
  void anInboundMessageInUtf8AsSmsboxSendsItWithMoRecode() throws Exception {
    HttpResponse<String> r = get("/gateway/kannel/inbound?from=%2B15551230001&to=%2B15559870002"
        + "&text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%E2%9C%93+%26+1%2B1%3D2&coding=0&charset=UTF-8"
        + "&id=37d2f945-a0b1-4605-8488-29358be0016e&ts=1795489801&smsc=fake&token=" + TOKEN);
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
    assertEquals(new SmsSink.InboundSms("kannel", "37d2f945-a0b1-4605-8488-29358be0016e", "+15551230001",
        "+15559870002", "Привет ✓ & 1+1=2", Instant.ofEpochSecond(1795489801L)), server.sink.nextInbound(WAIT));
  }

  @Test
  void anInboundMessageThePlatformCouldNotKeepNowIs503SoSmsboxSendsItAgainButOneNotForUsIs200() throws Exception {
    String call = "/gateway/kannel/inbound?from=15551230001&to=15559870002&text=hi&id=abc-1&token=" + TOKEN;
    server.sink.failWith = new java.util.concurrent.CompletionException(new java.util.concurrent.TimeoutException("ask"));
    assertEquals(503, get(call).statusCode(), "a timeout keeping it: smsbox retries (same %I id)");
    server.sink.failWith = new IllegalStateException("number 15559870002 does not take SMS");
    assertEquals(200, get(call).statusCode(), "not for us: retrying would not help");
    server.sink.failWith = null;
    assertEquals(200, get(call).statusCode());
    assertEquals(3, server.sink.inbound.size());
  }

  @Test
  void aDlrThePlatformCouldNotKeepNowIs503SoKannelSendsItAgainButOneAboutNoMessageOfOursIs200() throws Exception {
    String call = "/gateway/kannel/dlr?id=0b9e5c7e-1111-4a4a-9c9c-123456789abc&type=1&reply=ok&token=" + TOKEN;
    server.sink.failReportWith = new java.util.concurrent.CompletionException(
        new java.util.concurrent.TimeoutException("ask timed out"));
    assertEquals(503, get(call).statusCode(), "a timeout keeping it: Kannel retries");
    server.sink.failReportWith = new IllegalArgumentException("not a message id");
    assertEquals(200, get(call).statusCode(), "never kept: retrying would not help");
    server.sink.failReportWith = null;
    assertEquals(200, get(call).statusCode());
    assertEquals(3, server.sink.reports.size());
  }

  @Test
  void anInboundUcs2MessageAsRawUtf16BytesAsSmsboxSendsItWithoutMoRecode() throws Exception {
    // exactly what smsbox 1.4.5 sent for "Привет ✓" with mo-recode = false: coding=2, charset=UTF-16BE, and
    // the bytes form-encoded ('+' is the byte 0x20, "'" the byte 0x27)
    HttpResponse<String> r = get("/gateway/kannel/inbound?from=%2B15551230001&to=%2B15559870002"
        + "&text=%04%1F%04%40%048%042%045%04B%00+'%13&coding=2&charset=UTF-16BE"
        + "&id=e130f270-61bb-49c0-a77d-0e71dd98d864&ts=1795489820&token=" + TOKEN);
    assertEquals(200, r.statusCode());
    SmsSink.InboundSms in = server.sink.nextInbound(WAIT);
    assertEquals("Привет ✓", in.text());
  }

  @Test
  void aPostWithoutATextParameterTakesTheBodyAsTheText() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
            + "/gateway/kannel/inbound?from=100&to=200&id=k1&token=" + TOKEN))
        .timeout(WAIT).header("Content-Type", "text/plain; charset=UTF-16BE")
        .POST(HttpRequest.BodyPublishers.ofByteArray("Grüße ✓".getBytes(StandardCharsets.UTF_16BE))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    SmsSink.InboundSms in = server.sink.nextInbound(WAIT);
    assertEquals("Grüße ✓", in.text());
    assertEquals("k1", in.gatewayId());
    assertTrue(Duration.between(in.receivedAt(), Instant.now()).abs().toSeconds() < 60, "no ts: now");
  }

  @Test
  void anInboundMessageWithoutSenderIsABadRequest() throws Exception {
    assertEquals(400, get("/gateway/kannel/inbound?to=200&text=x&token=" + TOKEN).statusCode());
    assertNull(server.sink.nextInbound(Duration.ofMillis(200)));
  }
}
