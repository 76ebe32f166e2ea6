package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void encodesZeroToTheItuSilenceCodes() {
        assertEquals((byte) 0xFF, G711.linearToUlaw((short) 0));
        assertEquals((byte) 0xD5, G711.linearToAlaw((short) 0));
        assertEquals((byte) 0xFF, G711.encode(Codec.PCMU, (short) 0));
        assertEquals((byte) 0xD5, G711.encode(Codec.PCMA, (short) 0));
    }

    @Test
    void decodesKnownItuCodeWords() {
        assertEquals(0, G711.ulawToLinear((byte) 0xFF));
        assertEquals(0, G711.ulawToLinear((byte) 0x7F));
        assertEquals(32124, G711.ulawToLinear((byte) 0x80));
        assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
        assertEquals(8, G711.alawToLinear((byte) 0xD5));
        assertEquals(-8, G711.alawToLinear((byte) 0x55));
        assertEquals(32256, G711.alawToLinear((byte) 0xAA));
        assertEquals(-32256, G711.alawToLinear((byte) 0x2A));
    }

    @Test
    void encodesKnownValuesAndSaturatesAtFullScale() {
        assertEquals((byte) 0xCE, G711.linearToUlaw((short) 1000));
        assertEquals((byte) 0x4E, G711.linearToUlaw((short) -1000));
        assertEquals((byte) 0x80, G711.linearToUlaw(Short.MAX_VALUE));
        assertEquals((byte) 0x00, G711.linearToUlaw(Short.MIN_VALUE));
        assertEquals((byte) 0xAA, G711.linearToAlaw(Short.MAX_VALUE));
        assertEquals((byte) 0x2A, G711.linearToAlaw(Short.MIN_VALUE));
    }

    @Test
    void roundTripErrorIsWithinTheQuantisationStepOverTheWholeRange() {
        for (Codec c : Codec.values()) {
            for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
                int decoded = G711.decode(c, G711.encode(c, (short) v));
                int err = Math.abs(decoded - v);
                if (Math.abs(v) <= 32000) {
                    assertTrue(err <= 16 + Math.abs(v) / 25, c + ": " + v + " decoded as " + decoded);
                } else {
                    assertTrue(err <= 900, c + ": " + v + " decoded as " + decoded);
                }
                assertTrue(decoded == 0 || Integer.signum(decoded) == Integer.signum(v) || Math.abs(v) <= 8,
                        c + ": sign flipped for " + v);
            }
        }
    }

    @Test
    void companderIsMonotonic() {
        for (Codec c : Codec.values()) {
            int previous = Integer.MIN_VALUE;
            for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v++) {
                int decoded = G711.decode(c, G711.encode(c, (short) v));
                assertTrue(decoded >= previous, c + " not monotonic at " + v);
                previous = decoded;
            }
        }
    }

    @Test
    void everyCodeWordSurvivesDecodeThenEncode() {
        for (Codec c : Codec.values()) {
            for (int code = 0; code < 256; code++) {
                short linear = G711.decode(c, (byte) code);
                byte again = G711.encode(c, linear);
                // mu-law has two zero codes (0xFF, 0x7F); both decode to 0 and re-encode as 0xFF
                if (c == Codec.PCMU && code == 0x7F) {
                    assertEquals((byte) 0xFF, again);
                } else {
                    assertEquals((byte) code, again, c + " code " + code);
                }
            }
        }
    }

    @Test
    void decodeTablesAgreeWithTheIndependentJavaxSoundDecoder() throws Exception {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        for (Codec c : Codec.values()) {
            AudioFormat.Encoding enc = c == Codec.PCMU ? AudioFormat.Encoding.ULAW : AudioFormat.Encoding.ALAW;
            AudioFormat g711 = new AudioFormat(enc, 8000, 8, 1, 1, 8000, false);
            AudioFormat pcm = new AudioFormat(8000, 16, 1, true, false);
            try (AudioInputStream in = AudioSystem.getAudioInputStream(pcm,
                    new AudioInputStream(new ByteArrayInputStream(codes), g711, codes.length))) {
                byte[] out = in.readAllBytes();
                for (int i = 0; i < 256; i++) {
                    short expected = (short) ((out[2 * i] & 0xFF) | (out[2 * i + 1] << 8));
                    assertEquals(expected, G711.decode(c, (byte) i), c + " code " + i);
                }
            }
        }
    }
}
