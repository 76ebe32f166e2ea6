package io.openvoice.media.source;

import com.typesafe.config.Config;
import io.openvoice.media.Audio;
import io.openvoice.media.Tones;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audio played to a caller on hold, meant to be looped.
 *
 * <p>{@code openvoice.media.hold.music} (environment {@code HOLD_MUSIC}) names a WAV or MP3 file: an http(s) URL,
 * fetched through the {@link PromptCache} (so its SSRF guard, bounds and disk cache apply), or a local path (or
 * {@code file:} URI), read and decoded once on the executor. Empty: {@link #generated()}, a soft chord progression, so
 * that there is always something to play. When the configured file cannot be had, the generated music is played
 * instead and a warning logged (for a URL the next {@link #audio()} tries again; a local file is tried once).
 */
public final class MusicOnHold {
  private static final Logger log = LoggerFactory.getLogger(MusicOnHold.class);

  /** Chord progression of the generated music: C, Am, F, G, C, Em, Dm, G; triads around the 4th octave. */
  private static final int[][] CHORDS = {
    {523, 659, 784}, // C5 E5 G5
    {440, 523, 659}, // A4 C5 E5
    {349, 440, 523}, // F4 A4 C5
    {392, 494, 587}, // G4 B4 D5
    {523, 659, 784}, // C5 E5 G5
    {330, 392, 494}, // E4 G4 B4
    {294, 349, 440}, // D4 F4 A4
    {392, 494, 587}, // G4 B4 D5
  };
  private static final int CHORD_MS = 2000;
  /** Arpeggio order over the triad (indexes into a chord), one note every 500 ms. */
  private static final int[] ARPEGGIO = {0, 1, 2, 1};
  private static final int NOTE_MS = 500;
  private static final double PAD_DB = -27;
  private static final double NOTE_DB = -19;

  private final String source;
  private final PromptCache cache;
  private final Executor executor;
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile CompletableFuture<Audio> fileAudio; // a local file, loaded once

  /**
   * @param source a URL or local path of a WAV/MP3 file, or null/blank for the generated music
   * @param cache fetches URLs and bounds file size and duration
   * @param executor reads and decodes a local file (blocking work)
   */
  public MusicOnHold(String source, PromptCache cache, Executor executor) {
    this.source = source == null || source.isBlank() ? null : source.trim();
    this.cache = Objects.requireNonNull(cache, "cache");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /** From {@code openvoice.media.hold.music} in {@code config} (the root config); missing or empty: generated. */
  public static MusicOnHold fromConfig(Config config, PromptCache cache, Executor executor) {
    String key = "openvoice.media.hold.music";
    return new MusicOnHold(config.hasPath(key) ? config.getString(key) : null, cache, executor);
  }

  /** The configured file or URL, or null when the generated music is used. */
  public String source() {
    return source;
  }

  /**
   * The hold music. Completes at once for the generated music and a loaded local file; otherwise when the URL is
   * fetched. Never fails: a file that cannot be had gives the generated music.
   */
  public CompletionStage<Audio> audio() {
    if (source == null) return CompletableFuture.completedFuture(generated());
    if (isUrl(source)) {
      return cache.get(source).exceptionally(err -> {
        fallBack(err);
        return generated();
      });
    }
    CompletableFuture<Audio> loaded = fileAudio;
    if (loaded == null) {
      synchronized (this) {
        if (fileAudio == null) {
          fileAudio = CompletableFuture.supplyAsync(this::readFile, executor).exceptionally(err -> {
            fallBack(err);
            return generated();
          });
        }
        loaded = fileAudio;
      }
    }
    return loaded.copy();
  }

  private Audio readFile() {
    Path path = source.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(source)) : Path.of(source);
    PromptCache.Settings s = cache.settings();
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, s.maxFileBytes() + 1));
      if (bytes.length > s.maxFileBytes()) {
        throw new AudioDecodeException(path + " is larger than " + s.maxFileBytes() + " bytes");
      }
      try {
        return AudioFiles.decode(bytes, s.maxDuration());
      } catch (AudioDecodeException e) {
        throw new AudioDecodeException(path + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new AudioDecodeException("cannot read hold music " + path + ": " + e, e);
    }
  }

  private void fallBack(Throwable err) {
    Throwable cause = err.getCause() != null && err instanceof java.util.concurrent.CompletionException
        ? err.getCause() : err;
    if (warned.compareAndSet(false, true)) {
      log.warn("hold music {} is not playable, playing the generated music instead: {}",
          PromptCache.describe(source), cause.getMessage());
    } else {
      log.debug("hold music {} is not playable: {}", PromptCache.describe(source), cause.getMessage());
    }
  }

  private static boolean isUrl(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /**
   * The built-in hold music: 16 s (eight chords of 2 s) of soft triads under a slow arpeggio, with smooth attacks
   * and decays so that it loops without a click; quiet (peak about -19 dBFS, RMS about -28 dBFS). Generated once.
   */
  public static Audio generated() {
    return Generated.AUDIO;
  }

  private static final class Generated {
    static final Audio AUDIO = compose();
  }

  private static Audio compose() {
    int chordSamples = CHORD_MS * Audio.RATE / 1000;
    int noteSamples = NOTE_MS * Audio.RATE / 1000;
    double[] mix = new double[CHORDS.length * chordSamples];
    for (int c = 0; c < CHORDS.length; c++) {
      int start = c * chordSamples;
      // a pad: the whole triad, swelling in and out over the chord
      addShaped(mix, start, Tones.tone(CHORDS[c], CHORD_MS, 0, 1, PAD_DB), 0.35, 0.35);
      // an arpeggio over it (root, third, fifth, third): each note struck, then fading out within its 500 ms
      for (int n = 0; n < ARPEGGIO.length; n++) {
        int freq = CHORDS[c][ARPEGGIO[n]];
        addShaped(mix, start + n * noteSamples, Tones.tone(freq, NOTE_MS, NOTE_DB), 0.02, 0.9);
      }
    }
    short[] out = new short[mix.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(mix[i])));
    }
    return Audio.of(out);
  }

  /**
   * Adds {@code tone} at {@code offset} under an envelope: a raised-cosine attack over the first {@code attack} of its
   * length, then a raised-cosine release over the last {@code release}.
   */
  private static void addShaped(double[] mix, int offset, Audio tone, double attack, double release) {
    int n = tone.samples();
    int a = Math.max(1, (int) (n * attack));
    int r = Math.max(1, (int) (n * release));
    for (int i = 0; i < n && offset + i < mix.length; i++) {
      double env = 1;
      if (i < a) env = 0.5 - 0.5 * Math.cos(Math.PI * i / a);
      int fromEnd = n - 1 - i;
      if (fromEnd < r) env *= 0.5 - 0.5 * Math.cos(Math.PI * fromEnd / r);
      mix[offset + i] += tone.sample(i) * env;
    }
  }
}
