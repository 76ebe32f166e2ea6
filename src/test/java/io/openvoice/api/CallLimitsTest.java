package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-account call limits over real HTTP: the operator sets a customer's limits, calls over them are answered
 * 429 naming the limit, the customer reads its use but cannot raise its limits, and calls are admitted again
 * once the live ones have ended.
 */
class CallLimitsTest {
  static final String LONG = "<Response><Answer/><Pause length=\"3000\"/><Hangup/></Response>";

  static TestNode node;
  static String customer;
  static String customerId;
  static String app;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-limits"), "");
    customerId = node.call("POST", "/rest/account",
        "{\"name\":\"Customer L\",\"email\":\"owner@l.example\",\"password\":\"l-password-1\"}", 201)
        .path("payload").path("uuid").asText();
    customer = node.login("owner@l.example", "l-password-1");
    app = node.callAs(customer, "POST", "/rest/sip/app", "{\"name\":\"long\"}", 201).path("payload").path("uuid").asText();
    HttpResponse<String> r = node.send(customer, "POST", "/rest/sip/app/call/flow/" + app, "application/xml", LONG);
    assertEquals(200, r.statusCode(), r.body());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void callsOverTheConcurrentLimitAre429UntilTheLiveOnesEnd() throws Exception {
    setLimits("{\"concurrent_calls_limit\":2,\"cps_limit\":null}");
    awaitUse(n -> n == 0); // calls of the other tests have ended
    List<String> live = new ArrayList<>();
    for (int i = 0; i < 2; i++) live.add(simulate(201).path("payload").path("call").path("uuid").asText());
    JsonNode refused = simulate(429);
    assertTrue(refused.path("fields").has("concurrent_calls"), refused.toString());
    assertTrue(refused.path("message").asText().contains("2 concurrent calls"), refused.toString());

    JsonNode use = awaitUse(n -> n == 2);
    assertEquals(2, use.path("effective_concurrent_calls_limit").asInt(), use.toString());
    assertEquals(2, use.path("concurrent_calls_limit").asInt(), use.toString());

    awaitUse(n -> n == 0); // both calls ran their 3 s flow and ended
    for (String id : live) {
      JsonNode call = node.callAs(customer, "GET", "/rest/sip/app/call/" + id, null, 200).path("payload");
      assertEquals(16, call.path("q850_cause").asInt(), "a live call was untouched by the refusals: " + call);
    }
    simulate(201);
  }

  @Test
  void callsStartedFasterThanTheCpsLimitAre429NamingCps() throws Exception {
    setLimits("{\"concurrent_calls_limit\":null,\"cps_limit\":2}");
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(node.client.sendAsync(HttpRequest.newBuilder(URI.create(node.base + "/rest/sip/app/" + app + "/simulate"))
          .header("X-Auth-Token", customer).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(simulation())).build(), HttpResponse.BodyHandlers.ofString()));
    }
    int granted = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> f : burst) {
      HttpResponse<String> r = f.get();
      if (r.statusCode() == 201) {
        granted++;
      } else {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), "a 429 says when to try again");
        assertTrue(TestNode.M.readTree(r.body()).path("fields").has("cps"), r.body());
        refused++;
      }
    }
    assertTrue(granted >= 1 && refused >= 1, "10 calls at once against 2 a second: " + granted + " started");
    setLimits("{\"cps_limit\":null}");
  }

  @Test
  void onlyTheOperatorSetsLimitsAndEveryBadValueNamesItsField() throws Exception {
    JsonNode denied = node.callAs(customer, "PATCH", "/rest/account/" + customerId + "/limits", "{\"cps_limit\":1000}", 403);
    assertTrue(denied.path("message").asText().contains("operator"), denied.toString());
    String admin = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    node.callAs(customer, "PATCH", "/rest/account/" + admin + "/limits", "{\"cps_limit\":1}", 404);
    node.call("PATCH", "/rest/account/00000000-0000-0000-0000-000000000000/limits", "{\"cps_limit\":1}", 404);
    for (String bad : List.of("{\"cps_limit\":0}", "{\"cps_limit\":\"ten\"}", "{\"cps_limit\":1.5}")) {
      JsonNode err = node.call("PATCH", "/rest/account/" + customerId + "/limits", bad, 400);
      assertTrue(err.path("fields").has("cps_limit"), bad + " -> " + err);
    }
    JsonNode err = node.call("PATCH", "/rest/account/" + customerId + "/limits", "{\"concurrent_calls_limit\":-3}", 400);
    assertTrue(err.path("fields").has("concurrent_calls_limit"), err.toString());
    JsonNode use = node.callAs(customer, "GET", "/rest/account/limits", null, 200).path("payload");
    assertTrue(use.path("effective_cps_limit").asInt() > 0, use.toString());
  }

  private static void setLimits(String json) throws Exception {
    node.call("PATCH", "/rest/account/" + customerId + "/limits", json, 200);
  }

  private static String simulation() {
    return "{\"from\":\"+12015550123\",\"to\":\"+12025550100\",\"realtime\":true,\"wait\":false}";
  }

  private static JsonNode simulate(int status) throws Exception {
    return node.callAs(customer, "POST", "/rest/sip/app/" + app + "/simulate", simulation(), status);
  }

  private static JsonNode awaitUse(IntPredicate liveCalls) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      JsonNode use = node.callAs(customer, "GET", "/rest/account/limits", null, 200).path("payload");
      if (liveCalls.test(use.path("live_calls").asInt())) return use;
      assertTrue(System.nanoTime() < until, "live calls never matched: " + use);
      Thread.sleep(100);
    }
  }
}
