package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpSessionAudioTest.ramp;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static io.openvoice.media.rtp.RtpTestSupport.telephoneEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Hold: a session whose direction does not send stays silent, one that does not receive ignores what arrives. */
@Timeout(60)
class RtpDirectionTest {
  private RtpEngine engine;
  private FarEnd far;
  private RtpSession s;
  private final AtomicInteger audio = new AtomicInteger();
  private final StringBuffer digits = new StringBuffer();

  @BeforeEach
  void start() throws Exception {
    engine = RtpTestSupport.startedEngine(4);
    far = new FarEnd();
    s = engine.open();
    s.remote(far.address(), Codec.PCMU, 101);
    s.onAudio(p -> audio.incrementAndGet());
    s.onDigit(digits::append);
  }

  @AfterEach
  void stop() {
    engine.close();
    far.close();
  }

  /** Two audio packets and a one-packet key press from the far end; waits until all three arrived. */
  private void farEndSendsAudioAndADigit() throws Exception {
    long before = s.packetsReceived();
    far.send(rtp(0, true, 1, 0, 77, new byte[160]), s.localPort());
    far.send(rtp(0, false, 2, 160, 77, new byte[160]), s.localPort());
    far.send(rtp(101, true, 3, 320, 77, telephoneEvent(4, true, 10, 800)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() >= before + 3));
    pause(50);
  }

  @Test
  void sessionsStartSendrecv() {
    assertEquals(Direction.SENDRECV, s.direction());
  }

  @Test
  void inactiveSendsNothingAndIgnoresWhatArrives() throws Exception {
    s.direction(Direction.INACTIVE);

    assertTrue(await(s.play(ramp(200))), "the play is consumed at pace");
    assertTrue(await(s.sendDigit('1', 60)));
    farEndSendsAudioAndADigit();

    assertTrue(far.drain(200).isEmpty(), "no RTP at all");
    assertEquals(0, s.packetsSent());
    assertEquals(0, audio.get());
    assertEquals("", digits.toString());
    assertEquals(3, s.packetsReceived(), "still counted");
  }

  @Test
  void recvonlyWhenTheFarEndPutUsOnHoldSendsNothingButHearsThem() throws Exception {
    s.direction(Direction.ofSdp("sendonly").reversed());
    assertEquals(Direction.RECVONLY, s.direction());

    assertTrue(await(s.play(ramp(200))));
    farEndSendsAudioAndADigit();

    assertTrue(far.drain(200).isEmpty());
    assertEquals(0, s.packetsSent());
    assertEquals(2, audio.get());
    assertEquals("4", digits.toString());
  }

  @Test
  void sendonlyWhenWePutThemOnHoldKeepsPlayingAndIgnoresWhatArrives() throws Exception {
    s.direction(Direction.SENDONLY);

    CompletionStage<Boolean> music = s.play(ramp(200));
    farEndSendsAudioAndADigit();

    assertTrue(await(music));
    assertEquals(10, far.receive(10, 2_000).size(), "music on hold goes out");
    assertEquals(0, audio.get());
    assertEquals("", digits.toString());
  }

  @Test
  void resumingAfterHoldContinuesTheSequenceWithANewTalkspurt() throws Exception {
    CompletionStage<Boolean> playing = s.play(ramp(5_000));
    List<Rtp> before = far.receive(3, 2_000);
    assertEquals(3, before.size());

    s.direction(Direction.RECVONLY);
    before.addAll(far.drain(200)); // what was in flight
    long sentOnHold = s.packetsSent();
    assertTrue(far.drain(200).isEmpty(), "silent on hold");
    assertEquals(sentOnHold, s.packetsSent());
    s.direction(Direction.SENDRECV);

    List<Rtp> after = far.receive(3, 2_000);
    assertEquals(3, after.size());
    Rtp last = before.get(before.size() - 1);
    assertTrue(after.get(0).marker(), "a new talkspurt");
    assertEquals((last.sequence() + 1) & 0xFFFF, after.get(0).sequence(), "no sequence gap");
    long advance = (after.get(0).timestamp() - last.timestamp()) & 0xFFFFFFFFL;
    assertTrue(advance > 160 && advance < 0x80000000L, "the timestamp moved on over the hold: " + advance);
    s.stopPlayback();
    assertFalse(await(playing));
  }

  @Test
  void aBridgeDoesNotRelayIntoASessionThatMustNotSend() throws Exception {
    try (FarEnd farB = new FarEnd()) {
      RtpSession b = engine.open();
      b.remote(farB.address(), Codec.PCMA, 101);
      b.direction(Direction.INACTIVE);
      s.bridge(b);

      farEndSendsAudioAndADigit();
      assertTrue(farB.drain(200).isEmpty());
      assertEquals(0, b.packetsSent());

      b.direction(Direction.SENDRECV);
      far.send(rtp(0, false, 4, 480, 77, new byte[160]), s.localPort());
      List<Rtp> out = farB.receive(1, 2_000);
      assertEquals(1, out.size());
      assertTrue(out.get(0).marker(), "relaying after the hold starts a new talkspurt");
    }
  }

  @Test
  void sdpDirectionsParseAndMirror() {
    assertEquals(Direction.SENDRECV, Direction.ofSdp(null));
    assertEquals(Direction.SENDRECV, Direction.ofSdp(""));
    assertEquals(Direction.INACTIVE, Direction.ofSdp(" Inactive "));
    assertEquals(Direction.SENDONLY, Direction.RECVONLY.reversed());
    assertEquals(Direction.INACTIVE, Direction.INACTIVE.reversed());
    assertEquals(Direction.SENDRECV, Direction.SENDRECV.reversed());
    assertEquals("recvonly", Direction.RECVONLY.sdp());
    assertThrows(IllegalArgumentException.class, () -> Direction.ofSdp("hold"));
    assertTrue(Direction.SENDONLY.sends() && !Direction.SENDONLY.receives());
    assertTrue(!Direction.RECVONLY.sends() && Direction.RECVONLY.receives());
  }
}
