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
 * An account's call limits: what it may start per second and keep live at once, with its current use, and its
 * prepaid SMS balance ({@code GET /rest/account/limits}); the platform operator's admins set them per account
 * ({@code PATCH /rest/account/{uuid}/limits}: absent fields are kept, null = the platform default / unlimited;
 * {@code sms_balance_add} adds to the balance atomically with the messages taking from it).
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
    // validated up front: nothing changes when one field is wrong
    boolean setCps = b.has("cps_limit");
    Integer cps = limit(b, "cps_limit");
    boolean setConcurrent = b.has("concurrent_calls_limit");
    Integer concurrent = limit(b, "concurrent_calls_limit");
    boolean setBalance = b.has("sms_balance");
    Long balance = smsBalance(b);
    Long add = smsBalanceAdd(b);
    if (setBalance && add != null) {
      throw ApiException.badField("sms_balance_add", "cannot be given with sms_balance: set the balance or add to it",
          add);
    }
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .exceptionally(e -> {
          throw ApiException.notFound();
        })
        // the balance first: when it is refused (an addition to an unlimited balance) nothing else has changed
        .thenCompose(acc -> {
          if (setBalance) return p.smsBalance.set(account, balance);
          if (add == null) return java.util.concurrent.CompletableFuture.completedFuture(null);
          return p.smsBalance.adjust(account, add).exceptionally(e -> {
            if (io.openvoice.common.Errors.unwrap(e) instanceof io.openvoice.limits.SmsBalance.Unlimited) {
              throw ApiException.badField("sms_balance_add", "the account's SMS balance is unlimited: set "
                  + "sms_balance first", add);
            }
            throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
          });
        })
        .thenCompose(x -> p.sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
            .<AccountLimitsEntity.Limits>ask(r -> new AccountLimitsEntity.Update(setCps, cps, setConcurrent, concurrent,
                r), p.askTimeout))
        .thenCompose(saved -> {
          p.sharding.entityRefFor(CallAdmission.TYPE_KEY, account).tell(new CallAdmission.Reload());
          return usage(account);
        })
        .thenApply(Reply::ok);
  }

  /** A positive whole number, or null for the platform default (also when absent: the caller checks presence). */
  private static Integer limit(ObjectNode b, String field) {
    if (!b.has(field)) return null;
    JsonNode n = b.get(field);
    if (n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw ApiException.badField(field, "must be a positive integer, or null for the platform default", n.toString());
    }
    return n.asInt();
  }

  /** A whole number of SMS parts ≥ 0, or null for unlimited (also when absent). */
  private static Long smsBalance(ObjectNode b) {
    if (!b.has("sms_balance")) return null;
    JsonNode n = b.get("sms_balance");
    if (n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
      throw ApiException.badField("sms_balance", "must be a whole number of SMS parts (0 or more), or null for unlimited",
          n.toString());
    }
    return n.asLong();
  }

  /** Parts to add to the balance (negative: to take), a whole number other than 0; absent or null: none. */
  private static Long smsBalanceAdd(ObjectNode b) {
    JsonNode n = b.get("sms_balance_add");
    if (n == null || n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() == 0) {
      throw ApiException.badField("sms_balance_add", "must be a whole number of SMS parts to add (negative: to take), "
          + "not 0", n.toString());
    }
    return n.asLong();
  }

  private CompletionStage<Map<String, Object>> usage(String account) {
    CompletionStage<AccountLimitsEntity.Limits> stored = p.sharding.entityRefFor(AccountLimitsEntity.TYPE_KEY, account)
        .ask(AccountLimitsEntity.Get::new, p.askTimeout);
    CompletionStage<CallAdmission.Snapshot> now = p.sharding.entityRefFor(CallAdmission.TYPE_KEY, account)
        .ask(CallAdmission.Usage::new, p.askTimeout);
    CompletionStage<Long> balance = p.smsBalance.balance(account);
    return stored.thenCombine(now, (l, s) -> new Object[] {l, s}).thenCombine(balance, (ls, sms) -> {
      AccountLimitsEntity.Limits l = (AccountLimitsEntity.Limits) ls[0];
      CallAdmission.Snapshot s = (CallAdmission.Snapshot) ls[1];
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", account);
      m.put("cps_limit", l.cps());
      m.put("concurrent_calls_limit", l.concurrentCalls());
      m.put("sms_balance", sms);
      m.put("effective_cps_limit", s.cps());
      m.put("effective_concurrent_calls_limit", s.concurrentCalls());
      m.put("live_calls", s.liveCalls());
      m.put("calls_started_last_second", s.startsLastSecond());
      return m;
    });
  }
}
