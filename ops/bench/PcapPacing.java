import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * RTP pacing as the wire saw it: reads a tcpdump capture (Ethernet/IPv4/UDP, as on Linux's loopback), keeps the
 * G.711 RTP packets (payload type 0 or 8) sent from UDP ports [min, max] (the node's RTP range), and for every
 * stream measures the interval between consecutive packets (sequence number + 1, not the first of a talkspurt).
 * Prints the streams, the intervals, and percentiles of |interval - 20 ms| in microseconds as one line of
 * {@code key=value}. Run: {@code java ops/bench/PcapPacing.java <capture.pcap> <min port> <max port>}.
 */
public final class PcapPacing {
  private record Last(int seq, long micros) {}

  public static void main(String[] args) throws IOException {
    int min = Integer.parseInt(args[1]);
    int max = Integer.parseInt(args[2]);
    long[] dev = new long[1 << 16];
    int n = 0;
    Map<Long, Last> streams = new HashMap<>();
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(Path.of(args[0])), 1 << 20))) {
      byte[] global = new byte[24];
      in.readFully(global);
      ByteBuffer g = ByteBuffer.wrap(global).order(ByteOrder.LITTLE_ENDIAN);
      int magic = g.getInt(0);
      boolean swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
      if (swapped) g.order(ByteOrder.BIG_ENDIAN);
      boolean nanos = g.getInt(0) == 0xa1b23c4d;
      if (g.getInt(20) != 1) throw new IOException("not an Ethernet capture (link type " + g.getInt(20) + ")");
      byte[] head = new byte[16];
      ByteBuffer h = ByteBuffer.wrap(head).order(g.order());
      while (true) {
        try {
          in.readFully(head);
        } catch (EOFException e) {
          break;
        }
        long micros = (h.getInt(0) & 0xffffffffL) * 1_000_000L + (nanos ? h.getInt(4) / 1000 : h.getInt(4));
        byte[] p = new byte[h.getInt(8)];
        in.readFully(p);
        ByteBuffer b = ByteBuffer.wrap(p); // network order
        if (p.length < 14 + 20 + 8 + 12 || b.getShort(12) != 0x0800) continue;
        int ihl = (p[14] & 0x0f) * 4;
        if (p[14 + 9] != 17) continue;
        int udp = 14 + ihl;
        int src = b.getShort(udp) & 0xffff;
        int dst = b.getShort(udp + 2) & 0xffff;
        int rtp = udp + 8;
        if (src < min || src > max || p.length < rtp + 12 || (p[rtp] & 0xc0) != 0x80) continue;
        int pt = p[rtp + 1] & 0x7f;
        boolean marker = (p[rtp + 1] & 0x80) != 0;
        if (pt != 0 && pt != 8) continue;
        int seq = b.getShort(rtp + 2) & 0xffff;
        long key = ((long) src << 16 | dst) << 32 | (b.getInt(rtp + 8) & 0xffffffffL) % 0xffffffL;
        Last last = streams.put(key, new Last(seq, micros));
        if (last == null || marker || ((last.seq + 1) & 0xffff) != seq) continue;
        if (n == dev.length) dev = Arrays.copyOf(dev, n * 2);
        dev[n++] = Math.abs(micros - last.micros - 20_000);
      }
    }
    long[] d = Arrays.copyOf(dev, n);
    Arrays.sort(d);
    System.out.printf("streams=%d intervals=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d%n", streams.size(), n,
        pct(d, 0.50), pct(d, 0.99), pct(d, 0.999), n == 0 ? 0 : d[n - 1]);
  }

  private static long pct(long[] sorted, double q) {
    if (sorted.length == 0) return 0;
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
  }
}
