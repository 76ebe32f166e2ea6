package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.auth.Passwords;
import io.openvoice.common.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The account and its users (reference 3.1: {@code GET /account}, {@code GET /account/{uuid}},
 * {@code GET|POST /account/user}, {@code PUT|DELETE /account/user/{uuid}}), plus {@code POST /rest/account}: a
 * self-hosted platform's operator (an Admin of the bootstrap account) creates customer accounts with it.
 */
final class AccountApi {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Set<String> ROLES = Set.of("Admin", "User");
  private static final int MIN_PASSWORD = 8;

  private final Asks asks;
  private final Executor blocking;

  AccountApi(Asks asks, Executor blocking) {
    this.asks = asks;
    this.blocking = blocking;
  }

  void register(Router r) {
    r.add("GET", "/rest/account", req -> asks.<AccountEntity.State>account(req.principal().accountId(), AccountEntity.Get::new)
        .thenApply(acc -> Reply.ok(AuthApi.accountJson(acc))));
    r.add("POST", "/rest/account", this::createAccount);
    r.add("GET", "/rest/account/user", req -> asks.<AccountEntity.State>account(req.principal().accountId(), AccountEntity.Get::new)
        .thenApply(acc -> Reply.ok(acc.users().values().stream().map(AccountApi::userJson).toList())));
    r.add("POST", "/rest/account/user", this::addUser);
    r.add("PUT", "/rest/account/user/{uuid}", this::updateUser);
    r.add("PATCH", "/rest/account/user/{uuid}", this::updateUser);
    r.add("DELETE", "/rest/account/user/{uuid}", this::removeUser);
    r.add("GET", "/rest/account/{uuid}", this::getAccount);
  }

  /** Its own account for anyone; any account for the operator; 404 otherwise (never reveals that it exists). */
  private CompletionStage<Reply> getAccount(Req req) {
    String id = req.var("uuid");
    if (!AppApi.isUuid(id)) throw ApiException.notFound();
    if (!id.equals(req.principal().accountId()) && !req.principal().operator()) throw ApiException.notFound();
    return asks.<AccountEntity.State>account(id, AccountEntity.Get::new)
        .exceptionally(e -> {
          throw ApiException.notFound();
        })
        .thenApply(acc -> Reply.ok(AuthApi.accountJson(acc)));
  }

  private CompletionStage<Reply> createAccount(Req req) {
    Principal who = req.principal();
    if (!who.operator() || !who.isAdmin()) {
      throw new ApiException(403, "Forbidden: only an Admin of the operator account creates accounts");
    }
    ObjectNode b = req.json();
    String name = text(b, "name", true);
    String email = email(b);
    String password = password(b, true);
    String tz = text(b, "time_zone", false);
    if (tz != null) {
      try {
        ZoneId.of(tz);
      } catch (Exception e) {
        throw ApiException.badField("time_zone", "unknown time zone", tz);
      }
    }
    String accountId = UUID.randomUUID().toString();
    AccountEntity.User owner = new AccountEntity.User(UUID.randomUUID().toString(), email, "Admin",
        text(b, "first_name", false), text(b, "last_name", false), Instant.now());
    return claimLogin(owner, accountId, password)
        .thenCompose(v -> asks.<AccountEntity.State>account(accountId,
            r -> new AccountEntity.Create(name, email, tz, null, owner, r)))
        .thenApply(acc -> {
          Map<String, Object> out = AuthApi.accountJson(acc);
          out.put("users", List.of(userJson(owner)));
          return Reply.created(out);
        });
  }

