package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live-call control over real HTTP: XML pushed with a command id runs once however often it is repeated within
 * the window, and a call is hung up with a chosen cause (a repeat answers with the ended call).
 */
class CallControlTest {
  static final String LONG = "<Response><Answer/><Pause length=\"30000\"/><Hangup/></Response>";
  static final String PUSHED = "<Response><Say>pushed</Say><Pause length=\"30000\"/></Response>";

  static TestNode node;
  static String app;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-control"), "");
    app = node.hostedApp("long", LONG);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void xmlPushedAgainWithTheSameCommandIdRunsOnce() throws Exception {
    String call = liveCall();
    for (int i = 0; i < 3; i++) push(call, "?command_id=push-1");
    JsonNode c = node.awaitCall(call, x -> says(x) >= 1, Duration.ofSeconds(10));
    push(call, "?command_id=push-2"); // another id: runs
    c = node.awaitCall(call, x -> says(x) >= 2, Duration.ofSeconds(10));
    Thread.sleep(300); // let any wrongly repeated push show up before counting
    c = node.call("GET", "/rest/sip/app/call/" + call, null, 200).path("payload");
    assertEquals(2, says(c), "push-1 three times and push-2 once: " + c.path("trace"));
    node.call("POST", "/rest/call/" + call + "/hangup", null, 200);
  }

  @Test
  void aCallIsHungUpWithTheGivenCauseAndARepeatAnswersWithTheEndedCall() throws Exception {
    String call = liveCall();
    JsonNode ended = node.call("POST", "/rest/call/" + call + "/hangup", "{\"cause\":17,\"reason\":\"operator\"}", 200)
        .path("payload");
    assertEquals(17, ended.path("q850_cause").asInt(), ended.toString());
    JsonNode again = node.call("DELETE", "/rest/sip/app/call/" + call, null, 200).path("payload");
    assertEquals(17, again.path("q850_cause").asInt(), "a repeat does not hang up again: " + again);
    JsonNode done = node.awaitCall(call, x -> "destroyed".equals(x.path("state").asText()), Duration.ofSeconds(10));
    assertEquals(17, done.path("q850_cause").asInt(), done.toString());
  }

  @Test
  void aBadCauseOrAnotherAccountsCallIsRefused() throws Exception {
    String call = liveCall();
    for (String bad : new String[] {"{\"cause\":0}", "{\"cause\":200}", "{\"cause\":\"busy\"}"}) {
      JsonNode err = node.call("POST", "/rest/call/" + call + "/hangup", bad, 400);
      assertTrue(err.path("fields").has("cause"), bad + " -> " + err);
    }
    node.call("POST", "/rest/account",
        "{\"name\":\"Other\",\"email\":\"owner@o.example\",\"password\":\"o-password-1\"}", 201);
    String other = node.login("owner@o.example", "o-password-1");
    node.callAs(other, "POST", "/rest/call/" + call + "/hangup", null, 404);
    node.callAs(other, "DELETE", "/rest/sip/app/call/" + call, null, 404);
    node.call("POST", "/rest/call/00000000-0000-0000-0000-000000000000/hangup", null, 404);
    assertEquals("live", node.call("GET", "/rest/sip/app/call/" + call, null, 200).path("payload").path("state").asText());
    node.call("POST", "/rest/call/" + call + "/hangup", null, 200);
  }

  private static String liveCall() throws Exception {
    String call = node.call("POST", "/rest/sip/app/" + app + "/simulate",
        "{\"from\":\"+12015550123\",\"to\":\"+12025550100\",\"realtime\":true,\"wait\":false}", 201)
        .path("payload").path("call").path("uuid").asText();
    node.awaitCall(call, x -> "live".equals(x.path("state").asText()), Duration.ofSeconds(10));
    return call;
  }

  private static void push(String call, String query) throws Exception {
    HttpResponse<String> r = node.send(node.token, "POST", "/rest/sip/app/call/" + call + query, "application/xml", PUSHED);
    assertEquals(200, r.statusCode(), r.body());
  }

  /** How many times the pushed Say started. */
  private static long says(JsonNode call) {
    long n = 0;
    for (JsonNode t : call.path("trace")) {
      if ("Say".equals(t.path("command").asText()) && "started".equals(t.path("phase").asText())) n++;
    }
    return n;
  }
}
