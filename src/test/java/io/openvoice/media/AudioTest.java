package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AudioTest {

    @Test
    void oneSecondMakesFiftyFramesOf160Bytes() {
        List<byte[]> frames = Audio.silence(1000).frames(Codec.PCMU);
        assertEquals(50, frames.size());
        for (byte[] f : frames) {
            assertEquals(160, f.length);
        }
    }

    @Test
    void thirtyMillisecondsMakeTwoFramesWithTheLastPaddedWithEncodedSilence() {
        short[] loud = new short[240];
        java.util.Arrays.fill(loud, (short) 12000);
        for (Codec c : Codec.values()) {
            List<byte[]> frames = Audio.of(loud).frames(c);
            assertEquals(2, frames.size());
            byte encodedLoud = G711.encode(c, (short) 12000);
            byte silence = G711.encode(c, (short) 0);
            for (int i = 0; i < 160; i++) {
                assertEquals(encodedLoud, frames.get(0)[i]);
                assertEquals(i < 80 ? encodedLoud : silence, frames.get(1)[i], c + " byte " + i);
            }
        }
        assertEquals((byte) 0xFF, Audio.of(new short[1]).frames(Codec.PCMU).get(0)[159]);
        assertEquals((byte) 0xD5, Audio.of(new short[1]).frames(Codec.PCMA).get(0)[159]);
    }

    @Test
    void emptyAudioHasNoFrames() {
        assertTrue(Audio.of(new short[0]).frames(Codec.PCMA).isEmpty());
        assertTrue(Audio.silence(0).frames(Codec.PCMU).isEmpty());
    }

    @Test
    void decodeInvertsFramesWithinG711Precision() {
        short[] sine = Signals.sine(440, Audio.RATE, 320, 10000);
        for (Codec c : Codec.values()) {
            List<byte[]> frames = Audio.of(sine).frames(c);
            byte[] payload = new byte[320];
            System.arraycopy(frames.get(0), 0, payload, 0, 160);
            System.arraycopy(frames.get(1), 0, payload, 160, 160);
            short[] back = Audio.decode(c, payload).pcm();
            assertEquals(320, back.length);
            for (int i = 0; i < back.length; i++) {
                assertTrue(Math.abs(back[i] - sine[i]) <= 16 + Math.abs(sine[i]) / 25, "sample " + i);
            }
        }
    }

    @Test
    void isImmutable() {
        short[] src = {1, 2, 3};
        Audio a = Audio.of(src);
        src[0] = 99;
        assertEquals(1, a.pcm()[0]);
        a.pcm()[1] = 99;
        assertEquals(2, a.pcm()[1]);
    }

    @Test
    void silenceConcatAndRepeatHaveTheExpectedDurations() {
        Audio s = Audio.silence(250);
        assertEquals(2000, s.samples());
        assertEquals(250, s.durationMs());
        assertEquals(750, s.concat(Audio.silence(500)).durationMs());
        assertEquals(1000, s.repeat(4).durationMs());
        assertEquals(0, s.repeat(0).samples());
        Audio abc = Audio.of(new short[] {1, 2, 3});
        assertArrayEquals(new short[] {1, 2, 3, 1, 2, 3}, abc.repeat(2).pcm());
        assertArrayEquals(new short[] {1, 2, 3, 4}, abc.concat(Audio.of(new short[] {4})).pcm());
        assertSame(abc, abc.concat(Audio.empty()));
        assertThrows(IllegalArgumentException.class, () -> Audio.silence(-1));
        assertThrows(IllegalArgumentException.class, () -> abc.repeat(-1));
    }

    /**
     * An endless prompt loops for five minutes: 300 loops of a one-second clip. The repeated clip behaves exactly like
     * its loops written out (samples, frames, slices, gain, equality) without holding them: its frames are encoded
     * as they are read.
     */
    @Test
    void aRepeatedClipIsTheSameAudioAsItsLoopsWrittenOutFrameForFrame() {
        short[] once = new short[8000 + 37]; // not a whole number of frames: frames straddle the loops
        for (int i = 0; i < once.length; i++) once[i] = (short) ((i * 7919) % 20000 - 10000);
        Audio clip = Audio.of(once);
        Audio looped = clip.repeat(300);
        short[] flat = new short[once.length * 300];
        for (int i = 0; i < 300; i++) System.arraycopy(once, 0, flat, i * once.length, once.length);
        Audio written = Audio.of(flat);
        assertEquals(written.samples(), looped.samples());
        assertEquals(written.durationMs(), looped.durationMs());
        assertEquals(written, looped);
        assertEquals(written.hashCode(), looped.hashCode());
        for (Codec codec : Codec.values()) {
            java.util.List<byte[]> a = written.frames(codec);
            java.util.List<byte[]> b = looped.frames(codec);
            assertEquals(a.size(), b.size());
            for (int f = 0; f < a.size(); f++) assertArrayEquals(a.get(f), b.get(f), codec + " frame " + f);
        }
        assertEquals(written.sample(once.length * 299 + 5), looped.sample(once.length * 299 + 5));
        assertEquals(written.slice(7990, 16100), looped.slice(7990, 16100));
        assertEquals(written.gain(-6), looped.gain(-6));
        assertEquals(written.repeat(2), looped.repeat(2));
        assertArrayEquals(flat, looped.pcm());
        assertThrows(IndexOutOfBoundsException.class, () -> looped.sample(flat.length));
    }

    @Test
    void aClipShorterThanAFrameRepeatsIntoFramesThatSpanSeveralLoops() {
        short[] once = {1000, -2000, 3000, -4000, 5000, 32767, -32768};
        short[] flat = new short[once.length * 100];
        for (int i = 0; i < 100; i++) System.arraycopy(once, 0, flat, i * once.length, once.length);
        for (Codec codec : Codec.values()) {
            java.util.List<byte[]> a = Audio.of(flat).frames(codec);
            java.util.List<byte[]> b = Audio.of(once).repeat(100).frames(codec);
            assertEquals(a.size(), b.size());
            for (int f = 0; f < a.size(); f++) assertArrayEquals(a.get(f), b.get(f), codec + " frame " + f);
        }
    }

    @Test
    void anAudioIsEncodedOncePerCodecHoweverManyCallsPlayIt() {
        Audio prompt = Audio.silence(1000);
        assertSame(prompt.frames(Codec.PCMU), prompt.frames(Codec.PCMU), "kept with the audio");
        assertSame(prompt.frames(Codec.PCMA), prompt.frames(Codec.PCMA));
        assertNotSame(prompt.frames(Codec.PCMU), prompt.frames(Codec.PCMA));
        assertEquals((byte) 0xFF, prompt.frames(Codec.PCMU).get(0)[0]);
        assertEquals((byte) 0xD5, prompt.frames(Codec.PCMA).get(0)[0]);
    }

    @Test
    void gainScalesAndSaturates() {
        Audio a = Audio.of(new short[] {1000, -1000, 30000});
        short[] quieter = a.gain(-20).pcm();
        assertEquals(100, quieter[0]);
        assertEquals(-100, quieter[1]);
        assertEquals(Short.MAX_VALUE, a.gain(6).pcm()[2]);
    }
}