  private CompletionStage<Reply> addUser(Req req) {
    requireAdmin(req.principal());
    ObjectNode b = req.json();
    String email = email(b);
    String password = password(b, true);
    String role = role(b, "User");
    AccountEntity.User user = new AccountEntity.User(UUID.randomUUID().toString(), email, role,
        text(b, "first_name", false), text(b, "last_name", false), Instant.now());
    String account = req.principal().accountId();
    return claimLogin(user, account, password)
        .thenCompose(v -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.PutUser(user, r)))
        .thenApply(acc -> Reply.created(userJson(user)));
  }

  /** Names and role in the account; email and password in the login index (a new email moves the login). */
  private CompletionStage<Reply> updateUser(Req req) {
    Principal who = req.principal();
    String id = req.var("uuid");
    boolean self = id.equals(who.userId());
    if (!self) requireAdmin(who);
    ObjectNode b = req.json();
    String password = password(b, false);
    return asks.<AccountEntity.State>account(who.accountId(), AccountEntity.Get::new).thenCompose(acc -> {
      AccountEntity.User u = acc.users().get(id);
      if (u == null) throw ApiException.notFound();
      String role = b.has("role") ? role(b, u.role()) : u.role();
      if (!role.equals(u.role()) && !who.isAdmin()) throw new ApiException(403, "Forbidden: only an Admin changes roles");
      AccountEntity.User next = new AccountEntity.User(u.uuid(), u.email(), role,
          b.has("first_name") ? text(b, "first_name", false) : u.firstName(),
          b.has("last_name") ? text(b, "last_name", false) : u.lastName(), u.createdOn());
      CompletionStage<?> login = password == null && role.equals(u.role()) ? CompletableFuture.completedFuture(null)
          : replaceLogin(next, acc.uuid(), password);
      return login.thenCompose(x -> asks.<AccountEntity.State>account(acc.uuid(), r -> new AccountEntity.PutUser(next, r)))
          .thenApply(a -> Reply.ok(userJson(next)));
    });
  }

  private CompletionStage<Reply> removeUser(Req req) {
    Principal who = req.principal();
    requireAdmin(who);
    String id = req.var("uuid");
    return asks.<AccountEntity.State>account(who.accountId(), AccountEntity.Get::new).thenCompose(acc -> {
      AccountEntity.User u = acc.users().get(id);
      if (u == null) throw ApiException.notFound();
      return asks.<AccountEntity.RemovedTokens>account(acc.uuid(), r -> new AccountEntity.RemoveUser(id, r))
          .exceptionally(e -> {
            throw new ApiException(409, "Conflict: " + rootMessage(e));
          })
          .thenCompose(tokens -> {
            CompletableFuture<?>[] cleanup = tokens.tokens().stream()
                .map(t -> asks.<Boolean>index(IndexEntity.tokenId(t.tokenHash()), IndexEntity.Delete::new).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(cleanup)
                .thenCompose(x -> asks.<Boolean>index(IndexEntity.loginId(u.email()), IndexEntity.Delete::new));
          })
          .thenApply(x -> Reply.ok(userJson(u)));
    });
  }

  /** Reserves the email for this user (409 when it is taken); the password is hashed off the actor threads. */
  private CompletionStage<IndexEntity.Value> claimLogin(AccountEntity.User u, String accountId, String password) {
    return CompletableFuture.supplyAsync(() -> Passwords.hash(password), blocking)
        .thenCompose(hash -> asks.<IndexEntity.Value>index(IndexEntity.loginId(u.email()),
            r -> new IndexEntity.PutIfAbsent(login(u, accountId, hash), r)))
        .exceptionally(e -> {
          throw new ApiException(409, "email: already registered", Map.of("email",
              new LinkedHashMap<>(Map.of("message", "already registered", "value", u.email()))));
        });
  }

  /** Rewrites the login entry (new password or role); keeps the old hash when no password is given. */
  private CompletionStage<IndexEntity.Value> replaceLogin(AccountEntity.User u, String accountId, String password) {
    String key = IndexEntity.loginId(u.email());
    return asks.indexGet(key).thenCompose(old -> {
      if (!(old.orElse(null) instanceof IndexEntity.Login l)) throw new ApiException(409, "Conflict: login of " + u.email() + " is missing");
      CompletionStage<String> hash = password == null ? CompletableFuture.completedFuture(l.passwordHash())
          : CompletableFuture.supplyAsync(() -> Passwords.hash(password), blocking);
      return hash.thenCompose(h -> asks.<IndexEntity.Value>index(key, r -> new IndexEntity.Put(login(u, accountId, h), r)));
    });
  }

  private static IndexEntity.Login login(AccountEntity.User u, String accountId, String hash) {
    return new IndexEntity.Login(u.email(), accountId, u.uuid(), u.role(), hash, u.createdOn());
  }

  private static void requireAdmin(Principal who) {
    if (!who.isAdmin()) throw new ApiException(403, "Forbidden: only an Admin of the account manages its users");
  }

  static Map<String, Object> userJson(AccountEntity.User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", u.uuid());
    m.put("email", u.email());
    m.put("role", u.role());
    m.put("first_name", u.firstName());
    m.put("last_name", u.lastName());
    m.put("created_on", Json.iso(u.createdOn()));
    m.put("modified_on", Json.iso(u.createdOn()));
    m.put("deleted_on", null);
    return m;
  }

  private static String email(ObjectNode b) {
    String e = text(b, "email", true);
    if (e.length() > 254 || !EMAIL.matcher(e).matches()) throw ApiException.badField("email", "is not an email address", e);
    return e.toLowerCase(java.util.Locale.ROOT);
  }

  private static String password(ObjectNode b, boolean required) {
    String p = text(b, "password", required);
    if (p != null && p.length() < MIN_PASSWORD) {
      throw ApiException.badField("password", "must be at least " + MIN_PASSWORD + " characters", null);
    }
    return p;
  }

  private static String role(ObjectNode b, String dflt) {
    String r = text(b, "role", false);
    if (r == null) return dflt;
    for (String known : ROLES) if (known.equalsIgnoreCase(r)) return known;
    throw ApiException.badField("role", "must be one of " + ROLES, r);
  }

  private static String text(ObjectNode b, String field, boolean required) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      if (required) throw ApiException.badField(field, "is required", null);
      return null;
    }
    if (!n.isTextual()) throw ApiException.badField(field, "must be a string", n.toString());
    return n.asText().trim();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage();
  }
}
