package io.openvoice.media;

/** A text-to-speech render failed (bad request, missing engine, engine error or timeout). */
public class TtsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
