package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.openvoice.node.TestNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Messages cut off by a node stopping mid-way (charged or not, attempt in flight or not, webhooks queued or not) go
 * on when it starts again on the same journal: each is charged once, handed to the gateway at most once, ends sent
 * (or, when its attempt's outcome is unknown, failed and refunded), and its webhooks arrive at least once, a
 * repeat with the same event uuid.
 */
class SmsRestartTest {
  static final String CONFIG = """
      openvoice.sms.gateway = "test"
      openvoice.sms.confirm-wait = 2s
      openvoice.webhooks.backoff { initial = 50ms, max = 200ms, jitter = 0 }
      """;

  @Test
  void messagesInterruptedByANodeStopAreChargedOnceSentAtMostOnceAndNotifiedAtLeastOnce() throws Exception {
    List<JsonNode> hits = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      hits.add(TestNode.M.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    Path data = Files.createTempDirectory("openvoice-sms-restart");
    List<String> ids = new ArrayList<>();
    String account;
    try {
      try (TestNode first = TestNode.start(data, CONFIG)) {
        first.call("POST", "/rest/order", "{\"items\":[{\"tn\":12025550195,\"features\":[\"voice\"]}]}", 201);
        String profile = first.call("POST", "/rest/profile/messaging", "{\"name\":\"restart\",\"call_back_url\":\"http://"
            + "127.0.0.1:" + server.getAddress().getPort() + "/r\"}", 201).path("payload").path("uuid").asText();
        first.call("POST", "/rest/lease/tn/12025550195/subscription/sms", "{\"messaging_profile\":\"" + profile + "\"}",
            200);
        account = first.call("GET", "/rest/auth", null, 200).path("payload").path("account").path("uuid").asText();
        first.call("PATCH", "/rest/account/" + account + "/limits", "{\"sms_balance\":20}", 200);
        for (int i = 0; i < 10; i++) {
          ids.add(first.call("POST", "/rest/sms", "{\"from\":\"12025550195\",\"to\":\"1212555" + (1000 + i)
              + "\",\"message\":\"restart " + i + "\"}", 200).path("payload").path("uuid").asText());
        }
      } // stops at once: some messages are mid-way (attempts, webhooks, effects not yet journalled done)

      try (TestNode second = TestNode.start(data, CONFIG)) {
        Map<String, JsonNode> end = new HashMap<>();
        Instant deadline = Instant.now().plusSeconds(60);
        while (end.size() < ids.size() && Instant.now().isBefore(deadline)) {
          for (String id : ids) {
            JsonNode m = second.call("GET", "/rest/sms/outbound/" + id, null, 200).path("payload");
            String state = m.path("state").asText();
            if (state.equals("sent") || state.equals("failed")) end.put(id, m);
          }
          Thread.sleep(200);
        }
        assertEquals(ids.size(), end.size(), "every message reached an end: " + end);
        int sent = 0;
        for (String id : ids) {
          JsonNode m = end.get(id);
          if (m.path("state").asText().equals("sent")) sent++;
          else assertEquals("submit_unconfirmed", m.path("reason").asText(), "only an unknown outcome fails: " + m);
          long submitted = TestSmsGatewayProvider.SUBMITTED.stream().filter(s -> s.messageId().equals(id)).count();
          assertTrue(submitted <= 1, id + " handed to the gateway " + submitted + " times");
          if (m.path("state").asText().equals("sent")) assertEquals(1, submitted, id);
        }

        int sentFinal = sent;
        JsonNode limits = second.call("GET", "/rest/account/limits", null, 200).path("payload");
        assertEquals(20 - sentFinal, limits.path("sms_balance").asInt(), "each sent message paid once: " + limits);
        String acc = account;
        long debits = second.node.platform().callLog.run(c -> {
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT COUNT(*) FROM sms_ledger WHERE account = ? AND op = 'debit'")) {
            ps.setString(1, acc);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        }).toCompletableFuture().get();
        assertEquals(10, debits, "one debit per message, however often it was charged");

        // every change was notified at least once; a repeat is the same event
        for (String id : ids) {
          String what = end.get(id).path("state").asText();
          Instant until = Instant.now().plusSeconds(30);
          while (hitsOf(hits, id, what).isEmpty() && Instant.now().isBefore(until)) Thread.sleep(100);
          List<JsonNode> mine = hitsOf(hits, id, what);
          assertTrue(!mine.isEmpty(), "a '" + what + "' webhook for " + id + ": " + hits);
          Set<String> uuids = new HashSet<>();
          for (JsonNode h : mine) uuids.add(h.path("uuid").asText());
          assertEquals(1, uuids.size(), "repeats carry the same event uuid: " + mine);
        }
        System.out.printf("[sms restart] %d sent, %d failed unconfirmed, %d webhooks for %d messages%n", sentFinal,
            ids.size() - sentFinal, hits.size(), ids.size());
      }
    } finally {
      server.stop(0);
    }
  }

  private static List<JsonNode> hitsOf(List<JsonNode> hits, String id, String event) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode h : hits) {
      if (id.equals(h.path("payload").path("uuid").asText()) && event.equals(h.path("event").asText())) out.add(h);
    }
    return out;
  }
}
