package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpSessionAudioTest.ramp;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.G711;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Taps: 20 ms PCM frames of what a session received and what it sent, for recording. */
@Timeout(60)
class RtpTapTest {
  private RtpEngine engine;
  private FarEnd far;
  private final List<short[]> received = new CopyOnWriteArrayList<>();
  private final List<short[]> sent = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    engine = RtpTestSupport.startedEngine(4);
    far = new FarEnd();
  }

  @AfterEach
  void stop() {
    engine.close();
    far.close();
  }

  private static short[] decoded(Codec codec, byte[] frame) {
    return G711.decode(codec, frame, 0, frame.length);
  }

  @Test
  void receivedAudioIsTappedAsDecodedFramesAlongsideOnAudio() throws Exception {
    RtpSession s = engine.open();
    s.remote(far.address(), Codec.PCMA, 101);
    List<byte[]> payloads = new CopyOnWriteArrayList<>();
    s.onAudio(payloads::add);
    s.tap(received::add, sent::add);
    List<byte[]> frames = ramp(100).frames(Codec.PCMA);

    for (int i = 0; i < 5; i++) far.send(rtp(8, i == 0, i, 160L * i, 5, frames.get(i)), s.localPort());

    assertTrue(eventually(() -> received.size() >= 5 && payloads.size() >= 5));
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(decoded(Codec.PCMA, frames.get(i)), received.get(i), "frame " + i);
      assertArrayEquals(frames.get(i), payloads.get(i), "onAudio keeps getting the G.711 payload");
    }
    assertEquals(0, sent.size());
  }

  @Test
  void playedAudioIsTappedAsItGoesOutAndBeforeThePlayCompletes() throws Exception {
    RtpSession s = engine.open();
    s.remote(far.address(), Codec.PCMU, 101);
    s.tap(received::add, sent::add);
    Audio prompt = ramp(200);

    assertTrue(await(s.play(prompt)));

    assertEquals(10, sent.size(), "every frame tapped by the time the play completed");
    List<byte[]> frames = prompt.frames(Codec.PCMU);
    for (int i = 0; i < 10; i++) assertArrayEquals(decoded(Codec.PCMU, frames.get(i)), sent.get(i), "frame " + i);
    assertEquals(0, received.size());
  }

  @Test
  void relayedAudioIsTappedAsReceivedOnOneSideAndSentInTheOtherSidesCodec() throws Exception {
    try (FarEnd farB = new FarEnd()) {
      RtpSession a = engine.open();
      RtpSession b = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      b.remote(farB.address(), Codec.PCMA, 101);
      a.tap(received::add, null);
      b.tap(null, sent::add);
      a.bridge(b);
      List<byte[]> frames = ramp(60).frames(Codec.PCMU);

      for (int i = 0; i < 3; i++) far.send(rtp(0, i == 0, i, 160L * i, 5, frames.get(i)), a.localPort());

      assertTrue(eventually(() -> received.size() >= 3 && sent.size() >= 3));
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(decoded(Codec.PCMU, frames.get(i)), received.get(i));
        byte[] alaw = G711.transcode(Codec.PCMU, Codec.PCMA, frames.get(i), 0, 160);
        assertArrayEquals(decoded(Codec.PCMA, alaw), sent.get(i));
      }
      assertEquals(3, farB.receive(3, 2_000).size());
    }
  }

  @Test
  void aClosedTapSeesNothingMoreWhileAnotherKeepsSeeing() throws Exception {
    RtpSession s = engine.open();
    s.remote(far.address(), Codec.PCMU, 101);
    List<short[]> other = new CopyOnWriteArrayList<>();
    RtpSession.Tap tap = s.tap(received::add, sent::add);
    s.tap(null, other::add);
    assertTrue(await(s.play(ramp(60))));
    assertEquals(3, sent.size());

    tap.close();
    tap.close();
    assertTrue(await(s.play(ramp(60))));
    for (int i = 0; i < 5; i++) far.send(rtp(0, false, i, 160L * i, 5, new byte[160]), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() >= 5));
    pause(50);

    assertEquals(3, sent.size());
    assertEquals(0, received.size());
    assertEquals(6, other.size());
  }

  @Test
  void nothingIsTappedAsSentWhileTheDirectionDoesNotSend() throws Exception {
    RtpSession s = engine.open();
    s.remote(far.address(), Codec.PCMU, 101);
    s.tap(received::add, sent::add);
    s.direction(Direction.RECVONLY);
    assertTrue(await(s.play(ramp(100))));
    assertEquals(0, sent.size());
  }
}
