package io.openvoice.media;

import java.util.Objects;

/**
 * ITU-T G.711 companding, implemented with bit arithmetic and decode tables (no javax.sound).
 *
 * <p>Linear samples are 16-bit signed. mu-law works on the 14 most significant bits and A-law on the 13 most
 * significant bits, as in the Recommendation; decoding returns the segment mid-point scaled back to 16 bits.
 * Encoded bytes are the on-the-wire values (mu-law bits inverted, A-law even bits inverted).
 */
public final class G711 {

    /** mu-law bias in the 14-bit domain. */
    private static final int ULAW_BIAS = 33;
    /** Largest 14-bit magnitude that still fits the top mu-law segment once biased. */
    private static final int ULAW_CLIP = 8191 - ULAW_BIAS; // 8158

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    /** Direct transcoding tables: decode in one law, encode in the other (the same as the round trip). */
    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = computeUlawToLinear(i);
            ALAW_TO_LINEAR[i] = computeAlawToLinear(i);
        }
        for (int i = 0; i < 256; i++) {
            ULAW_TO_ALAW[i] = linearToAlaw(ULAW_TO_LINEAR[i]);
            ALAW_TO_ULAW[i] = linearToUlaw(ALAW_TO_LINEAR[i]);
        }
    }

    private G711() {
    }

    public static byte linearToUlaw(short pcm) {
        int v = pcm >> 2; // 14-bit signed
        int sign = 0;
        if (v < 0) {
            sign = 0x80;
            v = -v;
        }
        if (v > ULAW_CLIP) {
            v = ULAW_CLIP;
        }
        v += ULAW_BIAS; // 33 .. 8191
        // segment e holds biased values in [32 << e, 64 << e)
        int exponent = (31 - Integer.numberOfLeadingZeros(v)) - 5;
        int mantissa = (v >> (exponent + 1)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short ulawToLinear(byte u) {
        return ULAW_TO_LINEAR[u & 0xFF];
    }

    public static byte linearToAlaw(short pcm) {
        int v = pcm >> 3; // 13-bit signed
        int sign = 0x80; // A-law: sign bit set means positive
        if (v < 0) {
            sign = 0;
            v = -v - 1; // 0 .. 4095
        }
        int code;
        if (v < 32) {
            code = v >> 1; // segment 0, mantissa in steps of 2
        } else {
            // segment e >= 1 holds magnitudes in [16 << e, 32 << e)
            int exponent = (31 - Integer.numberOfLeadingZeros(v)) - 4;
            int mantissa = (v >> exponent) & 0x0F;
            code = (exponent << 4) | mantissa;
        }
        return (byte) ((sign | code) ^ 0x55);
    }

    public static short alawToLinear(byte a) {
        return ALAW_TO_LINEAR[a & 0xFF];
    }

    public static byte encode(Codec c, short pcm) {
        return switch (Objects.requireNonNull(c, "codec")) {
            case PCMU -> linearToUlaw(pcm);
            case PCMA -> linearToAlaw(pcm);
        };
    }

    public static short decode(Codec c, byte b) {
        return switch (Objects.requireNonNull(c, "codec")) {
            case PCMU -> ulawToLinear(b);
            case PCMA -> alawToLinear(b);
        };
    }

    /** mu-law to A-law in one table look-up; equal to {@code linearToAlaw(ulawToLinear(u))}. */
    public static byte ulawToAlaw(byte u) {
        return ULAW_TO_ALAW[u & 0xFF];
    }

    /** A-law to mu-law in one table look-up; equal to {@code linearToUlaw(alawToLinear(a))}. */
    public static byte alawToUlaw(byte a) {
        return ALAW_TO_ULAW[a & 0xFF];
    }

    /**
     * {@code length} bytes of {@code buf} from {@code offset}, re-encoded from one codec to the other (a plain copy when
     * both are the same).
     */
    public static byte[] transcode(Codec from, Codec to, byte[] buf, int offset, int length) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        byte[] out = new byte[length];
        if (from == to) {
            System.arraycopy(buf, offset, out, 0, length);
            return out;
        }
        byte[] table = from == Codec.PCMU ? ULAW_TO_ALAW : ALAW_TO_ULAW;
        for (int i = 0; i < length; i++) {
            out[i] = table[buf[offset + i] & 0xFF];
        }
        return out;
    }

    /** {@code length} encoded bytes of {@code buf} from {@code offset}, decoded to linear samples. */
    public static short[] decode(Codec c, byte[] buf, int offset, int length) {
        Objects.requireNonNull(c, "codec");
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        short[] table = c == Codec.PCMU ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = table[buf[offset + i] & 0xFF];
        }
        return out;
    }

    /** The encoded byte for digital silence (linear 0) in the given codec. */
    public static byte silence(Codec c) {
        return encode(c, (short) 0);
    }

    private static short computeUlawToLinear(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        // mid-point of the quantisation interval in the biased 14-bit domain, then unbias and scale to 16 bits
        int magnitude14 = (((mantissa << 1) + ULAW_BIAS) << exponent) - ULAW_BIAS;
        int linear = magnitude14 << 2;
        return (short) ((u & 0x80) != 0 ? -linear : linear);
    }

    private static short computeAlawToLinear(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude13;
        if (exponent == 0) {
            magnitude13 = (mantissa << 1) + 1;
        } else {
            magnitude13 = (((mantissa | 0x10) << 1) + 1) << (exponent - 1);
        }
        int linear = magnitude13 << 3;
        return (short) ((a & 0x80) != 0 ? linear : -linear);
    }
}
