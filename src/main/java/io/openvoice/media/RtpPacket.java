package io.openvoice.media;

import java.util.Arrays;
import java.util.Objects;

/** RTP fixed header (RFC 3550), no CSRC/extension writing; parsing skips CSRCs and header extension and padding. */
public final class RtpPacket {

    public static final int HEADER = 12;
    private static final int VERSION = 2;

    private RtpPacket() {
    }

    /**
     * A parsed header. {@code payloadOffset}/{@code payloadLength} locate the payload in the parsed buffer, after
     * CSRCs and any header extension, excluding padding.
     */
    public record Header(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, int payloadOffset,
            int payloadLength) {

        /** A copy of the payload bytes from the buffer this header was parsed from. */
        public byte[] payload(byte[] buf) {
            return Arrays.copyOfRange(buf, payloadOffset, payloadOffset + payloadLength);
        }
    }

    /** Writes header + payload into a new byte[]. */
    public static byte[] build(int payloadType, boolean marker, int sequence, long timestamp, long ssrc,
            byte[] payload) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, got " + payloadType);
        }
        Objects.requireNonNull(payload, "payload");
        byte[] out = new byte[HEADER + payload.length];
        out[0] = (byte) (VERSION << 6);
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequence >>> 8);
        out[3] = (byte) sequence;
        putInt32(out, 4, timestamp);
        putInt32(out, 8, ssrc);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    /** Null when not a valid RTP v2 packet. */
    public static Header parse(byte[] buf, int length) {
        if (buf == null || length < HEADER || length > buf.length) {
            return null;
        }
        int b0 = buf[0] & 0xFF;
        if ((b0 >>> 6) != VERSION) {
            return null;
        }
        boolean padding = (b0 & 0x20) != 0;
        boolean extension = (b0 & 0x10) != 0;
        int csrcCount = b0 & 0x0F;
        int b1 = buf[1] & 0xFF;
        int offset = HEADER + 4 * csrcCount;
        if (extension) {
            if (offset + 4 > length) {
                return null;
            }
            int extWords = ((buf[offset + 2] & 0xFF) << 8) | (buf[offset + 3] & 0xFF);
            offset += 4 + 4 * extWords;
        }
        if (offset > length) {
            return null;
        }
        int end = length;
        if (padding) {
            int pad = buf[length - 1] & 0xFF;
            if (pad == 0 || pad > length - offset) {
                return null;
            }
            end -= pad;
        }
        return new Header(b1 & 0x7F, (b1 & 0x80) != 0, ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF),
                getUInt32(buf, 4), getUInt32(buf, 8), offset, end - offset);
    }

    /**
     * True when the first bytes look like RTCP rather than RTP (RFC 5761 section 4: second byte 192..223),
     * for demultiplexing RTP and RTCP on one port. {@link #parse} does not apply this check.
     */
    public static boolean looksLikeRtcp(byte[] buf, int length) {
        if (buf == null || length < 2 || length > buf.length || ((buf[0] & 0xFF) >>> 6) != VERSION) {
            return false;
        }
        int pt = buf[1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    private static void putInt32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static long getUInt32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }
}
