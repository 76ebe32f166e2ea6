package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.auth.Passwords;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code GET /rest/auth} and API tokens (reference 3.1). */
final class AuthApi {
  private final Platform p;
  private final Asks asks;

  AuthApi(Platform p, Asks asks) {
    this.p = p;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/auth", this::auth);
    r.add("POST", "/rest/token", this::createToken);
    r.add("GET", "/rest/token/list", this::listTokens);
    r.add("DELETE", "/rest/token/all", req -> removeTokens(req, null));
    r.add("DELETE", "/rest/token/{token}", req -> removeTokens(req, req.var("token")));
  }

  /** The user with a fresh JWT in {@code token}, and the account. */
  private CompletionStage<Reply> auth(Req req) {
    Principal who = req.principal();
    return asks.<AccountEntity.State>account(who.accountId(), AccountEntity.Get::new).thenApply(acc -> {
      AccountEntity.User u = acc.users().get(who.userId());
      if (u == null) throw new ApiException(401, "Unauthorized: user no longer exists");
      Map<String, Object> user = AccountApi.userJson(u);
      user.put("wss_online", false);
      user.put("token", p.jwt.issue(u.uuid(), acc.uuid(), u.role(), Instant.now()));
      user.put("account", accountJson(acc));
      return Reply.ok(user);
    });
  }

  static Map<String, Object> accountJson(AccountEntity.State acc) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("uuid", acc.uuid());
    a.put("email", acc.email());
    a.put("name", acc.name());
    a.put("level", acc.level());
    a.put("time_zone", acc.timeZone());
    a.put("balance", 0);
    a.put("created_on", Json.iso(acc.createdOn()));
    a.put("modified_on", Json.iso(acc.modifiedOn()));
    a.put("deleted_on", null);
    return a;
  }

  private CompletionStage<Reply> createToken(Req req) {
    ObjectNode b = req.json();
    String name = b.path("name").asText("token");
    long ttl = 86400;
    if (b.has("ttl")) {
      if (!b.get("ttl").canConvertToLong()) throw ApiException.badField("ttl", "invalid integer number", b.get("ttl").asText());
      ttl = b.get("ttl").asLong();
      if (ttl < 60) throw ApiException.badField("ttl", "must be at least 60 seconds", ttl);
    }
    String token = Passwords.randomSecret(32);
    String hash = Passwords.sha256Hex(token);
    Instant now = Instant.now();
    Instant exp = now.plusSeconds(ttl);
    String uuid = UUID.randomUUID().toString();
    Principal who = req.principal();
    return asks.<IndexEntity.Value>index(IndexEntity.tokenId(hash),
            r -> new IndexEntity.PutIfAbsent(new IndexEntity.ApiToken(uuid, name, who.accountId(), who.userId(), exp, now), r))
        .thenCompose(v -> asks.<AccountEntity.State>account(who.accountId(),
            r -> new AccountEntity.AddToken(new AccountEntity.TokenMeta(uuid, name, who.userId(), hash, exp, now), r)))
        .thenApply(acc -> {
          Map<String, Object> t = tokenJson(new AccountEntity.TokenMeta(uuid, name, who.userId(), hash, exp, now));
          t.put("token", token);
          return Reply.created(t);
        });
  }

  private CompletionStage<Reply> listTokens(Req req) {
    return asks.<AccountEntity.State>account(req.principal().accountId(), AccountEntity.Get::new)
        .thenApply(acc -> Reply.ok(acc.tokens().values().stream()
            .filter(t -> t.userId().equals(req.principal().userId())).map(AuthApi::tokenJson).toList()));
  }

  private CompletionStage<Reply> removeTokens(Req req, String token) {
    String key = token == null ? null : (token.length() == 36 && token.charAt(8) == '-' ? token : Passwords.sha256Hex(token));
    // "all" is the caller's own tokens (as the list shows them); one token by its id: the caller's own, or any of
    // the account's for an Admin
    Principal who = req.principal();
    String owner = token != null && who.isAdmin() ? null : who.userId();
    return asks.<AccountEntity.RemovedTokens>account(who.accountId(), r -> new AccountEntity.RemoveTokens(key, owner, r))
        .thenApply(AccountEntity.RemovedTokens::tokens)
        .thenCompose(removed -> {
          if (token != null && removed.isEmpty()) throw ApiException.notFound();
          CompletableFuture<?>[] all = removed.stream()
              .map(t -> asks.<Boolean>index(IndexEntity.tokenId(t.tokenHash()), IndexEntity.Delete::new).toCompletableFuture())
              .toArray(CompletableFuture[]::new);
          return CompletableFuture.allOf(all).thenApply(x -> Reply.ok(removed.stream().map(AuthApi::tokenJson).toList()));
        });
  }

  private static Map<String, Object> tokenJson(AccountEntity.TokenMeta t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", t.uuid());
    m.put("name", t.name());
    m.put("expired_on", Json.iso(t.expiredOn()));
    m.put("user", t.userId());
    m.put("created_on", Json.iso(t.createdOn()));
    m.put("modified_on", Json.iso(t.createdOn()));
    return m;
  }
}
