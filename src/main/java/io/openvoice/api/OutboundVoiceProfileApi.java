package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.common.Json;
import io.openvoice.connection.SipConnectionEntity;
import io.openvoice.connection.SipProducts;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.profile.OutboundVoiceProfileEntity;
import io.openvoice.profile.OutboundVoiceProfileEntity.Profile;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Outbound voice profiles (reference 3.8): CRUD. The caller-id lease and the SIP connection a profile names must be
 * the account's own. Which domains and connections use a profile is recorded on them; deleting the profile takes
 * it off them.
 */
final class OutboundVoiceProfileApi {
  private final SipProducts products;
  private final Asks asks;

  OutboundVoiceProfileApi(SipProducts products, Asks asks) {
    this.products = products;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/profile/outbound_voice", this::list);
    r.add("POST", "/rest/profile/outbound_voice", req -> put(req, null));
    r.add("GET", "/rest/profile/outbound_voice/{uuid}", req -> owned(req).thenApply(p -> Reply.ok(json(p))));
    r.add("PATCH", "/rest/profile/outbound_voice/{uuid}", req -> owned(req).thenCompose(p -> put(req, p)));
    r.add("DELETE", "/rest/profile/outbound_voice/{uuid}", this::delete);
  }

  private CompletionStage<Reply> list(Req req) {
    String account = req.principal().accountId();
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.profiles(), id -> asks.<Profile>profile(id,
            r -> new OutboundVoiceProfileEntity.Get(account, r))))
        .thenApply(all -> Reply.ok(all.stream().sorted(Comparator.comparing(Profile::createdOn)).map(this::json).toList()));
  }

  /** Create (current == null) or PATCH: every field validated, references checked, then the merged profile stored. */
  private CompletionStage<Reply> put(Req req, Profile current) {
    ObjectNode b = req.json();
    boolean create = current == null;
    String account = req.principal().accountId();
    String name = Fields.required(b, "name", create ? null : current.name(), 255);
    boolean active = Fields.bool(b, "is_active", create || current.isActive());
    String product = SipConnectionApi.product(products, b, create ? products.defaultProduct().id() : current.product());
    String techPrefix = Fields.techPrefix(b, "tech_prefix", create ? null : current.techPrefix());
    int shaken = Fields.intRange(b, "shaken_sign_policy", create ? 0 : current.shakenSignPolicy(), 0, 2);
    String lease = Fields.uuidRef(b, "tn_lease", create ? null : current.tnLease());
    String conn = Fields.uuidRef(b, "sip_connection", create ? null : current.sipConnection());
    Instant now = Instant.now();
    Profile p = new Profile(create ? UUID.randomUUID().toString() : current.uuid(), account, name, active, product,
        techPrefix, shaken, lease, conn, create ? now : current.createdOn(), now);
    CompletionStage<Profile> saved = asks.checkLease(account, lease, "tn_lease")
        .thenCompose(x -> asks.checkConnection(account, conn, "sip_connection"))
        .thenCompose(x -> asks.profile(p.uuid(), r -> new OutboundVoiceProfileEntity.Put(p, r)));
    if (create) {
      saved = saved.thenCompose(x -> asks.<AccountEntity.State>account(account,
          r -> new AccountEntity.OwnProfile(x.uuid(), true, r)).thenApply(a -> x));
    }
    return saved.thenApply(x -> create ? Reply.created(json(x)) : Reply.ok(json(x)));
  }

  /** Deleting a profile takes it off the account's domains and connections first. */
  private CompletionStage<Reply> delete(Req req) {
    String account = req.principal().accountId();
    return owned(req).thenCompose(p -> asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> CompletableFuture.allOf(
            Asks.each(acc.domains(), n -> asks.<SipDomainEntity.Domain>domain(n, r -> new SipDomainEntity.Get(account, r))
                .thenCompose(d -> !p.uuid().equals(d.outboundVoiceProfile()) ? CompletableFuture.completedFuture(d)
                    : asks.<SipDomainEntity.Domain>domain(n, r -> new SipDomainEntity.SetRefs(account,
                        d.sipConnection(), d.sipControlApp(), null, r)))).toCompletableFuture(),
            Asks.each(acc.connections(), id -> asks.<SipConnectionEntity.Connection>connection(id,
                    r -> new SipConnectionEntity.Get(account, r))
                .thenCompose(c -> !p.uuid().equals(c.outboundVoiceProfile()) ? CompletableFuture.completedFuture(c)
                    : asks.<SipConnectionEntity.Connection>connection(id,
                        r -> new SipConnectionEntity.Put(withoutProfile(c), r)))).toCompletableFuture()))
        .thenCompose(x -> asks.<Profile>profile(p.uuid(), r -> new OutboundVoiceProfileEntity.Delete(account, r))))
        .thenCompose(gone -> asks.<AccountEntity.State>account(account,
            r -> new AccountEntity.OwnProfile(gone.uuid(), false, r)).thenApply(a -> Reply.ok(json(gone))));
  }

  private static SipConnectionEntity.Connection withoutProfile(SipConnectionEntity.Connection c) {
    return new SipConnectionEntity.Connection(c.uuid(), c.accountId(), c.name(), c.ip(), c.hostname(), c.port(),
        c.transport(), c.isActive(), c.product(), c.techPrefix(), c.subdomain(), null, c.class4Ingress(),
        c.class4Egress(), c.createdOn(), Instant.now());
  }

  private CompletionStage<Profile> owned(Req req) {
    String uuid = req.var("uuid");
    if (!Fields.isUuid(uuid)) return CompletableFuture.failedFuture(ApiException.notFound());
    return asks.profile(uuid.toLowerCase(Locale.ROOT),
        r -> new OutboundVoiceProfileEntity.Get(req.principal().accountId(), r));
  }

  private Map<String, Object> json(Profile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", p.uuid());
    m.put("name", p.name());
    m.put("is_active", p.isActive());
    m.put("product", products.byId(p.product()).map(SipConnectionApi::productJson).orElse(null));
    m.put("tech_prefix", p.techPrefix());
    m.put("shaken_sign_policy", p.shakenSignPolicy());
    m.put("tn_lease", p.tnLease());
    m.put("sip_connection", p.sipConnection());
    m.put("account", p.accountId());
    m.put("created_on", Json.iso(p.createdOn()));
    m.put("modified_on", Json.iso(p.modifiedOn()));
    return m;
  }
}
