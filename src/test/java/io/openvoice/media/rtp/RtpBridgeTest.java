package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpSessionAudioTest.await;
import static io.openvoice.media.rtp.RtpSessionAudioTest.ramp;
import static io.openvoice.media.rtp.RtpTestSupport.WAIT_MS;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.rtp;
import static io.openvoice.media.rtp.RtpTestSupport.telephoneEvent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.media.Codec;
import io.openvoice.media.G711;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import io.openvoice.media.rtp.RtpTestSupport.Rtp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two sessions relayed to each other, each with a raw-socket far end (the two legs of a B2BUA call). */
@Timeout(60)
class RtpBridgeTest {
  private static final long SOURCE_SSRC = 0x0BAD_CAFEL;

  private RtpEngine engine;
  private FarEnd farA;
  private FarEnd farB;
  private RtpSession a;
  private RtpSession b;

  @BeforeEach
  void start() throws Exception {
    engine = RtpTestSupport.startedEngine(8);
    farA = new FarEnd();
    farB = new FarEnd();
    a = engine.open();
    b = engine.open();
  }

  @AfterEach
  void stop() {
    engine.close();
    farA.close();
    farB.close();
  }

  /** {@code count} distinct 160-byte frames, as the far end would encode them. */
  static List<byte[]> frames(Codec codec, int count) {
    return ramp(20 * count).frames(codec);
  }

  /** Sends the frames from {@code far} into {@code session} as one talkspurt of its own SSRC. */
  static void sendFrames(FarEnd far, RtpSession session, Codec codec, List<byte[]> frames, int firstSeq, long firstTs)
      throws Exception {
    for (int i = 0; i < frames.size(); i++) {
      far.send(rtp(codec.payloadType, i == 0, firstSeq + i, firstTs + 160L * i, SOURCE_SSRC, frames.get(i)),
          session.localPort());
    }
  }

  private static byte[] toAlaw(byte[] ulaw) {
    byte[] out = new byte[ulaw.length];
    for (int i = 0; i < ulaw.length; i++) out[i] = G711.linearToAlaw(G711.ulawToLinear(ulaw[i]));
    return out;
  }

  private static void assertOneContinuousTalkspurt(List<Rtp> packets) {
    Rtp first = packets.get(0);
    for (int i = 0; i < packets.size(); i++) {
      Rtp p = packets.get(i);
      assertEquals(first.ssrc(), p.ssrc(), "one SSRC");
      assertEquals((first.sequence() + i) & 0xFFFF, p.sequence(), "sequence of packet " + i);
      assertEquals((first.timestamp() + 160L * i) & 0xFFFFFFFFL, p.timestamp(), "timestamp of packet " + i);
      assertEquals(i == 0, p.marker(), "marker on the first packet only");
    }
  }

