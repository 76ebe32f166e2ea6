package io.openvoice.http;

/**
 * A complete (strict) HTTP response as returned to the platform: any status, including 3xx (redirects are never
 * followed) and 4xx/5xx.
 *
 * @param status the HTTP status code
 * @param body the body decoded with the charset of the Content-Type, UTF-8 when it names none (or an unknown one)
 * @param contentType the response's Content-Type as sent (e.g. {@code text/xml; charset=UTF-8}), or null when the
 *     response has no entity. Pekko reports {@code application/octet-stream} for a body sent without Content-Type.
 */
public record HttpResponseData(int status, String body, String contentType) {
  public HttpResponseData {
    if (body == null) body = "";
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  public boolean isRedirect() {
    return status >= 300 && status < 400;
  }
}
