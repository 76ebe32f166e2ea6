package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.addressOf;
import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpTestSupport.LOOPBACK;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static io.openvoice.media.rtp.RtpTestSupport.telephoneEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import io.openvoice.media.rtp.RtpTestSupport.Rtp;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RtpDtmfTest {
  private RtpEngine engine;

  @BeforeEach
  void start() {
    engine = RtpTestSupport.startedEngine(8);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void digitsSentWithSendDigitAreReceivedOnceEachInOrder() throws Exception {
    RtpSession a = engine.open();
    RtpSession b = engine.open();
    a.remote(addressOf(b), Codec.PCMU, 101);
    b.remote(addressOf(a), Codec.PCMU, 101);
    StringBuffer digits = new StringBuffer();
    AtomicInteger audioPayloads = new AtomicInteger();
    b.onDigit(digits::append);
    b.onAudio(p -> audioPayloads.incrementAndGet());

    CompletionStage<Boolean> one = a.sendDigit('1', 100);
    CompletionStage<Boolean> two = a.sendDigit('2', 100);
    CompletionStage<Boolean> pound = a.sendDigit('#', 100);

    assertTrue(await(one));
    assertTrue(await(two));
    assertTrue(await(pound));
    assertTrue(eventually(() -> b.packetsReceived() >= 24), "3 x (5 + 3 end) packets arrive");
    pause(100);
    assertEquals("12#", digits.toString());
    assertEquals(3, b.dtmfEventsReceived());
    assertEquals(24, b.packetsReceived());
    assertEquals(0, audioPayloads.get(), "telephone events are not audio");
  }

  @Test
  void sendDigitFollowsRfc4733StartContinuationAndThreeEndPackets() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      assertTrue(await(a.sendDigit('5', 100)));

      List<Rtp> packets = far.receive(8, 2_000);
      packets.addAll(far.drain(200));
      assertEquals(8, packets.size(), "5 packets of 20 ms plus 3 end packets");
      Rtp first = packets.get(0);
      for (int i = 0; i < packets.size(); i++) {
        Rtp p = packets.get(i);
        assertEquals(101, p.payloadType());
        assertEquals(4, p.payload().length);
        assertEquals(5, p.event());
        assertEquals(10, p.payload()[1] & 0x3F, "volume");
        assertEquals(first.timestamp(), p.timestamp(), "one timestamp for the whole event");
        assertEquals((first.sequence() + i) & 0xFFFF, p.sequence());
        assertEquals(i == 0, p.marker(), "marker on the start packet only");
        assertEquals(i >= 5, p.end(), "end bit on the last three");
        assertEquals(160 * Math.min(i + 1, 5), p.duration());
      }
    }
  }

  @Test
  void audioQueuedBeforeADigitIsSentFirstAndTheAudioAfterStartsANewTalkspurt() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMA, 96);
      a.play(Audio.silence(60));
      CompletionStage<Boolean> digit = a.sendDigit('*', 20);
      CompletionStage<Boolean> after = a.play(Audio.silence(40));
      assertTrue(await(digit));
      assertTrue(await(after));

      List<Rtp> packets = far.receive(9, 2_000);
      assertEquals(9, packets.size());
      int[] pts = packets.stream().mapToInt(Rtp::payloadType).toArray();
      assertEquals(List.of(8, 8, 8, 96, 96, 96, 96, 8, 8), java.util.Arrays.stream(pts).boxed().toList());
      assertEquals(10, packets.get(3).event(), "* is event 10");
      assertTrue(packets.get(3).marker());
      assertTrue(packets.get(7).marker(), "audio after the event is a new talkspurt");
      long tsAudio = packets.get(2).timestamp();
      long tsEvent = packets.get(3).timestamp();
      long tsAfter = packets.get(7).timestamp();
      assertTrue(((tsEvent - tsAudio) & 0xFFFFFFFFL) < 0x80000000L && tsEvent != tsAudio);
      assertTrue(((tsAfter - tsEvent) & 0xFFFFFFFFL) >= 160 * 4, "audio resumes after the event's packets");
    }
  }

  @Test
  void continuationAndRepeatedEndPacketsFromTheFarEndAreReportedOnce() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession s = engine.open();
      s.remote(far.address(), Codec.PCMU, 101);
      StringBuffer digits = new StringBuffer();
      s.onDigit(digits::append);
      int seq = 1000;
      long ssrc = 0x1234_5678L;
      byte[] eventOne = null;
      for (long ts : new long[] {8000, 16000}) {
        for (int i = 1; i <= 4; i++) {
          far.send(rtp(101, i == 1, seq++, ts, ssrc, telephoneEvent(7, false, 10, 160 * i)), s.localPort());
        }
        for (int i = 0; i < 3; i++) {
          byte[] end = rtp(101, false, seq++, ts, ssrc, telephoneEvent(7, true, 10, 640));
          if (eventOne == null) eventOne = end;
          far.send(end, s.localPort());
        }
      }
      far.send(eventOne, s.localPort()); // a late duplicate of the first event

      assertTrue(eventually(() -> s.packetsReceived() >= 15));
      assertEquals("77", digits.toString(), "two key presses of 7, each once");
      assertEquals(2, s.dtmfEventsReceived());
    }
  }

  @Test
  void telephoneEventsOfAnotherPayloadTypeAreNotDigits() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession s = engine.open();
      s.remote(far.address(), Codec.PCMU, 101);
      StringBuffer digits = new StringBuffer();
      s.onDigit(digits::append);
      far.send(rtp(100, true, 1, 8000, 42, telephoneEvent(1, true, 10, 800)), s.localPort());
      far.send(rtp(101, true, 2, 9000, 42, telephoneEvent(3, true, 10, 800)), s.localPort());
      assertTrue(eventually(() -> s.packetsReceived() >= 2));
      pause(50);
      assertEquals("3", digits.toString());
    }
  }

  @Test
  void sendDigitWithoutANegotiatedTelephoneEventCompletesFalse() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, -1);
      assertFalse(await(a.sendDigit('9', 100)));
      assertEquals(0, a.packetsSent());
    }
  }

  @Test
  void sendDigitRejectsCharactersThatAreNotDigits() {
    RtpSession a = engine.open();
    assertThrows(IllegalArgumentException.class, () -> a.sendDigit('x', 100));
  }
}