  @Test
  void pcmuPacketsReceivedOnOneSessionLeaveTheOtherWithIdenticalPayloadsRestampedWithItsOwnStream()
      throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMU, 101);
    a.bridge(b);
    List<byte[]> sent = frames(Codec.PCMU, 20);

    sendFrames(farA, a, Codec.PCMU, sent, 40_000, 123_456);

    List<Rtp> out = farB.receive(20, 2_000);
    out.addAll(farB.drain(200));
    assertEquals(20, out.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(0, out.get(i).payloadType());
      assertArrayEquals(sent.get(i), out.get(i).payload(), "payload " + i);
    }
    assertNotEquals(SOURCE_SSRC, out.get(0).ssrc(), "B's own SSRC, not the source's");
    assertOneContinuousTalkspurt(out);
    assertEquals(20, a.packetsReceived());
    assertEquals(20, b.packetsSent());
    assertEquals(0, a.packetsSent(), "nothing echoed back to the source");
    assertTrue(farA.drain(100).isEmpty());
  }

  @Test
  void pcmuFromOneSideIsTranscodedToPcmaForTheOtherAndBack() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMA, 96);
    a.bridge(b);
    List<byte[]> ulaw = frames(Codec.PCMU, 10);
    List<byte[]> alaw = frames(Codec.PCMA, 10);

    sendFrames(farA, a, Codec.PCMU, ulaw, 1, 0);
    sendFrames(farB, b, Codec.PCMA, alaw, 1, 0);

    List<Rtp> atB = farB.receive(10, 2_000);
    List<Rtp> atA = farA.receive(10, 2_000);
    assertEquals(10, atB.size());
    assertEquals(10, atA.size());
    for (int i = 0; i < 10; i++) {
      assertEquals(8, atB.get(i).payloadType());
      assertArrayEquals(toAlaw(ulaw.get(i)), atB.get(i).payload(), "A-law frame " + i);
      assertEquals(0, atA.get(i).payloadType());
      byte[] expected = new byte[160];
      for (int j = 0; j < 160; j++) expected[j] = G711.linearToUlaw(G711.alawToLinear(alaw.get(i)[j]));
      assertArrayEquals(expected, atA.get(i).payload(), "mu-law frame " + i);
    }
    assertOneContinuousTalkspurt(atB);
    assertOneContinuousTalkspurt(atA);
  }

  @Test
  void sequenceNumbersStayContinuousAcrossPlayBridgeUnbridgePlay() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMA, 101);
    assertTrue(await(b.play(ramp(100))));
    RtpBridge bridge = b.bridge(a);
    sendFrames(farA, a, Codec.PCMU, frames(Codec.PCMU, 10), 7, 99_999);
    assertTrue(eventually(() -> b.packetsSent() >= 15), "relayed, sent " + b.packetsSent());
    bridge.close();
    assertTrue(await(b.play(ramp(100))));

    List<Rtp> out = farB.receive(20, 2_000);
    out.addAll(farB.drain(200));
    assertEquals(20, out.size(), "5 played, 10 relayed, 5 played");
    Rtp first = out.get(0);
    for (int i = 1; i < out.size(); i++) {
      Rtp p = out.get(i);
      Rtp prev = out.get(i - 1);
      assertEquals(first.ssrc(), p.ssrc(), "one SSRC");
      assertEquals((first.sequence() + i) & 0xFFFF, p.sequence(), "sequence of packet " + i);
      long advance = (p.timestamp() - prev.timestamp()) & 0xFFFFFFFFL;
      assertTrue(advance >= 160 && advance < 0x80000000L, "timestamp moves on by a frame or more at " + i);
      boolean segmentStart = i == 5 || i == 15;
      assertEquals(segmentStart, p.marker(), "marker where a talkspurt starts, packet " + i);
      if (!segmentStart) assertEquals(160, advance, "timestamp + 160 inside a talkspurt at " + i);
    }
  }

  @Test
  void bridgingStopsPendingPlaysAndPlaysQueuedWhileBridgedStartAfterUnbridge() throws Exception {
    b.remote(farB.address(), Codec.PCMU, 101);
    CompletionStage<Boolean> playing = b.play(ramp(10_000));
    CompletionStage<Boolean> queued = b.play(ramp(1_000));
    assertEquals(2, farB.receive(2, 2_000).size(), "playing");

    RtpBridge bridge = b.bridge(a);

    assertFalse(await(playing), "the playing stage completes false");
    assertFalse(await(queued), "the queued stage completes false");
    farB.drain(200);
    CompletionStage<Boolean> duringBridge = b.play(ramp(100));
    assertTrue(farB.drain(200).isEmpty(), "the bridge holds the play");
    assertFalse(duringBridge.toCompletableFuture().isDone());
    assertTrue(b.isPlaying());

    bridge.close();

    assertTrue(await(duringBridge), "played after the bridge ended");
    List<Rtp> after = farB.receive(5, 2_000);
    assertEquals(5, after.size());
    assertTrue(after.get(0).marker());
  }

  @Test
  void telephoneEventsAreForwardedWithTheOtherSidesPayloadTypeAndStillReportedAsDigits() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMA, 96);
    StringBuffer digits = new StringBuffer();
    a.onDigit(digits::append);
    a.bridge(b);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 1; i <= 4; i++) payloads.add(telephoneEvent(7, false, 10, 160 * i));
    for (int i = 0; i < 3; i++) payloads.add(telephoneEvent(7, true, 10, 640));

    for (int i = 0; i < payloads.size(); i++) {
      farA.send(rtp(101, i == 0, 500 + i, 8_000, SOURCE_SSRC, payloads.get(i)), a.localPort());
    }

    List<Rtp> out = farB.receive(7, 2_000);
    out.addAll(farB.drain(200));
    assertEquals(7, out.size(), "every packet of the event, continuations and repeated ends too");
    for (int i = 0; i < 7; i++) {
      Rtp p = out.get(i);
      assertEquals(96, p.payloadType());
      assertArrayEquals(payloads.get(i), p.payload());
      assertEquals(out.get(0).timestamp(), p.timestamp(), "one timestamp for the event");
      assertEquals((out.get(0).sequence() + i) & 0xFFFF, p.sequence());
      assertEquals(i == 0, p.marker());
    }
    assertEquals("7", digits.toString(), "the receiving side's flow still hears the key once");
    assertEquals(1, a.dtmfEventsReceived());
  }

  @Test
  void telephoneEventsAreDroppedWhenTheOtherSideNegotiatedNoneButAudioStillFlows() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMU, -1);
    a.bridge(b);

    farA.send(rtp(101, true, 1, 8_000, SOURCE_SSRC, telephoneEvent(1, true, 10, 800)), a.localPort());
    sendFrames(farA, a, Codec.PCMU, frames(Codec.PCMU, 3), 2, 8_800);

    List<Rtp> out = farB.receive(3, 2_000);
    out.addAll(farB.drain(200));
    assertEquals(3, out.size());
    assertTrue(out.stream().allMatch(p -> p.payloadType() == 0));
  }

  @Test
  void closingOneSessionUnbridgesAndLeavesTheOtherWorking() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMU, 101);
    RtpBridge bridge = a.bridge(b);
    assertEquals(Optional.of(b), a.bridgedTo());
    assertEquals(Optional.of(a), b.bridgedTo());

    a.close();

    assertFalse(bridge.isOpen());
    assertEquals(Optional.empty(), b.bridgedTo());
    sendFrames(farB, b, Codec.PCMU, frames(Codec.PCMU, 3), 1, 0);
    assertTrue(eventually(() -> b.packetsReceived() >= 3));
    assertTrue(await(b.play(ramp(100))), "B plays on its own again");
    List<Rtp> out = farB.receive(5, 2_000);
    out.addAll(farB.drain(200));
    assertEquals(5, out.size());
    assertTrue(farA.drain(100).isEmpty(), "nothing relayed to the closed side");
    RtpSession c = engine.open();
    assertSame(c, b.bridge(c).other(b), "B can be bridged again");
  }

  @Test
  void unbridgingStopsTheRelayAndIsIdempotentFromEitherSide() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMU, 101);
    RtpBridge bridge = a.bridge(b);
    sendFrames(farA, a, Codec.PCMU, frames(Codec.PCMU, 2), 1, 0);
    assertEquals(2, farB.receive(2, 2_000).size());

    b.unbridge();
    b.unbridge();
    bridge.close();
    a.unbridge();

    sendFrames(farA, a, Codec.PCMU, frames(Codec.PCMU, 3), 3, 320);
    assertTrue(eventually(() -> a.packetsReceived() >= 5));
    assertTrue(farB.drain(200).isEmpty(), "nothing relayed after unbridge");
    assertEquals(2, b.packetsSent());
  }

  @Test
  void bridgingToItselfToAClosedSessionOrAcrossEnginesIsRefused() {
    RtpSession closed = engine.open();
    closed.close();
    assertThrows(IllegalArgumentException.class, () -> a.bridge(a));
    assertThrows(IllegalStateException.class, () -> a.bridge(closed));
    assertThrows(IllegalStateException.class, () -> closed.bridge(a));
    try (RtpEngine other = RtpTestSupport.startedEngine(1)) {
      RtpSession foreign = other.open();
      assertThrows(IllegalArgumentException.class, () -> a.bridge(foreign));
    }
    assertEquals(Optional.empty(), a.bridgedTo());
  }

  @Test
  void aBridgedSessionCannotJoinAThirdButBridgingTheSamePairAgainReturnsTheOpenBridge() {
    RtpSession c = engine.open();
    RtpBridge bridge = a.bridge(b);
    assertSame(bridge, b.bridge(a));
    assertSame(bridge, a.bridge(b));
    assertThrows(IllegalStateException.class, () -> a.bridge(c));
    assertThrows(IllegalStateException.class, () -> c.bridge(b));
    assertEquals(Optional.empty(), c.bridgedTo());
    assertSame(b, bridge.other(a));
    assertSame(a, bridge.other(b));
    assertThrows(IllegalArgumentException.class, () -> bridge.other(c));
  }

  @Test
  void concurrentBridgeUnbridgeAndCloseWhilePacketsFlowLeaveAConsistentStream() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMA, 101);
    AtomicBoolean pumping = new AtomicBoolean(true);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread pump = new Thread(() -> {
      try {
        List<byte[]> fs = frames(Codec.PCMU, 5);
        int seq = 0;
        started.countDown();
        while (pumping.get()) {
          for (byte[] f : fs) {
            farA.send(rtp(0, false, seq & 0xFFFF, 160L * seq, SOURCE_SSRC, f), a.localPort());
            seq++;
          }
          Thread.sleep(1);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }, "test-pump");
    pump.start();
    assertTrue(started.await(WAIT_MS, TimeUnit.MILLISECONDS));
    List<Thread> togglers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread toggler = new Thread(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            try {
              RtpBridge br = (i & 1) == 0 ? a.bridge(b) : b.bridge(a);
              if ((i & 3) == 0) b.play(ramp(40));
              br.close();
            } catch (IllegalStateException closedMeanwhile) {
              // a closed: expected once the closer ran
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "test-toggle-" + t);
      togglers.add(toggler);
      toggler.start();
    }
    RtpBridge last = a.bridge(b); // the togglers only ever bridge a and b: the open bridge, or a new one
    a.close();
    for (Thread t : togglers) t.join(WAIT_MS);
    pumping.set(false);
    pump.join(WAIT_MS);

    assertEquals(null, failure.get());
    assertFalse(last.isOpen());
    assertEquals(Optional.empty(), b.bridgedTo());
    assertFalse(b.isClosed());
    farB.drain(300);
    long before = b.packetsSent();
    assertTrue(await(b.play(ramp(100))), "B still plays");
    List<Rtp> out = farB.receive(5, 2_000);
    assertEquals(5, out.size());
    assertEquals(before + 5, b.packetsSent());
    assertOneContinuousTalkspurt(out);
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void relayedStreamsKeepTheTimestampGapOfTheSource(Codec codec) throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), codec, 101);
    a.bridge(b);
    List<byte[]> fs = frames(Codec.PCMU, 4);
    sendFrames(farA, a, Codec.PCMU, fs.subList(0, 2), 10, 1_000);
    // silence suppression at the source: 1 s without packets, then a new talkspurt
    sendFrames(farA, a, Codec.PCMU, fs.subList(2, 4), 12, 1_000 + 320 + 8_000);

    List<Rtp> out = farB.receive(4, 2_000);
    assertEquals(4, out.size());
    assertEquals(8_000 + 160, (out.get(2).timestamp() - out.get(1).timestamp()) & 0xFFFFFFFFL);
    assertTrue(out.get(2).marker(), "the source's marker is kept");
    assertEquals((out.get(1).sequence() + 1) & 0xFFFF, out.get(2).sequence(), "no sequence gap");
  }

  @Test
  void aListenerOnTheReceivingSideStillGetsTheAudioWhileBridged() throws Exception {
    a.remote(farA.address(), Codec.PCMU, 101);
    b.remote(farB.address(), Codec.PCMU, 101);
    List<byte[]> heard = new CopyOnWriteArrayList<>();
    a.onAudio(heard::add);
    a.bridge(b);
    List<byte[]> fs = frames(Codec.PCMU, 3);
    sendFrames(farA, a, Codec.PCMU, fs, 1, 0);
    assertTrue(eventually(() -> heard.size() >= 3));
    for (int i = 0; i < 3; i++) assertArrayEquals(fs.get(i), heard.get(i));
    assertEquals(3, farB.receive(3, 2_000).size());
  }
}
