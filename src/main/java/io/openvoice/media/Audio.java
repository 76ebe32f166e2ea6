package io.openvoice.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Immutable 8 kHz mono signed 16-bit PCM audio. A repeated clip ({@link #repeat}) keeps one copy of its samples and
 * a count: a prompt looped for minutes (an endless Say or Play plays up to five) costs the memory of one loop, and
 * its frames are encoded as they are sent.
 */
public final class Audio {

    public static final int RATE = 8000;
    /** Samples in one 20 ms packetisation frame. */
    public static final int FRAME_SAMPLES = 160; // 20 ms

    /** Upper bound on a single clip, to turn runaway requests into errors instead of OutOfMemoryError. */
    static final long MAX_SAMPLES = (long) RATE * 60 * 60 * 4; // 4 hours

    private static final Audio EMPTY = new Audio(new short[0]);

    /** One loop of the audio. */
    private final short[] samples;
    /** How many times {@link #samples} plays back to back (at least 1). */
    private final int times;
    /*
     * Per codec, filled on first use (volatile: safely published to the other pacing threads): the frames of one
     * loop. Fields rather than arrays: most Audio objects (decoded packets, recordings) are never encoded and should
     * cost nothing more.
     */
    /** The audio whose samples this one repeats (it keeps the encoded loop for every repeat of it); null: itself. */
    private final Audio loopOf;
    private volatile List<byte[]> pcmuFrames;
    private volatile List<byte[]> pcmaFrames;

    private Audio(short[] samples) {
        this(samples, 1);
    }

    private Audio(short[] samples, int times) {
        this(samples, times, null);
    }

    private Audio(short[] samples, int times, Audio loopOf) {
        this.samples = samples;
        this.times = times;
        this.loopOf = loopOf;
    }

    /** The samples as one array: the loop itself when it plays once (do not modify), else a copy of every loop. */
    private short[] flat() {
        if (times == 1) {
            return samples;
        }
        short[] out = new short[samples.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(samples, 0, out, i * samples.length, samples.length);
        }
        return out;
    }

    /** Wraps a copy of the given samples. */
    public static Audio of(short[] samples) {
        Objects.requireNonNull(samples, "samples");
        return samples.length == 0 ? EMPTY : new Audio(samples.clone());
    }

    /** Takes ownership of the array; callers inside the package must not modify it afterwards. */
    static Audio wrap(short[] samples) {
        return samples.length == 0 ? EMPTY : new Audio(samples);
    }

    public static Audio empty() {
        return EMPTY;
    }

    public static Audio silence(int millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("silence duration must be >= 0 ms, got " + millis);
        }
        return wrap(new short[checkedLength((long) millis * RATE / 1000)]);
    }

    public int samples() {
        return samples.length * times;
    }

    /** Duration in whole milliseconds (rounded down). */
    public int durationMs() {
        return (int) ((long) samples() * 1000 / RATE);
    }

    public boolean isEmpty() {
        return samples.length == 0;
    }

    /** A copy of the samples. */
    public short[] pcm() {
        return times == 1 ? samples.clone() : flat();
    }

    /** The sample at index {@code i}. */
    public short sample(int i) {
        Objects.checkIndex(i, samples());
        return samples[i % samples.length];
    }

    public Audio concat(Audio other) {
        Objects.requireNonNull(other, "other");
        if (other.samples.length == 0) {
            return this;
        }
        if (samples.length == 0) {
            return other;
        }
        short[] a = flat();
        short[] b = other.flat();
        short[] out = new short[checkedLength((long) a.length + b.length)];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return new Audio(out);
    }

    /** This audio played {@code times} times back to back; 0 gives empty audio. */
    public Audio repeat(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("repeat count must be >= 0, got " + times);
        }
        if (times == 0 || samples.length == 0) {
            return EMPTY;
        }
        if (times == 1) {
            return this;
        }
        checkedLength((long) samples() * times);
        return new Audio(samples, this.times * times, loopOf != null ? loopOf : this);
    }

    /** Samples {@code [from, to)}. */
    public Audio slice(int from, int to) {
        Objects.checkFromToIndex(from, to, samples());
        if (from == 0 && to == samples()) {
            return this;
        }
        if (times == 1) {
            return wrap(Arrays.copyOfRange(samples, from, to));
        }
        short[] out = new short[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = samples[i % samples.length];
        }
        return wrap(out);
    }

    /** Scaled by {@code db} decibels (negative is quieter), saturating at full scale. */
    public Audio gain(double db) {
        if (Double.isNaN(db)) {
            throw new IllegalArgumentException("gain must be a number");
        }
        double factor = Math.pow(10, db / 20);
        short[] out = new short[samples.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(Math.round(samples[i] * factor));
        }
        return out.length == 0 ? EMPTY : new Audio(out, times);
    }

    /** Root-mean-square level (0..32768); a repeated clip's is its loop's. */
    public double rms() {
        if (samples.length == 0) {
            return 0;
        }
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / samples.length);
    }

    /** Largest absolute sample value. */
    public int peak() {
        int peak = 0;
        for (short s : samples) {
            peak = Math.max(peak, Math.abs((int) s));
        }
        return peak;
    }

    /**
     * 20 ms G.711 frames of 160 bytes each (callers must not modify them); the last one padded with encoded silence.
     * Empty audio: no frames. The audio is encoded once per codec and kept with it, so a prompt cached for many calls
     * ({@code PromptCache}, the TTS cache) is encoded once, not per call; a repeat of it ({@link #repeat}) cuts its
     * frames from those of the loop when they are read.
     */
    public List<byte[]> frames(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        if (times == 1) {
            return loopFrames(codec);
        }
        List<byte[]> loop = (loopOf != null ? loopOf : this).loopFrames(codec);
        int loopLength = samples.length;
        int total = samples();
        int count = (total + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        byte silence = G711.silence(codec);
        return new java.util.AbstractList<>() {
            @Override
            public byte[] get(int f) {
                Objects.checkIndex(f, count);
                byte[] frame = new byte[FRAME_SAMPLES];
                int base = f * FRAME_SAMPLES;
                int n = Math.min(FRAME_SAMPLES, total - base);
                int at = (int) ((long) base % loopLength);
                for (int done = 0; done < n; ) { // runs within one frame of one loop; a frame may span loops
                    int within = at % FRAME_SAMPLES;
                    int run = Math.min(n - done, Math.min(FRAME_SAMPLES - within, loopLength - at));
                    System.arraycopy(loop.get(at / FRAME_SAMPLES), within, frame, done, run);
                    done += run;
                    at += run;
                    if (at == loopLength) at = 0;
                }
                if (n < FRAME_SAMPLES) {
                    Arrays.fill(frame, n, FRAME_SAMPLES, silence);
                }
                return frame;
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The frames of one loop of the samples, encoded once per codec and kept. */
    private List<byte[]> loopFrames(Codec codec) {
        List<byte[]> cached = codec == Codec.PCMU ? pcmuFrames : pcmaFrames;
        if (cached == null) {
            byte[] encoded = new byte[samples.length];
            for (int k = 0; k < samples.length; k++) {
                encoded[k] = G711.encode(codec, samples[k]);
            }
            cached = cut(encoded, G711.silence(codec));
            // a race encodes twice, with equal results: no lock needed
            if (codec == Codec.PCMU) pcmuFrames = cached; else pcmaFrames = cached;
        }
        return cached;
    }

    /** Encoded bytes cut into 160-byte frames, the last padded with {@code silence}. */
    private static List<byte[]> cut(byte[] encoded, byte silence) {
        int count = (encoded.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        List<byte[]> frames = new ArrayList<>(count);
        for (int f = 0; f < count; f++) {
            int base = f * FRAME_SAMPLES;
            int n = Math.min(FRAME_SAMPLES, encoded.length - base);
            byte[] frame = Arrays.copyOfRange(encoded, base, base + FRAME_SAMPLES);
            if (n < FRAME_SAMPLES) {
                Arrays.fill(frame, n, FRAME_SAMPLES, silence);
            }
            frames.add(frame);
        }
        return Collections.unmodifiableList(frames);
    }

    /** Decoded from G.711 payload bytes. */
    public static Audio decode(Codec codec, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        return decode(codec, payload, 0, payload.length);
    }

    /** Decoded from {@code length} G.711 bytes of {@code buf} starting at {@code offset}. */
    public static Audio decode(Codec codec, byte[] buf, int offset, int length) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(buf, "buf");
        Objects.checkFromIndexSize(offset, length, buf.length);
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = G711.decode(codec, buf[offset + i]);
        }
        return wrap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && a.samples() == samples()
            && (a.times == times ? Arrays.equals(samples, a.samples) : Arrays.equals(flat(), a.flat()));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(flat());
    }

    @Override
    public String toString() {
        return "Audio[" + samples() + " samples, " + durationMs() + " ms" + (times > 1 ? ", " + times + " loops" : "") + "]";
    }

    static short clip(long v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    static int checkedLength(long samples) {
        if (samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("audio too long: " + samples + " samples (max " + MAX_SAMPLES + ")");
        }
        return (int) samples;
    }
}
