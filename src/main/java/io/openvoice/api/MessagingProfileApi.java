package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.TnEntity;
import io.openvoice.sms.MessagingProfileEntity;
import io.openvoice.sms.MessagingProfileEntity.Profile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Messaging profiles (reference 3.4): CRUD, the numbers on a profile, and the SMS subscription of a number
 * ({@code POST|DELETE /rest/lease/tn/{id}/subscription/sms}), which puts the number on a profile or takes it off.
 */
final class MessagingProfileApi {
  private final Platform p;
  private final Asks asks;
  private final NumberApi numbers;

  MessagingProfileApi(Platform p, Asks asks, NumberApi numbers) {
    this.p = p;
    this.asks = asks;
    this.numbers = numbers;
  }

  void register(Router r) {
    r.add("GET", "/rest/profile/messaging", this::list);
    r.add("POST", "/rest/profile/messaging", req -> put(req, null));
    r.add("GET", "/rest/profile/messaging/{uuid}", req -> owned(req).thenApply(x -> Reply.ok(json(x))));
    r.add("PATCH", "/rest/profile/messaging/{uuid}", req -> owned(req).thenCompose(x -> put(req, x)));
    r.add("DELETE", "/rest/profile/messaging/{uuid}", this::delete);
    r.add("GET", "/rest/profile/messaging/{uuid}/tnleases", this::tnleases);
    r.add("POST", "/rest/lease/tn/{id}/subscription/sms", req -> subscription(req, true));
    r.add("DELETE", "/rest/lease/tn/{id}/subscription/sms", req -> subscription(req, false));
  }

  <T> CompletionStage<T> profile(String id, java.util.function.Function<ActorRef<StatusReply<T>>,
      MessagingProfileEntity.Command> f) {
    return p.sharding.entityRefFor(MessagingProfileEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  private CompletionStage<Reply> list(Req req) {
    String account = req.principal().accountId();
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.messagingProfiles(), id -> this.<Profile>profile(id,
            r -> new MessagingProfileEntity.Get(account, r))))
        .thenApply(all -> Reply.ok(all.stream().sorted(Comparator.comparing(Profile::createdOn)).map(MessagingProfileApi::json).toList()));
  }

  private CompletionStage<Reply> put(Req req, Profile current) {
    ObjectNode b = req.json();
    boolean create = current == null;
    String account = req.principal().accountId();
    String name = Fields.required(b, "name", create ? null : current.name(), 255);
    String cb = url(b, "callback_url", "call_back_url", create ? null : current.callbackUrl(), 2048);
    String cb2 = url(b, "callback_url2", "call_back_url2", create ? null : current.callbackUrl2(), 2048);
    boolean active = Fields.bool(b, "is_active", create || current.isActive());
    boolean sticky = Fields.bool(b, "sticky_sender", !create && current.stickySender());
    int lw = Fields.intRange(b, "long_code_weight", create ? 1 : current.longCodeWeight(), 0, 1000);
    int tw = Fields.intRange(b, "tollfree_weight", create ? 1 : current.tollfreeWeight(), 0, 1000);
    boolean skip = Fields.bool(b, "skip_unhealthy_tns", !create && current.skipUnhealthyTns());
    List<String> dest = destinations(b, create ? MessagingProfileEntity.DEFAULT_DESTINATIONS : current.whitelistedDestinations());
    Instant now = Instant.now();
    Profile next = new Profile(create ? UUID.randomUUID().toString() : current.uuid(), account, name, cb, cb2, active,
        sticky, lw, tw, skip, dest, null, create ? now : current.createdOn(), now);
    CompletionStage<Profile> saved = this.<Profile>profile(next.uuid(), r -> new MessagingProfileEntity.Put(next, r));
    if (create) {
      saved = saved.thenCompose(x -> asks.<AccountEntity.State>account(account,
          r -> new AccountEntity.OwnMessagingProfile(x.uuid(), true, r)).thenApply(a -> x));
    }
    return saved.thenApply(x -> create ? Reply.created(json(x)) : Reply.ok(json(x)));
  }

