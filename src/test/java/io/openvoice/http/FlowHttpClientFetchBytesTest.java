package io.openvoice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.openvoice.http.FetchException.Kind;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link FlowHttpClient#fetchBytes} against a real HTTP server on 127.0.0.1: the send pipeline, read as bytes. */
class FlowHttpClientFetchBytesTest {
  private static ActorTestKit testKit;
  private static TestHttpServer server;
  private static FlowHttpClient client;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create(FlowHttpClientTest.config(""));
    server = TestHttpServer.http(InetAddress.getByName("127.0.0.1"));
    // max-response-bytes (for send) is deliberately smaller than the bounds given to fetchBytes below
    client = new FlowHttpClient(testKit.system(), FlowHttpClientTest.config("max-response-bytes = 1000"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (testKit != null) testKit.shutdownTestKit();
  }

  private static String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.port() + pathAndQuery;
  }

  private static FetchException failure(CompletionStage<?> stage) throws Exception {
    try {
      Object r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      return fail("expected a FetchException, got " + r);
    } catch (ExecutionException e) {
      FetchException fe = FetchException.unwrap(e);
      assertNotNull(fe, () -> "expected a FetchException, got " + e.getCause());
      return fe;
    }
  }

  @Test
  void aSuccessfulGetGivesStatusContentTypeAndTheBodyBytes() throws Exception {
    BinaryResponse r = client.fetchBytes(url("/bytes?n=5000"), 10_000, Duration.ofSeconds(5))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals("text/plain", r.contentType());
    assertEquals(5000, r.body().length);
    assertEquals('x', r.body()[4999]);
    assertEquals("GET", server.receivedOn("/bytes").get(0).method());
  }

  @Test
  void aStatusOtherThan2xxFailsWithBadStatusAndTheStatus() throws Exception {
    FetchException e = failure(client.fetchBytes(url("/teapot?secret=1"), 10_000, null));
    assertEquals(Kind.BAD_STATUS, e.kind());
    assertEquals(418, e.status());
    assertTrue(e.getMessage().contains("/teapot answered 418"), e.getMessage());
    assertTrue(!e.getMessage().contains("secret"), "the query stays out of the message: " + e.getMessage());
  }

  @Test
  void redirectsAreNotFollowedButReported() throws Exception {
    int followed = server.hits("/redirected");
    FetchException e = failure(client.fetchBytes(url("/redirect"), 10_000, null));
    assertEquals(Kind.BAD_STATUS, e.kind());
    assertEquals(302, e.status());
    assertTrue(e.getMessage().contains("Location: /redirected"), e.getMessage());
    assertEquals(followed, server.hits("/redirected"));
  }

  @Test
  void aBodyLargerThanTheGivenBoundFailsAsTooLargeWithOrWithoutContentLength() throws Exception {
    FetchException sized = failure(client.fetchBytes(url("/bytes?n=5000"), 2000, null));
    assertEquals(Kind.TOO_LARGE, sized.kind());
    assertTrue(sized.getMessage().contains("larger than 2000 bytes"), sized.getMessage());
    FetchException chunked = failure(client.fetchBytes(url("/bytes?n=5000&chunked"), 2000, null));
    assertEquals(Kind.TOO_LARGE, chunked.kind());
  }

  @Test
  void theSsrfGuardAppliesAndNothingIsSent() throws Exception {
    FlowHttpClient strict = new FlowHttpClient(testKit.system(), FlowHttpClientTest.config("allow-loopback = false"));
    int before = server.hits("/echo");
    FetchException e = failure(strict.fetchBytes(url("/echo?guarded"), 1000, null));
    assertEquals(Kind.REFUSED_BY_GUARD, e.kind());
    assertEquals(before, server.hits("/echo"));
  }

  @Test
  void aServerThatDoesNotAnswerInTimeFailsAsTimeout() throws Exception {
    FetchException e = failure(client.fetchBytes(url("/slow"), 1000, Duration.ofMillis(300)));
    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @Test
  void aUrlThatIsNotHttpFailsWithoutARequest() throws Exception {
    assertEquals(Kind.BAD_URL, failure(client.fetchBytes("http://", 1000, null)).kind());
    assertEquals(Kind.REFUSED_BY_GUARD, failure(client.fetchBytes("file:///etc/passwd", 1000, null)).kind());
  }
}
