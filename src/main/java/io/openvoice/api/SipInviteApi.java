package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.IndexEntity;
import io.openvoice.auth.Passwords;
import io.openvoice.common.Json;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.domain.SipDomainEntity.Invite;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * SIP user invites (reference 3.7): the account makes invites on a domain ({@code /rest/sip/domain/{domain}/invite});
 * whoever holds an invite's token checks it ({@code GET /rest/app/invite/{token}}) and registers one user of the
 * domain with it ({@code POST /rest/app/invite/{token}}, no other authentication), which uses the invite up. Invites
 * live on their domain; an index keyed by the token's SHA-256 finds the domain, which compares the token itself.
 */
final class SipInviteApi {
  /** What an issued token looks like (256 random bits, base64url); anything else is not looked up. */
  private static final String TOKEN = "[A-Za-z0-9_-]{43}";

  private final SipDomainApi domains;
  private final Asks asks;

  SipInviteApi(SipDomainApi domains, Asks asks) {
    this.domains = domains;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/sip/domain/{domain}/invite", req -> domains.owned(req).thenApply(d -> Reply.ok(
        d.invites().values().stream().sorted(Comparator.comparing(Invite::createdOn)).map(i -> json(d, i)).toList())));
    r.add("POST", "/rest/sip/domain/{domain}/invite", req -> put(req, true));
    r.add("PATCH", "/rest/sip/domain/{domain}/invite/{uuid}", req -> put(req, false));
    r.add("DELETE", "/rest/sip/domain/{domain}/invite/{uuid}", req -> domains.owned(req).thenCompose(d ->
        domains.<Invite>domain(d.name(), x -> new SipDomainEntity.RemoveInvite(d.accountId(), req.var("uuid"), x))
            .thenCompose(gone -> forget(asks, java.util.List.of(gone)).thenApply(x -> Reply.ok(json(d, gone))))));
    // the token is the credential of these two
    r.addPublic("GET", "/rest/app/invite/{token}", req -> valid(req.var("token"))
        .thenApply(v -> Reply.ok(publicJson(v.domain(), v.invite()))));
    r.addPublic("POST", "/rest/app/invite/{token}", this::redeem);
  }

  /** Create, or PATCH the invite {uuid}: {@code name} (1..255) and {@code expired_on} (in the future) required. */
  private CompletionStage<Reply> put(Req req, boolean create) {
    ObjectNode b = req.json();
    return domains.owned(req).thenCompose(d -> {
      Invite current = create ? null : d.invites().get(req.var("uuid"));
      if (!create && current == null) throw ApiException.notFound();
      String name = Fields.required(b, "name", create ? null : current.name(), 255);
      Instant expiredOn = Fields.instant(b, "expired_on", create ? null : current.expiredOn());
      Instant now = Instant.now();
      if (expiredOn == null) throw ApiException.badField("expired_on", "is required", null);
      if (!expiredOn.isAfter(now) && (create || b.has("expired_on"))) {
        throw ApiException.badField("expired_on", "must be in the future", Json.iso(expiredOn));
      }
      Invite invite = create
          ? new Invite(UUID.randomUUID().toString(), name, expiredOn, Passwords.randomSecret(32), now, now)
          : new Invite(current.uuid(), name, expiredOn, current.token(), current.createdOn(), now);
      CompletionStage<?> indexed = create
          ? asks.<IndexEntity.Value>index(IndexEntity.inviteId(Passwords.sha256Hex(invite.token())),
              x -> new IndexEntity.PutIfAbsent(new IndexEntity.InviteRef(d.name(), invite.uuid()), x))
          : CompletableFuture.completedFuture(null);
      return indexed.thenCompose(x -> domains.<Invite>domain(d.name(),
              r -> new SipDomainEntity.PutInvite(d.accountId(), invite, r)))
          .thenApply(saved -> create ? Reply.created(json(d, saved)) : Reply.ok(json(d, saved)));
    });
  }

  /** Registers the user the body describes (as {@code POST .../user} would) and uses the invite up. */
  private CompletionStage<Reply> redeem(Req req) {
    String token = req.var("token");
    return valid(token).thenCompose(v -> {
      SipDomainEntity.User u = SipDomainApi.userFrom(req.json(), v.domain(), null);
      return domains.saveUser(v.domain(), u, r -> new SipDomainEntity.RedeemInvite(token, u, r))
          .thenCompose(saved -> forget(asks, java.util.List.of(v.invite()))
              .thenApply(x -> Reply.created(SipDomainApi.userJson(v.domain(), saved))));
    });
  }

  private record Valid(SipDomainEntity.Domain domain, Invite invite) {}

  /** The domain and unexpired invite of {@code token}; else 404 (unknown, used up, expired, its domain gone). */
  private CompletionStage<Valid> valid(String token) {
    if (token == null || !token.matches(TOKEN)) return CompletableFuture.failedFuture(ApiException.notFound());
    return asks.indexGet(IndexEntity.inviteId(Passwords.sha256Hex(token))).thenCompose(v -> {
      if (!(v.orElse(null) instanceof IndexEntity.InviteRef ref)) throw ApiException.notFound();
      return domains.<SipDomainEntity.Domain>domain(ref.domain(),
          (ActorRef<StatusReply<SipDomainEntity.Domain>> r) -> new SipDomainEntity.Get(null, r));
    }).thenApply(d -> d.inviteByToken(token, Instant.now()).map(i -> new Valid(d, i))
        .orElseThrow(ApiException::notFound));
  }

  /** Drops the token index entries of invites that are gone (deleted, used, or their domain deleted). */
  static CompletionStage<Void> forget(Asks asks, Collection<Invite> invites) {
    return CompletableFuture.allOf(invites.stream()
        .map(i -> asks.<Boolean>index(IndexEntity.inviteId(Passwords.sha256Hex(i.token())), IndexEntity.Delete::new)
            .toCompletableFuture())
        .toArray(CompletableFuture[]::new));
  }

  static Map<String, Object> json(SipDomainEntity.Domain d, Invite i) {
    Map<String, Object> m = publicJson(d, i);
    m.put("token", i.token());
    m.put("created_on", Json.iso(i.createdOn()));
    m.put("modified_on", Json.iso(i.modifiedOn()));
    return m;
  }

  /** What the holder of a token sees: the invite's name and expiry, and the domain it registers a user of. */
  private static Map<String, Object> publicJson(SipDomainEntity.Domain d, Invite i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", i.uuid());
    m.put("name", i.name());
    m.put("expired_on", Json.iso(i.expiredOn()));
    m.put("sip_domain", d.name());
    return m;
  }
}