  /** An http(s) URL under {@code f} or its alias {@code alt}: absent → {@code dflt}, null or "" → null. */
  static String url(ObjectNode b, String f, String alt, String dflt, int max) {
    String field = b.has(f) || alt == null || !b.has(alt) ? f : alt;
    String v = Fields.str(b, field, dflt);
    if (v == null || v.isBlank()) return null;
    v = v.trim();
    if (v.length() > max) throw ApiException.badField(field, "must be at most " + max + " characters", v);
    try {
      java.net.URI u = new java.net.URI(v);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) throw new java.net.URISyntaxException(v, "");
    } catch (java.net.URISyntaxException e) {
      throw ApiException.badField(field, "must be an http or https URL", v);
    }
    return v;
  }

  /** {@code whitelisted_destinations}: ISO 3166 alpha-2 codes, or "*" for all; absent → {@code dflt}. */
  private static List<String> destinations(ObjectNode b, List<String> dflt) {
    JsonNode n = b.get("whitelisted_destinations");
    if (n == null) return dflt;
    if (n.isNull()) return MessagingProfileEntity.DEFAULT_DESTINATIONS;
    if (!n.isArray()) throw ApiException.badField("whitelisted_destinations", "must be an array of country codes", n.toString());
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (JsonNode x : n) {
      String c = x.isTextual() ? x.asText().trim().toUpperCase(Locale.ROOT) : "";
      if (!c.equals("*") && !c.matches("[A-Z]{2}")) {
        throw ApiException.badField("whitelisted_destinations", "entries are ISO 3166 alpha-2 codes (US, CA...) or *", x.toString());
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  private CompletionStage<Reply> delete(Req req) {
    String account = req.principal().accountId();
    return owned(req).thenCompose(x -> Asks.each(x.tns(), tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Get(account, r))
            .thenCompose(l -> !x.uuid().equals(l.messagingProfile()) ? CompletableFuture.completedFuture(l)
                : asks.<TnEntity.SmsChange>tn(tn, r -> new TnEntity.SetSms(account, null, null, r)).thenApply(c -> c.after())))
        .thenCompose(done -> this.<Profile>profile(x.uuid(), r -> new MessagingProfileEntity.Delete(account, r))))
        .thenCompose(gone -> asks.<AccountEntity.State>account(account,
            r -> new AccountEntity.OwnMessagingProfile(gone.uuid(), false, r)).thenApply(a -> Reply.ok(json(gone))));
  }

  private CompletionStage<Reply> tnleases(Req req) {
    String account = req.principal().accountId();
    return owned(req).thenCompose(x -> Asks.each(x.tns(), tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Get(account, r)))
        .thenApply(leases -> Reply.ok(leases.stream().filter(l -> x.uuid().equals(l.messagingProfile()))
            .map(NumberApi::leaseJson).toList())));
  }

  /** Enables SMS on a number with a profile of the account (moving it off its previous profile), or disables it. */
  private CompletionStage<Reply> subscription(Req req, boolean enable) {
    String account = req.principal().accountId();
    ObjectNode b = req.json();
    String profileId = enable ? Fields.uuidRef(b, "messaging_profile", null) : null;
    if (enable && profileId == null) throw ApiException.badField("messaging_profile", "is required", null);
    String campaign = enable ? Fields.uuidRef(b, "sms_campaign", null) : null;
    CompletionStage<Profile> prof = !enable ? CompletableFuture.completedFuture(null)
        : this.<Profile>profile(profileId, r -> new MessagingProfileEntity.Get(account, r)).handle((x, err) -> {
          if (err != null) throw ApiException.badField("messaging_profile", "unknown messaging profile", profileId);
          return x;
        });
    return prof.thenCompose(pr -> numbers.resolve(req, req.var("id"))
        .thenCompose(tn -> asks.<TnEntity.SmsChange>tn(tn, r -> new TnEntity.SetSms(account, profileId, campaign, r)))
        .thenCompose(change -> {
          String before = change.before().messagingProfile();
          String tn = change.after().tn();
          CompletionStage<?> off = before == null || before.equals(profileId) ? CompletableFuture.completedFuture(null)
              : io.openvoice.sms.ProfileNumbers.detach(p.sharding, p.system, p.askTimeout, before, tn);
          CompletionStage<Profile> shown = pr != null
              ? this.<Profile>profile(profileId, r -> new MessagingProfileEntity.Attach(tn, true, r))
              : before == null ? CompletableFuture.completedFuture(null)
              : this.<Profile>profile(before, r -> new MessagingProfileEntity.Get(account, r)).exceptionally(e -> null);
          return off.thenCompose(x -> shown).thenApply(shownProfile -> {
            TnEntity.Lease l = change.after();
            return Reply.ok(subscriptionJson(l, shownProfile, enable ? l.smsCampaign() : change.before().smsCampaign(),
                enable, enable ? l.smsSince() : change.before().smsSince()));
          });
        }));
  }

  static Map<String, Object> subscriptionJson(TnEntity.Lease l, Profile profile, String campaign, boolean active,
                                              Instant since) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", UUID.nameUUIDFromBytes((l.uuid() + ":sms").getBytes(StandardCharsets.UTF_8)).toString());
    m.put("type", "sms");
    m.put("is_active", active);
    m.put("created_on", Json.iso(since == null ? l.modifiedOn() : since));
    m.put("modified_on", Json.iso(l.modifiedOn()));
    m.put("tn", NumberApi.tnNumber(l.tn()));
    m.put("tnlease", l.uuid());
    if (profile == null) {
      m.put("messaging_profile", null);
    } else {
      Map<String, Object> mp = new LinkedHashMap<>();
      mp.put("uuid", profile.uuid());
      mp.put("name", profile.name());
      mp.put("callback_url", profile.callbackUrl());
      mp.put("callback_url2", profile.callbackUrl2());
      mp.put("operators", List.of());
      m.put("messaging_profile", mp);
    }
    if (campaign == null) {
      m.put("sms_campaign", null);
    } else {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("uuid", campaign);
      c.put("is_active", active);
      m.put("sms_campaign", c);
    }
    return m;
  }

  private CompletionStage<Profile> owned(Req req) {
    String uuid = req.var("uuid");
    if (!Fields.isUuid(uuid)) return CompletableFuture.failedFuture(ApiException.notFound());
    return profile(uuid.toLowerCase(Locale.ROOT), r -> new MessagingProfileEntity.Get(req.principal().accountId(), r));
  }

  static Map<String, Object> json(Profile x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", x.uuid());
    m.put("name", x.name());
    m.put("callback_url", x.callbackUrl());
    m.put("callback_url2", x.callbackUrl2());
    m.put("call_back_url", x.callbackUrl());
    m.put("call_back_url2", x.callbackUrl2());
    m.put("is_active", x.isActive());
    m.put("number_pool_enable", !x.tns().isEmpty());
    m.put("sticky_sender", x.stickySender());
    m.put("long_code_weight", x.longCodeWeight());
    m.put("tollfree_weight", x.tollfreeWeight());
    m.put("skip_unhealthy_tns", x.skipUnhealthyTns());
    m.put("whitelisted_destinations", x.whitelistedDestinations());
    m.put("tns", new ArrayList<>(x.tns().stream().map(NumberApi::tnNumber).toList()));
    m.put("account", x.accountId());
    m.put("created_on", Json.iso(x.createdOn()));
    m.put("modified_on", Json.iso(x.modifiedOn()));
    return m;
  }
}
