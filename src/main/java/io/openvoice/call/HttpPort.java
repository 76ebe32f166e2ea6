package io.openvoice.call;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Outbound HTTP for call flows (call-flow URL, Callback, Gather url, Curl). Non-blocking; the stage fails with an
 * exception whose message says why (timeout, refused by the SSRF guard, connection failed, too large).
 */
public interface HttpPort {
  CompletionStage<Response> send(Request request);

  /** {@code query} is appended to the URL; {@code body} with {@code contentType} is sent as is (null: none). */
  record Request(String method, String url, Map<String, String> query, String body, String contentType,
                 Map<String, String> headers, Duration timeout) {}

  record Response(int status, String body) {}
}
