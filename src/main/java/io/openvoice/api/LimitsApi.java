package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.limits.AccountLimitsEntity;
import io.openvoice.limits.CallAdmission;
import io.openvoice.node.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An account's call limits: what it may start per second and keep live at once, with its current use
 * ({@code GET /rest/account/limits}); the platform operator's admins set them per account
 * ({@code PATCH /rest/account/{uuid}/limits}, null = the platform default).
 */
final class LimitsApi {
  private final Platform p;
  private final Asks asks;

  LimitsApi(Platform p, Asks asks) {
    this.p = p;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/account/limits", req -> usage(req.principal().accountId()).thenApply(Reply::ok));
    r.add("PATCH", "/rest/account/{uuid}/limits", this::set);
  }

  private CompletionStage<Reply> set(Req req) {
    Principal who = req.principal();
    String account = req.var("uuid");
    if (!Fields.isUuid(account)) throw ApiException.notFound();
    if (!who.operator() || !who.isAdmin()) {
      if (!account.equals(who.accountId())) throw ApiException.notFound();
      throw new ApiException(403, "Forbidden: an account's limits are set by the platform operator's Admins");
    }
    ObjectNode b = req.json();
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .exceptionally(e -> {
          throw ApiException.notFound();
        })
        .thenCompose(acc -> p.sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
            .<AccountLimitsEntity.Limits>ask(AccountLimitsEntity.Get::new, p.askTimeout))
        .thenCompose(current -> {
          AccountLimitsEntity.Limits next = new AccountLimitsEntity.Limits(
              limit(b, "cps_limit", current.cps()), limit(b, "concurrent_calls_limit", current.concurrentCalls()),
              smsBalance(b, current.smsBalance()));
          return p.sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
              .<AccountLimitsEntity.Limits>ask(r -> new AccountLimitsEntity.Set(next, r), p.askTimeout);
        })
        .thenCompose(saved -> {
          p.sharding.entityRefFor(CallAdmission.TYPE_KEY, account).tell(new CallAdmission.Reload());
          return usage(account);
        })
        .thenApply(Reply::ok);
  }

  /** A positive whole number, or null for the platform default; absent keeps {@code current}. */
  private static Integer limit(ObjectNode b, String field, Integer current) {
    if (!b.has(field)) return current;
    JsonNode n = b.get(field);
    if (n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw ApiException.badField(field, "must be a positive integer, or null for the platform default", n.toString());
    }
    return n.asInt();
  }

  /** A whole number of SMS parts ≥ 0, or null for unlimited; absent keeps {@code current}. */
  private static Long smsBalance(ObjectNode b, Long current) {
    if (!b.has("sms_balance")) return current;
    JsonNode n = b.get("sms_balance");
    if (n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
      throw ApiException.badField("sms_balance", "must be a whole number of SMS parts (0 or more), or null for unlimited",
          n.toString());
    }
    return n.asLong();
  }

  private CompletionStage<Map<String, Object>> usage(String account) {
    CompletionStage<AccountLimitsEntity.Limits> stored = p.sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
        .ask(AccountLimitsEntity.Get::new, p.askTimeout);
    CompletionStage<CallAdmission.Snapshot> now = p.sharding.entityRefFor(CallAdmission.TYPE_KEY, account)
        .ask(CallAdmission.Usage::new, p.askTimeout);
    return stored.thenCombine(now, (l, s) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", account);
      m.put("cps_limit", l.cps());
      m.put("concurrent_calls_limit", l.concurrentCalls());
      m.put("sms_balance", l.smsBalance());
      m.put("effective_cps_limit", s.cps());
      m.put("effective_concurrent_calls_limit", s.concurrentCalls());
      m.put("live_calls", s.liveCalls());
      m.put("calls_started_last_second", s.startsLastSecond());
      return m;
    });
  }
}
