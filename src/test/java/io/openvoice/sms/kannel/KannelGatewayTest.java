package io.openvoice.sms.kannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.openvoice.sms.gateway.SmsGateway.Coding;
import io.openvoice.sms.gateway.SmsGateway.OutboundSms;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import io.openvoice.sms.gateway.SmsSink;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link KannelGateway} and {@link KannelRoutes} against a real Kannel 1.4.5 (bearerbox, smsbox and the fake SMSC
 * client fakesmsc) started by ops/kannel/start.sh on free loopback ports, its callbacks going to the routes on a
 * real Pekko HTTP server. The last two tests take the fake SMSC and then Kannel away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KannelGatewayTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String TOKEN = "kannel-test-" + UUID.randomUUID();

  private static ActorSystem<Void> system;
  private static CallbackServer platform;
  private static KannelProcess kannel;
  private static KannelGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(KannelProcess.installed(),
        "Kannel is not installed (bearerbox, smsbox, fakesmsc): run ops/setup.sh (Debian kannel, kannel-extras)");
    system = ActorSystem.create(Behaviors.empty(), "kannel-gateway-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
    platform = new CallbackServer(system, TOKEN);
    kannel = new KannelProcess(TOKEN);
    kannel.start(platform.baseUrl());
    gateway = new KannelGateway(system, settings(kannel.sendsmsUrl(), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kannel != null) kannel.close();
    } finally {
      try {
        if (platform != null) platform.close();
      } finally {
        if (system != null) {
          system.terminate();
          system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static KannelSettings settings(String sendsmsUrl, Duration timeout) {
    return new KannelSettings(sendsmsUrl, "openvoice", "s3cret-pw", "", platform.baseUrl(), 31, TOKEN, timeout,
        Duration.ofSeconds(2), 4, 16);
  }

  private static SubmitResult submit(KannelGateway g, OutboundSms sms) throws Exception {
    return g.submit(sms).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String diagnostics() {
    return "\n--- fakesmsc.log\n" + kannel.log("fakesmsc.log") + "\n--- smsbox.log\n" + kannel.log("smsbox.log");
  }

  @Test
  @Order(1)
  void anAcceptedMessageReachesTheSmscAndItsDeliveryReportsComeBackThroughTheDlrUrl() throws Exception {
    String id = UUID.randomUUID().toString();
    String text = "Hello from openvoice, order #42 (ok?)";
    SubmitResult r = submit(gateway, new OutboundSms(id, "+15550001111", "+15550002222", text, Coding.GSM7, 1));
    assertInstanceOf(SubmitResult.Accepted.class, r);

    KannelProcess.Delivered d = kannel.awaitDelivered("+15550002222", x -> x.text().equals(text), WAIT)
        .orElseThrow(() -> new AssertionError("the fake SMSC did not get the message" + diagnostics()));
    assertEquals("+15550001111", d.from());
    assertEquals("text", d.type());

    // The fake SMSC acknowledges the submission (DLR 8, reply "ACK/") and reports it delivered (DLR 1).
    List<SmsSink.DeliveryReport> reports = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (reports.size() < 2 && System.nanoTime() < deadline) {
      SmsSink.DeliveryReport rep = platform.sink.nextReport(Duration.ofMillis(500));
      if (rep != null && rep.messageId().equals(id)) reports.add(rep);
    }
    assertEquals(2, reports.size(), "two delivery reports for " + id + ": " + reports + diagnostics());
    SmsSink.DeliveryReport accepted = reports.stream()
        .filter(x -> x.status() == SmsSink.DlrStatus.SMSC_ACCEPTED).findFirst().orElseThrow();
    SmsSink.DeliveryReport delivered = reports.stream()
        .filter(x -> x.status() == SmsSink.DlrStatus.DELIVERED).findFirst().orElseThrow();
    assertEquals("kannel", accepted.gateway());
    assertEquals("ACK/", accepted.detail());
    assertTrue(Duration.between(delivered.at(), Instant.now()).abs().toMinutes() < 5, "the report's time: " + delivered.at());
  }

  @Test
  @Order(2)
  void aGsmTextWithGsmOnlySymbolsArrivesIntact() throws Exception {
    String text = "Price: 5 € @ 10:00 & 50% off! \"quoted\" _ £ ¥ {[~|^]} \\ ÄÖÑÜ§ ΔΩ";
    SubmitResult r = submit(gateway,
        new OutboundSms(UUID.randomUUID().toString(), "OpenVoice", "+15550003333", text, Coding.GSM7, 1));
    assertInstanceOf(SubmitResult.Accepted.class, r);
    KannelProcess.Delivered d = kannel.awaitDelivered("+15550003333", x -> true, WAIT)
        .orElseThrow(() -> new AssertionError("the fake SMSC did not get the message" + diagnostics()));
    assertEquals("OpenVoice", d.from());
    assertEquals(text, d.text(), "as the fake SMSC got it: " + d);
  }

  @Test
  @Order(2)
  void aTextOutsideGsmSentAsGsm7LosesWhatGsmLacks() throws Exception {
    submit(gateway, new OutboundSms(UUID.randomUUID().toString(), "+15550001111", "+15550003334", "Привет ok",
        Coding.GSM7, 1));
    KannelProcess.Delivered d = kannel.awaitDelivered("+15550003334", x -> true, WAIT)
        .orElseThrow(() -> new AssertionError("the fake SMSC did not get the message" + diagnostics()));
    assertEquals("?????? ok", d.text(), "smsbox replaces what GSM 03.38 lacks by '?' unless coding=2");
  }

  @Test
  @Order(3)
  void aUcs2TextArrivesAsUtf16AtTheSmsc() throws Exception {
    String text = "Привет ✓ 你好";
    SubmitResult r = submit(gateway,
        new OutboundSms(UUID.randomUUID().toString(), "+15550001111", "+15550004444", text, Coding.UCS2, 1));
    assertInstanceOf(SubmitResult.Accepted.class, r);
    KannelProcess.Delivered d = kannel.awaitDelivered("+15550004444", x -> true, WAIT)
        .orElseThrow(() -> new AssertionError("the fake SMSC did not get the message" + diagnostics()));
    assertEquals("ucs-2", d.type(), "coding=2 makes smsbox send UCS-2: " + d);
    assertEquals(text, d.text());
  }

  @Test
  @Order(4)
  void aGsmMessageFromTheNetworkReachesTheSinkIntact() throws Exception {
    String text = "Hello & welcome = 100% +more";
    kannel.inject("+15557770001 +15558880002 text " + text);
    SmsSink.InboundSms in = platform.sink.nextInbound(WAIT);
    assertNotNull(in, "no inbound message reached the sink" + diagnostics());
    assertEquals("kannel", in.gateway());
    assertEquals("+15557770001", in.from());
    assertEquals("+15558880002", in.to());
    assertEquals(text, in.text());
    assertNotNull(in.gatewayId(), "Kannel's id of the message (%I)");
    assertTrue(Duration.between(in.receivedAt(), Instant.now()).abs().toMinutes() < 5);
    assertTrue(kannel.delivered().stream().noneMatch(x -> x.to().equals("+15557770001")),
        "smsbox must send nothing back to the sender");
  }

  @Test
  @Order(5)
  void aUcs2MessageFromTheNetworkReachesTheSinkIntact() throws Exception {
    String text = "Привет ✓ 你好";
    kannel.inject("+15557770003 +15558880004 ucs2 " + urlEncodeBytes(text.getBytes(StandardCharsets.UTF_16BE)));
    SmsSink.InboundSms in = platform.sink.nextInbound(WAIT);
    assertNotNull(in, "no inbound message reached the sink" + diagnostics());
    assertEquals("+15557770003", in.from());
    assertEquals("+15558880004", in.to());
    assertEquals(text, in.text());
  }

  @Test
  @Order(6)
  void wrongCredentialsAreRejectedForGood() throws Exception {
    KannelGateway wrong = new KannelGateway(system,
        settings(kannel.sendsmsUrl(), Duration.ofSeconds(10)).withCredentials("openvoice", "wrong"));
    SubmitResult r = submit(wrong, new OutboundSms(UUID.randomUUID().toString(), "+1555", "+1666", "x", Coding.GSM7, 1));
    SubmitResult.Rejected rej = assertInstanceOf(SubmitResult.Rejected.class, r);
    assertEquals("gateway_rejected", rej.reason());
    assertFalse(rej.retryable());
    assertFalse(rej.maybeSent());
    assertTrue(rej.detail().startsWith("403 Authorization failed"), rej.detail());
  }

  @Test
  @Order(7)
  void aMessageWithoutAReceiverIsRejectedForGood() throws Exception {
    SubmitResult r = submit(gateway, new OutboundSms(UUID.randomUUID().toString(), "+1555", "", "x", Coding.GSM7, 1));
    SubmitResult.Rejected rej = assertInstanceOf(SubmitResult.Rejected.class, r);
    assertEquals("gateway_rejected", rej.reason());
    assertFalse(rej.retryable());
    assertTrue(rej.detail().startsWith("400"), rej.detail());
  }

  @Test
  @Order(8)
  void withNoSmscConnectedKannelQueuesTheMessageAndThatCountsAsAccepted() throws Exception {
    kannel.stopFakeSmsc();
    // what smsbox itself answers then
    HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(kannel.sendsmsUrl()
            + "?username=openvoice&password=s3cret-pw&from=1555&to=15550005555&text=raw")).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, raw.statusCode());
    assertEquals("3: Queued for later delivery", raw.body().trim());
    SubmitResult r = submit(gateway,
        new OutboundSms(UUID.randomUUID().toString(), "+1555", "+15550005555", "later", Coding.GSM7, 1));
    assertInstanceOf(SubmitResult.Accepted.class, r);
  }

  @Test
  @Order(9)
  void withKannelStoppedASubmissionIsUnreachableAndCertainlyNotSent() throws Exception {
    kannel.close();
    SubmitResult r = submit(gateway, new OutboundSms(UUID.randomUUID().toString(), "+1555", "+1666", "x", Coding.GSM7, 1));
    SubmitResult.Rejected rej = assertInstanceOf(SubmitResult.Rejected.class, r);
    assertEquals("gateway_unreachable", rej.reason());
    assertTrue(rej.retryable());
    assertFalse(rej.maybeSent());
  }

  private static String urlEncodeBytes(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : bytes) {
      out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
