package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.common.Json;
import io.openvoice.events.SubscriptionsEntity;
import io.openvoice.events.SubscriptionsEntity.Subscription;
import io.openvoice.node.Platform;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * WebSocket event subscriptions (reference 3.11): each user's own, kept by {@link SubscriptionsEntity}. A change is
 * announced to every node so open connections of the user re-read them at once.
 */
final class SubscriptionApi {
  private final Platform p;
  private final Asks asks;

  SubscriptionApi(Platform p, Asks asks) {
    this.p = p;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/event/subscription", this::list);
    r.add("POST", "/rest/event/subscription", this::create);
    r.add("DELETE", "/rest/event/subscription/{uuid}", this::remove);
  }

  private CompletionStage<Reply> list(Req req) {
    Principal who = req.principal();
    return p.sharding.entityRefFor(SubscriptionsEntity.TYPE_KEY, who.userId())
        .ask(SubscriptionsEntity.ListAll::new, p.askTimeout)
        .thenCombine(user(who), (subs, user) -> Reply.ok(subs.subscriptions().stream().map(s -> json(s, user)).toList()));
  }

  private CompletionStage<Reply> create(Req req) {
    ObjectNode b = req.json();
    String type = Fields.str(b, "type", null);
    if (type == null || type.isBlank()) throw ApiException.badField("type", "is required", null);
    if (!SubscriptionsEntity.TYPES.contains(type)) {
      throw ApiException.badField("type", "must be one of " + new TreeSet<>(SubscriptionsEntity.TYPES), type);
    }
    String channel = Fields.str(b, "channel", "wss");
    if (channel == null) channel = "wss";
    if (!"wss".equals(channel)) throw ApiException.badField("channel", "must be \"wss\"", channel);
    boolean active = Fields.bool(b, "is_active", true);
    Instant expiredOn = Fields.instant(b, "expired_on", null);
    Principal who = req.principal();
    Instant now = Instant.now();
    Subscription s = new Subscription(UUID.randomUUID().toString(), who.accountId(), type, channel, active, expiredOn,
        now, now);
    return user(who).thenCompose(user -> p.sharding.entityRefFor(SubscriptionsEntity.TYPE_KEY, who.userId())
        .<Subscription>askWithStatus(r -> new SubscriptionsEntity.Add(s, r), p.askTimeout)
        .thenApply(saved -> {
          p.eventHub.subscriptionsChanged(who.userId());
          return Reply.created(json(saved, user));
        }));
  }

  private CompletionStage<Reply> remove(Req req) {
    String uuid = req.var("uuid");
    if (!Fields.isUuid(uuid)) throw ApiException.notFound();
    Principal who = req.principal();
    return user(who).thenCompose(user -> p.sharding.entityRefFor(SubscriptionsEntity.TYPE_KEY, who.userId())
        .<Subscription>askWithStatus(r -> new SubscriptionsEntity.Remove(uuid.toLowerCase(java.util.Locale.ROOT), r),
            p.askTimeout)
        .thenApply(gone -> {
          p.eventHub.subscriptionsChanged(who.userId());
          return Reply.ok(json(gone, user));
        }));
  }

  /** An optional ISO-8601 instant ({@code 2030-01-01T00:00:00Z} or with an offset); null when absent or null. */
  /** The caller as the subscription shows it: the user with its account. */
  private CompletionStage<Map<String, Object>> user(Principal who) {
    return asks.<AccountEntity.State>account(who.accountId(), AccountEntity.Get::new).thenApply(acc -> {
      AccountEntity.User u = acc.users().get(who.userId());
      if (u == null) throw new ApiException(401, "Unauthorized: user no longer exists");
      Map<String, Object> user = AccountApi.userJson(u);
      user.put("account", AuthApi.accountJson(acc));
      return user;
    });
  }

  /** {@code is_active} is false once {@code expired_on} has passed, whatever was set. */
  static Map<String, Object> json(Subscription s, Map<String, Object> user) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", s.uuid());
    m.put("created_on", Json.iso(s.createdOn()));
    m.put("modified_on", Json.iso(s.modifiedOn()));
    m.put("channel", s.channel());
    m.put("type", s.type());
    m.put("is_active", s.activeAt(Instant.now()));
    m.put("expired_on", Json.iso(s.expiredOn()));
    m.put("user", user);
    return m;
  }

}
