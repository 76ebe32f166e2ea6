package io.openvoice.http;

/**
 * Why an outbound fetch did not produce an HTTP response.
 *
 * <p>Unchecked on purpose: it travels inside {@link java.util.concurrent.CompletionStage}s, where checked exceptions
 * are not expressible. A stage returned by {@link FlowHttpClient#send} completes exceptionally with a
 * {@code FetchException}; dependent stages may see it wrapped in a {@link java.util.concurrent.CompletionException},
 * so use {@link #unwrap(Throwable)} to get at it. For {@code send} a non-2xx status is <em>not</em> a failure: it is
 * a normal {@link HttpResponseData}; {@link FlowHttpClient#fetchBytes} fails with {@link Kind#BAD_STATUS} instead.
 */
public final class FetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** The request did not complete (DNS, connect, headers and body) within its timeout. */
    TIMEOUT,
    /** The SSRF guard refused the URL: scheme not allowed, or the host resolves to a forbidden address. */
    REFUSED_BY_GUARD,
    /** DNS failed, the TCP connection was refused or failed, or the TLS handshake failed. Nothing was sent. */
    CONNECT_FAILED,
    /** The response body is larger than {@code max-response-bytes}. */
    TOO_LARGE,
    /** The URL (after merging the query) is not an absolute http(s) URL with a host and a valid port. */
    BAD_URL,
    /** {@link FlowHttpClient#fetchBytes} only: the server answered with a status other than 2xx ({@link #status()}). */
    BAD_STATUS,
    /** Anything else: an invalid header or content type in the request, a broken response, ... */
    OTHER
  }

  private final Kind kind;
  private final int status;

  public FetchException(Kind kind, String message) {
    this(kind, message, null);
  }

  public FetchException(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
    this.status = 0;
  }

  /** A {@link Kind#BAD_STATUS} (or other) failure that carries the HTTP status the server answered. */
  public FetchException(Kind kind, String message, int status) {
    super(kind + ": " + message);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status behind a {@link Kind#BAD_STATUS} failure; 0 when no response status is involved. */
  public int status() {
    return status;
  }

  /**
   * The {@code FetchException} inside {@code t} (itself, or the cause of a {@code CompletionException} /
   * {@code ExecutionException} chain), or null if there is none.
   */
  public static FetchException unwrap(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FetchException fe) return fe;
      if (c.getCause() == c) break;
    }
    return null;
  }
}
