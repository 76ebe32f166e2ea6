package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static final byte[] PAYLOAD = {10, 20, 30, 40, 50};

    @Test
    void buildWritesTheFixedHeader() {
        byte[] p = RtpPacket.build(8, true, 0x1234, 0x01020304L, 0xCAFEBABEL, PAYLOAD);
        assertEquals(12 + 5, p.length);
        assertEquals((byte) 0x80, p[0]); // V=2, no P/X, CC=0
        assertEquals((byte) (0x80 | 8), p[1]);
        assertArrayEquals(new byte[] {0x12, 0x34, 1, 2, 3, 4, (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE},
                Arrays.copyOfRange(p, 2, 12));
        assertArrayEquals(PAYLOAD, Arrays.copyOfRange(p, 12, 17));
    }

    @Test
    void buildThenParseRoundTripsIncludingUnsignedExtremes() {
        byte[] p = RtpPacket.build(101, false, 65535, 0xFFFFFFFFL, 0xDEADBEEFL, PAYLOAD);
        RtpPacket.Header h = RtpPacket.parse(p, p.length);
        assertEquals(new RtpPacket.Header(101, false, 65535, 0xFFFFFFFFL, 0xDEADBEEFL, 12, 5), h);
        assertArrayEquals(PAYLOAD, h.payload(p));

        byte[] q = RtpPacket.build(0, true, 0, 0, 0, new byte[0]);
        assertEquals(new RtpPacket.Header(0, true, 0, 0, 0, 12, 0), RtpPacket.parse(q, q.length));
    }

    @Test
    void parseHonoursTheGivenLengthInALargerBuffer() {
        byte[] p = RtpPacket.build(0, false, 7, 160, 42, PAYLOAD);
        byte[] big = Arrays.copyOf(p, 1500);
        RtpPacket.Header h = RtpPacket.parse(big, p.length);
        assertEquals(5, h.payloadLength());
    }

    @Test
    void skipsCsrcsHeaderExtensionAndPadding() {
        byte[] base = RtpPacket.build(0, false, 1, 2, 3, new byte[0]);
        byte[] csrcs = new byte[8];
        byte[] ext = {(byte) 0xBE, (byte) 0xDE, 0, 2, 1, 1, 1, 1, 2, 2, 2, 2};
        byte[] padding = {0, 0, 3};
        byte[] packet = concat(base, csrcs, ext, PAYLOAD, padding);
        packet[0] = (byte) (0x80 | 0x20 | 0x10 | 2); // V=2, P, X, CC=2

        RtpPacket.Header h = RtpPacket.parse(packet, packet.length);
        assertNotNull(h);
        assertEquals(12 + 8 + 12, h.payloadOffset());
        assertEquals(5, h.payloadLength());
        assertArrayEquals(PAYLOAD, h.payload(packet));
        assertEquals(1, h.sequence());
        assertEquals(3, h.ssrc());
    }

    @Test
    void rejectsVersionsOtherThanTwo() {
        byte[] p = RtpPacket.build(0, false, 1, 2, 3, PAYLOAD);
        for (int version : new int[] {0, 1, 3}) {
            p[0] = (byte) (version << 6);
            assertNull(RtpPacket.parse(p, p.length), "version " + version);
        }
    }

    @Test
    void rejectsShortBuffersAndInconsistentLengths() {
        byte[] p = RtpPacket.build(0, false, 1, 2, 3, PAYLOAD);
        assertNull(RtpPacket.parse(p, 11));
        assertNull(RtpPacket.parse(new byte[11], 11));
        assertNull(RtpPacket.parse(p, p.length + 1));
        assertNull(RtpPacket.parse(null, 12));

        byte[] tooManyCsrcs = p.clone();
        tooManyCsrcs[0] = (byte) (0x80 | 15); // 60 bytes of CSRCs claimed in a 17-byte packet
        assertNull(RtpPacket.parse(tooManyCsrcs, tooManyCsrcs.length));

        byte[] extOverrun = concat(RtpPacket.build(0, false, 1, 2, 3, new byte[0]), new byte[] {0, 0, 0, 9});
        extOverrun[0] = (byte) (0x80 | 0x10);
        assertNull(RtpPacket.parse(extOverrun, extOverrun.length));

        byte[] badPadding = p.clone();
        badPadding[0] = (byte) (0x80 | 0x20);
        badPadding[badPadding.length - 1] = 6; // more padding than payload
        assertNull(RtpPacket.parse(badPadding, badPadding.length));
        badPadding[badPadding.length - 1] = 0; // zero padding count is invalid when P is set
        assertNull(RtpPacket.parse(badPadding, badPadding.length));
    }

    @Test
    void buildRejectsInvalidPayloadTypes() {
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.build(128, false, 0, 0, 0, PAYLOAD));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.build(-1, false, 0, 0, 0, PAYLOAD));
    }

    @Test
    void distinguishesRtcpFromRtp() {
        byte[] rtp = RtpPacket.build(0, true, 1, 2, 3, PAYLOAD);
        assertFalse(RtpPacket.looksLikeRtcp(rtp, rtp.length));
        byte[] receiverReport = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        assertTrue(RtpPacket.looksLikeRtcp(receiverReport, receiverReport.length));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
