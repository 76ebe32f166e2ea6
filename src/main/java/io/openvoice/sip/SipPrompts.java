package io.openvoice.sip;

import io.openvoice.flow.Action;
import io.openvoice.media.Audio;
import io.openvoice.media.Tones;
import io.openvoice.media.TtsEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.nio.file.Files;
import java.nio.file.Path;
import io.openvoice.media.source.AudioFiles;
import io.openvoice.media.source.PromptCache;

/**
 * Audio for the prompt actions: Say through the TTS engine (cached there), Tone generated, Play from its URL
 * (downloaded once and cached) or from a recording of the call; loops applied.
 */
public final class SipPrompts {
  /** A prompt that loops "for ever" (loop 0) plays at most this long; the call's watchdogs bound it anyway. */
  static final int ENDLESS_LOOP_MS = 5 * 60_000;

  private final TtsEngine tts;
  private final PromptCache urls;
  private final Executor blocking;

  /** {@code urls} fetches and decodes Play's URLs (null: Play fails); {@code blocking} reads recordings. */
  public SipPrompts(TtsEngine tts, PromptCache urls, Executor blocking) {
    this.tts = tts;
    this.urls = urls;
    this.blocking = blocking;
  }

  /** A recording of the call ({@code <Play record="tag">}), read and decoded on the blocking executor. */
  CompletionStage<Audio> file(Path wav, int loop) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return AudioFiles.decode(Files.readAllBytes(wav), AudioFiles.DEFAULT_MAX_DURATION);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, blocking).thenApply(audio -> looped(audio, loop));
  }

  CompletionStage<Audio> render(Action a) {
    if (a instanceof Action.Say s) {
      String text = s.text() == null ? "" : s.text();
      if (text.isBlank()) return CompletableFuture.completedFuture(Audio.silence(0));
      return tts.render(text, s.code(), s.lang(), s.gender()).thenApply(audio -> looped(audio, s.loop()));
    }
    if (a instanceof Action.Tone t) {
      int[] hz = t.hz().stream().mapToInt(Integer::intValue).toArray();
      int on = (int) Math.max(20, t.onMs());
      int off = (int) Math.max(0, t.offMs());
      int once = on + off;
      int loops = t.loop() > 0 ? t.loop() : Math.max(1, (int) ((t.timeoutMs() > 0 ? t.timeoutMs() : ENDLESS_LOOP_MS) / once));
      if (t.timeoutMs() > 0) loops = (int) Math.max(1, Math.min(loops, t.timeoutMs() / once));
      return CompletableFuture.completedFuture(Tones.tone(hz, on, off, loops, Math.min(0, t.volume())));
    }
    if (a instanceof Action.Play p && p.url() != null && urls != null) {
      return urls.get(p.url()).thenApply(audio -> looped(audio, p.loop()));
    }
    return CompletableFuture.failedFuture(new IllegalArgumentException(a.getClass().getSimpleName() + " is not a prompt"));
  }

  static Audio looped(Audio once, int loop) {
    if (once.samples() == 0) return once;
    int times = loop > 0 ? loop : Math.max(1, ENDLESS_LOOP_MS / Math.max(1, once.durationMs()));
    return times == 1 ? once : once.repeat(times);
  }
}
