package io.openvoice.webhook;

import io.openvoice.call.HttpPort;
import io.openvoice.http.HttpRequestSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP request of one webhook attempt (reference 3.6): POST sends the event JSON as the body; GET sends
 * {@code state}, {@code from}, {@code to}, {@code type}, {@code call} (uuid) and {@code event} (id) in the query,
 * after any query the URL has. Signed ({@link WebhookSignature}) over the body, or over the whole query string as
 * sent for GET; {@code X-Opentact-Event-Id} and {@code Idempotency-Key} carry the event id, the same on every retry.
 */
public final class WebhookRequests {
  private WebhookRequests() {}

  /** What the request is about. {@code json}: the event as on the bus and WebSocket (reference 6.2-6.4). */
  public record Event(String id, String type, String callId, String state, String from, String to, String json) {}

  /** The request and the exact text its signature covers. */
  public record Built(HttpPort.Request request, String signedPayload) {}

  public static Built build(String method, String url, Duration timeout, String secret, long nowSeconds, Event ev) {
    boolean get = "GET".equalsIgnoreCase(method);
    String target = url;
    int hash = target.indexOf('#');
    if (hash >= 0) target = target.substring(0, hash);
    String payload;
    String body = null;
    String contentType = null;
    if (get) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("state", ev.state());
      q.put("from", ev.from());
      q.put("to", ev.to());
      q.put("type", ev.type());
      q.put("call", ev.callId());
      q.put("event", ev.id());
      StringBuilder ours = new StringBuilder();
      q.forEach((k, v) -> {
        if (v == null) return;
        if (ours.length() > 0) ours.append('&');
        ours.append(HttpRequestSpec.encode(k)).append('=').append(HttpRequestSpec.encode(v));
      });
      int qm = target.indexOf('?');
      String existing = qm < 0 ? "" : target.substring(qm + 1);
      String base = qm < 0 ? target : target.substring(0, qm);
      payload = existing.isEmpty() ? ours.toString() : existing + "&" + ours;
      target = base + "?" + payload;
    } else {
      payload = ev.json();
      body = ev.json();
      contentType = "application/json";
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(WebhookSignature.HEADER, WebhookSignature.header(secret, nowSeconds, payload));
    headers.put(WebhookSignature.EVENT_ID_HEADER, ev.id());
    headers.put("X-Opentact-Event-Type", ev.type());
    headers.put("Idempotency-Key", ev.id());
    return new Built(new HttpPort.Request(get ? "GET" : "POST", target, Map.of(), body, contentType, headers, timeout),
        payload);
  }
}
