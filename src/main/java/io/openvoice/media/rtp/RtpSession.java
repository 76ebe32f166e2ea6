package io.openvoice.media.rtp;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.Rfc4733;
import io.openvoice.media.RtpPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One RTP stream on one even local port of an {@link RtpEngine}. Outgoing audio and RFC 4733 digits are queued and
 * sent, one packet per 20 ms tick, by the engine's pacing thread; incoming packets are handled on the engine's
 * receive thread. One SSRC and one sequence-number space cover audio and telephone events.
 */
public final class RtpSession implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RtpSession.class.getName());

  /** RTP timestamp units (8 kHz) per 20 ms frame. */
  static final int SAMPLES_PER_TICK = 160;
  /** Final RFC 4733 packets of an event are sent this many times (RFC 4733 section 2.5.1.4). */
  static final int END_PACKETS = 3;
  static final int DTMF_VOLUME = 10;
  /** The 16-bit RFC 4733 duration field holds at most 65535 units, about 8.2 s. */
  static final int MAX_DIGIT_MS = 8_000;
  private static final int RECENT_EVENTS = 8;

  private final RtpEngine engine;
  private final DatagramChannel channel;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  // ---- configuration (any thread)
  private volatile InetSocketAddress remote;
  private volatile Codec codec;
  private volatile int dtmfPayloadType = -1;
  private volatile boolean symmetric = true;
  private volatile InetSocketAddress latched;
  private volatile boolean latchDecided;
  private volatile Consumer<Character> digitListener;
  private volatile Consumer<byte[]> audioListener;

  // ---- sending (guarded by lock; sending itself happens on the pacing thread)
  private final Object lock = new Object();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final long ssrc;
  private final long timestampBase;
  private int sequence;
  /** The previous tick sent an audio frame: the next frame continues the talkspurt (no marker, ts + 160). */
  private boolean talkspurt;
  private long lastAudioTimestamp;
  private volatile long packetsSent;
  private volatile long sendFailures;

  // ---- receiving (receive thread only, counters read anywhere)
  private volatile long packetsReceived;
  private volatile long dtmfEventsReceived;
  private final long[] recentEventTimestamps = new long[RECENT_EVENTS];
  private int recentEventCount;
  private int recentEventNext;

  RtpSession(RtpEngine engine, DatagramChannel channel, int port, Random random) {
    this.engine = engine;
    this.channel = channel;
    this.port = port;
    this.ssrc = random.nextInt() & 0xFFFFFFFFL;
    this.timestampBase = random.nextInt() & 0xFFFFFFFFL;
    this.sequence = random.nextInt(0x10000);
  }

  public int localPort() {
    return port;
  }

  /**
   * Where to send and in which codec; {@code dtmfPayloadType} is the negotiated telephone-event PT (e.g. 101), -1 if
   * none. Until remote is set, play() frames are consumed at pace but not sent. Setting it again (re-INVITE) also
   * forgets a symmetric-RTP latch.
   */
  public void remote(InetSocketAddress address, Codec codec, int dtmfPayloadType) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(codec, "codec");
    if (dtmfPayloadType < -1 || dtmfPayloadType > 127) {
      throw new IllegalArgumentException("bad telephone-event payload type " + dtmfPayloadType);
    }
    this.codec = codec;
    this.dtmfPayloadType = dtmfPayloadType;
    this.latched = null;
    this.latchDecided = false;
    this.remote = address;
  }

  /** The configured remote address, or null. */
  public InetSocketAddress remote() {
    return remote;
  }

  /** Where packets go now: the latched source address when symmetric RTP latched, else the remote; null if neither. */
  public InetSocketAddress sendTarget() {
    InetSocketAddress l = latched;
    return symmetric && l != null ? l : remote;
  }

  /**
   * Queues audio after whatever is queued. Frames go out every 20 ms with increasing sequence number and timestamp
   * (+160 per frame), marker on the first packet of a talkspurt. The stage completes (on the pacing thread) with true
   * when the last frame was sent, false when stopped by {@link #stopPlayback()} or {@link #close()}.
   */
  public CompletionStage<Boolean> play(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    return enqueue(new Play(audio));
  }

  /**
   * Sends one RFC 4733 digit through the pacer, after whatever is queued: a start packet (marker), a continuation
   * every 20 ms with the same timestamp and growing duration, then {@value #END_PACKETS} end packets. Completes true
   * when the last end packet was sent, false when stopped by {@link #close()} or when no telephone-event payload type
   * was negotiated.
   *
   * @param digit 0-9, *, #, A-D
   * @param durationMs tone length, rounded up to 20 ms, at most 8000
   */
  public CompletionStage<Boolean> sendDigit(char digit, int durationMs) {
    int event = Rfc4733.eventOf(digit);
    if (event < 0) throw new IllegalArgumentException("not a DTMF digit: " + digit);
    int ms = Math.max(20, Math.min(MAX_DIGIT_MS, durationMs));
    return enqueue(new Digit(event, (ms + 19) / 20));
  }

  private CompletionStage<Boolean> enqueue(Outgoing item) {
    synchronized (lock) {
      if (!closed.get()) {
        queue.add(item);
        return item.done;
      }
    }
    item.done.complete(false);
    return item.done;
  }

  /** Barge-in: drops queued and playing audio; their play stages complete with false. Queued digits stay. */
  public void stopPlayback() {
    List<Outgoing> dropped = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<Outgoing> it = queue.iterator(); it.hasNext(); ) {
        Outgoing o = it.next();
        if (o instanceof Play) {
          dropped.add(o);
          it.remove();
        }
      }
      talkspurt = false;
    }
    for (Outgoing o : dropped) o.done.complete(false);
  }

  /** True while audio or digits are queued. */
  public boolean isPlaying() {
    synchronized (lock) {
      return !queue.isEmpty();
    }
  }

  /**
   * Digits from RFC 4733 packets (the telephone-event PT), reported once per event on the receive thread: the
   * listener must not block. Null to stop.
   */
  public void onDigit(Consumer<Character> listener) {
    this.digitListener = listener;
  }

  /**
   * Received G.711 payloads (a copy, in the negotiated codec; any G.711 before {@link #remote} is set), on the
   * receive thread: the listener must not block. Null to stop.
   */
  public void onAudio(Consumer<byte[]> g711Payload) {
    this.audioListener = g711Payload;
  }

  /**
   * Symmetric RTP (on by default): send to the source address of the first received packet when it differs from the
   * remote (NAT).
   */
  public void symmetricRtp(boolean on) {
    this.symmetric = on;
  }

  public long packetsSent() {
    return packetsSent;
  }

  public long packetsReceived() {
    return packetsReceived;
  }

  public long dtmfEventsReceived() {
    return dtmfEventsReceived;
  }

  /** Packets that could not be sent (socket buffer full, unreachable network). */
  public long sendFailures() {
    return sendFailures;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Idempotent: releases the port; pending plays and digits complete with false. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    List<Outgoing> dropped;
    synchronized (lock) {
      dropped = new ArrayList<>(queue);
      queue.clear();
    }
    for (Outgoing o : dropped) o.done.complete(false);
    digitListener = null;
    audioListener = null;
    engine.release(this);
  }

  DatagramChannel channel() {
    return channel;
  }

  // ---------------------------------------------------------------- pacing thread

  /**
   * Sends at most one packet for pacing tick {@code tick}. Stages to complete are added to {@code completions}, run
   * by the caller outside the lock.
   */
  void tick(long tick, List<Runnable> completions) {
    synchronized (lock) {
      if (closed.get()) return;
      Outgoing head;
      boolean sent = false;
      boolean audio = false;
      while (!sent && (head = queue.peek()) != null) {
        Emit e = head.next(tick);
        if (head.finished()) {
          queue.poll();
          CompletableFuture<Boolean> done = head.done;
          boolean ok = head.result();
          completions.add(() -> done.complete(ok));
        }
        if (e != null) {
          sent = true; // this tick's slot is used, also by a frame consumed without sending (SKIP)
          if (e != SKIP) {
            audio = head instanceof Play;
            emit(e);
          }
        }
      }
      if (!audio) talkspurt = false;
    }
  }

  private long clockTimestamp(long tick) {
    return (timestampBase + tick * SAMPLES_PER_TICK) & 0xFFFFFFFFL;
  }

  private void emit(Emit e) {
    InetSocketAddress target = sendTarget();
    if (target == null) return; // consumed at pace, not sent
    byte[] packet = RtpPacket.build(e.payloadType, e.marker, sequence, e.timestamp, ssrc, e.payload);
    try {
      if (channel.send(ByteBuffer.wrap(packet), target) > 0) {
        sequence = (sequence + 1) & 0xFFFF;
        packetsSent++;
      } else {
        sendFailures++;
      }
    } catch (IOException | RuntimeException ex) {
      sendFailures++;
      if (sendFailures == 1) LOG.log(System.Logger.Level.DEBUG, "RTP send to " + target + " failed", ex);
    }
  }

  private record Emit(int payloadType, boolean marker, long timestamp, byte[] payload) {}

  /** A frame consumed at pace without sending it (no remote yet). */
  private static final Emit SKIP = new Emit(0, false, 0, new byte[0]);

  private abstract static class Outgoing {
    final CompletableFuture<Boolean> done = new CompletableFuture<>();

    /** The packet for this tick, {@link #SKIP} to use the tick without sending, or null when nothing (more) is left. */
    abstract Emit next(long tick);

    abstract boolean finished();

    boolean result() {
      return true;
    }
  }

  private final class Play extends Outgoing {
    private final Audio audio;
    private List<byte[]> frames;
    private Codec framesCodec;
    private int index;

    Play(Audio audio) {
      this.audio = audio;
    }

    @Override
    Emit next(long tick) {
      Codec c = codec;
      Codec encoding = c != null ? c : Codec.PCMU;
      if (frames == null || framesCodec != encoding) { // first frame, or remote() changed the codec mid-play
        frames = audio.frames(encoding);
        framesCodec = encoding;
      }
      if (index >= frames.size()) return null;
      byte[] frame = frames.get(index++);
      if (c == null || sendTarget() == null) {
        talkspurt = false;
        return SKIP; // consumed at pace but not sent
      }
      boolean marker = !talkspurt;
      long ts = marker ? clockTimestamp(tick) : (lastAudioTimestamp + SAMPLES_PER_TICK) & 0xFFFFFFFFL;
      talkspurt = true;
      lastAudioTimestamp = ts;
      return new Emit(c.payloadType, marker, ts, frame);
    }

    @Override
    boolean finished() {
      return frames != null && index >= frames.size();
    }
  }

  private final class Digit extends Outgoing {
    private final int event;
    private final int packets;
    private int sent;
    private int endsSent;
    private long timestamp;
    private boolean failed;

    Digit(int event, int packets) {
      this.event = event;
      this.packets = packets;
    }

    @Override
    Emit next(long tick) {
      int pt = dtmfPayloadType;
      if (pt < 0) {
        failed = true;
        return null;
      }
      if (sent == 0) timestamp = clockTimestamp(tick);
      Rfc4733.Event ev;
      boolean marker = sent == 0;
      if (sent < packets) {
        sent++;
        ev = new Rfc4733.Event(event, false, DTMF_VOLUME, sent * SAMPLES_PER_TICK);
      } else {
        endsSent++;
        ev = new Rfc4733.Event(event, true, DTMF_VOLUME, packets * SAMPLES_PER_TICK);
      }
      return new Emit(pt, marker, timestamp, Rfc4733.encode(ev));
    }

    @Override
    boolean finished() {
      return failed || endsSent >= END_PACKETS;
    }

    @Override
    boolean result() {
      return !failed;
    }
  }

  // ---------------------------------------------------------------- receive thread

  /** Drains up to {@code maxReads} datagrams; called by the receive thread when the socket is readable. */
  void onReadable(ByteBuffer buf, int maxReads) {
    for (int i = 0; i < maxReads; i++) {
      buf.clear();
      SocketAddress src;
      try {
        src = channel.receive(buf);
      } catch (IOException e) {
        return;
      }
      if (src == null) return;
      handle(buf.array(), buf.position(), (InetSocketAddress) src);
    }
  }

  private void handle(byte[] data, int length, InetSocketAddress source) {
    if (RtpPacket.looksLikeRtcp(data, length)) return; // rtcp-mux from the far end: not handled
    RtpPacket.Header h = RtpPacket.parse(data, length);
    if (h == null) return; // not RTP
    packetsReceived++;
    if (!latchDecided && symmetric) {
      latchDecided = true;
      if (!source.equals(remote)) latched = source;
    }
    int pt = h.payloadType();
    int dtmf = dtmfPayloadType;
    if (dtmf >= 0 && pt == dtmf) {
      onTelephoneEvent(data, h);
      return;
    }
    Consumer<byte[]> audio = audioListener;
    if (audio == null) return;
    Codec c = codec;
    if (c != null ? pt != c.payloadType : Codec.byPayloadType(pt).isEmpty()) return;
    int off = h.payloadOffset();
    try {
      audio.accept(Arrays.copyOfRange(data, off, off + h.payloadLength()));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "onAudio listener failed on port " + port, e);
    }
  }

  private void onTelephoneEvent(byte[] data, RtpPacket.Header h) {
    Optional<Rfc4733.Event> parsed = Rfc4733.parse(data, h.payloadOffset(), h.payloadLength());
    if (parsed.isEmpty()) return;
    long ts = h.timestamp();
    for (int i = 0; i < recentEventCount; i++) {
      if (recentEventTimestamps[i] == ts) return; // continuation or repeated end packet of a reported event
    }
    recentEventTimestamps[recentEventNext] = ts;
    recentEventNext = (recentEventNext + 1) % RECENT_EVENTS;
    if (recentEventCount < RECENT_EVENTS) recentEventCount++;
    Rfc4733.Event event = parsed.get();
    if (!event.isDtmf()) return; // flash, tones: not a key
    char digit = event.digit();
    dtmfEventsReceived++;
    Consumer<Character> l = digitListener;
    if (l == null) return;
    try {
      l.accept(digit);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "onDigit listener failed on port " + port, e);
    }
  }

  @Override
  public String toString() {
    return "RtpSession[port=" + port + ", remote=" + remote + ", codec=" + codec + "]";
  }
}
