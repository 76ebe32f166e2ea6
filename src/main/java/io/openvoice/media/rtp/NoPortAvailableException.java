package io.openvoice.media.rtp;

/** Thrown by {@link RtpEngine#open()} when no even port of the range can be bound or {@code maxSessions} are open. */
public final class NoPortAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoPortAvailableException(String message) {
    super(message);
  }

  public NoPortAvailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
