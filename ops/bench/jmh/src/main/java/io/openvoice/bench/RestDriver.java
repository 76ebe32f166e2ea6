package io.openvoice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * The node's REST API as a client uses it: log in, create an app, start simulated calls and hang them up, with
 * at most {@code concurrency} requests in flight, and read {@code /metrics}. Call ids are kept as two longs each
 * (allocated before any heap is measured), so the driver adds no heap per call.
 */
final class RestDriver {
  private static final ObjectMapper M = new ObjectMapper();

  private final String base;
  private final int concurrency;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String token;
  final long[] msb;
  final long[] lsb;
  int created;
  final AtomicInteger failures = new AtomicInteger();
  final AtomicReference<String> lastFailure = new AtomicReference<>();

  RestDriver(String base, int concurrency, int capacity) {
    this.base = base;
    this.concurrency = concurrency;
    this.msb = new long[capacity];
    this.lsb = new long[capacity];
  }

  void login(String email, String password) throws Exception {
    String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/rest/auth"))
        .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("login: " + r.statusCode() + " " + r.body());
    token = M.readTree(r.body()).path("payload").path("token").asText();
  }

  /** An app with neither hosted XML nor a call-flow URL: its calls park until XML is pushed to them. */
  String parkingApp(String name) throws Exception {
    HttpResponse<String> r = client.send(request("POST", "/rest/sip/app", "{\"name\":\"" + name + "\"}"),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException("create app: " + r.statusCode() + " " + r.body());
    return M.readTree(r.body()).path("payload").path("uuid").asText();
  }

  /**
   * Starts calls until {@code target} were created, each a simulated inbound call to the app that does not wait
   * for its end ({@code wait: false}): the real call entity is created, persisted and parked.
   */
  void createUpTo(String app, int target) throws InterruptedException {
    int from = created;
    run(target - from, i -> {
      int slot = from + i;
      String body = "{\"from\":\"+1202" + String.format("%07d", slot % 10_000_000) + "\",\"to\":\"+12025550100\","
          + "\"wait\":false}";
      return client.sendAsync(request("POST", "/rest/sip/app/" + app + "/simulate", body),
          HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() != 201) return fail("simulate: " + r.statusCode() + " " + r.body());
            try {
              UUID id = UUID.fromString(M.readTree(r.body()).path("payload").path("call").path("uuid").asText());
              msb[slot] = id.getMostSignificantBits();
              lsb[slot] = id.getLeastSignificantBits();
              return true;
            } catch (IOException | IllegalArgumentException e) {
              return fail("simulate: unreadable answer " + r.body());
            }
          });
    });
    created = target;
  }

  /** Hangs up every created call ({@code DELETE /rest/sip/app/call/{uuid}}). */
  void hangUpAll() throws InterruptedException {
    run(created, i -> {
      if (msb[i] == 0 && lsb[i] == 0) return CompletableFuture.completedFuture(false); // never created
      String id = new UUID(msb[i], lsb[i]).toString();
      return client.sendAsync(request("DELETE", "/rest/sip/app/call/" + id, null), HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> r.statusCode() == 200 || fail("hang up: " + r.statusCode() + " " + r.body()));
    });
  }

  /** Runs {@code n} requests, at most {@code concurrency} at once; a request that throws counts as a failure. */
  private void run(int n, IntFunction<CompletableFuture<Boolean>> request) throws InterruptedException {
    Semaphore window = new Semaphore(concurrency);
    for (int i = 0; i < n; i++) {
      window.acquire();
      CompletableFuture<Boolean> f;
      try {
        f = request.apply(i);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((ok, err) -> {
        if (err != null) fail(String.valueOf(err));
        window.release();
      });
    }
    window.acquire(concurrency); // all answered
  }

  private boolean fail(String why) {
    failures.incrementAndGet();
    lastFailure.set(why.length() > 300 ? why.substring(0, 300) : why);
    return false;
  }

  /** The node's Prometheus metrics, as name (with labels) to value. */
  Map<String, Double> metrics() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, Double> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int sp = line.lastIndexOf(' ');
      try {
        out.put(line.substring(0, sp).trim(), Double.parseDouble(line.substring(sp + 1).trim()));
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        // not a sample line
      }
    }
    return out;
  }

  private HttpRequest request(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("X-Auth-Token", token)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    return b.build();
  }

  static JsonNode json(String s) throws IOException {
    return M.readTree(s);
  }
}
