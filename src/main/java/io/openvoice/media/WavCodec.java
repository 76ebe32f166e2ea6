package io.openvoice.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** WAV file reading (any common PCM/G.711 WAV, normalised to {@link Audio}) and writing (8 kHz mono 16-bit). */
public final class WavCodec {

    private static final int MAX_CHANNELS = 8;
    private static final float MAX_RATE = 384_000f;
    /** Anti-alias low-pass cut-off applied before down-sampling to 8 kHz. */
    private static final double CUTOFF_HZ = 3500;
    private static final int FIR_TAPS_MIN = 31;

    /** Length of the header {@link #header} writes. */
    public static final int HEADER_BYTES = 44;

    /** Largest data chunk a RIFF file can describe (its sizes are unsigned 32-bit, the RIFF size counts 36 more). */
    public static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 36;

    /** Our own validation failures, passed through unchanged by {@link #read}. */
    private static final class BadWavException extends IllegalArgumentException {
        BadWavException(String message) {
            super(message);
        }
    }

    private WavCodec() {
    }

    /**
     * Any PCM 8/16-bit, mu-law or A-law WAV, any rate, mono or stereo -> 8 kHz mono Audio (javax.sound
     * conversion/resampling, mixdown stereo). Throws IllegalArgumentException with a clear message for
     * unsupported/corrupt input.
     */
    public static Audio read(byte[] wavBytes) {
        if (wavBytes == null || wavBytes.length == 0) {
            throw new BadWavException("WAV data is empty");
        }
        if (wavBytes.length < 12 || !ascii(wavBytes, 0, "RIFF") || !ascii(wavBytes, 8, "WAVE")) {
            throw new BadWavException("not a WAV file (missing RIFF/WAVE header)");
        }
        try (AudioInputStream source = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wavBytes))) {
            AudioFormat format = source.getFormat();
            int channels = format.getChannels();
            float rate = format.getSampleRate();
            if (channels < 1 || channels > MAX_CHANNELS) {
                throw new BadWavException("unsupported WAV channel count: " + channels);
            }
            if (!(rate >= 1000f && rate <= MAX_RATE)) {
                throw new BadWavException("unsupported WAV sample rate: " + rate);
            }
            AudioFormat pcm16 = new AudioFormat(rate, 16, channels, true, false);
            short[] interleaved;
            if (isPcm16(format)) {
                interleaved = toShorts(source.readAllBytes(), channels, format.isBigEndian());
            } else {
                if (!AudioSystem.isConversionSupported(pcm16, format)) {
                    throw new BadWavException("unsupported WAV encoding: " + describe(format));
                }
                try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm16, source)) {
                    interleaved = toShorts(converted.readAllBytes(), channels, false);
                }
            }
            short[] mono = mixdown(interleaved, channels);
            if (Math.round(rate) == Audio.RATE && Math.abs(rate - Audio.RATE) < 0.5f) {
                return Audio.wrap(mono);
            }
            return Audio.wrap(resample(mono, rate));
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalArgumentException("unsupported or corrupt WAV file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt or truncated WAV file: " + e, e);
        } catch (BadWavException e) {
            throw e;
        } catch (RuntimeException e) { // javax.sound parsers throw assorted runtime exceptions on garbage
            throw new IllegalArgumentException("unsupported or corrupt WAV file: " + e, e);
        }
    }

    /**
     * Mono signed 16-bit PCM at {@code rate} Hz (as a decoder of another format produces it) -> 8 kHz {@link Audio},
     * low-pass filtered first when down-sampling, like {@link #read}. The array is not modified or kept.
     *
     * @throws IllegalArgumentException for a rate outside 1..384 kHz, or audio longer than {@link Audio}'s bound
     */
    public static Audio fromPcm(short[] mono, float rate) {
        Objects.requireNonNull(mono, "mono");
        if (!(rate >= 1000f && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("unsupported sample rate: " + rate);
        }
        if (Math.round(rate) == Audio.RATE && Math.abs(rate - Audio.RATE) < 0.5f) {
            return Audio.of(mono);
        }
        try {
            return Audio.wrap(resample(mono, rate));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resample from " + rate + " Hz: " + e.getMessage(), e);
        }
    }

    /** 8 kHz mono 16-bit PCM WAV file bytes (44-byte RIFF header). */
    public static byte[] write(Audio audio) {
        Objects.requireNonNull(audio, "audio");
        int dataBytes = audio.samples() * 2;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(1, dataBytes));
        for (int i = 0, n = audio.samples(); i < n; i++) {
            b.putShort(audio.sample(i));
        }
        return b.array();
    }

    /**
     * The 44-byte RIFF/WAVE header of an 8 kHz 16-bit PCM file with {@code channels} interleaved channels (1 or 2)
     * and {@code dataBytes} bytes of samples after it. Streaming writers put it first with a size of 0 and
     * overwrite it with the final size when they close the file.
     */
    public static byte[] header(int channels, long dataBytes) {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("1 or 2 channels, got " + channels);
        }
        if (dataBytes < 0 || dataBytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("WAV data size out of range: " + dataBytes);
        }
        int blockAlign = 2 * channels;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'});
        b.putInt((int) (36 + dataBytes)); // unsigned 32-bit
        b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
        b.putInt(16); // fmt chunk size
        b.putShort((short) 1); // WAVE_FORMAT_PCM
        b.putShort((short) channels);
        b.putInt(Audio.RATE);
        b.putInt(Audio.RATE * blockAlign); // byte rate
        b.putShort((short) blockAlign);
        b.putShort((short) 16); // bits per sample
        b.put(new byte[] {'d', 'a', 't', 'a'});
        b.putInt((int) dataBytes); // unsigned 32-bit
        return b.array();
    }

    private static boolean isPcm16(AudioFormat f) {
        return AudioFormat.Encoding.PCM_SIGNED.equals(f.getEncoding()) && f.getSampleSizeInBits() == 16
                && f.getFrameSize() == 2 * f.getChannels();
    }

    private static short[] toShorts(byte[] bytes, int channels, boolean bigEndian) {
        int frames = bytes.length / (2 * channels); // drop a trailing partial frame of a truncated file
        short[] out = new short[Audio.checkedLength((long) frames * channels)];
        ByteBuffer.wrap(bytes).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer().get(out);
        return out;
    }

    private static short[] mixdown(short[] interleaved, int channels) {
        if (channels == 1) {
            return interleaved;
        }
        short[] mono = new short[interleaved.length / channels];
        for (int i = 0, j = 0; i < mono.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[j++];
            }
            mono[i] = (short) Math.round((double) sum / channels);
        }
        return mono;
    }

    /** Resamples mono 16-bit PCM at {@code rate} to 8 kHz with javax.sound, low-pass filtering first when decimating. */
    private static short[] resample(short[] mono, float rate) throws IOException {
        if (mono.length == 0) {
            return mono;
        }
        short[] input = rate > Audio.RATE ? lowPass(mono, rate, CUTOFF_HZ) : mono;
        byte[] bytes = new byte[input.length * 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(input);
        AudioFormat from = new AudioFormat(rate, 16, 1, true, false);
        AudioFormat to = new AudioFormat(Audio.RATE, 16, 1, true, false);
        if (!AudioSystem.isConversionSupported(to, from)) {
            throw new BadWavException("cannot resample WAV from " + rate + " Hz to " + Audio.RATE + " Hz");
        }
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes), from, input.length);
                AudioInputStream out = AudioSystem.getAudioInputStream(to, in)) {
            short[] resampled = toShorts(out.readAllBytes(), 1, false);
            // the converter may emit a few extra samples of filter tail; trim to the exact expected length
            long expected = Math.round(input.length * (double) Audio.RATE / rate);
            if (resampled.length > expected) {
                short[] trimmed = new short[(int) expected];
                System.arraycopy(resampled, 0, trimmed, 0, trimmed.length);
                return trimmed;
            }
            return resampled;
        }
    }

    /** Windowed-sinc (Hamming) FIR low-pass, zero phase (symmetric kernel centred on each sample). */
    static short[] lowPass(short[] x, float rate, double cutoffHz) {
        double fc = cutoffHz / rate; // normalised cut-off, cycles per sample
        if (fc >= 0.5) {
            return x;
        }
        int half = Math.max(FIR_TAPS_MIN / 2, (int) Math.ceil(4.0 / fc)); // transition band ~0.4 * cutoff
        int taps = 2 * half + 1;
        double[] h = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            int n = i - half;
            double sinc = n == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * n) / (Math.PI * n);
            double window = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (taps - 1));
            h[i] = sinc * window;
            sum += h[i];
        }
        for (int i = 0; i < taps; i++) {
            h[i] /= sum; // unity gain at DC
        }
        short[] y = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            double acc = 0;
            int lo = Math.max(0, i - half);
            int hi = Math.min(x.length - 1, i + half);
            for (int k = lo; k <= hi; k++) {
                acc += x[k] * h[k - i + half];
            }
            y[i] = Audio.clip(Math.round(acc));
        }
        return y;
    }

    private static boolean ascii(byte[] b, int offset, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(AudioFormat f) {
        return f.getEncoding() + " " + f.getSampleSizeInBits() + "-bit " + f.getChannels() + "ch " + f.getSampleRate() + " Hz";
    }
}
