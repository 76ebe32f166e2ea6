package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpTestSupport.LOOPBACK;
import static io.openvoice.media.rtp.RtpTestSupport.canBind;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RtpEnginePortsTest {

  @Test
  void sessionsGetDistinctEvenPortsInsideTheRangeUntilItIsExhausted() {
    int base = RtpTestSupport.freeEvenRange(5);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 9, 100)) {
      engine.start();
      Set<Integer> ports = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        int port = engine.open().localPort();
        assertEquals(0, port % 2, "even port " + port);
        assertTrue(port >= base && port <= base + 9, "port " + port + " in range");
        assertTrue(ports.add(port), "distinct port " + port);
      }
      assertEquals(5, engine.activeSessions());
      assertThrows(NoPortAvailableException.class, engine::open);
      assertEquals(5, engine.activeSessions());
    }
  }

  @Test
  void anOddLowerBoundStartsAtTheNextEvenPort() {
    int base = RtpTestSupport.freeEvenRange(3);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base + 1, base + 4, 10)) {
      engine.start();
      Set<Integer> ports = Set.of(engine.open().localPort(), engine.open().localPort());
      assertEquals(Set.of(base + 2, base + 4), ports);
      assertThrows(NoPortAvailableException.class, engine::open);
    }
  }

  @Test
  void theRtcpPortNextToASessionIsNotBound() {
    int base = RtpTestSupport.freeEvenRange(2);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 3, 10)) {
      engine.start();
      RtpSession s = engine.open();
      assertFalse(canBind(s.localPort()));
      assertTrue(canBind(s.localPort() + 1));
    }
  }

  @Test
  void maxSessionsLimitsOpenSessionsEvenWithPortsLeft() {
    int base = RtpTestSupport.freeEvenRange(10);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 19, 2)) {
      engine.start();
      RtpSession first = engine.open();
      engine.open();
      assertThrows(NoPortAvailableException.class, engine::open);
      first.close();
      engine.open(); // room again
      assertEquals(2, engine.activeSessions());
    }
  }

  @Test
  void theLastFreedPortIsReusedAfterClose() {
    int base = RtpTestSupport.freeEvenRange(2);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 3, 10)) {
      engine.start();
      RtpSession a = engine.open();
      engine.open();
      assertThrows(NoPortAvailableException.class, engine::open);

      a.close();
      assertTrue(canBind(a.localPort()), "close() released the socket");
      RtpSession c = engine.open();
      assertEquals(a.localPort(), c.localPort());
    }
  }

  @Test
  void aPortTakenByAnotherSocketIsSkipped() throws Exception {
    int base = RtpTestSupport.freeEvenRange(2);
    try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, base));
        RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 3, 10)) {
      engine.start();
      assertEquals(base + 2, engine.open().localPort());
      assertThrows(NoPortAvailableException.class, engine::open);
    }
  }

  @Test
  void closingTheEngineClosesEverySessionAndReleasesEveryPort() throws Exception {
    int base = RtpTestSupport.freeEvenRange(4);
    RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 7, 10);
    engine.start();
    List<RtpSession> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) sessions.add(engine.open());
    RtpSession playing = sessions.get(0);
    playing.remote(new InetSocketAddress(LOOPBACK, sessions.get(1).localPort()), Codec.PCMU, 101);
    CompletionStage<Boolean> stage = playing.play(Audio.silence(10_000));
    assertTrue(eventually(() -> playing.packetsSent() > 2));

    engine.close();
    engine.close(); // idempotent

    assertEquals(0, engine.activeSessions());
    assertFalse(await(stage), "pending play completes false");
    for (RtpSession s : sessions) {
      assertTrue(s.isClosed());
      assertTrue(canBind(s.localPort()), "port " + s.localPort() + " released");
    }
    assertThrows(IllegalStateException.class, engine::open);
  }

  @Test
  void sessionsOpenedBeforeStartReceiveOnceStarted() throws Exception {
    int base = RtpTestSupport.freeEvenRange(2);
    try (RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 3, 10); FarEnd far = new FarEnd()) {
      RtpSession s = engine.open();
      s.remote(far.address(), Codec.PCMU, 101);
      List<byte[]> audio = new java.util.concurrent.CopyOnWriteArrayList<>();
      s.onAudio(audio::add);
      engine.start();
      far.send(rtp(0, true, 1, 160, 7, new byte[160]), s.localPort());
      assertTrue(eventually(() -> audio.size() == 1));
      assertTrue(await(s.play(Audio.silence(40))));
      assertEquals(2, far.receive(2, 2_000).size());
    }
  }

  @Test
  void anEngineThatNeverStartedStillReleasesItsPorts() {
    int base = RtpTestSupport.freeEvenRange(2);
    RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 3, 10);
    RtpSession a = engine.open();
    RtpSession b = engine.open();
    a.close();
    assertTrue(canBind(a.localPort()));
    engine.close();
    assertTrue(canBind(b.localPort()));
    assertEquals(0, engine.activeSessions());
  }

  @Test
  void rejectsABadRange() {
    assertThrows(IllegalArgumentException.class, () -> new RtpEngine(LOOPBACK, 5000, 4000, 10));
    assertThrows(IllegalArgumentException.class, () -> new RtpEngine(LOOPBACK, 5001, 5001, 10));
    assertThrows(IllegalArgumentException.class, () -> new RtpEngine(LOOPBACK, 5000, 5010, 0));
  }
}
