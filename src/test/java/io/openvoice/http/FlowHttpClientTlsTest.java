package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to a host name that only our resolver knows: the client must connect to the checked IP (127.0.0.1) and still
 * send SNI for the name and verify the certificate against the name.
 */
class FlowHttpClientTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static ActorTestKit testKit;
  private static TestHttpServer server;
  private static FlowHttpClient client;
  private static ExecutorService dnsPool;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("server.p12");
    Process p = new ProcessBuilder("keytool", "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=webhook.test", "-ext", "SAN=dns:webhook.test", "-validity", "2",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit",
        "-noprompt").redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    assumeTrue(done && p.exitValue() == 0, "keytool is needed to make a test certificate");

    KeyStore serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      serverKeys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, PASSWORD);
    SSLContext serverSsl = SSLContext.getInstance("TLS");
    serverSsl.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", serverKeys.getCertificate("server"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientSsl = SSLContext.getInstance("TLS");
    clientSsl.init(null, tmf.getTrustManagers(), null);

    Config config = FlowHttpClientTest.config("");
    testKit = ActorTestKit.create(config);
    server = TestHttpServer.https(InetAddress.getByName("127.0.0.1"), serverSsl);
    dnsPool = Executors.newFixedThreadPool(1, r -> new Thread(r, "tls-test-dns"));
    SsrfGuard guard = SsrfGuard.fromConfig(config).withResolver(host -> {
      if (host.equals("webhook.test") || host.equals("other.test") || host.equals("127.0.0.1")) {
        return List.of(InetAddress.getByName("127.0.0.1"));
      }
      throw new UnknownHostException(host);
    });
    client = new FlowHttpClient(testKit.system(), config, guard, dnsPool, clientSsl);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (dnsPool != null) dnsPool.shutdownNow();
    if (testKit != null) testKit.shutdownTestKit();
  }

  private static FetchException failure(CompletionStage<?> stage) throws Exception {
    try {
      return fail("expected a FetchException, got " + stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      FetchException fe = FetchException.unwrap(e);
      assertNotNull(fe, () -> "expected a FetchException, got " + e.getCause());
      return fe;
    }
  }

  @Test
  void httpsConnectsToTheCheckedIpWithSniAndHostOfTheName() throws Exception {
    HttpResponseData r = client.send(HttpRequestSpec.get("https://webhook.test:" + server.port() + "/echo?tls"))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(200, r.status());
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "tls".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("webhook.test", got.sni());
    assertEquals("webhook.test:" + server.port(), got.header("Host"));
  }

  @Test
  void certificateIsVerifiedAgainstTheHostName() throws Exception {
    int before = server.received.size();
    FetchException byOtherName = failure(client.send(
        HttpRequestSpec.get("https://other.test:" + server.port() + "/echo?wrong-name")));
    assertEquals(FetchException.Kind.CONNECT_FAILED, byOtherName.kind());
    assertTrue(byOtherName.getMessage().contains("TLS"), byOtherName.getMessage());

    FetchException byIp = failure(client.send(
        HttpRequestSpec.get("https://127.0.0.1:" + server.port() + "/echo?by-ip")));
    assertEquals(FetchException.Kind.CONNECT_FAILED, byIp.kind());
    assertTrue(byIp.getMessage().contains("TLS"), byIp.getMessage());
    assertEquals(before, server.received.size());
  }
}
