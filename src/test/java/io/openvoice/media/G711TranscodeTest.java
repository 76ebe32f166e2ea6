package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

class G711TranscodeTest {

    @Test
    void directTablesEqualTheRoundTripThroughLinearForEveryCode() {
        for (int i = 0; i < 256; i++) {
            byte b = (byte) i;
            assertEquals(G711.linearToAlaw(G711.ulawToLinear(b)), G711.ulawToAlaw(b), "mu-law code " + i);
            assertEquals(G711.linearToUlaw(G711.alawToLinear(b)), G711.alawToUlaw(b), "A-law code " + i);
        }
    }

    @Test
    void transcodeConvertsTheSliceAndCopiesWhenTheCodecsAgree() {
        byte[] buf = new byte[260];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (byte) i;
        }
        byte[] toAlaw = G711.transcode(Codec.PCMU, Codec.PCMA, buf, 4, 256);
        byte[] toUlaw = G711.transcode(Codec.PCMA, Codec.PCMU, buf, 4, 256);
        for (int i = 0; i < 256; i++) {
            assertEquals(G711.ulawToAlaw(buf[4 + i]), toAlaw[i]);
            assertEquals(G711.alawToUlaw(buf[4 + i]), toUlaw[i]);
        }
        byte[] copy = G711.transcode(Codec.PCMA, Codec.PCMA, buf, 0, buf.length);
        assertArrayEquals(buf, copy);
        assertNotSame(buf, copy);
    }

    @Test
    void muLawSilenceBecomesALawSilenceAndBackNearZero() {
        assertEquals(G711.silence(Codec.PCMA), G711.ulawToAlaw(G711.silence(Codec.PCMU)));
        // A-law has no code for 0: its silence decodes to +8, the nearest mu-law code
        assertEquals(8, Math.abs(G711.ulawToLinear(G711.alawToUlaw(G711.silence(Codec.PCMA)))));
    }

    @Test
    void decodingASliceMatchesDecodingEachByte() {
        byte[] buf = {1, 2, 3, (byte) 0x80, (byte) 0xFF, 0x55};
        for (Codec c : Codec.values()) {
            short[] pcm = G711.decode(c, buf, 1, 4);
            assertEquals(4, pcm.length);
            for (int i = 0; i < 4; i++) {
                assertEquals(G711.decode(c, buf[1 + i]), pcm[i]);
            }
        }
    }
}
