package io.openvoice.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One outbound request, as the platform describes it (immutable).
 *
 * @param method the HTTP method
 * @param url absolute http(s) URL; may already carry a query, which is kept byte for byte
 * @param query parameters appended (percent-encoded as UTF-8, RFC 3986 unreserved characters left alone, space as
 *     {@code %20}) after the URL's existing query, in the map's iteration order (pass a {@link LinkedHashMap} to fix
 *     it); never null (null means empty)
 * @param body request body, or null for none
 * @param contentType media type of the body, e.g. {@code application/x-www-form-urlencoded}; null means
 *     {@code application/json} when there is a body. The body is encoded with its charset parameter, UTF-8 if none.
 * @param headers extra request headers; never null (null means empty). {@code Host}, {@code Content-Length},
 *     {@code Transfer-Encoding} and {@code Connection} are ignored (they are derived); a {@code Content-Type} here is
 *     used when {@code contentType} is null; a {@code User-Agent} here replaces the configured one.
 * @param timeout the whole request's deadline (DNS, connect, response and body); null means the client's
 *     {@code default-timeout}
 */
public record HttpRequestSpec(
    Method method,
    String url,
    Map<String, String> query,
    String body,
    String contentType,
    Map<String, String> headers,
    Duration timeout) {

  public enum Method { GET, POST, PUT, PATCH, DELETE, HEAD }

  public HttpRequestSpec {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    query = copy(query, "query");
    headers = copy(headers, "headers");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** A GET without query, body or headers, with the client's default timeout. */
  public static HttpRequestSpec get(String url) {
    return new HttpRequestSpec(Method.GET, url, Map.of(), null, null, Map.of(), null);
  }

  /** A POST of {@code json} as {@code application/json}. */
  public static HttpRequestSpec postJson(String url, String json) {
    return new HttpRequestSpec(Method.POST, url, Map.of(), json, "application/json", Map.of(), null);
  }

  public HttpRequestSpec withQuery(Map<String, String> newQuery) {
    return new HttpRequestSpec(method, url, newQuery, body, contentType, headers, timeout);
  }

  public HttpRequestSpec withBody(String newBody, String newContentType) {
    return new HttpRequestSpec(method, url, query, newBody, newContentType, headers, timeout);
  }

  public HttpRequestSpec withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpRequestSpec(method, url, query, body, contentType, h, timeout);
  }

  public HttpRequestSpec withTimeout(Duration newTimeout) {
    return new HttpRequestSpec(method, url, query, body, contentType, headers, newTimeout);
  }

  /** The content type to send: {@code contentType}, else a Content-Type header, else application/json if a body. */
  public String effectiveContentType() {
    if (contentType != null) return contentType;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase("Content-Type")) return h.getValue();
    }
    return body != null ? "application/json" : null;
  }

  /**
   * The URL with {@link #query} appended to its existing query; the fragment is dropped (it is never sent).
   * Non-ASCII characters in the URL are percent-encoded as UTF-8.
   *
   * @throws FetchException of kind {@link FetchException.Kind#BAD_URL} when the URL is not a syntactically valid URI
   */
  public URI toUri() {
    URI base;
    try {
      base = new URI(url.trim());
      base = new URI(base.toASCIIString());
    } catch (URISyntaxException e) {
      throw new FetchException(FetchException.Kind.BAD_URL, "not a valid URL: " + e.getMessage(), e);
    }
    if (base.isOpaque() || base.getScheme() == null) {
      // opaque (mailto:x) and relative URIs are refused by the guard (scheme) or as BAD_URL before anything is sent
      return base;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(base.getScheme()).append(':');
    if (base.getRawAuthority() != null) sb.append("//").append(base.getRawAuthority());
    if (base.getRawPath() != null) sb.append(base.getRawPath());
    String merged = mergeQuery(base.getRawQuery(), query);
    if (merged != null) sb.append('?').append(merged);
    try {
      return new URI(sb.toString());
    } catch (URISyntaxException e) {
      throw new FetchException(FetchException.Kind.BAD_URL, "not a valid URL: " + e.getMessage(), e);
    }
  }

  /** {@code existing} (raw, kept as is; may be null) followed by the encoded {@code extra} pairs; null if neither. */
  static String mergeQuery(String existing, Map<String, String> extra) {
    StringBuilder sb = new StringBuilder();
    if (existing != null) sb.append(existing);
    for (Map.Entry<String, String> e : extra.entrySet()) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '&') sb.append('&');
      sb.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    if (existing == null && extra.isEmpty()) return null;
    return sb.toString();
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}), as UTF-8. */
  public static String encode(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static Map<String, String> copy(Map<String, String> m, String what) {
    if (m == null || m.isEmpty()) return Map.of();
    Map<String, String> c = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : m.entrySet()) {
      c.put(Objects.requireNonNull(e.getKey(), what + " key"), Objects.requireNonNull(e.getValue(), what + " value"));
    }
    return Collections.unmodifiableMap(c);
  }
}
