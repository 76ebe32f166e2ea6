package io.openvoice.media;

import java.util.Objects;

/** Synthesised call-progress tones and DTMF. */
public final class Tones {

    /** Longest tone we will synthesise in one call (all loops together). */
    static final long MAX_TOTAL_MS = 60L * 60 * 1000;
    /** Length of the linear fade at each end of an on-period, to avoid clicks. */
    private static final int RAMP_SAMPLES = 16; // 2 ms

    private static final int[] DTMF_ROWS = {697, 770, 852, 941};
    private static final int[] DTMF_COLS = {1209, 1336, 1477, 1633};
    private static final String DTMF_KEYS = "123A456B789C*0#D";

    private Tones() {
    }

    /**
     * Sum of sine waves at freqsHz (1..4 freqs, each 20..4000 Hz), on for onMs then off (silence) for offMs,
     * repeated loops times (loops>=1); volumeDb 0 = full scale-ish (-3 dBFS per tone share), negative quieter.
     * Positive volumes are treated as 0 dB. The result lasts {@code loops * (onMs + offMs)} ms.
     */
    public static Audio tone(int[] freqsHz, int onMs, int offMs, int loops, double volumeDb) {
        Objects.requireNonNull(freqsHz, "freqsHz");
        if (freqsHz.length < 1 || freqsHz.length > 4) {
            throw new IllegalArgumentException("1..4 frequencies required, got " + freqsHz.length);
        }
        for (int f : freqsHz) {
            if (f < 20 || f > 4000) {
                throw new IllegalArgumentException("tone frequency must be 20..4000 Hz, got " + f);
            }
        }
        if (onMs <= 0) {
            throw new IllegalArgumentException("on duration must be > 0 ms, got " + onMs);
        }
        if (offMs < 0) {
            throw new IllegalArgumentException("off duration must be >= 0 ms, got " + offMs);
        }
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be >= 1, got " + loops);
        }
        if (Double.isNaN(volumeDb)) {
            throw new IllegalArgumentException("volume must be a number");
        }
        long totalMs = (long) loops * ((long) onMs + offMs);
        if (totalMs > MAX_TOTAL_MS) {
            throw new IllegalArgumentException("tone too long: " + totalMs + " ms (max " + MAX_TOTAL_MS + ")");
        }

        int onSamples = onMs * Audio.RATE / 1000;
        int offSamples = (int) ((long) offMs * Audio.RATE / 1000);
        double amplitude = 32767.0 * Math.pow(10, (Math.min(0, volumeDb) - 3) / 20) / freqsHz.length;

        short[] period = new short[onSamples + offSamples];
        int ramp = Math.min(RAMP_SAMPLES, onSamples / 4);
        for (int n = 0; n < onSamples; n++) {
            double v = 0;
            for (int f : freqsHz) {
                v += Math.sin(2 * Math.PI * f * n / Audio.RATE);
            }
            double envelope = 1;
            if (ramp > 0 && n < ramp) {
                envelope = (double) n / ramp;
            } else if (ramp > 0 && n >= onSamples - ramp) {
                envelope = (double) (onSamples - 1 - n) / ramp;
            }
            period[n] = Audio.clip(Math.round(v * amplitude * envelope));
        }
        return Audio.wrap(period).repeat(loops);
    }

    /** A single continuous tone at one frequency (convenience). */
    public static Audio tone(int freqHz, int durationMs, double volumeDb) {
        return tone(new int[] {freqHz}, durationMs, 0, 1, volumeDb);
    }

    /** DTMF digit as the two standard frequencies for durationMs. */
    public static Audio dtmf(char digit, int durationMs) {
        int[] f = dtmfFrequencies(digit);
        return tone(f, durationMs, 0, 1, -3);
    }

    /** The {low, high} frequency pair of a DTMF key (0-9, *, #, A-D, case-insensitive). */
    public static int[] dtmfFrequencies(char digit) {
        int idx = DTMF_KEYS.indexOf(Character.toUpperCase(digit));
        if (idx < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "'");
        }
        return new int[] {DTMF_ROWS[idx / 4], DTMF_COLS[idx % 4]};
    }
}
