package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.TestNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bulk call of 200 numbers with a 20 calls-per-second limit, against a SIPp carrier on loopback: the batch
 * reports its progress to completion, every call is placed, answered and hung up, and no clock second holds more
 * than 20 call starts, counted from the calls' own events (not from the test's clock).
 */
class SipBulkCallTest {
  static final long TN = 12025550151L;
  static final int PHONES = 200;
  static final int CPS = 20;

  static TestNode node;
  static int sipPort;
  static int carrier;
  static String lease;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    carrier = Sipp.freeUdpPort();
    node = SipTestNodes.start("bulk", sipPort, 49000, "", events);
    lease = SipTestNodes.carrierAndCaller(node, carrier, "", TN);
    String me = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    node.call("PATCH", "/rest/account/" + me + "/limits", "{\"cps_limit\":" + CPS + "}", 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aBatchRepeatedWithItsCommandIdIsAcknowledgedAndCallsEachPhoneOnce() throws Exception {
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml"), carrier, 3, 60);
    String body = "{\"phones\":[13025570001,13025570002,13025570003],\"tn_lease\":\"" + lease
        + "\",\"command_id\":\"batch-once\",\"xml\":\"<Response><Hangup/></Response>\"}";
    String id = node.call("POST", "/rest/batch", body, 201).path("payload").path("uuid").asText();
    JsonNode again = node.call("POST", "/rest/batch", body, 200).path("payload");
    assertEquals(id, again.path("uuid").asText(), again.toString());
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode progress = again;
    while (!"success".equals(progress.path("state").asText())) {
      assertTrue(System.nanoTime() < until, "the batch did not complete: " + progress);
      Thread.sleep(200);
      progress = node.call("GET", "/rest/batch/" + id, null, 200).path("payload");
    }
    assertEquals(3, progress.path("started").asInt(), progress.toString());
    Sipp.Result carried = far.await();
    assertTrue(carried.allCallsSucceeded(), "three calls, each answered and hung up once:\n" + carried.output());
  }

  @Test
  void twoHundredNumbersAtTwentyCallsPerSecondAreAllPlacedAndNoSecondHoldsMoreThanTwentyStarts() throws Exception {
    // the carrier answers each call and waits for our BYE (the flow hangs up at once); no audio needed
    Sipp.Running far = Sipp.serve(Sipp.scenario("uas_answer_until_bye.xml", """
          <nop>
            <action>
              <exec play_pcap_audio="pcap/g711a.pcap"/>
            </action>
          </nop>
        """.stripIndent().indent(2), ""), carrier, PHONES, 120);
    StringBuilder phones = new StringBuilder();
    for (int i = 0; i < PHONES; i++) phones.append(i == 0 ? "" : ",").append(13025560000L + i);
    int mark = events.size();
    JsonNode batch = node.call("POST", "/rest/batch", "{\"phones\":[" + phones + "],\"tn_lease\":\"" + lease
        + "\",\"xml\":\"<Response><Hangup/></Response>\"}", 201).path("payload");
    assertEquals(PHONES, batch.path("total").asInt(), batch.toString());
    String id = batch.path("uuid").asText();

    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode progress = batch;
    while (!"success".equals(progress.path("state").asText())) {
      assertTrue(System.nanoTime() < until, "the batch did not complete: " + progress);
      assertTrue(progress.path("processed").asInt() <= PHONES, progress.toString());
      Thread.sleep(200);
      progress = node.call("GET", "/rest/batch/" + id, null, 200).path("payload");
    }
    assertEquals(PHONES, progress.path("started").asInt(), progress.toString());
    assertEquals(0, progress.path("failed").asInt(), progress.toString());
    Sipp.Result carried = far.await();
    assertTrue(carried.allCallsSucceeded(), "the carrier did not get 200 answered calls and BYEs:\n" + carried.output());

    Map<Long, Integer> startsPerSecond = new HashMap<>();
    Set<String> started = new HashSet<>();
    Set<String> destroyed = new HashSet<>();
    for (PlatformEvent e : events.subList(mark, events.size())) {
      if (!"call_state".equals(e.type())) continue;
      JsonNode j = TestNode.M.readTree(e.json());
      JsonNode call = j.path("call");
      if (!"out".equals(call.path("direction").asText()) || !String.valueOf(TN).equals(call.path("from").asText())) continue;
      String state = j.path("payload").path("state").asText();
      if ("init".equals(state) && started.add(call.path("uuid").asText())) {
        startsPerSecond.merge(e.createdOn().getEpochSecond(), 1, Integer::sum);
      }
      if ("destroyed".equals(state)) destroyed.add(call.path("uuid").asText());
    }
    assertEquals(PHONES, started.size(), "one call per phone");
    int busiest = startsPerSecond.values().stream().max(Integer::compare).orElse(0);
    assertTrue(busiest <= CPS, "at most " + CPS + " starts in any second: " + startsPerSecond);
    assertTrue(busiest >= CPS / 2, "the batch went about as fast as allowed: " + startsPerSecond);
    assertEquals(PHONES, destroyed.size(), "every call ended");
  }
}
