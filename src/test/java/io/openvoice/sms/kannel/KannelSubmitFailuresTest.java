package io.openvoice.sms.kannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.openvoice.sms.gateway.SmsGateway.Coding;
import io.openvoice.sms.gateway.SmsGateway.OutboundSms;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link KannelGateway} sends and how it reads failures, against stand-ins for smsbox that misbehave on
 * purpose (no Kannel needed): a closed port, a server that never answers, one that hangs up, one that answers 503.
 */
class KannelSubmitFailuresTest {
  private static ActorSystem<Void> system;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "kannel-submit-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeServers() throws Exception {
    for (AutoCloseable c : toClose) c.close();
  }

  private static KannelSettings settings(String url, String smscId, Duration timeout) {
    return new KannelSettings(url, "ov user", "p&w=d", smscId, "http://10.0.0.5:8080/", 31, "tok-1.2_3~", timeout,
        Duration.ofSeconds(2), 4, 16);
  }

  private static SubmitResult submit(KannelGateway g, OutboundSms sms) throws Exception {
    return g.submit(sms).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static OutboundSms sms(String id, String text, Coding coding) {
    return new OutboundSms(id, "+15551112222", "+15553334444", text, coding, 1);
  }

  /** A stand-in for smsbox answering {@code status body}; the requests it got go to {@code seen}. */
  private String answering(int status, String body, BlockingQueue<HttpRequest> seen) throws Exception {
    org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler = req -> {
      seen.add(req);
      req.discardEntityBytes(system);
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(status).withEntity(body));
    };
    ServerBinding b = Http.get(system).newServerAt("127.0.0.1", 0).bind(handler)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    toClose.add(() -> b.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS));
    return "http://127.0.0.1:" + b.localAddress().getPort() + "/cgi-bin/sendsms";
  }

  /** A TCP server that reads each request and then either says nothing or hangs up; counts connections. */
  private String silent(boolean hangUp, AtomicInteger connections) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> open = new ArrayList<>();
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          synchronized (open) { open.add(s); }
          InputStream in = s.getInputStream();
          byte[] buf = new byte[8192];
          int n = in.read(buf); // the request head
          if (hangUp && n > 0) s.close();
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-smsbox");
    t.setDaemon(true);
    t.start();
    toClose.add(() -> {
      server.close();
      synchronized (open) { for (Socket s : open) s.close(); }
      t.join(5000);
    });
    return "http://127.0.0.1:" + server.getLocalPort() + "/cgi-bin/sendsms";
  }

  @Test
  void theRequestCarriesCredentialsTextCodingAndADlrUrlWithOurIdAndKannelsEscapes() throws Exception {
    BlockingQueue<HttpRequest> seen = new LinkedBlockingQueue<>();
    KannelGateway g = new KannelGateway(system, settings(answering(202, "0: Accepted for delivery", seen), "upstream-1",
        Duration.ofSeconds(5)));
    SubmitResult r = submit(g, sms("id 1/ü%", "Привет & ok", Coding.UCS2));
    assertEquals(new SubmitResult.Accepted(null), r);
    Map<String, String> q = seen.poll(5, TimeUnit.SECONDS).getUri().query().toMap();
    assertEquals("ov user", q.get("username"));
    assertEquals("p&w=d", q.get("password"));
    assertEquals("+15551112222", q.get("from"));
    assertEquals("+15553334444", q.get("to"));
    assertEquals("Привет & ok", q.get("text"));
    assertEquals("UTF-8", q.get("charset"));
    assertEquals("2", q.get("coding"));
    assertEquals("upstream-1", q.get("smsc"));
    assertEquals("31", q.get("dlr-mask"));
    // the id is url-encoded and each '%' doubled: smsbox turns "%%" into "%" and fills in %d, %A, %T, %F, %i
    assertEquals("http://10.0.0.5:8080/gateway/kannel/dlr?id=id+1%%2F%%C3%%BC%%25"
        + "&type=%d&reply=%A&ts=%T&fid=%F&smsc=%i&token=tok-1.2_3~", q.get("dlr-url"));
  }

  @Test
  void aGsmMessageGoesWithCodingZeroAndNoSmscWhenNoneIsConfigured() throws Exception {
    BlockingQueue<HttpRequest> seen = new LinkedBlockingQueue<>();
    KannelGateway g = new KannelGateway(system, settings(answering(202, "3: Queued for later delivery", seen), "",
        Duration.ofSeconds(5)));
    assertEquals(new SubmitResult.Accepted(null), submit(g, sms("m1", "hello", Coding.GSM7)));
    Map<String, String> q = seen.poll(5, TimeUnit.SECONDS).getUri().query().toMap();
    assertEquals("0", q.get("coding"));
    assertFalse(q.containsKey("smsc"));
  }

  @Test
  void aClosedPortIsUnreachableRetryableAndCertainlyNotSent() throws Exception {
    int port = KannelProcess.freePorts(1)[0];
    KannelGateway g = new KannelGateway(system,
        settings("http://127.0.0.1:" + port + "/cgi-bin/sendsms", "", Duration.ofSeconds(5)));
    SubmitResult.Rejected r = assertInstanceOf(SubmitResult.Rejected.class, submit(g, sms("m1", "x", Coding.GSM7)));
    assertEquals("gateway_unreachable", r.reason());
    assertTrue(r.retryable());
    assertFalse(r.maybeSent());
  }

  @Test
  void noAnswerWithinTheRequestTimeoutIsATimeoutThatMayHaveBeenSent() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    KannelGateway g = new KannelGateway(system, settings(silent(false, connections), "", Duration.ofMillis(800)));
    long t0 = System.nanoTime();
    SubmitResult.Rejected r = assertInstanceOf(SubmitResult.Rejected.class, submit(g, sms("m1", "x", Coding.GSM7)));
    assertEquals("gateway_timeout", r.reason());
    assertTrue(r.retryable());
    assertTrue(r.maybeSent());
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000, "bounded by request-timeout");
  }

  @Test
  void aConnectionClosedAfterTheRequestIsNotRetriedAndMayHaveBeenSent() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    KannelGateway g = new KannelGateway(system, settings(silent(true, connections), "", Duration.ofSeconds(5)));
    SubmitResult.Rejected r = assertInstanceOf(SubmitResult.Rejected.class, submit(g, sms("m1", "x", Coding.GSM7)));
    assertEquals("gateway_error", r.reason());
    assertTrue(r.retryable());
    assertTrue(r.maybeSent());
    Thread.sleep(500);
    assertEquals(1, connections.get(), "the pool must not send the request again (a duplicate SMS)");
  }

  @Test
  void aServerErrorIsRetryableAndNotSent() throws Exception {
    KannelGateway g = new KannelGateway(system,
        settings(answering(503, "Sending failed.", new LinkedBlockingQueue<>()), "", Duration.ofSeconds(5)));
    SubmitResult.Rejected r = assertInstanceOf(SubmitResult.Rejected.class, submit(g, sms("m1", "x", Coding.GSM7)));
    assertEquals(new SubmitResult.Rejected("gateway_error", "503 Sending failed.", true, false), r);
  }

  @Test
  void settingsComeFromTheNodeConfigWithDefaultsFromSmsKannelConf() {
    KannelSettings s = KannelSettings.fromConfig(ConfigFactory.parseString(
        "openvoice.sms.kannel { password = pw, callback-token = abc, dlr-base-url = \"http://node:8080/\" }"));
    assertEquals("http://127.0.0.1:13013/cgi-bin/sendsms", s.sendsmsUrl());
    assertEquals("openvoice", s.username());
    assertEquals("pw", s.password());
    assertEquals("http://node:8080", s.dlrBaseUrl());
    assertEquals(31, s.dlrMask());
    assertEquals(Duration.ofSeconds(10), s.requestTimeout());
    assertFalse(s.toString().contains("pw"), "no password in toString");
    assertThrows(IllegalArgumentException.class, () -> KannelSettings.fromConfig(ConfigFactory.parseString(
        "openvoice.sms.kannel.callback-token = \"a b&c\"")));
    assertThrows(IllegalArgumentException.class, () -> KannelSettings.fromConfig(ConfigFactory.parseString(
        "openvoice.sms.kannel.sendsms-url = \"http://h/cgi-bin/sendsms?x=1\"")));
  }

  @Test
  void answersAreClassifiedByStatus() {
    assertEquals(new SubmitResult.Accepted(null), KannelGateway.classify(202, "0: Accepted for delivery"));
    assertEquals(new SubmitResult.Accepted(null), KannelGateway.classify(202, "3: Queued for later delivery"));
    assertEquals(new SubmitResult.Rejected("gateway_rejected", "403 Authorization failed for sendsms", false, false),
        KannelGateway.classify(403, "Authorization failed for sendsms"));
    assertEquals(new SubmitResult.Rejected("gateway_error", "503", true, false), KannelGateway.classify(503, ""));
  }

  @Test
  void aRequestTheConnectionPoolHasNoRoomForIsRetryableAndCertainlyNotSent() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    String url = silent(false, connections);
    KannelGateway g = new KannelGateway(system, new KannelSettings(url, "u", "p", "", "http://10.0.0.5:8080/", 31,
        "tok", Duration.ofSeconds(3), Duration.ofSeconds(2), 1, 1));
    List<CompletableFuture<SubmitResult>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) all.add(g.submit(sms("m" + i, "hi", Coding.GSM7)).toCompletableFuture());
    List<SubmitResult> results = new ArrayList<>();
    for (CompletableFuture<SubmitResult> f : all) results.add(f.get(30, TimeUnit.SECONDS));
    List<SubmitResult.Rejected> busy = results.stream().map(r -> (SubmitResult.Rejected) r)
        .filter(r -> r.reason().equals("gateway_busy")).toList();
    assertFalse(busy.isEmpty(), results.toString());
    for (SubmitResult.Rejected r : busy) {
      assertTrue(r.retryable());
      assertFalse(r.maybeSent(), "it never left the node");
    }
  }
}
