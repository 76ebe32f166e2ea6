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

    private Audio(short[] samples) {
        this(samples, 1);
    }

    private Audio(short[] samples, int times) {
        this.samples = samples;
        this.times = times;
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
        return new Audio(samples, this.times * times);
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
     * 20 ms G.711 frames of 160 bytes each; the last one padded with encoded silence. Empty audio: no frames. A
     * repeated clip's frames are encoded when read (each read encodes that frame anew).
     */
    public List<byte[]> frames(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        if (times > 1) {
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
                    for (int i = 0; i < n; i++) {
                        frame[i] = G711.encode(codec, samples[(base + i) % samples.length]);
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
        int count = (samples.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
        List<byte[]> frames = new ArrayList<>(count);
        byte silence = G711.silence(codec);
        for (int f = 0; f < count; f++) {
            byte[] frame = new byte[FRAME_SAMPLES];
            int base = f * FRAME_SAMPLES;
            int n = Math.min(FRAME_SAMPLES, samples.length - base);
            for (int i = 0; i < n; i++) {
                frame[i] = G711.encode(codec, samples[base + i]);
            }
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
