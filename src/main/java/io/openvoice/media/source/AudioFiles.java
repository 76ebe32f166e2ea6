package io.openvoice.media.source;

import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * Audio files (WAV and MP3) to the platform's {@link Audio} (8 kHz mono 16-bit PCM).
 *
 * <p>The format is recognised from the bytes, never from a URL suffix or a Content-Type: {@code RIFF....WAVE} is WAV
 * (read by {@link WavCodec}: PCM 8/16-bit, µ-law, A-law, any rate, mono or stereo); an {@code ID3} tag or an MPEG
 * audio frame header at the start is MP3 (MPEG-1, -2 and -2.5, layers I-III, any bitrate, CBR or VBR). Anything
 * else is refused with an {@link AudioDecodeException} before any decoder sees it.
 *
 * <p><b>MP3 decoder.</b> JLayer ({@code javazoom:jlayer:1.0.1}, LGPL-2.1, used unmodified as a library), a pure-Java
 * decoder from Maven Central that runs unchanged on Java 17. It was chosen over running Debian's {@code mpg123} or
 * {@code ffmpeg} as a process because it needs nothing installed on the node, costs no process start per file, and
 * decoding a prompt is done once per URL anyway (the result is cached). Its output is mixed down to mono and
 * resampled to 8 kHz with the same low-pass filter as WAV files. The Xing/Info header frame that encoders put first
 * carries no audio and is skipped; the encoder's start delay and end padding (a few tens of milliseconds of silence)
 * are kept.
 *
 * <p><b>Hostile input.</b> Decoding only ever reads the given array, so it always ends. The decoded duration is
 * bounded ({@code maxDuration}; a WAV is checked from its header before decoding, an MP3 while decoding), which
 * bounds memory. A file without a single decodable frame, a WAV the JDK cannot read, or an MP3 in which corrupt
 * frames outnumber good ones fails with an {@link AudioDecodeException} whose message says why. A damaged tail after
 * good MP3 frames is dropped, as players do. An interrupted decoding thread stops with an exception.
 *
 * <p>Decoding is CPU work of up to a few seconds for a long file: never call {@link #decode} on an actor or
 * dispatcher thread; {@link #decodeAsync} runs it on the executor given.
 */
public final class AudioFiles {

  /** Formats recognised by {@link #sniff}. */
  public enum Format { WAV, MP3 }

  /** The longest clip decoded by default: 10 minutes, 9.6 MB of decoded audio. */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);

  /** Corrupt MP3 frames tolerated beyond the number of good ones before the file is refused. */
  private static final int MAX_EXTRA_BAD_FRAMES = 8;

  private AudioFiles() {
  }

  /** The format of {@code bytes} judged from their first bytes, or null when they are neither WAV nor MP3. */
  public static Format sniff(byte[] bytes) {
    if (bytes == null || bytes.length < 4) return null;
    if (bytes.length >= 12 && ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return Format.WAV;
    if (bytes.length >= 10 && ascii(bytes, 0, "ID3")) return Format.MP3;
    return isMpegAudioHeader(bytes, 0) ? Format.MP3 : null;
  }

  /**
   * Decodes a WAV or MP3 file on the calling thread (blocking CPU work).
   *
   * @param maxDuration the longest audio accepted
   * @throws AudioDecodeException when the bytes are not a playable WAV or MP3, or decode to more than
   *     {@code maxDuration}
   */
  public static Audio decode(byte[] bytes, Duration maxDuration) {
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("maxDuration must be positive: " + maxDuration);
    }
    if (bytes == null || bytes.length == 0) throw new AudioDecodeException("the audio file is empty");
    Format format = sniff(bytes);
    if (format == null) {
      throw new AudioDecodeException("not a WAV or MP3 file (" + bytes.length + " bytes starting with "
          + hex(bytes, 8) + ")");
    }
    long maxMillis = maxDuration.toMillis();
    Audio audio = format == Format.WAV ? decodeWav(bytes, maxMillis) : decodeMp3(bytes, maxMillis);
    if ((long) audio.samples() * 1000 > maxMillis * Audio.RATE) {
      throw tooLong(format, audio.durationMs(), maxMillis);
    }
    return audio;
  }

  /** {@link #decode} run on {@code executor}; the future fails with the {@link AudioDecodeException}. */
  public static CompletableFuture<Audio> decodeAsync(byte[] bytes, Duration maxDuration, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return CompletableFuture.supplyAsync(() -> decode(bytes, maxDuration), executor);
  }

  // ---- WAV ----

  private static Audio decodeWav(byte[] bytes, long maxMillis) {
    long headerMillis = wavDurationMillis(bytes);
    if (headerMillis > maxMillis) throw tooLong(Format.WAV, headerMillis, maxMillis);
    try {
      return WavCodec.read(bytes);
    } catch (IllegalArgumentException e) {
      throw new AudioDecodeException(e.getMessage(), e);
    }
  }

  /**
   * The duration the WAV header promises (data chunk bytes, cut to what is present, over bytes per second), or -1
   * when the header is too broken to say: {@link WavCodec} then reports what is wrong.
   */
  static long wavDurationMillis(byte[] b) {
    int rate = 0;
    int blockAlign = 0;
    long pos = 12;
    while (pos + 8 <= b.length) {
      int p = (int) pos;
      long size = u32(b, p + 4);
      int body = p + 8;
      if (ascii(b, p, "fmt ") && size >= 16 && body + 16 <= b.length) {
        rate = (int) u32(b, body + 4);
        blockAlign = (b[body + 12] & 0xff) | (b[body + 13] & 0xff) << 8;
      } else if (ascii(b, p, "data")) {
        if (rate <= 0 || blockAlign <= 0) return -1;
        long data = Math.min(size, b.length - (long) body);
        return data / blockAlign * 1000 / rate;
      }
      pos = body + size + (size & 1);
    }
    return -1;
  }

  // ---- MP3 ----

  private static Audio decodeMp3(byte[] bytes, long maxMillis) {
    Bitstream stream = new Bitstream(new ByteArrayInputStream(bytes));
    Decoder decoder = new Decoder();
    short[] mono = new short[0];
    int size = 0;
    int rate = 0;
    long maxSamples = 0;
    int good = 0;
    int bad = 0;
    boolean first = true;
    try {
      while (true) {
        if (Thread.currentThread().isInterrupted()) throw new AudioDecodeException("MP3 decoding was interrupted");
        Header header;
        try {
          header = stream.readFrame();
        } catch (BitstreamException | RuntimeException e) {
          if (good == 0) throw new AudioDecodeException("corrupt MP3: " + describe(e), e);
          break; // a damaged tail after good audio: keep what was decoded
        }
        if (header == null) break; // end of the data
        try {
          boolean infoFrame = first && header.vbr(); // Xing/Info/VBRI: a header frame without audio
          first = false;
          if (infoFrame) continue;
          if (rate == 0) {
            rate = header.frequency();
            maxSamples = maxMillis * rate / 1000;
            mono = new short[(int) Math.min(maxSamples, 1L << 16)];
          } else if (header.frequency() != rate) {
            bad++; // the sample rate cannot change within one stream: a false sync in damaged data
            continue;
          }
          SampleBuffer out = (SampleBuffer) decoder.decodeFrame(header, stream);
          int channels = Math.max(1, out.getChannelCount());
          int n = out.getBufferLength() / channels;
          if (size + (long) n > maxSamples) {
            throw tooLong(Format.MP3, (size + (long) n) * 1000 / rate, maxMillis);
          }
          if (size + n > mono.length) {
            mono = Arrays.copyOf(mono, (int) Math.min(maxSamples, Math.max(size + (long) n, 2L * mono.length)));
          }
          short[] buf = out.getBuffer();
          for (int i = 0; i < n; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) sum += buf[i * channels + c];
            mono[size++] = (short) Math.round((double) sum / channels);
          }
          good++;
        } catch (AudioDecodeException e) {
          throw e;
        } catch (DecoderException | RuntimeException e) {
          bad++;
          if (bad > good + MAX_EXTRA_BAD_FRAMES) {
            throw new AudioDecodeException("corrupt MP3: " + bad + " frames could not be decoded (" + good
                + " could), last: " + describe(e), e);
          }
        } finally {
          stream.closeFrame();
        }
      }
    } finally {
      try {
        stream.close();
      } catch (BitstreamException e) {
        // a byte array stream: nothing to release
      }
    }
    if (good == 0) {
      throw new AudioDecodeException("no decodable MP3 audio frames" + (bad > 0 ? " (" + bad + " corrupt)" : ""));
    }
    try {
      return WavCodec.fromPcm(size == mono.length ? mono : Arrays.copyOf(mono, size), rate);
    } catch (IllegalArgumentException e) {
      throw new AudioDecodeException("cannot convert MP3 audio: " + e.getMessage(), e);
    }
  }

  /** An MPEG audio frame header at {@code at}: 11 sync bits, a valid version, layer, bitrate and sample rate. */
  private static boolean isMpegAudioHeader(byte[] b, int at) {
    if (at + 4 > b.length) return false;
    int b1 = b[at + 1] & 0xff;
    int b2 = b[at + 2] & 0xff;
    return (b[at] & 0xff) == 0xff && (b1 & 0xe0) == 0xe0
        && ((b1 >> 3) & 3) != 1 // version: reserved
        && ((b1 >> 1) & 3) != 0 // layer: reserved
        && (b2 >> 4) != 15 // bitrate: bad
        && ((b2 >> 2) & 3) != 3; // sample rate: reserved
  }

  // ---- helpers ----

  private static AudioDecodeException tooLong(Format format, long millis, long maxMillis) {
    return new AudioDecodeException(format + " audio is longer than the limit of " + seconds(maxMillis)
        + " (at least " + seconds(millis) + ")");
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static boolean ascii(byte[] b, int offset, String s) {
    if (offset + s.length() > b.length) return false;
    for (int i = 0; i < s.length(); i++) {
      if (b[offset + i] != s.charAt(i)) return false;
    }
    return true;
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
  }

  private static String hex(byte[] b, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, b.length); i++) sb.append(String.format("%02x", b[i] & 0xff));
    return sb.toString();
  }
}
