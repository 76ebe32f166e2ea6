package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavCodecTest {

    @Test
    void writesA44ByteHeaderFor8kHzMono16Bit() {
        byte[] wav = WavCodec.write(Audio.of(new short[] {1, -2, 3}));
        assertEquals(44 + 6, wav.length);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(36 + 6, b.getInt(4));
        assertEquals("WAVEfmt ", new String(wav, 8, 8, StandardCharsets.US_ASCII));
        assertEquals(16, b.getInt(16));
        assertEquals(1, b.getShort(20)); // PCM
        assertEquals(1, b.getShort(22)); // mono
        assertEquals(8000, b.getInt(24));
        assertEquals(16000, b.getInt(28));
        assertEquals(2, b.getShort(32));
        assertEquals(16, b.getShort(34));
        assertEquals("data", new String(wav, 36, 4, StandardCharsets.US_ASCII));
        assertEquals(6, b.getInt(40));
        assertEquals(-2, b.getShort(46));
    }

    @Test
    void writeThenReadIsLossless() {
        short[] pcm = Signals.sine(1000, 8000, 4000, 20000);
        pcm[7] = Short.MIN_VALUE;
        pcm[8] = Short.MAX_VALUE;
        Audio audio = Audio.of(pcm);
        assertEquals(audio, WavCodec.read(WavCodec.write(audio)));
        assertEquals(0, WavCodec.read(WavCodec.write(Audio.empty())).samples());
    }

    @Test
    void readsARealEspeakWavAt22050HzAndResamplesTo8kHz(@TempDir Path dir) throws Exception {
        assumeTrue(Signals.espeakAvailable(), "espeak-ng not installed");
        Path out = dir.resolve("speech.wav");
        Process p = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "160", "-w", out.toString(),
                "The quick brown fox jumps over the lazy dog").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor());
        byte[] bytes = Files.readAllBytes(out);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(22050, b.getInt(24), "espeak-ng is expected to write 22050 Hz");
        int sourceSamples = b.getInt(40) / 2;
        double expected = sourceSamples * 8000.0 / 22050;

        Audio audio = WavCodec.read(bytes);

        assertEquals(expected, audio.samples(), expected * 0.01);
        assertTrue(audio.durationMs() > 1000, "plausible speech duration: " + audio.durationMs());
        short[] src = new short[sourceSamples];
        b.position(44);
        b.asShortBuffer().get(src);
        double srcRms = Signals.rms(src, 0, src.length);
        assertTrue(audio.rms() > srcRms * 0.6 && audio.rms() < srcRms * 1.2,
                "level roughly preserved: " + audio.rms() + " vs " + srcRms);
    }

    @Test
    void resamplingKeepsInBandTonesAndRemovesFrequenciesAboveTheNewNyquist() {
        int rate = 44100;
        byte[] inBand = Signals.wav(1, 1, rate, 16, Signals.le16(Signals.sine(440, rate, rate, 16000)));
        Audio a = WavCodec.read(inBand);
        assertEquals(8000, a.samples(), 8);
        assertTrue(Signals.power(a, 440) > 1000 * Signals.power(a, 1000));
        assertEquals(16000 / Math.sqrt(2), a.rms(), 16000 / Math.sqrt(2) * 0.1);

        byte[] aboveNyquist = Signals.wav(1, 1, rate, 16, Signals.le16(Signals.sine(6000, rate, rate, 16000)));
        Audio b = WavCodec.read(aboveNyquist);
        short[] pcm = b.pcm();
        // skip the edges where the filter sees the start/end of the signal
        double residual = Signals.rms(pcm, 400, pcm.length - 400);
        assertTrue(residual < 16000 / Math.sqrt(2) * 0.05, "6 kHz should not alias into the band: rms " + residual);
    }

    @Test
    void upsamplesLowRateInput() {
        int rate = 4000;
        Audio a = WavCodec.read(Signals.wav(1, 1, rate, 16, Signals.le16(Signals.sine(300, rate, 2 * rate, 12000))));
        assertEquals(16000, a.samples(), 16);
        assertTrue(Signals.power(a, 300) > 100 * Signals.power(a, 1000));
    }

    @Test
    void mixesStereoDownToMono() {
        short[] interleaved = new short[2 * 800];
        for (int i = 0; i < 800; i++) {
            interleaved[2 * i] = 1000;
            interleaved[2 * i + 1] = 3000;
        }
        Audio constant = WavCodec.read(Signals.wav(1, 2, 8000, 16, Signals.le16(interleaved)));
        assertEquals(800, constant.samples());
        for (short s : constant.pcm()) {
            assertEquals(2000, s);
        }

        short[] left = Signals.sine(500, 8000, 800, 10000);
        for (int i = 0; i < 800; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = (short) -left[i];
        }
        Audio cancelled = WavCodec.read(Signals.wav(1, 2, 8000, 16, Signals.le16(interleaved)));
        assertTrue(cancelled.peak() <= 1, "opposite channels cancel: peak " + cancelled.peak());
    }

    @Test
    void readsStereo44kHzAsMono8kHz() {
        int rate = 44100;
        short[] tone = Signals.sine(700, rate, rate / 2, 12000);
        short[] interleaved = new short[tone.length * 2];
        for (int i = 0; i < tone.length; i++) {
            interleaved[2 * i] = tone[i];
            interleaved[2 * i + 1] = 0;
        }
        Audio a = WavCodec.read(Signals.wav(1, 2, rate, 16, Signals.le16(interleaved)));
        assertEquals(4000, a.samples(), 8);
        assertEquals(6000 / Math.sqrt(2), a.rms(), 6000 / Math.sqrt(2) * 0.1);
    }

    @Test
    void readsUnsigned8BitPcm() {
        byte[] data = new byte[400];
        Arrays.fill(data, (byte) (128 + 64));
        Audio a = WavCodec.read(Signals.wav(1, 1, 8000, 8, data));
        assertEquals(400, a.samples());
        assertEquals(64 * 256, a.pcm()[200], 256);
    }

    @Test
    void readsMuLawAndALawWavs() {
        short[] sine = Signals.sine(440, 8000, 800, 9000);
        for (Codec c : Codec.values()) {
            byte[] encoded = new byte[sine.length];
            for (int i = 0; i < sine.length; i++) {
                encoded[i] = G711.encode(c, sine[i]);
            }
            int formatTag = c == Codec.PCMU ? 7 : 6;
            Audio a = WavCodec.read(Signals.wav(formatTag, 1, 8000, 8, encoded));
            assertArrayEquals(Audio.decode(c, encoded).pcm(), a.pcm(), c.name);
        }
    }

    @Test
    void rejectsCorruptOrUnsupportedInputWithIllegalArgumentException() {
        byte[] random = new byte[2000];
        new Random(42).nextBytes(random);
        byte[] truncatedHeader = Arrays.copyOf(WavCodec.write(Audio.silence(100)), 20);
        byte[] mp3Tag = Signals.wav(0x55, 1, 8000, 0, new byte[100]);
        byte[] zeroChannels = Signals.wav(1, 0, 8000, 16, new byte[100]);
        byte[] riffNotWave = WavCodec.write(Audio.silence(10));
        riffNotWave[8] = 'A';
        for (byte[] bad : new byte[][] {null, new byte[0], random, truncatedHeader, mp3Tag, zeroChannels, riffNotWave}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WavCodec.read(bad));
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("wav"), e.getMessage());
        }
    }
}
