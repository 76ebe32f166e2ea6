package io.openvoice.http;

import com.typesafe.config.Config;
import java.net.Inet6Address;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharset;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.SystemMaterializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking outbound HTTP client for call-flow webhooks and fetched media, on Pekko HTTP's host connection pools.
 *
 * <p>For each {@link #send} and {@link #fetchBytes} (both go through one pipeline):
 * <ol>
 *   <li>the URL and query are merged ({@link HttpRequestSpec#toUri()});
 *   <li>the {@link SsrfGuard} resolves the host on the DNS executor (never on the caller's thread) and checks every
 *       address;
 *   <li>the request goes to a checked <b>IP literal</b> (so a second, different DNS answer cannot redirect it: no DNS
 *       rebinding), with the original {@code Host} header. If the TCP connection to one address fails, the next
 *       checked address is tried, within the same deadline;
 *   <li>for https the TLS engine is built for the <em>original host name</em>: SNI carries the name and the
 *       certificate is verified against it ({@code HTTPS} endpoint identification), although the socket connects to
 *       the IP. One {@link HttpsConnectionContext} is kept per host name, so pooled connections are reused;
 *   <li>redirects are not followed: a 3xx is returned like any other status;
 *   <li>the body is read with a size bound ({@code max-response-bytes}, or the bound given to {@link #fetchBytes};
 *       else {@link FetchException.Kind#TOO_LARGE})
 *       and the whole request is bound by its timeout ({@link FetchException.Kind#TIMEOUT}).
 * </ol>
 * Every response entity is either read to the end or discarded, also when it arrives after the timeout.
 *
 * <p>The returned stage completes on a Pekko dispatcher thread; callers inside actors should use
 * {@code context.pipeToSelf}. Thread-safe; create one per actor system and share it.
 */
public final class FlowHttpClient {
  private static final Logger log = LoggerFactory.getLogger(FlowHttpClient.class);
  private static final int MAX_TLS_CONTEXTS = 1024;

  private final ActorSystem<?> system;
  private final Http http;
  private final Materializer materializer;
  private final LoggingAdapter poolLog;
  private final ConnectionPoolSettings poolSettings;
  private final SsrfGuard guard;
  private final Executor dnsExecutor;
  private final SSLContext sslContext;
  private final long maxResponseBytes;
  private final Duration defaultTimeout;
  private final String userAgent;
  private final ConcurrentHashMap<String, HttpsConnectionContext> tlsContexts = new ConcurrentHashMap<>();

  /** Client configured from the actor system's own config. */
  public FlowHttpClient(ActorSystem<?> system) {
    this(system, system.settings().config());
  }

  /**
   * Client configured from {@code openvoice.http.outbound} in {@code config} (or {@code config} itself when it is
   * that block; missing keys take the reference defaults), with the system's DNS resolver, the
   * {@code dns-dispatcher} for look-ups and the JVM's default TLS context.
   */
  public FlowHttpClient(ActorSystem<?> system, Config config) {
    this(system, config, SsrfGuard.fromConfig(config), dnsDispatcher(system, config), defaultSslContext());
  }

  /**
   * Fully explicit: {@code guard} replaces the one the config describes (the config still gives size, timeout, user
   * agent and pool settings), {@code dnsExecutor} runs the blocking DNS look-ups and {@code sslContext} provides
   * trust for https.
   */
  public FlowHttpClient(ActorSystem<?> system, Config config, SsrfGuard guard, Executor dnsExecutor,
      SSLContext sslContext) {
    this.system = Objects.requireNonNull(system, "system");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.dnsExecutor = Objects.requireNonNull(dnsExecutor, "dnsExecutor");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    Config block = SsrfGuard.outboundBlock(config);
    this.maxResponseBytes = block.getBytes("max-response-bytes");
    this.defaultTimeout = block.getDuration("default-timeout");
    this.userAgent = block.getString("user-agent");
    if (maxResponseBytes <= 0) throw new IllegalArgumentException("max-response-bytes must be positive");
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("default-timeout must be positive");
    }
    this.http = Http.get(system);
    this.materializer = SystemMaterializer.get(system).materializer();
    this.poolLog = Adapter.toClassic(system).log();
    this.poolSettings = ConnectionPoolSettings.create(block.getConfig("connection-pool")
        .atPath("pekko.http.host-connection-pool")
        .withFallback(system.settings().config()));
  }

  public SsrfGuard guard() {
    return guard;
  }

  /**
   * Sends the request. The stage completes with the response (any status; 3xx are not followed) or fails with a
   * {@link FetchException}: BAD_URL, REFUSED_BY_GUARD (nothing was sent), CONNECT_FAILED (DNS, TCP or TLS; nothing
   * was sent), TIMEOUT, TOO_LARGE or OTHER. Never blocks the calling thread.
   */
  public CompletionStage<HttpResponseData> send(HttpRequestSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return execute(spec, new Reading<>(maxResponseBytes, (response, where) -> null, FlowHttpClient::toData));
  }

  /**
   * GETs {@code url} as bytes (audio files, for instance), through the same SSRF guard, IP pinning and TLS checks as
   * {@link #send}. The stage completes with a 2xx response, whose body is at most {@code maxBytes} long, or fails
   * with a {@link FetchException}: the kinds of {@link #send}, TOO_LARGE against {@code maxBytes} (not the
   * configured {@code max-response-bytes}), and BAD_STATUS for any other status (3xx included: redirects are not
   * followed); the body of such a response is discarded unread. Never blocks the calling thread.
   *
   * @param url absolute http(s) URL
   * @param maxBytes the largest body accepted (a larger Content-Length fails before the body is read)
   * @param timeout the whole request's deadline (DNS, connect, response and body); null means {@code default-timeout}
   */
  public CompletionStage<BinaryResponse> fetchBytes(String url, long maxBytes, Duration timeout) {
    Objects.requireNonNull(url, "url");
    if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    HttpRequestSpec spec = HttpRequestSpec.get(url).withTimeout(timeout);
    return execute(spec, new Reading<>(maxBytes, FlowHttpClient::unlessSuccess, FlowHttpClient::toBinary));
  }

  /**
   * How a response becomes a result: {@code reject} may refuse it from its head alone (a non-null failure; the
   * entity is then discarded unread); otherwise its body is read with the bound {@code maxBytes} and
   * {@code convert}ed.
   */
  private record Reading<T>(long maxBytes, BiFunction<HttpResponse, String, FetchException> reject,
      BiFunction<HttpResponse, HttpEntity.Strict, T> convert) {
  }

  /** The one request pipeline: deadline, guard (DNS on the DNS executor), pinned IPs with fail-over, bounded body. */
  private <T> CompletionStage<T> execute(HttpRequestSpec spec, Reading<T> reading) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Duration timeout = spec.timeout() != null ? spec.timeout() : defaultTimeout;
    long deadline = System.nanoTime() + timeout.toNanos();
    final URI uri;
    final HttpRequest template;
    try {
      uri = spec.toUri();
      template = buildRequest(spec, uri);
    } catch (FetchException e) {
      result.completeExceptionally(e);
      return result;
    }
    String where = redacted(uri);
    Cancellable timer = system.scheduler().scheduleOnce(timeout,
        () -> result.completeExceptionally(new FetchException(FetchException.Kind.TIMEOUT,
            "no complete response from " + where + " within " + timeout.toMillis() + " ms")),
        system.executionContext());
    result.whenComplete((r, e) -> {
      timer.cancel();
      if (e != null && log.isDebugEnabled()) log.debug("{} {} failed: {}", spec.method(), where, e.getMessage());
    });

    guard.checkAsync(uri, dnsExecutor).whenCompleteAsync((target, err) -> {
      if (err != null) {
        result.completeExceptionally(toFetchException(err, where, reading.maxBytes()));
      } else if (!result.isDone()) {
        attempt(target, 0, template, reading, result, deadline, where);
      }
    }, system.executionContext());
    return result;
  }

  private <T> void attempt(SsrfGuard.CheckedTarget target, int index, HttpRequest template, Reading<T> reading,
      CompletableFuture<T> result, long deadline, String where) {
    InetAddress address = target.addresses().get(index);
    final HttpRequest request;
    try {
      request = template.withUri(ipUri(target, address));
    } catch (RuntimeException e) {
      result.completeExceptionally(new FetchException(FetchException.Kind.BAD_URL,
          "cannot address " + where + ": " + e.getMessage(), e));
      return;
    }
    boolean https = target.scheme().equals("https");
    HttpsConnectionContext tls = https ? tlsContextFor(target.host()) : http.defaultClientHttpsContext();
    http.singleRequest(request, tls, poolSettings, poolLog).whenComplete((response, err) -> {
      if (err != null) {
        FetchException fe = toFetchException(err, where, reading.maxBytes());
        // only a failed TCP connect is retried elsewhere: the request has certainly not been sent then
        if (isTcpConnectFailure(err) && index + 1 < target.addresses().size() && !result.isDone()) {
          log.debug("connecting to {} at {} failed, trying the next address", where, address);
          attempt(target, index + 1, template, reading, result, deadline, where);
        } else {
          result.completeExceptionally(fe);
        }
        return;
      }
      if (result.isDone()) { // timed out meanwhile: nobody wants the body, but the connection must be freed
        response.discardEntityBytes(materializer);
        return;
      }
      FetchException rejected = reading.reject().apply(response, where);
      if (rejected != null) {
        response.discardEntityBytes(materializer);
        result.completeExceptionally(rejected);
        return;
      }
      long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      // The bound is enforced by withSizeLimit (EntityStreamSizeException, also for a too large Content-Length);
      // toStrict gets no second, differently reported bound (nor the global max-to-strict-bytes).
      response.entity().withSizeLimit(reading.maxBytes())
          .toStrict(remainingMillis, Long.MAX_VALUE, materializer)
          .whenComplete((strict, bodyErr) -> {
            if (bodyErr != null) {
              result.completeExceptionally(toFetchException(bodyErr, where, reading.maxBytes()));
            } else {
              try {
                result.complete(reading.convert().apply(response, strict));
              } catch (RuntimeException e) {
                result.completeExceptionally(toFetchException(e, where, reading.maxBytes()));
              }
            }
          });
    });
  }

  // ---- request ----

  private HttpRequest buildRequest(HttpRequestSpec spec, URI uri) {
    HttpRequest req = HttpRequest.create().withMethod(method(spec.method()));
    String contentType = spec.effectiveContentType();
    if (spec.body() != null) {
      ContentType ct;
      try {
        ct = ContentTypes.parse(contentType);
      } catch (RuntimeException e) {
        throw new FetchException(FetchException.Kind.OTHER, "invalid content type '" + contentType + "'", e);
      }
      Charset cs = ct.getCharsetOption().map(FlowHttpClient::charsetOrUtf8).orElse(StandardCharsets.UTF_8);
      req = req.withEntity(ct, spec.body().getBytes(cs));
    }
    List<HttpHeader> headers = new ArrayList<>();
    // Host: the name from the URL, although we connect to an IP literal
    String hostHeader = uri.getRawAuthority() == null ? null
        : uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    if (hostHeader != null) headers.add(header("Host", hostHeader));
    boolean hasUserAgent = false;
    boolean hasAuthorization = false;
    for (Map.Entry<String, String> h : spec.headers().entrySet()) {
      String name = h.getKey().trim();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "host", "content-length", "transfer-encoding", "connection", "content-type":
          continue; // derived from the URL and the body
        case "user-agent":
          hasUserAgent = true;
          break;
        case "authorization":
          hasAuthorization = true;
          break;
        default:
          break;
      }
      headers.add(header(name, h.getValue()));
    }
    if (!hasUserAgent) headers.add(header("User-Agent", userAgent));
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !hasAuthorization) {
      int colon = userInfo.indexOf(':');
      headers.add(colon < 0 ? Authorization.basic(userInfo, "")
          : Authorization.basic(userInfo.substring(0, colon), userInfo.substring(colon + 1)));
    }
    return req.addHeaders(headers);
  }

  private static HttpHeader header(String name, String value) {
    if (!isToken(name)) throw new FetchException(FetchException.Kind.OTHER, "invalid header name '" + name + "'");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new FetchException(FetchException.Kind.OTHER, "invalid character in header '" + name + "'");
      }
    }
    return HttpHeader.parse(name, value);
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) return false;
    }
    return true;
  }

  private static HttpMethod method(HttpRequestSpec.Method m) {
    return switch (m) {
      case GET -> HttpMethods.GET;
      case POST -> HttpMethods.POST;
      case PUT -> HttpMethods.PUT;
      case PATCH -> HttpMethods.PATCH;
      case DELETE -> HttpMethods.DELETE;
      case HEAD -> HttpMethods.HEAD;
    };
  }

  /** The request URI with the checked address in place of the host name (path and query as given). */
  private static Uri ipUri(SsrfGuard.CheckedTarget target, InetAddress address) {
    String ip = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int zone = ip.indexOf('%');
      if (zone >= 0) ip = ip.substring(0, zone);
      ip = "[" + ip + "]";
    }
    URI u = target.uri();
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
    return Uri.create(target.scheme() + "://" + ip + ":" + target.port() + path + query);
  }

  // ---- TLS ----

  /** A TLS context whose engines name {@code host} (SNI, certificate check), whatever IP the pool connects to. */
  private HttpsConnectionContext tlsContextFor(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
    if (tlsContexts.size() > MAX_TLS_CONTEXTS) tlsContexts.clear(); // idle pools of dropped contexts close on their own
    final String peer = name;
    return tlsContexts.computeIfAbsent(peer, h -> ConnectionContext.httpsClient((ignoredIp, port) -> engine(peer, port)));
  }

  private SSLEngine engine(String host, int port) {
    SSLEngine engine = sslContext.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isIpLiteral(host)) {
      try {
        params.setServerNames(List.of(new SNIHostName(host)));
      } catch (IllegalArgumentException e) {
        // not a valid SNI name (e.g. an IDN that was not converted): send none; the certificate check still runs
      }
    }
    engine.setSSLParameters(params);
    return engine;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  // ---- response and errors ----

  private static HttpResponseData toData(HttpResponse response, HttpEntity.Strict strict) {
    ContentType ct = strict.getContentType();
    boolean none = ct.equals(ContentTypes.NO_CONTENT_TYPE);
    Charset cs = none ? StandardCharsets.UTF_8
        : ct.getCharsetOption().map(FlowHttpClient::charsetOrUtf8).orElse(StandardCharsets.UTF_8);
    return new HttpResponseData(response.status().intValue(), strict.getData().decodeString(cs),
        none ? null : ct.toString());
  }

  private static BinaryResponse toBinary(HttpResponse response, HttpEntity.Strict strict) {
    ContentType ct = strict.getContentType();
    return new BinaryResponse(response.status().intValue(),
        ct.equals(ContentTypes.NO_CONTENT_TYPE) ? null : ct.toString(), strict.getData().toArray());
  }

  /** A BAD_STATUS failure for anything but 2xx, naming the URL without its query. */
  private static FetchException unlessSuccess(HttpResponse response, String where) {
    int status = response.status().intValue();
    if (status >= 200 && status < 300) return null;
    String location = response.getHeader("Location").map(l -> " (Location: " + l.value() + ")").orElse("");
    return new FetchException(FetchException.Kind.BAD_STATUS,
        where + " answered " + status + " " + response.status().reason() + location, status);
  }

  private static Charset charsetOrUtf8(HttpCharset c) {
    try {
      return c.nioCharset();
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private static FetchException toFetchException(Throwable err, String where, long maxBytes) {
    FetchException fe = FetchException.unwrap(err);
    if (fe != null) return fe;
    Throwable t = err;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
    if (hasCause(t, EntityStreamSizeException.class)) {
      return new FetchException(FetchException.Kind.TOO_LARGE,
          "response from " + where + " is larger than " + maxBytes + " bytes", t);
    }
    if (hasCause(t, TimeoutException.class)) {
      return new FetchException(FetchException.Kind.TIMEOUT, "reading the response from " + where + " timed out", t);
    }
    if (hasCause(t, SSLException.class)) {
      return new FetchException(FetchException.Kind.CONNECT_FAILED,
          "TLS handshake with " + where + " failed: " + rootMessage(t), t);
    }
    if (isTcpConnectFailure(t)) {
      return new FetchException(FetchException.Kind.CONNECT_FAILED,
          "cannot connect to " + where + ": " + rootMessage(t), t);
    }
    return new FetchException(FetchException.Kind.OTHER, "request to " + where + " failed: " + rootMessage(t), t);
  }

  /** The TCP connection could not be established (refused, unreachable, connect timeout): nothing was sent. */
  private static boolean isTcpConnectFailure(Throwable t) {
    if (hasCause(t, ConnectException.class) || hasCause(t, NoRouteToHostException.class)) return true;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StreamTcpException && String.valueOf(c.getMessage()).startsWith("Tcp command [Connect(")) {
        return true;
      }
      if (c.getCause() == c) break;
    }
    return false;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) return true;
      if (c.getCause() == c) break;
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return Optional.ofNullable(c.getMessage()).orElse(c.getClass().getSimpleName());
  }

  /** scheme://host[:port]/path, without user info, query or fragment (they may carry secrets). */
  static String redacted(URI uri) {
    if (uri.getScheme() == null) return "<relative URL>";
    if (uri.getHost() == null) return "<" + uri.getScheme() + " URL>";
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static Executor dnsDispatcher(ActorSystem<?> system, Config config) {
    String id = SsrfGuard.outboundBlock(config).getString("dns-dispatcher");
    if (system.settings().config().hasPath(id)) {
      return system.dispatchers().lookup(DispatcherSelector.fromConfig(id));
    }
    return system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  private static SSLContext defaultSslContext() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }
}
