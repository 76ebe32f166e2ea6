package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.call.CallView;
import io.openvoice.common.Json;
import io.openvoice.events.EventJson;
import io.openvoice.events.PlatformEvent;
import io.openvoice.node.Platform;
import io.openvoice.webhook.WebhookOutcome;
import io.openvoice.webhook.WebhookRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Webhook signing and testing: {@code GET|POST /rest/account/webhook/secret} (the account's signing secret; POST
 * replaces it; Admins only) and {@code POST /rest/event/webhook/test {url, method}} (reference 7, INFERRED): one
 * signed sample call_state event through the same client and SSRF guard as real webhooks, no retries.
 */
final class WebhookApi {
  private static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

  private final Platform p;
  private final Asks asks;

  WebhookApi(Platform p, Asks asks) {
    this.p = p;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/account/webhook/secret", req -> secret(req, AccountEntity.GetWebhookSecret::new));
    r.add("POST", "/rest/account/webhook/secret", req -> secret(req, AccountEntity.RotateWebhookSecret::new));
    r.add("POST", "/rest/event/webhook/test", this::test);
  }

  private CompletionStage<Reply> secret(Req req,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<String>>,
          AccountEntity.Command> command) {
    Principal who = req.principal();
    if (!who.isAdmin()) throw new ApiException(403, "Forbidden: only an Admin of the account sees or rotates its webhook secret");
    return asks.<String>account(who.accountId(), command::apply).thenApply(s -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("secret", s);
      out.put("algorithm", "HMAC-SHA256");
      out.put("header", "X-Opentact-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">");
      return Reply.ok(out);
    });
  }

  private CompletionStage<Reply> test(Req req) {
    ObjectNode b = req.json();
    String url = AppApi.url(b, "url", null); // validated like an app's webhook_url
    if (url == null) throw ApiException.badField("url", "is required", null);
    String m = Fields.str(b, "method", "POST");
    String method = m == null ? "POST" : m.trim().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("POST")) throw ApiException.badField("method", "must be GET or POST", m);
    String account = req.principal().accountId();
    PlatformEvent ev = sample(account);
    String target = url;
    Duration timeout = TEST_TIMEOUT.compareTo(p.webhookSettings.maxRequestTimeout()) < 0
        ? TEST_TIMEOUT : p.webhookSettings.maxRequestTimeout();
    return asks.<String>account(account, AccountEntity.GetWebhookSecret::new).thenCompose(secret -> {
      long t0 = System.nanoTime();
      WebhookRequests.Built built = WebhookRequests.build(method, target, timeout, secret,
          Instant.now().getEpochSecond(), new WebhookRequests.Event(ev.uuid(), ev.type(), ev.refId(), "live",
              "+12015550123", "12025550100", ev.json()));
      return p.http.send(built.request()).handle((res, err) -> {
        WebhookOutcome o = WebhookOutcome.of(res == null ? 0 : res.status(), err);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", target);
        out.put("method", method);
        out.put("status", res == null ? 0 : res.status());
        out.put("duration_ms", (System.nanoTime() - t0) / 1_000_000);
        out.put("error", err == null ? null : o.error());
        out.put("event", ev.uuid());
        return Reply.ok(out);
      });
    });
  }

  /** A call_state "live" event of a made-up inbound call, marked {@code "test": true}. */
  static PlatformEvent sample(String accountId) {
    Instant now = Instant.now();
    CallView call = new CallView(UUID.randomUUID().toString(), "CallSCA", "in", "+12015550123", "12025550100", "live",
        "online", 0, now, now, now, now, now, null, null, null, null, null, null, new CallView.Tn("12025550100"), null,
        new CallView.Account(accountId), null, Map.of(), null);
    PlatformEvent ev = EventJson.callState(call, "live");
    try {
      ObjectNode json = (ObjectNode) Json.MAPPER.readTree(ev.json());
      json.put("test", true);
      return new PlatformEvent(ev.uuid(), ev.type(), ev.accountId(), ev.refId(), ev.createdOn(), json.toString());
    } catch (java.io.IOException e) {
      return ev;
    }
  }
}
