package io.openvoice.media.source;

import io.openvoice.media.Audio;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test audio: the committed MP3 fixtures (see the README beside them) and WAVs built here. */
final class Fixtures {
  private Fixtures() {
  }

  /** 2.0 s, 44.1 kHz, joint stereo (440 Hz left, 660 Hz right), 64 kbit/s, with an ID3v2 tag and an Info frame. */
  static byte[] stereoMp3() {
    return resource("tone-440-660hz-2s-44k1-stereo.mp3");
  }

  /** 1.0 s, 8 kHz mono 440 Hz, MPEG-2.5 Layer III at 16 kbit/s. */
  static byte[] monoMp3() {
    return resource("tone-440hz-1s-8k-mono.mp3");
  }

  private static byte[] resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing test resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 16 kHz stereo 16-bit WAV of {@code millis} ms: 500 Hz on the left, 700 Hz on the right. */
  static byte[] wav16kStereo(int millis) {
    int frames = 16 * millis;
    short[] left = sine(500, 16000, frames, 6000);
    short[] right = sine(700, 16000, frames, 6000);
    ByteBuffer data = ByteBuffer.allocate(frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) data.putShort(left[i]).putShort(right[i]);
    return wav(1, 2, 16000, 16, data.array());
  }

  /** A canonical 44-byte-header WAV with the given format fields and raw data bytes. */
  static byte[] wav(int formatTag, int channels, int rate, int bitsPerSample, byte[] data) {
    int blockAlign = channels * bitsPerSample / 8;
    ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length);
    b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) formatTag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign);
    b.putShort((short) blockAlign).putShort((short) bitsPerSample);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    return b.array();
  }

  static short[] sine(double freqHz, double rate, int samples, double amplitude) {
    short[] out = new short[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freqHz * i / rate));
    }
    return out;
  }

  /** Goertzel power of {@code freqHz} in {@code a}; a full-length sine of amplitude A gives about A^2/4. */
  static double power(Audio a, double freqHz) {
    int n = a.samples();
    double coeff = 2 * Math.cos(2 * Math.PI * freqHz / Audio.RATE);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s0 = a.sample(i) + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) n * n);
  }
}
