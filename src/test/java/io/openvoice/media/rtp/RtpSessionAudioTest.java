package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpTestSupport.LOOPBACK;
import static io.openvoice.media.rtp.RtpTestSupport.WAIT_MS;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import io.openvoice.media.rtp.RtpTestSupport.Rtp;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class RtpSessionAudioTest {
  private RtpEngine engine;

  @BeforeEach
  void start() {
    engine = RtpTestSupport.startedEngine(8);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  /** A recognisable 1 s signal: every frame differs. */
  static Audio ramp(int ms) {
    short[] pcm = new short[ms * Audio.RATE / 1000];
    for (int i = 0; i < pcm.length; i++) pcm[i] = (short) ((i * 37) % 20000 - 10000);
    return Audio.of(pcm);
  }

  static boolean await(CompletionStage<Boolean> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  static InetSocketAddress addressOf(RtpSession s) {
    return new InetSocketAddress(LOOPBACK, s.localPort());
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void twoSessionsOnOneEngineExchangeOneSecondOfAudioAsFiftyFrames(Codec codec) throws Exception {
    RtpSession a = engine.open();
    RtpSession b = engine.open();
    a.remote(addressOf(b), codec, 101);
    b.remote(addressOf(a), codec, 101);
    List<byte[]> received = new CopyOnWriteArrayList<>();
    b.onAudio(received::add);
    Audio audio = ramp(1000);

    assertTrue(await(a.play(audio)), "play stage completes true");

    assertTrue(eventually(() -> received.size() >= 50), "50 frames arrive, got " + received.size());
    pause(100);
    List<byte[]> expected = audio.frames(codec);
    assertEquals(50, received.size());
    for (int i = 0; i < 50; i++) assertArrayEquals(expected.get(i), received.get(i), "frame " + i);
    assertEquals(50, a.packetsSent());
    assertEquals(50, b.packetsReceived());
    assertEquals(0, b.packetsSent());
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void oneSecondArrivesAsFiftyPacketsWithConsecutiveSequenceNumbersAndTimestamps(Codec codec) throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), codec, 101);
      CompletionStage<Boolean> played = a.play(ramp(1000));

      List<Rtp> packets = far.receive(50, 2_000);
      assertTrue(await(played));
      packets.addAll(far.drain(200));

      assertEquals(50, packets.size());
      Rtp first = packets.get(0);
      for (int i = 0; i < packets.size(); i++) {
        Rtp p = packets.get(i);
        assertEquals(2, p.version());
        assertEquals(codec.payloadType, p.payloadType());
        assertEquals(160, p.payload().length);
        assertEquals(first.ssrc(), p.ssrc());
        assertEquals((first.sequence() + i) & 0xFFFF, p.sequence(), "sequence of packet " + i);
        assertEquals((first.timestamp() + 160L * i) & 0xFFFFFFFFL, p.timestamp(), "timestamp of packet " + i);
        assertEquals(i == 0, p.marker(), "marker only on the first packet of the talkspurt");
      }
    }
  }

  @Test
  void playsQueuedBackToBackFormOneTalkspurtAndCompleteInOrder() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      List<String> order = new CopyOnWriteArrayList<>();
      CompletableFuture<Boolean> one = a.play(ramp(200)).whenComplete((ok, e) -> order.add("one")).toCompletableFuture();
      CompletableFuture<Boolean> two = a.play(ramp(300)).whenComplete((ok, e) -> order.add("two")).toCompletableFuture();

      assertTrue(await(two));
      assertTrue(one.getNow(false));
      assertEquals(List.of("one", "two"), order);
      List<Rtp> packets = far.receive(25, 2_000);
      assertEquals(25, packets.size());
      for (int i = 1; i < packets.size(); i++) {
        assertFalse(packets.get(i).marker());
        assertEquals((packets.get(0).timestamp() + 160L * i) & 0xFFFFFFFFL, packets.get(i).timestamp());
      }
    }
  }

  @Test
  void aNewTalkspurtAfterSilenceSetsTheMarkerAndMovesTheTimestampOn() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMA, -1);
      assertTrue(await(a.play(ramp(100))));
      pause(100); // idle ticks between the talkspurts
      assertTrue(await(a.play(ramp(100))));

      List<Rtp> packets = far.receive(10, 2_000);
      assertEquals(10, packets.size());
      Rtp lastOfFirst = packets.get(4);
      Rtp firstOfSecond = packets.get(5);
      assertTrue(firstOfSecond.marker());
      assertEquals((lastOfFirst.sequence() + 1) & 0xFFFF, firstOfSecond.sequence(), "sequence numbers stay gapless");
      long advance = (firstOfSecond.timestamp() - lastOfFirst.timestamp()) & 0xFFFFFFFFL;
      assertTrue(advance >= 160 && advance < 0x80000000L, "timestamp advances, by " + advance);
    }
  }

  @Test
  void stopPlaybackCompletesPendingPlaysFalseAndStopsSending() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      CompletionStage<Boolean> long1 = a.play(ramp(10_000));
      CompletionStage<Boolean> queued = a.play(ramp(1_000));
      assertEquals(5, far.receive(5, 2_000).size(), "playback started");

      a.stopPlayback();

      assertFalse(await(long1), "the playing stage completes false");
      assertFalse(await(queued), "the queued stage completes false");
      far.drain(200);
      long sent = a.packetsSent();
      assertTrue(sent < 500, "stopped early, sent " + sent);
      assertTrue(far.drain(200).isEmpty(), "nothing sent after barge-in");
      assertEquals(sent, a.packetsSent());
      assertFalse(a.isPlaying());

      assertTrue(await(a.play(ramp(100))), "plays again after a barge-in");
      List<Rtp> again = far.receive(5, 2_000);
      assertEquals(5, again.size());
      assertTrue(again.get(0).marker(), "new talkspurt after barge-in");
    }
  }

  @Test
  void withoutARemoteAudioIsConsumedAtPaceButNotSent() throws Exception {
    RtpSession a = engine.open();
    assertTrue(await(a.play(ramp(200))));
    assertEquals(0, a.packetsSent());
  }

  @Test
  void emptyAudioCompletesTrueWithoutSending() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      assertTrue(await(a.play(Audio.silence(0))));
      assertEquals(0, a.packetsSent());
    }
  }

  @Test
  void closingASessionCompletesItsPlaysFalseAndLaterPlaysToo() throws Exception {
    try (FarEnd far = new FarEnd()) {
      RtpSession a = engine.open();
      a.remote(far.address(), Codec.PCMU, 101);
      CompletionStage<Boolean> playing = a.play(ramp(5_000));
      assertEquals(3, far.receive(3, 2_000).size());

      a.close();
      a.close(); // idempotent

      assertFalse(await(playing));
      assertFalse(await(a.play(ramp(100))));
      assertTrue(a.isClosed());
      assertEquals(0, engine.activeSessions());
    }
  }

  @Test
  void pacingStatisticsAreReportedForTheBenchmark() throws Exception {
    RtpSession a = engine.open();
    assertTrue(await(a.play(ramp(200))));
    assertTrue(engine.pacingP99Micros() >= 0);
  }
}
