package io.openvoice.media.rtp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Loopback helpers: free port ranges, a raw-socket far end that decodes RTP headers independently. */
final class RtpTestSupport {
  static final String LOOPBACK = "127.0.0.1";
  /** Upper bound for waiting on something that should happen; never a timing assertion. */
  static final long WAIT_MS = 10_000;

  private RtpTestSupport() {}

  /**
   * The first port of {@code evenPorts} consecutive even ports (and the odd ones between) that are free now, below the
   * Linux ephemeral range so sockets bound to port 0 do not take them meanwhile.
   */
  /** A started engine for {@code sessions} sessions on loopback, on a free range of even ports. */
  static RtpEngine startedEngine(int sessions) {
    int base = freeEvenRange(sessions);
    RtpEngine engine = new RtpEngine(LOOPBACK, base, base + 2 * sessions - 1, sessions);
    engine.start();
    return engine;
  }

  static int freeEvenRange(int evenPorts) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + 2 * rnd.nextInt(5_000);
      if (allFree(base, evenPorts)) return base;
    }
    throw new IllegalStateException("no free port range found");
  }

  private static boolean allFree(int base, int evenPorts) {
    List<DatagramSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < evenPorts; i++) {
        probes.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, base + 2 * i)));
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      probes.forEach(DatagramSocket::close);
    }
  }

  static boolean canBind(int port) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls until the condition holds; false if it did not within {@link #WAIT_MS}. */
  static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An RTP packet as seen on the wire, decoded by the test itself (RFC 3550 section 5.1). */
  record Rtp(int version, boolean marker, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
    static Rtp decode(byte[] b, int len) {
      if (len < 12) throw new IllegalArgumentException("short packet " + len);
      int cc = b[0] & 0x0F;
      int off = 12 + 4 * cc;
      if ((b[0] & 0x10) != 0) off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
      int end = len;
      if ((b[0] & 0x20) != 0) end -= b[len - 1] & 0xFF;
      return new Rtp((b[0] >> 6) & 3, (b[1] & 0x80) != 0, b[1] & 0x7F, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF),
          u32(b, 4), u32(b, 8), Arrays.copyOfRange(b, off, end));
    }

    /** RFC 4733 fields of a telephone-event payload. */
    int event() {
      return payload[0] & 0xFF;
    }

    boolean end() {
      return (payload[1] & 0x80) != 0;
    }

    int duration() {
      return ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
    }
  }

  static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  /** Builds an RTP packet by hand (version 2, no CSRC/extension/padding). */
  static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
    byte[] b = new byte[12 + payload.length];
    b[0] = (byte) 0x80;
    b[1] = (byte) ((marker ? 0x80 : 0) | pt);
    b[2] = (byte) (seq >> 8);
    b[3] = (byte) seq;
    for (int i = 0; i < 4; i++) {
      b[4 + i] = (byte) (ts >> (24 - 8 * i));
      b[8 + i] = (byte) (ssrc >> (24 - 8 * i));
    }
    System.arraycopy(payload, 0, b, 12, payload.length);
    return b;
  }

  /** RFC 4733 payload by hand. */
  static byte[] telephoneEvent(int event, boolean end, int volume, int duration) {
    return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >> 8), (byte) duration};
  }

  /** A plain DatagramSocket acting as the far end. */
  static final class FarEnd implements AutoCloseable {
    final DatagramSocket socket;

    FarEnd() throws IOException {
      socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    }

    InetSocketAddress address() {
      return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
    }

    void send(byte[] data, int port) throws IOException {
      socket.send(new DatagramPacket(data, data.length, InetAddress.getByName(LOOPBACK), port));
    }

    /** Receives until {@code count} packets arrived or nothing arrives for {@code idleMs}. */
    List<Rtp> receive(int count, int idleMs) throws IOException {
      List<Rtp> out = new ArrayList<>();
      byte[] buf = new byte[2048];
      socket.setSoTimeout(idleMs);
      while (out.size() < count) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        out.add(Rtp.decode(p.getData(), p.getLength()));
      }
      return out;
    }

    /** Everything that arrives until the socket stays silent for {@code idleMs}. */
    List<Rtp> drain(int idleMs) throws IOException {
      return receive(Integer.MAX_VALUE, idleMs);
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
