package io.openvoice.media;

import java.util.concurrent.CompletionStage;

/** Text-to-speech renderer producing telephony audio. */
public interface TtsEngine {
    /** Renders text; the stage completes off the caller's thread; fails with a clear exception. */
    CompletionStage<Audio> render(String text, String voice, String lang, String gender);
}
