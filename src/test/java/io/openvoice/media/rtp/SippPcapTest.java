package io.openvoice.media.rtp;

import static io.openvoice.media.rtp.RtpTestSupport.LOOPBACK;
import static io.openvoice.media.rtp.RtpTestSupport.eventually;
import static io.openvoice.media.rtp.RtpTestSupport.pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpTestSupport.FarEnd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the RTP of the pcap files Debian's sip-tester (SIPp) ships, when installed: real-world RFC 2833 digits
 * (whose three end packets repeat one sequence number) and G.711 A-law audio.
 */
@Timeout(60)
class SippPcapTest {
  static final Path SIPP = Path.of("/usr/share/sip-tester");

  private RtpEngine engine;

  @BeforeEach
  void start() {
    int base = RtpTestSupport.freeEvenRange(2);
    engine = new RtpEngine(LOOPBACK, base, base + 3, 2);
    engine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  static Stream<Arguments> digitCaptures() {
    List<Arguments> out = new ArrayList<>();
    for (char d = '0'; d <= '9'; d++) out.add(Arguments.of("dtmf_2833_" + d + ".pcap", d));
    out.add(Arguments.of("dtmf_2833_pound.pcap", '#'));
    out.add(Arguments.of("dtmf_2833_star.pcap", '*'));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("digitCaptures")
  void aSippDigitCaptureIsReportedOnce(String file, char digit) throws Exception {
    Path pcap = SIPP.resolve(file);
    assumeTrue(Files.isReadable(pcap), "sip-tester not installed");
    List<byte[]> packets = udpPayloads(pcap);
    int pt = packets.get(0)[1] & 0x7F;
    RtpSession s = engine.open();
    StringBuffer digits = new StringBuffer();
    s.onDigit(digits::append);
    try (FarEnd far = new FarEnd()) {
      s.remote(far.address(), Codec.PCMU, pt);
      for (byte[] p : packets) far.send(p, s.localPort());
      assertTrue(eventually(() -> s.packetsReceived() == packets.size()));
    }
    pause(20);
    assertEquals(String.valueOf(digit), digits.toString());
    assertEquals(1, s.dtmfEventsReceived());
  }

  @Test
  void aSippAlawCaptureIsDeliveredFrameByFrame() throws Exception {
    Path pcap = SIPP.resolve("g711a.pcap");
    assumeTrue(Files.isReadable(pcap), "sip-tester not installed");
    List<byte[]> packets = udpPayloads(pcap);
    long alaw = packets.stream().filter(p -> (p[1] & 0x7F) == 8).count();
    assertTrue(alaw > 0);
    RtpSession s = engine.open();
    AtomicInteger frames = new AtomicInteger();
    AtomicInteger bytes = new AtomicInteger();
    s.onAudio(p -> {
      frames.incrementAndGet();
      bytes.addAndGet(p.length);
    });
    try (FarEnd far = new FarEnd()) {
      s.remote(far.address(), Codec.PCMA, 101);
      for (int i = 0; i < packets.size(); i++) {
        far.send(packets.get(i), s.localPort());
        if (i % 20 == 19) pause(2); // stay well inside the socket buffer
      }
      assertTrue(eventually(() -> s.packetsReceived() == packets.size()));
    }
    assertEquals(alaw, frames.get());
    int expectedBytes = packets.stream().filter(p -> (p[1] & 0x7F) == 8).mapToInt(p -> p.length - 12).sum();
    assertEquals(expectedBytes, bytes.get());
  }

  /** UDP payloads of a classic libpcap file of Ethernet frames carrying IPv4. */
  static List<byte[]> udpPayloads(Path pcap) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
    int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (magic != 0xA1B2C3D4) {
      b.order(ByteOrder.BIG_ENDIAN);
      if (b.getInt(0) != 0xA1B2C3D4) throw new IOException("not a microsecond libpcap file: " + pcap);
    }
    if (b.getInt(20) != 1) throw new IOException("not Ethernet: " + pcap);
    List<byte[]> out = new ArrayList<>();
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      int captured = b.getInt(pos + 8);
      int frame = pos + 16;
      pos = frame + captured;
      int etherType = ((b.get(frame + 12) & 0xFF) << 8) | (b.get(frame + 13) & 0xFF);
      if (etherType != 0x0800) continue;
      int ip = frame + 14;
      int ihl = (b.get(ip) & 0x0F) * 4;
      if (b.get(ip + 9) != 17) continue; // not UDP
      int udp = ip + ihl;
      int udpLength = ((b.get(udp + 4) & 0xFF) << 8) | (b.get(udp + 5) & 0xFF);
      byte[] all = b.array();
      out.add(Arrays.copyOfRange(all, udp + 8, udp + udpLength));
    }
    return out;
  }
}
