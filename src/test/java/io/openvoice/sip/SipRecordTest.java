package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import io.openvoice.node.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A voicemail flow on a real SIP call: {@code <Record>} around a 3 s Pause records what SIPp plays into the call;
 * the recording is announced ({@code call_record}) and downloads through the authenticated API as a valid WAV of
 * the recorded length.
 */
class SipRecordTest {
  static final long TN = 12025550170L;
  static TestNode node;
  static int sipPort;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    node = SipTestNodes.start("record", sipPort, 43000, "", events);
    SipTestNodes.numberWithFlow(node, TN, "voicemail", """
        <Response>
          <Answer/>
          <Record tag="vm" timeout="60000"><Pause length="3000"/></Record>
          <Hangup/>
        </Response>
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aRecordingOfTheCallDownloadsAsAValidWavOfTheRecordedLength() throws Exception {
    int before = events.size();
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_talk.xml"), sipPort, String.valueOf(TN), 1, 1, 30);
    assertTrue(r.allCallsSucceeded(), "SIPp failed:\n" + r.output());

    JsonNode event = awaitRecordEvent(before);
    JsonNode payload = event.path("payload");
    assertEquals("vm", payload.path("tag").asText(), event.toString());
    String url = payload.path("url").asText();
    assertTrue(url.endsWith("/download"), url);

    String callId = payload.path("call").path("uuid").asText();
    JsonNode list = node.call("GET", "/rest/call/" + callId + "/recording", null, 200).path("payload");
    assertEquals(1, list.size(), list.toString());

    HttpResponse<byte[]> wav = node.client.send(HttpRequest.newBuilder(URI.create(node.base + url))
        .header("X-Auth-Token", node.token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, wav.statusCode());
    assertEquals("audio/wav", wav.headers().firstValue("Content-Type").orElse(""));
    Audio audio = WavCodec.read(wav.body());
    // the recording spans the 3 s Pause (plus the few ms between the steps)
    assertTrue(audio.durationMs() >= 2900 && audio.durationMs() <= 4500, "length " + audio.durationMs() + " ms");
    assertTrue(audio.rms() > 100, "the caller's audio is in the recording (rms " + audio.rms() + ")");

    HttpResponse<byte[]> anonymous = node.client.send(HttpRequest.newBuilder(URI.create(node.base + url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, anonymous.statusCode());
  }

  private static JsonNode awaitRecordEvent(int from) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < until) {
      for (int i = from; i < events.size(); i++) {
        if ("call_record".equals(events.get(i).type())) return TestNode.M.readTree(events.get(i).json());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no call_record event");
  }
}
