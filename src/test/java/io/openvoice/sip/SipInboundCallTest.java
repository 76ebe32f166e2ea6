package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.events.PlatformEvent;
import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.EspeakTts;
import io.openvoice.media.RtpPacket;
import io.openvoice.node.TestNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real SIPp callers on loopback against a node's SIP edge: a call to a number runs its flow with real RTP
 * (prompts rendered by espeak-ng, the digit sent by SIPp as RFC 4733), and refused calls get the right status.
 */
class SipInboundCallTest {
  static final long TN = 12025550150L;
  static final String WELCOME = "Welcome to open voice";
  static final String PRESSED = "You pressed one";
  static final String FLOW = """
      <Response>
        <Answer/>
        <Say>%s</Say>
        <Gather numDigits="1" timeout="8000">
          <DTMF value="1"><Say>%s</Say><Hangup/></DTMF>
          <DTMF value="2"><Say>two</Say><Hangup/></DTMF>
        </Gather>
        <Say>nothing pressed</Say>
        <Hangup/>
      </Response>
      """.formatted(WELCOME, PRESSED);

  static TestNode node;
  static int sipPort;
  static final List<PlatformEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sipPort = Sipp.freeUdpPort();
    // SIPp plays its DTMF pcap from another port than its SDP names; the test listens at the SDP address
    node = SipTestNodes.start("sip", sipPort, 41000, "openvoice.sip.rtp.symmetric = false", events);
    SipTestNodes.numberWithFlow(node, TN, "ivr", FLOW);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aCallRunsAnswerSayGatherAndTheBranchOfTheDigitSippSentThenWeHangUp() throws Exception {
    try (DatagramSocket rtpSink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      AtomicInteger pcmu = new AtomicInteger();
      var reader = Executors.newSingleThreadExecutor();
      reader.submit(() -> {
        byte[] buf = new byte[2048];
        while (true) {
          DatagramPacket pk = new DatagramPacket(buf, buf.length);
          try {
            rtpSink.receive(pk);
          } catch (SocketException closed) {
            return null;
          }
          RtpPacket.Header h = RtpPacket.parse(pk.getData(), pk.getLength());
          if (h != null && h.payloadType() == 0) pcmu.incrementAndGet();
        }
      });
      int before = events.size();
      Sipp.Result r = Sipp.run(Sipp.scenario("uac_dtmf.xml", "[digit]", "1", "[wait]", "3500"), sipPort,
          String.valueOf(TN), 1, 1, 40, "rtpport", String.valueOf(rtpSink.getLocalPort()));
      assertTrue(r.allCallsSucceeded(), "SIPp failed:\n" + r.output());

      String callId = destroyedCallAfter(before);
      JsonNode call = node.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
      String trace = call.path("trace").toString();
      assertTrue(trace.contains("\"Gather[2].DTMF[0].Say[0]\""), trace);
      assertTrue(trace.contains("\"Gather[2].DTMF[0].Hangup[1]\""), trace);
      assertTrue(!trace.contains("\"Say[3]\""), "the no-digit path did not run: " + trace);
      assertEquals(16, call.path("q850_cause").asInt(), call.toString());

      EspeakTts tts = new EspeakTts("espeak-ng", Files.createTempDirectory("tts"), 10, Executors.newSingleThreadExecutor());
      int expected = frames(tts, WELCOME) + frames(tts, PRESSED);
      Instant until = Instant.now().plusSeconds(5);
      while (pcmu.get() < expected && Instant.now().isBefore(until)) Thread.sleep(50);
      assertEquals(expected, pcmu.get(), "one RTP packet per 20 ms of both prompts (" + frames(tts, WELCOME) + " + " + frames(tts, PRESSED) + ")");
      reader.shutdownNow();
    }
  }

  @Test
  void aDigitSentWithSipInfoChoosesTheGatherBranch() throws Exception {
    int before = events.size();
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_info_dtmf.xml", "[digit]", "2", "[wait]", "3500"), sipPort,
        String.valueOf(TN), 1, 1, 40, "rtpport", String.valueOf(Sipp.freeUdpPort()));
    assertTrue(r.allCallsSucceeded(), "SIPp failed:\n" + r.output());
    String callId = destroyedCallAfter(before);
    JsonNode call = node.awaitCall(callId, c -> "destroyed".equals(c.path("state").asText()), Duration.ofSeconds(10));
    String trace = call.path("trace").toString();
    assertTrue(trace.contains("\"Gather[2].DTMF[1].Say[0]\""), "the branch of digit 2 ran: " + trace);
  }

  /** Its Contact names a private address no packet reaches: our BYE must go where its INVITE came from. */
  @Test
  void aCallerBehindNatGetsOurByeWhereItsInviteCameFrom() throws Exception {
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_listen.xml", "sip:sipp@[local_ip]:[local_port]",
        "sip:sipp@192.0.2.10:5062"), sipPort, String.valueOf(TN), 1, 1, 40);
    assertTrue(r.allCallsSucceeded(), "the caller behind NAT did not get our BYE:\n" + r.output());
  }

  @Test
  void aNumberNobodyLeasedIsAnswered404() throws Exception {
    Sipp.Result r = Sipp.run(Sipp.scenario("uac_refused.xml", "[status]", "404"), sipPort, "12025550199", 1, 1, 20,
        "from", "+12015550123");
    assertTrue(r.allCallsSucceeded(), "expected 404:\n" + r.output());
  }

  @Test
  void aBlacklistedCallerIsDeclinedWith603() throws Exception {
    node.call("POST", "/rest/profile/tn/" + TN + "/blacklist", "{\"add\":[\"+1310555*\"]}", 200);
    try {
      Sipp.Result r = Sipp.run(Sipp.scenario("uac_refused.xml", "[status]", "603"), sipPort, String.valueOf(TN), 1, 1,
          20, "from", "+13105550100");
      assertTrue(r.allCallsSucceeded(), "expected 603:\n" + r.output());
    } finally {
      node.call("POST", "/rest/profile/tn/" + TN + "/blacklist", "{\"remove\":[\"+1310555*\"]}", 200);
    }
  }

  static int frames(EspeakTts tts, String text) throws Exception {
    Audio a = tts.render(text, null, null, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return a.frames(Codec.PCMU).size();
  }

  /** The call that reached "destroyed" among the events published since {@code from}. */
  static String destroyedCallAfter(int from) throws Exception {
    Instant until = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(until)) {
      for (PlatformEvent e : events.subList(from, events.size())) {
        if ("call_state".equals(e.type()) && e.json().contains("\"state\":\"destroyed\"")) return e.refId();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no call ended; events: " + events.subList(from, events.size()));
  }
}
