package io.openvoice.http;

import java.util.Objects;

/**
 * A successful (2xx) response read as bytes by {@link FlowHttpClient#fetchBytes}.
 *
 * @param status the HTTP status code (200..299)
 * @param contentType the response's Content-Type as sent (e.g. {@code audio/mpeg}), or null when the response has no
 *     entity. Pekko reports {@code application/octet-stream} for a body sent without Content-Type. Informative only:
 *     decoders should sniff the bytes rather than trust it.
 * @param body the body; the array is the caller's (not copied again)
 */
public record BinaryResponse(int status, String contentType, byte[] body) {
  public BinaryResponse {
    Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "BinaryResponse[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes]";
  }
}
