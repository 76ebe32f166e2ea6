package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpTestSupport.LOOPBACK;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A plain DatagramSocket as the far end: receiving audio, and symmetric RTP behind NAT. */
@Timeout(60)
class RtpFarEndTest {
  private RtpEngine engine;
  private FarEnd signalled; // the address the SDP announced
  private FarEnd actual; // where the packets really come from (the NAT's mapping)

  @BeforeEach
  void start() throws Exception {
    int base = RtpTestSupport.freeEvenRange(4);
    engine = new RtpEngine(LOOPBACK, base, base + 7, 4);
    engine.start();
    signalled = new FarEnd();
    actual = new FarEnd();
  }

  @AfterEach
  void stop() {
    engine.close();
    signalled.close();
    actual.close();
  }

  private static byte[] payload(int fill) {
    byte[] p = new byte[160];
    Arrays.fill(p, (byte) fill);
    return p;
  }

  @Test
  void audioFromARawSocketReachesOnAudioInTheNegotiatedCodecOnly() throws Exception {
    RtpSession s = engine.open();
    s.remote(actual.address(), Codec.PCMU, 101);
    List<byte[]> audio = new CopyOnWriteArrayList<>();
    s.onAudio(audio::add);

    for (int i = 0; i < 3; i++) actual.send(rtp(0, i == 0, 10 + i, 160L * i, 99, payload(i + 1)), s.localPort());
    actual.send(rtp(8, false, 13, 480, 99, payload(9)), s.localPort()); // PCMA: not negotiated
    actual.send(rtp(13, false, 14, 640, 99, new byte[1]), s.localPort()); // comfort noise
    actual.send(new byte[] {1, 2, 3, 4, 5}, s.localPort()); // not RTP

    assertTrue(eventually(() -> s.packetsReceived() >= 5));
    pause(50);
    assertEquals(5, s.packetsReceived());
    assertEquals(3, audio.size());
    for (int i = 0; i < 3; i++) assertArrayEquals(payload(i + 1), audio.get(i));

    s.onAudio(null);
    actual.send(rtp(0, false, 15, 800, 99, payload(4)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() == 6));
    assertEquals(3, audio.size(), "no listener, nothing delivered");
  }

  @Test
  void symmetricRtpLatchesOntoTheSourceOfTheFirstPacket() throws Exception {
    RtpSession s = engine.open();
    s.remote(signalled.address(), Codec.PCMU, 101);
    actual.send(rtp(0, true, 1, 0, 5, payload(0)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() == 1));
    assertEquals(actual.address(), s.sendTarget());

    assertTrue(await(s.play(Audio.silence(100))));
    assertEquals(5, actual.receive(5, 2_000).size(), "audio goes where the packets come from");
    assertTrue(signalled.drain(100).isEmpty());
  }

  @Test
  void onlyTheFirstPacketLatches() throws Exception {
    RtpSession s = engine.open();
    s.remote(signalled.address(), Codec.PCMU, 101);
    actual.send(rtp(0, true, 1, 0, 5, payload(0)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() == 1));
    try (FarEnd intruder = new FarEnd()) {
      intruder.send(rtp(0, true, 1, 0, 6, payload(0)), s.localPort());
      assertTrue(eventually(() -> s.packetsReceived() == 2));
      assertEquals(actual.address(), s.sendTarget());
    }
  }

  @Test
  void withSymmetricRtpOffAudioGoesToTheSignalledAddress() throws Exception {
    RtpSession s = engine.open();
    s.symmetricRtp(false);
    s.remote(signalled.address(), Codec.PCMA, 101);
    actual.send(rtp(8, true, 1, 0, 5, payload(0)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() == 1));

    assertTrue(await(s.play(Audio.silence(100))));
    assertEquals(5, signalled.receive(5, 2_000).size());
    assertTrue(actual.drain(100).isEmpty());
  }

  @Test
  void settingTheRemoteAgainForgetsTheLatch() throws Exception {
    RtpSession s = engine.open();
    s.remote(signalled.address(), Codec.PCMU, 101);
    actual.send(rtp(0, true, 1, 0, 5, payload(0)), s.localPort());
    assertTrue(eventually(() -> s.packetsReceived() == 1));
    assertEquals(actual.address(), s.sendTarget());

    s.remote(signalled.address(), Codec.PCMU, 101); // re-INVITE
    assertEquals(signalled.address(), s.sendTarget());
  }
}
