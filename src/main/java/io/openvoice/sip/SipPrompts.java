package io.openvoice.sip;

import io.openvoice.flow.Action;
import io.openvoice.media.Audio;
import io.openvoice.media.Tones;
import io.openvoice.media.TtsEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Audio for the prompt actions: Say through the TTS engine (cached there), Tone generated; loops applied. */
public final class SipPrompts {
  /** A prompt that loops "for ever" (loop 0) plays at most this long; the call's watchdogs bound it anyway. */
  static final int ENDLESS_LOOP_MS = 5 * 60_000;

  private final TtsEngine tts;

  public SipPrompts(TtsEngine tts) {
    this.tts = tts;
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
    return CompletableFuture.failedFuture(new IllegalArgumentException(a.getClass().getSimpleName() + " is not a prompt"));
  }

  static Audio looped(Audio once, int loop) {
    if (once.samples() == 0) return once;
    int times = loop > 0 ? loop : Math.max(1, ENDLESS_LOOP_MS / Math.max(1, once.durationMs()));
    return times == 1 ? once : once.repeat(times);
  }
}
