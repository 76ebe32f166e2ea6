package io.openvoice.media.rtp;

import io.openvoice.media.Audio;
import io.openvoice.media.Codec;
import io.openvoice.media.G711;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One RTP stream on one even local port of an {@link RtpEngine}. Outgoing audio and RFC 4733 digits are queued and
 * sent, one packet per 20 ms tick, by the engine's pacing thread; incoming packets are handled on the engine's
 * receive thread. One SSRC and one sequence-number space cover audio, telephone events and relayed packets
 * ({@link #bridge}), so the far end sees one continuous stream across plays, digits and bridges: sequence numbers
 * without gaps, timestamps that move on with the time that passed and never go back.
 *
 * <p>Locks: {@link RtpEngine#bridgeLock} before {@code lock}; a session holds only its own {@code lock}, and no
 * listener, tap or play stage is called while holding either.
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
  private static final long TS_MASK = 0xFFFFFFFFL;
  /** A relayed source whose timestamp jumps back more than 1 s or ahead more than 60 s is re-anchored to the clock. */
  private static final int RELAY_MAX_BACK = 8_000;
  private static final int RELAY_MAX_AHEAD = 8_000 * 60;

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
  private volatile Direction direction = Direction.SENDRECV;
  private final CopyOnWriteArrayList<Tap> taps = new CopyOnWriteArrayList<>();
  /** The open bridge this session is in, or null (written under engine.bridgeLock and lock). */
  private volatile RtpBridge bridge;

  // ---- sending (guarded by lock; sending itself happens on the pacing thread)
  private final Object lock = new Object();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final long ssrc;
  private final long timestampBase;
  private int sequence;
  /** The previous tick sent an audio frame: the next frame continues the talkspurt (no marker, ts + 160). */
  private boolean talkspurt;
  private long lastAudioTimestamp;
  /** A packet went out: {@link #nextFreeTimestamp} is meaningful. */
  private boolean sentAny;
  /** Just past the media sent so far (last timestamp + its samples): the earliest timestamp a new talkspurt takes. */
  private long nextFreeTimestamp;
  /** Relayed packets map source timestamps by {@link #relayOffset}; false: re-anchor on the next relayed packet. */
  private boolean relayAnchored;
  private long relaySourceSsrc;
  private long relayLastSourceTimestamp;
  private long relayOffset;
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
   * when the last frame was sent, false when stopped by {@link #stopPlayback()}, {@link #bridge} or {@link #close()}.
   * While bridged, plays wait in the queue and start after the bridge ends. While the {@link #direction} does not send,
   * frames are consumed at pace but not sent (the stage still completes true).
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
   * listener must not block. Also while bridged (the events are relayed as well); not while the {@link #direction}
   * does not receive. Null to stop.
   */
  public void onDigit(Consumer<Character> listener) {
    this.digitListener = listener;
  }

  /**
   * Received G.711 payloads (a copy, in the negotiated codec; any G.711 before {@link #remote} is set), on the
   * receive thread: the listener must not block. Also while bridged; not while the {@link #direction} does not
   * receive. Null to stop.
   */
  public void onAudio(Consumer<byte[]> g711Payload) {
    this.audioListener = g711Payload;
  }

  /**
   * Which way media flows (default {@link Direction#SENDRECV}); any thread, takes effect with the next packet. A
   * direction that does not send stops all RTP from this session: plays and digits are consumed at pace but not sent,
   * relayed packets are dropped. A direction that does not receive ignores what arrives: no digits, no audio
   * listener, no received tap, nothing relayed (packets are still counted and still latch symmetric RTP).
   */
  public void direction(Direction d) {
    Objects.requireNonNull(d, "direction");
    synchronized (lock) {
      direction = d;
      if (!d.sends()) { // what is sent after the hold starts a new talkspurt
        talkspurt = false;
        relayAnchored = false;
      }
    }
  }

  public Direction direction() {
    return direction;
  }

  /**
   * Observes 20 ms frames of linear PCM (8 kHz, one array per packet, normally 160 samples; the consumer owns it):
   * {@code received} for audio received and handled (the {@link #direction} receives), {@code sent} for audio that went
   * out on the wire (played prompts and relayed audio, as encoded in this session's codec). Either may be null. Called
   * on the engine's receive thread (received, relayed) and pacing thread (played): the consumers must be cheap and
   * must not block (queue the frame). Telephone events are not audio and are not tapped.
   *
   * @return the tap; {@link Tap#close()} removes it (a call already under way may still deliver one frame)
   */
  public Tap tap(Consumer<short[]> received, Consumer<short[]> sent) {
    Tap t = new Tap(received, sent);
    if (!closed.get()) taps.add(t);
    if (closed.get()) taps.remove(t); // closed concurrently: close() cleared the list before or after our add
    return t;
  }

  /** A pair of PCM consumers added by {@link #tap}. */
  public final class Tap implements AutoCloseable {
    private final Consumer<short[]> received;
    private final Consumer<short[]> sent;

    private Tap(Consumer<short[]> received, Consumer<short[]> sent) {
      this.received = received;
      this.sent = sent;
    }

    /** Stops delivering frames. Idempotent. */
    @Override
    public void close() {
      taps.remove(this);
    }
  }

  /**
   * Relays media between this session and {@code other} (same engine) until the returned bridge is closed,
   * {@link #unbridge()} is called on either, or either closes. Audio and RFC 4733 packets received on one go out on
   * the other at once, on the receive thread (the source paces them), with the sending session's SSRC, sequence and
   * timestamps, transcoded PCMU/PCMA as the two negotiated, telephone events with the sending side's payload type
   * (dropped if it negotiated none). Digits received are still reported to {@link #onDigit} of the receiving session,
   * received audio still to {@link #onAudio} and the taps.
   *
   * <p>Bridging ends both sessions' own playback: queued and playing plays and digits complete false (on the calling
   * thread, after the bridge is in place). Plays and digits queued while bridged wait and start after the bridge ends.
   * Bridging the same two sessions again returns the open bridge.
   *
   * @throws IllegalArgumentException bridging a session to itself or to a session of another engine
   * @throws IllegalStateException either session is closed, or already bridged to a third one
   */
  public RtpBridge bridge(RtpSession other) {
    Objects.requireNonNull(other, "other");
    if (other == this) throw new IllegalArgumentException("cannot bridge " + this + " to itself");
    if (other.engine != engine) throw new IllegalArgumentException(other + " belongs to another engine");
    RtpBridge made;
    List<Outgoing> dropped = new ArrayList<>();
    synchronized (engine.bridgeLock) {
      if (closed.get()) throw new IllegalStateException(this + " is closed");
      if (other.closed.get()) throw new IllegalStateException(other + " is closed");
      RtpBridge mine = bridge;
      RtpBridge theirs = other.bridge;
      if (mine != null && mine == theirs) return mine;
      if (mine != null) throw new IllegalStateException(this + " is already bridged in " + mine);
      if (theirs != null) throw new IllegalStateException(other + " is already bridged in " + theirs);
      made = new RtpBridge(this, other, engine.bridgeLock);
      attach(made, dropped);
      other.attach(made, dropped);
    }
    for (Outgoing o : dropped) o.done.complete(false);
    return made;
  }

  /** Ends the bridge this session is in, if any (see {@link RtpBridge#close()}). Any thread; idempotent. */
  public void unbridge() {
    RtpBridge b = bridge;
    if (b != null) b.close();
  }

  /** The session this one is bridged to, if any. */
  public Optional<RtpSession> bridgedTo() {
    RtpBridge b = bridge;
    return b == null ? Optional.empty() : Optional.of(b.other(this));
  }

  /** Under engine.bridgeLock: joins the bridge, dropping everything queued (completed by the caller). */
  private void attach(RtpBridge b, List<Outgoing> dropped) {
    synchronized (lock) {
      bridge = b;
      dropped.addAll(queue);
      queue.clear();
      talkspurt = false;
      relayAnchored = false;
    }
  }

  /** Under engine.bridgeLock: leaves the bridge; after this no packet is relayed out of this session. */
  void detach(RtpBridge b) {
    synchronized (lock) {
      if (bridge != b) return;
      bridge = null;
      talkspurt = false;
      relayAnchored = false;
    }
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

  /** Idempotent: unbridges, releases the port; pending plays and digits complete with false. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    unbridge(); // bridge() refuses a closed session, so no new bridge can follow
    taps.clear();
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
      if (closed.get() || bridge != null) return; // bridged: the queue waits
      Outgoing head;
      boolean sent = false;
      boolean audio = false;
      while (!sent && (head = queue.peek()) != null) {
        Emit e = head.next(tick);
        if (e != null) { // before the completion below: a sent tap sees the last frame before the stage completes
          sent = true; // this tick's slot is used, also by a frame consumed without sending (SKIP)
          if (e != SKIP) {
            audio = head instanceof Play;
            emit(e, completions);
          }
        }
        if (head.finished()) {
          queue.poll();
          CompletableFuture<Boolean> done = head.done;
          boolean ok = head.result();
          completions.add(() -> done.complete(ok));
        }
      }
      if (!audio) talkspurt = false;
    }
  }

  private long clockTimestamp(long tick) {
    return (timestampBase + tick * SAMPLES_PER_TICK) & TS_MASK;
  }

  /**
   * Under lock: the timestamp of a new talkspurt that starts at clock time {@code clock}, never before the end of what
   * was sent already (relayed streams run on their source's clock, which may be ahead of ours).
   */
  private long talkspurtTimestamp(long clock) {
    return sentAny && (int) (clock - nextFreeTimestamp) < 0 ? nextFreeTimestamp : clock;
  }

  /** Under lock; on the pacing thread. Sent audio frames are tapped through {@code completions}. */
  private void emit(Emit e, List<Runnable> completions) {
    InetSocketAddress target = sendTarget();
    if (target == null || !direction.sends()) return; // consumed at pace, not sent
    if (send(e.payloadType, e.marker, e.timestamp, e.payload, e.samples, target) && e.codec != null
        && !taps.isEmpty()) {
      Codec c = e.codec;
      byte[] payload = e.payload;
      completions.add(() -> deliverSent(c, payload));
    }
  }

  /**
   * Under lock: sends one packet with our SSRC and the next sequence number; {@code samples} is how far the media
   * reaches past {@code timestamp}. True when it went out.
   */
  private boolean send(int pt, boolean marker, long timestamp, byte[] payload, int samples,
      InetSocketAddress target) {
    long end = (timestamp + samples) & TS_MASK;
    if (!sentAny || (int) (end - nextFreeTimestamp) > 0) nextFreeTimestamp = end;
    sentAny = true;
    byte[] packet = RtpPacket.build(pt, marker, sequence, timestamp, ssrc, payload);
    try {
      if (channel.send(ByteBuffer.wrap(packet), target) > 0) {
        sequence = (sequence + 1) & 0xFFFF;
        packetsSent++;
        return true;
      }
      sendFailures++;
    } catch (IOException | RuntimeException ex) {
      sendFailures++;
      if (sendFailures == 1) LOG.log(System.Logger.Level.DEBUG, "RTP send to " + target + " failed", ex);
    }
    return false;
  }

  /**
   * @param codec the audio codec of the payload, null for a telephone event
   * @param samples how many timestamp units the packet covers past its timestamp
   */
  private record Emit(int payloadType, boolean marker, long timestamp, byte[] payload, Codec codec, int samples) {}

  /** A frame consumed at pace without sending it (no remote, or a direction that does not send). */
  private static final Emit SKIP = new Emit(0, false, 0, new byte[0], null, 0);

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
      if (c == null || sendTarget() == null || !direction.sends()) {
        talkspurt = false;
        return SKIP; // consumed at pace but not sent
      }
      boolean marker = !talkspurt;
      long ts = marker
          ? talkspurtTimestamp(clockTimestamp(tick))
          : (lastAudioTimestamp + SAMPLES_PER_TICK) & TS_MASK;
      talkspurt = true;
      lastAudioTimestamp = ts;
      return new Emit(c.payloadType, marker, ts, frame, c, frame.length);
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
      if (sent == 0) timestamp = talkspurtTimestamp(clockTimestamp(tick));
      Rfc4733.Event ev;
      boolean marker = sent == 0;
      if (sent < packets) {
        sent++;
        ev = new Rfc4733.Event(event, false, DTMF_VOLUME, sent * SAMPLES_PER_TICK);
      } else {
        endsSent++;
        ev = new Rfc4733.Event(event, true, DTMF_VOLUME, packets * SAMPLES_PER_TICK);
      }
      return new Emit(pt, marker, timestamp, Rfc4733.encode(ev), null, ev.duration());
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
    if (!direction.receives()) return; // on hold (sendonly) or inactive: ignore what arrives
    int pt = h.payloadType();
    int dtmf = dtmfPayloadType;
    RtpBridge b = bridge;
    if (dtmf >= 0 && pt == dtmf) {
      if (b != null) b.other(this).relay(b, data, h, null);
      onTelephoneEvent(data, h);
      return;
    }
    Codec c = codec;
    Codec from = c != null ? (pt == c.payloadType ? c : null) : Codec.byPayloadType(pt).orElse(null);
    if (from == null) return; // not our audio (comfort noise, another codec)
    if (b != null) b.other(this).relay(b, data, h, from);
    int off = h.payloadOffset();
    int len = h.payloadLength();
    if (!taps.isEmpty()) deliverReceived(from, data, off, len);
    Consumer<byte[]> audio = audioListener;
    if (audio == null) return;
    try {
      audio.accept(Arrays.copyOfRange(data, off, off + len));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "onAudio listener failed on port " + port, e);
    }
  }

  /**
   * Receive thread, for a packet that arrived on the session bridged to this one: sends it out here at once.
   *
   * @param from the packet's audio codec; null for a telephone event
   */
  private void relay(RtpBridge b, byte[] data, RtpPacket.Header h, Codec from) {
    byte[] sentAudio = null;
    Codec to;
    synchronized (lock) {
      if (closed.get() || bridge != b) return; // unbridged meanwhile
      to = codec;
      InetSocketAddress target = sendTarget();
      if (to == null || target == null || !direction.sends()) {
        relayAnchored = false; // what follows starts a new talkspurt
        return;
      }
      int pt;
      byte[] payload;
      int samples;
      int off = h.payloadOffset();
      int len = h.payloadLength();
      if (from == null) {
        pt = dtmfPayloadType;
        if (pt < 0 || len < Rfc4733.LENGTH) return; // no telephone-event negotiated on this side
        payload = Arrays.copyOfRange(data, off, off + len);
        samples = ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
      } else {
        pt = to.payloadType;
        payload = G711.transcode(from, to, data, off, len);
        samples = len;
      }
      boolean reanchored = anchorRelay(h.ssrc(), h.timestamp());
      long ts = (h.timestamp() + relayOffset) & TS_MASK;
      if (send(pt, h.marker() || reanchored, ts, payload, samples, target) && from != null) sentAudio = payload;
    }
    if (sentAudio != null && !taps.isEmpty()) deliverSent(to, sentAudio);
  }

  /**
   * Under lock: keeps the source-to-our timestamp mapping, or starts a new one at the current clock (first packet of a
   * bridge or after a hold, another source SSRC, an implausible timestamp jump). True when it started a new one.
   */
  private boolean anchorRelay(long sourceSsrc, long sourceTimestamp) {
    if (relayAnchored && sourceSsrc == relaySourceSsrc) {
      int delta = (int) (sourceTimestamp - relayLastSourceTimestamp);
      if (delta >= -RELAY_MAX_BACK && delta <= RELAY_MAX_AHEAD) {
        if (delta > 0) relayLastSourceTimestamp = sourceTimestamp;
        return false;
      }
    }
    long start = talkspurtTimestamp((timestampBase + engine.clockSamples()) & TS_MASK);
    relayOffset = (start - sourceTimestamp) & TS_MASK;
    relaySourceSsrc = sourceSsrc;
    relayLastSourceTimestamp = sourceTimestamp;
    relayAnchored = true;
    return true;
  }

  private void deliverReceived(Codec c, byte[] data, int off, int len) {
    for (Tap t : taps) { // each consumer owns its array
      if (t.received == null) continue;
      try {
        t.received.accept(G711.decode(c, data, off, len));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "received tap failed on port " + port, e);
      }
    }
  }

  private void deliverSent(Codec c, byte[] payload) {
    for (Tap t : taps) { // each consumer owns its array
      if (t.sent == null) continue;
      try {
        t.sent.accept(G711.decode(c, payload, 0, payload.length));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "sent tap failed on port " + port, e);
      }
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
    return "RtpSession[port=" + port + ", remote=" + remote + ", codec=" + codec
        + (direction == Direction.SENDRECV ? "" : ", " + direction.sdp()) + "]";
  }
}
