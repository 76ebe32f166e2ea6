package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.webhook.WebhookSignature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A webhook queue survives its node: events still queued (the receiver answered 500 until the node stopped) are
 * sent, in order and signed, by the dispatcher that the node restarted from the journal once the receiver is
 * back; none is lost.
 */
class WebhookRestartTest {
  static final String FLOW = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";

  record Hit(String eventId, String state, int status) {}

  @Test
  void eventsQueuedWhenTheNodeStoppedAreDeliveredAfterItRestarts() throws Exception {
    AtomicInteger status = new AtomicInteger(500);
    List<Hit> hits = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", ex -> {
      JsonNode body = TestNode.M.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int s = status.get();
      hits.add(new Hit(ex.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER),
          body.path("payload").path("state").asText(), s));
      ex.sendResponseHeaders(s, -1);
      ex.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    String config = """
        openvoice.webhooks { max-attempts = 1000, backoff { initial = 200ms, max = 500ms } }
        """;
    Path data = Files.createTempDirectory("openvoice-webhook-restart");
    String call;
    try {
      try (TestNode first = TestNode.start(data, config)) {
        String app = first.hostedApp("hooked", FLOW);
        first.call("PATCH", "/rest/sip/app/" + app, "{\"webhook_url\":\"" + hook + "\",\"webhook_method\":\"POST\"}", 200);
        call = first.call("POST", "/rest/sip/app/" + app + "/simulate",
            "{\"from\":\"+12015550123\",\"to\":\"12025550100\",\"wait\":true}", 200).path("payload").path("call")
            .path("uuid").asText();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (hits.stream().filter(h -> h.status() == 500).count() < 3) { // the first event, refused again and again
          assertTrue(System.nanoTime() < until, "the webhook was not tried: " + hits);
          Thread.sleep(50);
        }
      }
      int refused = hits.size();
      assertTrue(hits.stream().noneMatch(h -> h.status() == 200), hits.toString());
      status.set(200);
      try (TestNode second = TestNode.start(data, config)) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (hits.stream().noneMatch(h -> h.status() == 200 && "destroyed".equals(h.state()))) {
          assertTrue(System.nanoTime() < until, "the queued events were not sent after the restart: " + hits);
          Thread.sleep(50);
        }
        List<Hit> after = hits.subList(refused, hits.size());
        Set<String> states = new LinkedHashSet<>();
        for (Hit h : after) if (h.status() == 200) states.add(h.state());
        assertEquals(List.of("init", "ringing", "live", "hangup", "destroyed"),
            List.copyOf(states).stream().filter(s -> !s.isEmpty()).toList(),
            "every call_state of call " + call + " once the receiver is back, in order: " + after);
      }
    } finally {
      server.stop(0);
    }
  }
}
