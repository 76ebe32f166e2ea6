package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.openvoice.http.FetchException.Kind;
import io.openvoice.http.HttpRequestSpec.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FlowHttpClient} against a real HTTP server on 127.0.0.1. No traffic goes anywhere else. */
class FlowHttpClientTest {
  private static ActorTestKit testKit;
  private static TestHttpServer server;
  private static FlowHttpClient client;
  private static ExecutorService dnsPool;
  private static final List<String> resolverThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final AtomicInteger resolverCalls = new AtomicInteger();

  static Config config(String outbound) {
    return ConfigFactory.parseString("openvoice.http.outbound {" + outbound + "}")
        .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
        .withFallback(ConfigFactory.load());
  }

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create(config(""));
    server = TestHttpServer.http(InetAddress.getByName("127.0.0.1"));
    client = new FlowHttpClient(testKit.system(), config("max-response-bytes = 1000"));
    dnsPool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-dns"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (dnsPool != null) dnsPool.shutdownNow();
    if (testKit != null) testKit.shutdownTestKit();
  }

  private static String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.port() + pathAndQuery;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static FetchException failure(CompletionStage<?> stage) throws InterruptedException, TimeoutException {
    try {
      Object r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      return fail("expected a FetchException, got " + r);
    } catch (ExecutionException e) {
      FetchException fe = FetchException.unwrap(e);
      assertNotNull(fe, () -> "expected a FetchException, got " + e.getCause());
      return fe;
    }
  }

  /** A client whose guard resolves names with {@code resolver} on {@link #dnsPool}. */
  private static FlowHttpClient clientResolving(String outbound, SsrfGuard.HostResolver resolver) throws Exception {
    Config c = config(outbound);
    return new FlowHttpClient(testKit.system(), c, SsrfGuard.fromConfig(c).withResolver(resolver), dnsPool,
        SSLContext.getDefault());
  }

  @Test
  void getMergesQueryIntoTheExistingQueryPercentEncoded() throws Exception {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("From", "+1 555 0100");
    query.put("note", "a&b=c/d?é");
    HttpResponseData r = await(client.send(
        HttpRequestSpec.get(url("/echo?app=7&tag=x%20y")).withQuery(query)));

    assertEquals(200, r.status());
    assertEquals("ok", r.body());
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> x.rawQuery() != null && x.rawQuery().startsWith("app=7")).findFirst().orElseThrow();
    assertEquals("GET", got.method());
    assertEquals("app=7&tag=x%20y&From=%2B1%20555%200100&note=a%26b%3Dc%2Fd%3F%C3%A9", got.rawQuery());
  }

  @Test
  void postSendsJsonBodyWithJsonContentType() throws Exception {
    String json = "{\"from\":\"+15550100\",\"to\":\"+15550199\",\"call\":\"c-1\"}";
    HttpRequestSpec spec = new HttpRequestSpec(Method.POST, url("/echo?post-json"), Map.of(), json, null,
        Map.of("X-Signature", "abc"), null);
    HttpResponseData r = await(client.send(spec));

    assertEquals(200, r.status());
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "post-json".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("POST", got.method());
    assertEquals("application/json", got.header("Content-Type"));
    assertEquals(json, got.bodyUtf8());
    assertEquals("abc", got.header("X-Signature"));
  }

  @Test
  void headRequestsAreSentAsHead() throws Exception {
    HttpResponseData r = await(client.send(new HttpRequestSpec(Method.HEAD, url("/echo?head"), Map.of(), null, null,
        Map.of(), null)));
    assertEquals(200, r.status());
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "head".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("HEAD", got.method());
  }

  @Test
  void bodyIsEncodedWithTheCharsetOfItsContentType() throws Exception {
    HttpRequestSpec spec = new HttpRequestSpec(Method.PUT, url("/echo?put-latin1"), Map.of(), "café", 
        "text/plain; charset=ISO-8859-1", Map.of(), null);
    await(client.send(spec));

    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "put-latin1".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("PUT", got.method());
    assertEquals("café", new String(got.body(), StandardCharsets.ISO_8859_1));
    assertTrue(got.header("Content-Type").toLowerCase().startsWith("text/plain; charset=iso-8859-1"));
  }

  @Test
  void sendsConfiguredUserAgentAndTheHostHeaderOfTheUrl() throws Exception {
    await(client.send(HttpRequestSpec.get(url("/echo?ua"))));

    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "ua".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("openvoice/0.1", got.header("User-Agent"));
    assertEquals("127.0.0.1:" + server.port(), got.header("Host"));
  }

  @Test
  void nonSuccessStatusesAreResponsesNotFailures() throws Exception {
    HttpResponseData teapot = await(client.send(HttpRequestSpec.get(url("/teapot"))));
    assertEquals(418, teapot.status());
    assertEquals("short and stout", teapot.body());

    HttpResponseData down = await(client.send(HttpRequestSpec.postJson(url("/server-error"), "{}")));
    assertEquals(503, down.status());
    assertEquals("{\"error\":\"down\"}", down.body());
    assertEquals("application/json", down.contentType());
  }

  @Test
  void redirectsAreReturnedNotFollowed() throws Exception {
    HttpResponseData r = await(client.send(HttpRequestSpec.get(url("/redirect"))));
    assertEquals(302, r.status());
    assertTrue(r.isRedirect());
    assertEquals(0, server.hits("/redirected"));
  }

  @Test
  void responseBodyIsDecodedWithItsCharset() throws Exception {
    HttpResponseData r = await(client.send(HttpRequestSpec.get(url("/latin1"))));
    assertEquals("<Say>café</Say>", r.body());
    assertTrue(r.contentType().startsWith("text/xml"), r.contentType());
  }

  @Test
  void emptyResponseHasEmptyBody() throws Exception {
    HttpResponseData r = await(client.send(HttpRequestSpec.get(url("/no-content"))));
    assertEquals(204, r.status());
    assertEquals("", r.body());
    assertNull(r.contentType());
  }

  @Test
  void slowServerFailsWithTimeout() throws Exception {
    FetchException e = failure(client.send(
        HttpRequestSpec.get(url("/slow")).withTimeout(Duration.ofMillis(300))));
    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void responseLargerThanTheBoundIsTooLarge() throws Exception {
    assertEquals(Kind.TOO_LARGE, failure(client.send(HttpRequestSpec.get(url("/bytes?n=5000")))).kind());
    assertEquals(Kind.TOO_LARGE, failure(client.send(HttpRequestSpec.get(url("/bytes?n=5000&chunked")))).kind());
    assertEquals(Kind.TOO_LARGE, failure(client.send(HttpRequestSpec.get(url("/bytes?n=1001")))).kind());
  }

  @Test
  void responseExactlyAtTheBoundIsRead() throws Exception {
    assertEquals(1000, await(client.send(HttpRequestSpec.get(url("/bytes?n=1000")))).body().length());
    assertEquals(1000, await(client.send(HttpRequestSpec.get(url("/bytes?n=1000&chunked")))).body().length());
  }

  @Test
  void closedPortIsConnectFailed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    FetchException e = failure(client.send(HttpRequestSpec.get("http://127.0.0.1:" + port + "/")));
    assertEquals(Kind.CONNECT_FAILED, e.kind());
  }

  @Test
  void guardRefusesLoopbackWhenNotAllowedAndNothingIsSent() throws Exception {
    FlowHttpClient strict = new FlowHttpClient(testKit.system(), config("allow-loopback = false"));
    int before = server.received.size();

    FetchException e = failure(strict.send(HttpRequestSpec.get(url("/echo?refused"))));
    assertEquals(Kind.REFUSED_BY_GUARD, e.kind());
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    FetchException e6 = failure(strict.send(HttpRequestSpec.get("http://[::1]:" + server.port() + "/echo")));
    assertEquals(Kind.REFUSED_BY_GUARD, e6.kind());

    assertEquals(before, server.received.size());
    assertTrue(server.receivedOn("/echo").stream().noneMatch(x -> "refused".equals(x.rawQuery())));
  }

  @Test
  void denyCidrRefusesAnAddressTheBooleansAllow() throws Exception {
    FlowHttpClient denying = new FlowHttpClient(testKit.system(), config("deny = [\"127.0.0.0/24\"]"));
    assertEquals(Kind.REFUSED_BY_GUARD, failure(denying.send(HttpRequestSpec.get(url("/echo?denied")))).kind());
    assertTrue(server.receivedOn("/echo").stream().noneMatch(x -> "denied".equals(x.rawQuery())));
  }

  @Test
  void allowCidrOverridesTheLoopbackBoolean() throws Exception {
    FlowHttpClient allowing = new FlowHttpClient(testKit.system(),
        config("allow-loopback = false, allow = [\"127.0.0.1/32\"]"));
    assertEquals(200, await(allowing.send(HttpRequestSpec.get(url("/echo?allowed")))).status());
  }

  @Test
  void nonHttpSchemesAreRefused() throws Exception {
    for (String u : List.of("file:///etc/passwd", "gopher://127.0.0.1:" + server.port() + "/_x", "ftp://127.0.0.1/",
        "jar:file:/x.jar!/y")) {
      assertEquals(Kind.REFUSED_BY_GUARD, failure(client.send(HttpRequestSpec.get(u))).kind(), u);
    }
  }

  @Test
  void malformedUrlsAreBadUrl() throws Exception {
    for (String u : List.of("http://exa mple.com/", "not a url", "/relative/path", "http:///no-host",
        "http://127.0.0.1:99999/", "http://[::1/")) {
      assertEquals(Kind.BAD_URL, failure(client.send(HttpRequestSpec.get(u))).kind(), u);
    }
  }

  @Test
  void headerWithLineBreakIsRejectedBeforeSending() throws Exception {
    FetchException e = failure(client.send(HttpRequestSpec.get(url("/echo?inject"))
        .withHeader("X-Evil", "a\r\nX-Injected: 1")));
    assertEquals(Kind.OTHER, e.kind());
    assertTrue(server.receivedOn("/echo").stream().noneMatch(x -> "inject".equals(x.rawQuery())));
  }

  @Test
  void connectsToTheAddressTheGuardCheckedWithTheOriginalHostHeader() throws Exception {
    // "webhook.test" exists only in this resolver: the request can only arrive if the client used the checked IP.
    FlowHttpClient c = clientResolving("", host -> {
      resolverCalls.incrementAndGet();
      resolverThreads.add(Thread.currentThread().getName());
      if (host.equals("webhook.test")) return List.of(InetAddress.getByName("127.0.0.1"));
      throw new UnknownHostException(host);
    });
    String caller = Thread.currentThread().getName();
    int callsBefore = resolverCalls.get();

    HttpResponseData r = await(c.send(HttpRequestSpec.get("http://webhook.test:" + server.port() + "/echo?named")));

    assertEquals(200, r.status());
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "named".equals(x.rawQuery())).findFirst().orElseThrow();
    assertEquals("webhook.test:" + server.port(), got.header("Host"));
    assertEquals(callsBefore + 1, resolverCalls.get(), "resolved exactly once");
    String dnsThread = resolverThreads.get(resolverThreads.size() - 1);
    assertEquals("test-dns", dnsThread);
    assertTrue(!dnsThread.equals(caller));
  }

  @Test
  void hostThatDoesNotResolveIsConnectFailed() throws Exception {
    FlowHttpClient c = clientResolving("", host -> {
      throw new UnknownHostException(host);
    });
    assertEquals(Kind.CONNECT_FAILED, failure(c.send(HttpRequestSpec.get("http://nowhere.test/"))).kind());
  }

  @Test
  void hostResolvingToOneForbiddenAddressIsRefusedEntirely() throws Exception {
    int before = server.received.size();
    FlowHttpClient c = clientResolving("allow-private = false", host -> List.of(
        InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.0.0.1")));
    FetchException e = failure(c.send(HttpRequestSpec.get("http://mixed.test:" + server.port() + "/echo")));
    assertEquals(Kind.REFUSED_BY_GUARD, e.kind());
    assertTrue(e.getMessage().contains("10.0.0.1"), e.getMessage());
    assertEquals(before, server.received.size());
  }

  @Test
  void nextCheckedAddressIsTriedWhenTheFirstRefusesTheConnection() throws Exception {
    // The server listens on 127.0.0.1 only; 127.0.0.2 is loopback too but nothing listens there.
    FlowHttpClient c = clientResolving("", host -> List.of(
        InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")));
    HttpResponseData r = await(c.send(HttpRequestSpec.get("http://two.test:" + server.port() + "/echo?second")));
    assertEquals(200, r.status());
  }

  @Test
  void userInfoInTheUrlBecomesBasicAuthorization() throws Exception {
    await(client.send(HttpRequestSpec.get("http://ann:s%3Acret@127.0.0.1:" + server.port() + "/echo?basic")));
    TestHttpServer.Received got = server.receivedOn("/echo").stream()
        .filter(x -> "basic".equals(x.rawQuery())).findFirst().orElseThrow();
    String expected = "Basic " + java.util.Base64.getEncoder()
        .encodeToString("ann:s:cret".getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, got.header("Authorization"));
    assertEquals("127.0.0.1:" + server.port(), got.header("Host"));
  }

  @Test
  void ipv6LiteralUrlIsFetchedWithBracketedHostHeader() throws Exception {
    TestHttpServer v6;
    try {
      v6 = TestHttpServer.http(InetAddress.getByName("::1"));
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
      return;
    }
    try (v6) {
      HttpResponseData r = await(client.send(HttpRequestSpec.get("http://[::1]:" + v6.port() + "/echo?v6")));
      assertEquals(200, r.status());
      assertEquals("[::1]:" + v6.port(), v6.receivedOn("/echo").get(0).header("Host"));
    }
  }
}
