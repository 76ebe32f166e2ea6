package io.openvoice.sms.kannel;

import io.openvoice.api.ApiException;
import io.openvoice.api.Reply;
import io.openvoice.api.Req;
import io.openvoice.api.Router;
import io.openvoice.sms.gateway.SmsSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kannel's callbacks to the platform, on the API's {@link Router} as public routes (Kannel has no platform user;
 * it proves itself with the shared {@code callback-token}, compared in constant time: 401 without one, 403 with a
 * wrong one):
 * <ul>
 *   <li>{@code GET|POST /gateway/kannel/dlr?id=&type=%d&reply=%A&ts=%T&fid=%F&token=}: a delivery report, the
 *       dlr-url {@link KannelGateway} puts on each submission → {@link SmsSink#report};
 *   <li>{@code GET|POST /gateway/kannel/inbound?from=%p&to=%P&text=%a&coding=%c&charset=%C&id=%I&ts=%T&token=}: an
 *       inbound message, the {@code get-url} of smsbox's {@code sms-service} → {@link SmsSink#receive}.
 * </ul>
 * Both answer an empty 200 once what they carry is kept, 503 when it could not be kept now (smsbox calls again,
 * {@code http-request-retry}), 200 too when calling again would not help (an empty answer makes smsbox send no
 * reply SMS, with {@code max-messages = 0} in the sms-service it would not anyway). Parameters are read from the raw query as bytes: with
 * {@code mo-recode = true} (ops/kannel) smsbox sends UCS-2 messages as UTF-8 ({@code coding=0&charset=UTF-8});
 * without it, {@code text} is the raw UTF-16BE bytes ({@code coding=2&charset=UTF-16BE}), which this class decodes
 * too. For a POST (smsbox's {@code post-url}) without a {@code text} parameter the body is the text, in the
 * charset of its Content-Type.
 */
public final class KannelRoutes {
  private static final Logger log = LoggerFactory.getLogger(KannelRoutes.class);

  /** The gateway's name on messages, reports and logs. */
  public static final String GATEWAY = "kannel";
  public static final String DLR_PATH = "/gateway/kannel/dlr";
  public static final String INBOUND_PATH = "/gateway/kannel/inbound";

  private final SmsSink sink;
  private final byte[] token;

  /** {@code callbackToken}: the shared secret (empty: every callback is refused). */
  public KannelRoutes(String callbackToken, SmsSink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.token = Objects.requireNonNull(callbackToken, "callbackToken").getBytes(StandardCharsets.UTF_8);
    if (token.length == 0) log.warn("openvoice.sms.kannel.callback-token is empty: every Kannel callback is refused");
  }

  public KannelRoutes(KannelSettings settings, SmsSink sink) {
    this(settings.callbackToken(), sink);
  }

  /** Adds the four routes (GET and POST of both paths) to {@code router}, without user authentication. */
  public Router register(Router router) {
    for (String method : new String[] {"GET", "POST"}) {
      router.addPublic(method, DLR_PATH, req -> deliveryReport(params(req)));
      router.addPublic(method, INBOUND_PATH, req -> inbound(params(req), req));
    }
    return router;
  }

  /**
   * Answers Kannel once the report is kept: 200 (also when it is about no message of ours: sending it again would
   * not help), 503 when it could not be kept now, so Kannel retries the dlr-url; a malformed call is a 400.
   */
  private CompletionStage<Reply> deliveryReport(Map<String, byte[]> p) {
    String id = utf8(p.get("id"));
    String type = utf8(p.get("type"));
    if (id == null || id.isBlank()) throw new ApiException(400, "id is required");
    SmsSink.DlrStatus status = dlrStatus(type);
    if (status == null) throw new ApiException(400, "type must be one of 1, 2, 4, 8, 16: " + type);
    String reply = utf8(p.get("reply"));
    String fid = utf8(p.get("fid")); // the SMSC's message id: the message's reference_id
    if (fid != null && (fid.isBlank() || fid.length() > 255)) fid = null;
    SmsSink.DeliveryReport report = new SmsSink.DeliveryReport(GATEWAY, id, status, reply == null ? "" : reply,
        time(utf8(p.get("ts"))), fid);
    log.debug("Kannel DLR {} (smsc {}): {}", report, utf8(p.get("smsc")), reply);
    return sink.report(report).handle((done, err) -> {
      if (err == null) return ok();
      Throwable cause = unwrap(err);
      if (permanent(cause)) {
        log.info("Kannel DLR {} for {} not kept: {}", status, id, cause.getMessage());
        return ok();
      }
      log.warn("Kannel DLR {} for {} not kept now ({}); answering 503 so Kannel sends it again", status, id,
          cause.toString());
      return unavailable();
    });
  }

  private static Throwable unwrap(Throwable err) {
    return err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
  }

  /** A failure that handing the same callback over again would not change. */
  private static boolean permanent(Throwable cause) {
    return cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
        || cause instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage;
  }

  private static Reply unavailable() {
    return new Reply(503, HttpResponse.create().withStatus(503), Map.of());
  }

  /**
   * Answers smsbox once the message is kept: 200 (also when it is not for us: handing it over again would not
   * help), 503 when it could not be kept now, so smsbox retries ({@code http-request-retry}) and the retried
   * message, with the same {@code %I} id, is kept once.
   */
  private CompletionStage<Reply> inbound(Map<String, byte[]> p, Req req) {
    String from = utf8(p.get("from"));
    String to = utf8(p.get("to"));
    if (from == null || from.isEmpty() || to == null || to.isEmpty()) throw new ApiException(400, "from and to are required");
    String text;
    if (p.containsKey("text")) {
      text = decodeText(p.get("text"), utf8(p.get("coding")), utf8(p.get("charset")));
    } else if (req.body().length > 0) {
      text = new String(req.body(), bodyCharset(req));
    } else {
      text = "";
    }
    String id = utf8(p.get("id"));
    SmsSink.InboundSms sms = new SmsSink.InboundSms(GATEWAY, id == null || id.isEmpty() ? null : id, from, to, text,
        time(utf8(p.get("ts"))));
    log.debug("Kannel inbound {} from {} to {}", sms.gatewayId(), from, to);
    return sink.receive(sms).handle((kept, err) -> {
      if (err == null) return ok();
      Throwable cause = unwrap(err);
      if (permanent(cause)) {
        log.info("Kannel inbound {} from {} to {} not kept: {}", sms.gatewayId(), from, to, cause.getMessage());
        return ok();
      }
      log.warn("Kannel inbound {} from {} to {} not kept now ({}); answering 503 so smsbox retries",
          sms.gatewayId(), from, to, cause.toString());
      return unavailable();
    });
  }

  private static Reply ok() {
    return new Reply(200, HttpResponse.create(), Map.of());
  }

  /** Kannel's DLR type (%d) → status; null when it is none of the five. */
  static SmsSink.DlrStatus dlrStatus(String type) {
    if (type == null) return null;
    return switch (type.trim()) {
      case "1" -> SmsSink.DlrStatus.DELIVERED;
      case "2" -> SmsSink.DlrStatus.UNDELIVERABLE;
      case "4" -> SmsSink.DlrStatus.BUFFERED;
      case "8" -> SmsSink.DlrStatus.SMSC_ACCEPTED;
      case "16" -> SmsSink.DlrStatus.SMSC_REJECTED;
      default -> null;
    };
  }

  /**
   * The message text from its bytes: {@code coding} 2 (UCS-2) without a charset, or with UTF-16BE / UCS-2, is
   * UTF-16BE; otherwise the named charset, UTF-8 when none or unknown.
   */
  static String decodeText(byte[] bytes, String coding, String charset) {
    String cs = charset == null ? "" : charset.trim().toUpperCase(Locale.ROOT);
    Charset decodeWith;
    if ("2".equals(coding == null ? null : coding.trim()) && (cs.isEmpty() || cs.startsWith("UCS-2") || cs.startsWith("UTF-16"))) {
      decodeWith = StandardCharsets.UTF_16BE;
    } else if (cs.isEmpty()) {
      decodeWith = StandardCharsets.UTF_8;
    } else {
      try {
        decodeWith = "UCS-2".equals(cs) ? StandardCharsets.UTF_16BE : Charset.forName(cs);
      } catch (RuntimeException e) {
        decodeWith = StandardCharsets.UTF_8;
      }
    }
    return new String(bytes, decodeWith);
  }

  private static Charset bodyCharset(Req req) {
    return req.http().entity().getContentType().getCharsetOption().map(c -> {
      try {
        return c.nioCharset();
      } catch (RuntimeException e) {
        return StandardCharsets.UTF_8;
      }
    }).orElse(StandardCharsets.UTF_8);
  }

  /** %T is Unix seconds; anything else (or nothing) means now. */
  private static Instant time(String ts) {
    if (ts != null) {
      try {
        long s = Long.parseLong(ts.trim());
        if (s > 0) return Instant.ofEpochSecond(s);
      } catch (NumberFormatException e) {
        // not a number: now
      }
    }
    return Instant.now();
  }

  /** The parameters as bytes after checking the token (constant time). */
  private Map<String, byte[]> params(Req req) {
    Map<String, byte[]> p = parseQuery(req.http().getUri().rawQueryString().orElse(""));
    byte[] given = p.get("token");
    if (given == null || given.length == 0) {
      log.debug("Kannel callback {} without a token: refused", req.http().getUri().path());
      throw new ApiException(401, "Unauthorized: token required");
    }
    if (token.length == 0 || !MessageDigest.isEqual(token, given)) {
      log.debug("Kannel callback {} with a wrong token: refused", req.http().getUri().path());
      throw new ApiException(403, "Forbidden: bad token");
    }
    return p;
  }

  /** application/x-www-form-urlencoded → name → value bytes (the first of a repeated name wins). */
  static Map<String, byte[]> parseQuery(String raw) {
    Map<String, byte[]> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = new String(unescape(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
      byte[] value = eq < 0 ? new byte[0] : unescape(pair.substring(eq + 1));
      out.putIfAbsent(name, value);
    }
    return out;
  }

  /** Form decoding to bytes: '+' is a space, %XX a byte; a malformed escape stays as it is. */
  static byte[] unescape(String s) {
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        out.write(' ');
      } else if (b == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
        out.write((Character.digit(in[i + 1], 16) << 4) | Character.digit(in[i + 2], 16));
        i += 2;
      } else {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
