package io.openvoice.sms.kannel;

import io.openvoice.sms.gateway.SmsGateway;
import io.openvoice.sms.gateway.SmsSink;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.SystemMaterializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits messages through Kannel: one HTTP GET to smsbox's {@code /cgi-bin/sendsms} per message, on Pekko HTTP's
 * host connection pool (never blocking the caller; Pekko's request retries are off, a retried GET would be a
 * duplicate SMS). Delivery reports come back through the {@code dlr-url} each request carries, which points at
 * {@link KannelRoutes}.
 *
 * <p>What smsbox answers (Kannel 1.4.5, checked against the real binaries in {@code KannelGatewayTest}):
 * <ul>
 *   <li>202 {@code 0: Accepted for delivery}: handed to bearerbox, an SMSC is connected → {@link SubmitResult.Accepted};
 *   <li>202 {@code 3: Queued for later delivery}: bearerbox took it but no SMSC is connected now; bearerbox keeps it
 *       and sends it when one connects (from its store, if one is configured) → also {@code Accepted};
 *   <li>4xx ({@code 403 Authorization failed for sendsms}, {@code 400 Missing receiver number, rejected}, ...) →
 *       {@code Rejected("gateway_rejected", retryable = false)};
 *   <li>5xx ({@code 503}: smsbox could not hand it to bearerbox) → {@code Rejected("gateway_error", retryable)};
 *   <li>no TCP connection (smsbox down, connect timeout) → {@code Rejected("gateway_unreachable", retryable,
 *       maybeSent = false)};
 *   <li>no room in the client connection pool (more than {@code max-open-requests} waiting) → {@code
 *       Rejected("gateway_busy", retryable, maybeSent = false)}: the request never left the node;
 *   <li>no complete answer within {@code request-timeout}, or the connection broke after the request was written →
 *       {@code Rejected("gateway_timeout" | "gateway_error", retryable, maybeSent = true)}.
 * </ul>
 * Text goes as UTF-8 with {@code charset=UTF-8}; for {@link Coding#UCS2} also {@code coding=2}, and smsbox converts
 * it to UCS-2 (UTF-16BE). Without {@code coding=2} smsbox converts to GSM 03.38 and replaces what GSM lacks by '?'.
 */
public final class KannelGateway implements SmsGateway {
  private static final Logger log = LoggerFactory.getLogger(KannelGateway.class);
  /** The largest smsbox answer read (its answers are one short line). */
  private static final long MAX_ANSWER_BYTES = 16 * 1024;

  private final ActorSystem<?> system;
  private final KannelSettings settings;
  private final SmsSink sink;
  private final Http http;
  private final Materializer materializer;
  private final ConnectionPoolSettings pool;
  private final LoggingAdapter poolLog;

  public KannelGateway(ActorSystem<?> system, KannelSettings settings) {
    this(system, settings, null);
  }

  /** With {@code sink}: where Kannel's callbacks ({@link KannelRoutes}) hand what comes back. */
  public KannelGateway(ActorSystem<?> system, KannelSettings settings, SmsSink sink) {
    this.sink = sink;
    this.system = Objects.requireNonNull(system, "system");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = Http.get(system);
    this.materializer = SystemMaterializer.get(system).materializer();
    ConnectionPoolSettings base = ConnectionPoolSettings.create(system.settings().config());
    this.pool = base.withMaxRetries(0)
        .withMaxConnections(settings.maxConnections())
        .withMaxOpenRequests(settings.maxOpenRequests())
        .withConnectionSettings(base.getConnectionSettings().withConnectingTimeout(settings.connectTimeout()));
    this.poolLog = Adapter.toClassic(system).log();
  }

  /** The gateway configured from {@code openvoice.sms.kannel} of the system's config. */
  public static KannelGateway fromConfig(ActorSystem<?> system) {
    return new KannelGateway(system, KannelSettings.fromConfig(system.settings().config()));
  }

  @Override
  public String name() {
    return KannelRoutes.GATEWAY;
  }

  public KannelSettings settings() {
    return settings;
  }

  /** Where inbound messages and delivery reports go; null for a send-only gateway (tests). */
  public SmsSink sink() {
    return sink;
  }

  @Override
  public CompletionStage<SubmitResult> submit(OutboundSms sms) {
    Objects.requireNonNull(sms, "sms");
    CompletableFuture<SubmitResult> result = new CompletableFuture<>();
    final HttpRequest request;
    try {
      request = HttpRequest.GET(sendsmsUri(sms));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new SubmitResult.Rejected("gateway_rejected",
          "cannot build the sendsms request: " + e.getMessage(), false, false));
    }
    Cancellable timer = system.scheduler().scheduleOnce(settings.requestTimeout(),
        () -> result.complete(new SubmitResult.Rejected("gateway_timeout",
            "no answer from Kannel within " + settings.requestTimeout().toMillis() + " ms", true, true)),
        system.executionContext());
    result.whenComplete((r, e) -> timer.cancel());
    http.singleRequest(request, http.defaultClientHttpsContext(), pool, poolLog).whenComplete((response, err) -> {
      if (err != null) {
        result.complete(failure(err));
      } else if (result.isDone()) { // timed out meanwhile: free the connection
        response.discardEntityBytes(materializer);
      } else {
        readAnswer(sms, response, result);
      }
    });
    if (log.isDebugEnabled()) {
      result.thenAccept(r -> log.debug("sendsms {} to {}: {}", sms.messageId(), sms.to(), r));
    }
    return result;
  }

  private void readAnswer(OutboundSms sms, HttpResponse response, CompletableFuture<SubmitResult> result) {
    int status = response.status().intValue();
    response.entity().withSizeLimit(MAX_ANSWER_BYTES)
        .toStrict(Math.max(1, settings.requestTimeout().toMillis()), materializer)
        .whenComplete((strict, err) -> {
          String answer = err != null ? "" : strict.getData().utf8String().trim();
          result.complete(classify(status, answer));
          if (status >= 400) log.info("Kannel refused message {} to {}: {} {}", sms.messageId(), sms.to(), status, answer);
        });
  }

  /** The outcome of one sendsms answer (see the class comment). */
  static SubmitResult classify(int status, String answer) {
    if (status >= 200 && status < 300) return new SubmitResult.Accepted(null);
    String detail = status + (answer.isEmpty() ? "" : " " + answer);
    if (status >= 400 && status < 500) return new SubmitResult.Rejected("gateway_rejected", detail, false, false);
    return new SubmitResult.Rejected("gateway_error", detail, true, false);
  }

  private static SubmitResult failure(Throwable err) {
    if (isOverflow(err)) {
      // the connection pool's queue was full: the request never left this node
      return new SubmitResult.Rejected("gateway_busy", "too many requests to Kannel in flight ("
          + rootMessage(err) + ")", true, false);
    }
    if (isConnectFailure(err)) {
      return new SubmitResult.Rejected("gateway_unreachable", "cannot connect to Kannel: " + rootMessage(err), true, false);
    }
    return new SubmitResult.Rejected("gateway_error", "sendsms request failed: " + rootMessage(err), true, true);
  }

  /** The client connection pool refused the request (more than max-open-requests queued): nothing was sent. */
  private static boolean isOverflow(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof org.apache.pekko.stream.BufferOverflowException) return true;
      if (c.getCause() == c) break;
    }
    return false;
  }

  /** The TCP connection was never established (refused, unreachable, connect timeout, DNS): nothing was sent. */
  private static boolean isConnectFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException) {
        return true;
      }
      if (c instanceof StreamTcpException && String.valueOf(c.getMessage()).startsWith("Tcp command [Connect(")) {
        return true;
      }
      if (c.getCause() == c) break;
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }

  /** The full sendsms URL of one message. */
  String sendsmsUri(OutboundSms sms) {
    StringBuilder q = new StringBuilder(settings.sendsmsUrl()).append('?');
    param(q, "username", settings.username());
    param(q, "password", settings.password());
    param(q, "from", sms.from());
    param(q, "to", sms.to());
    param(q, "text", sms.text());
    param(q, "charset", "UTF-8");
    param(q, "coding", sms.coding() == Coding.UCS2 ? "2" : "0");
    if (!settings.smscId().isEmpty()) param(q, "smsc", settings.smscId());
    if (settings.dlrMask() != 0) {
      param(q, "dlr-mask", Integer.toString(settings.dlrMask()));
      param(q, "dlr-url", dlrUrl(sms.messageId()));
    }
    q.setLength(q.length() - 1); // the last '&'
    return q.toString();
  }

  /**
   * The dlr-url of one message: our id and token (with every '%' doubled, since smsbox reads "%%" as a '%' and
   * "%x" as an escape) and the escapes smsbox fills in: %d the DLR type, %A the SMSC's reply, %T the time (Unix
   * seconds), %F the SMSC's message id, %i the smsc-id.
   */
  String dlrUrl(String messageId) {
    return settings.dlrBaseUrl() + KannelRoutes.DLR_PATH + "?id=" + forKannel(messageId)
        + "&type=%d&reply=%A&ts=%T&fid=%F&smsc=%i&token=" + settings.callbackToken(); // unreserved characters only
  }

  private static String forKannel(String value) {
    return encode(value).replace("%", "%%");
  }

  private static void param(StringBuilder q, String name, String value) {
    q.append(name).append('=').append(encode(value)).append('&');
  }

  private static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
