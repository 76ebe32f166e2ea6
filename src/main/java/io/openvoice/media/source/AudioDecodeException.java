package io.openvoice.media.source;

/**
 * Bytes that are not playable audio: neither WAV nor MP3, corrupt, unsupported, or longer than the allowed duration.
 * The message says which, for logs and call-flow errors. Unchecked, like {@link IllegalArgumentException} (its
 * parent), because it travels inside {@link java.util.concurrent.CompletionStage}s.
 */
public final class AudioDecodeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public AudioDecodeException(String message) {
    super(message);
  }

  public AudioDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
