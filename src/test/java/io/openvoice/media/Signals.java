package io.openvoice.media;

/** Test helpers: signal synthesis and single-bin spectral analysis. */
final class Signals {
    private Signals() {
    }

    /**
     * Goertzel power of {@code freqHz} over samples [from, to), normalised so that a full-length sine of
     * amplitude A gives roughly A^2/4.
     */
    static double power(short[] x, int from, int to, double freqHz, double rate) {
        int n = to - from;
        double w = 2 * Math.PI * freqHz / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = x[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return p / ((double) n * n);
    }

    static double power(Audio a, double freqHz) {
        short[] pcm = a.pcm();
        return power(pcm, 0, pcm.length, freqHz, Audio.RATE);
    }

    static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }

    static short[] sine(double freqHz, double rate, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freqHz * i / rate));
        }
        return out;
    }

    /** A canonical 44-byte-header WAV with arbitrary format fields and raw data bytes. */
    static byte[] wav(int formatTag, int channels, int rate, int bitsPerSample, byte[] data) {
        int blockAlign = channels * bitsPerSample / 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + data.length);
        b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) formatTag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign);
        b.putShort((short) blockAlign).putShort((short) bitsPerSample);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return b.array();
    }

    static byte[] le16(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    static boolean espeakAvailable() {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
