package io.openvoice.api;

import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import org.apache.pekko.pattern.StatusReply;
import io.openvoice.auth.Passwords;
import io.openvoice.node.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Works out who is calling (reference 2.2): Basic (email:password), JWT ({@code X-Auth-Token} or {@code ?jwt=}),
 * bearer API tokens ({@code Authorization: Bearer} or {@code ?bearer=}; a JWT is accepted there too).
 * Password hashing runs on the blocking dispatcher.
 */
public final class Authenticator {
  private final Platform p;
  private final Executor blocking;

  public Authenticator(Platform p, Executor blocking) {
    this.p = p;
    this.blocking = blocking;
  }

  /** The caller, or a failed stage with a 401 ApiException. */
  public CompletionStage<Principal> authenticate(HttpRequest req, Map<String, String> query) {
    return credentials(req, query).thenCompose(this::current);
  }

  /**
   * The owner of a token given outside HTTP headers (the WebSocket auth message): a JWT, or an API token; the same
   * checks as for a request. A failed stage carries a 401 ApiException.
   */
  public CompletionStage<Principal> authenticateToken(String token) {
    if (token == null || token.isBlank()) {
      return CompletableFuture.failedFuture(new ApiException(401, "Unauthorized: no credentials"));
    }
    return fromToken(token.trim()).thenCompose(this::current);
  }

  /** A bearer token: a JWT when it has the JWT's three parts, else an API token. */
  private CompletionStage<Principal> fromToken(String token) {
    return token.chars().filter(c -> c == '.').count() == 2 ? fromJwt(token) : fromApiToken(token);
  }

  /**
   * The principal as the account sees it now: a user removed since the token was issued is refused, and a changed
   * role applies at once (tokens and JWTs carry who, the account says what they may do).
   */
  private CompletionStage<Principal> current(Principal who) {
    return p.sharding.entityRefFor(AccountEntity.TYPE_KEY, who.accountId())
        .<AccountEntity.State>askWithStatus(AccountEntity.Get::new, p.askTimeout)
        .handle((acc, err) -> {
          Throwable cause = err instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
              ? ce.getCause() : err;
          if (cause != null && !(cause instanceof StatusReply.ErrorMessage)) {
            throw new java.util.concurrent.CompletionException(cause); // a timeout: 503, not a wrong password
          }
          AccountEntity.User u = acc == null ? null : acc.users().get(who.userId());
          if (u == null) throw new ApiException(401, "Unauthorized: user no longer exists");
          return new Principal(u.uuid(), acc.uuid(), u.role(), u.email(), acc.isOperator());
        });
  }

  private CompletionStage<Principal> credentials(HttpRequest req, Map<String, String> query) {
    Optional<String> authz = req.getHeader("Authorization").map(h -> h.value().trim());
    if (authz.isPresent() && authz.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return basic(authz.get().substring(6).trim());
    }
    String jwt = req.getHeader("X-Auth-Token").map(h -> h.value().trim()).orElse(query.get("jwt"));
    if (jwt != null && !jwt.isBlank()) return fromJwt(jwt);
    String bearer = authz.filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(a -> a.substring(7).trim())
        .orElse(query.get("bearer"));
    if (bearer != null && !bearer.isBlank()) {
      return fromToken(bearer);
    }
    return CompletableFuture.failedFuture(new ApiException(401, "Unauthorized: no credentials"));
  }

  private CompletionStage<Principal> fromJwt(String token) {
    return p.jwt.verify(token, Instant.now())
        .map(c -> CompletableFuture.completedFuture(new Principal(c.userId(), c.accountId(), c.role(), null, false)))
        .orElseGet(() -> CompletableFuture.failedFuture(new ApiException(401, "Unauthorized: invalid or expired token")));
  }

  private CompletionStage<Principal> fromApiToken(String token) {
    return index(IndexEntity.tokenId(Passwords.sha256Hex(token))).thenApply(v -> {
      if (v.orElse(null) instanceof IndexEntity.ApiToken t && (t.expiredOn() == null || Instant.now().isBefore(t.expiredOn()))) {
        return new Principal(t.userId(), t.accountId(), "User", null, false);
      }
      throw new ApiException(401, "Unauthorized: invalid or expired token");
    });
  }

  private CompletionStage<Principal> basic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new ApiException(401, "Unauthorized: malformed Basic credentials"));
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) return CompletableFuture.failedFuture(new ApiException(401, "Unauthorized: malformed Basic credentials"));
    String email = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    return index(IndexEntity.loginId(email)).thenApplyAsync(v -> {
      if (v.orElse(null) instanceof IndexEntity.Login l && Passwords.verify(password, l.passwordHash())) {
        return new Principal(l.userId(), l.accountId(), l.role(), l.email(), false);
      }
      throw new ApiException(401, "Unauthorized: wrong email or password");
    }, blocking);
  }

  private CompletionStage<Optional<IndexEntity.Value>> index(String id) {
    return p.sharding.entityRefFor(IndexEntity.TYPE_KEY, id).ask(IndexEntity.Get::new, p.askTimeout);
  }
}
