package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node stopped in the middle of a call (during a long Pause, simulated in real time) and started again on the
 * same H2 database: remember-entities brings the call entity back, it recovers from the journal and finishes its
 * flow without repeating what it had already done.
 */
class NodeRestartTest {
  static final String FLOW = """
      <Response>
        <Answer/>
        <Say>before the pause</Say>
        <Pause length="4000"/>
        <Say>after the pause</Say>
        <Hangup/>
      </Response>
      """;

  static final String DIAL_FLOW = """
      <Response>
        <Answer/>
        <Dial><Number>+12025550177</Number></Dial>
        <Say>after the dial</Say>
      </Response>
      """;

  @Test
  void aCallInterruptedByANodeRestartRecoversFromTheJournalAndFinishesItsFlow() throws Exception {
    Path data = Files.createTempDirectory("openvoice-restart-test");
    String callId;
    String dialCall;
    try (TestNode first = TestNode.start(data, "")) {
      String dialApp = first.hostedApp("dial", DIAL_FLOW);
      dialCall = first.call("POST", "/rest/sip/app/" + dialApp + "/simulate", """
          {"from":"+12015550123","to":"+12025550112","realtime":true,"wait":false,
           "dial":{"answer":true,"answer_after_ms":300,"talk_ms":5000}}""", 201).path("payload").path("call").path("uuid").asText();
      String app = first.hostedApp("restart", FLOW);
      JsonNode started = first.call("POST", "/rest/sip/app/" + app + "/simulate",
          "{\"from\":\"+12015550123\",\"to\":\"+12025550111\",\"realtime\":true,\"wait\":false}", 201).path("payload");
      callId = started.path("call").path("uuid").asText();
      first.awaitCall(callId, c -> steps(c, "Pause[2]", "started").size() == 1, Duration.ofSeconds(20));
      first.awaitCall(dialCall, c -> "bridged".equals(c.path("state").asText()), Duration.ofSeconds(20));
    }

    try (TestNode second = TestNode.start(data, "")) {
      JsonNode done = second.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(60));
      assertEquals(16, done.path("q850_cause").asInt(), done.toString());
      assertEquals(1, steps(done, "Say[1]", "started").size(), "Say before the pause ran once: " + done);
      assertEquals(1, steps(done, "Pause[2]", "finished").size(), done.toString());
      assertEquals(1, steps(done, "Say[3]", "finished").size(), "Say after the pause ran: " + done);
      assertEquals(1, steps(done, "Hangup[4]", "started").size(), done.toString());
      long pauseEnd = steps(done, "Pause[2]", "finished").get(0).path("at_ms").asLong();
      long pauseStart = steps(done, "Pause[2]", "started").get(0).path("at_ms").asLong();
      assertTrue(pauseEnd - pauseStart >= 4000, "the pause kept its length across the restart: " + done);

      JsonNode dialed = second.awaitCall(dialCall, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(60));
      long bridged = 0;
      for (JsonNode t : dialed.path("trace")) if ("bridged".equals(t.path("state").asText())) bridged++;
      assertEquals(1, bridged, "the resumed dial leg does not bridge the call twice: " + dialed);
      assertEquals(1, steps(dialed, "Say[2]", "finished").size(), "the flow went on after the dial: " + dialed);
    }
  }

  static List<JsonNode> steps(JsonNode call, String path, String phase) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : call.path("trace")) {
      if (path.equals(t.path("path").asText()) && phase.equals(t.path("phase").asText())) out.add(t);
    }
    return out;
  }
}
