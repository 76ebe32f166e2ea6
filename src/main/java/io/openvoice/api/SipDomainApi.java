package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.app.AppEntity;
import io.openvoice.common.Json;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.http.Cidr;
import io.openvoice.sip.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * SIP domains with their users and authorised switches (reference 3.7). Domains are addressed by name. Invites are
 * {@link SipInviteApi}'s.
 */
final class SipDomainApi {
  private static final Set<String> GENDERS = Set.of("Male", "Female", "Other");

  private final Asks asks;

  SipDomainApi(Asks asks) {
    this.asks = asks;
  }

  void register(Router r) {
    r.add("GET", "/rest/sip/domain", this::list);
    r.add("POST", "/rest/sip/domain", this::create);
    r.add("GET", "/rest/sip/domain/{domain}", req -> owned(req).thenApply(d -> Reply.ok(domainJson(d))));
    r.add("PATCH", "/rest/sip/domain/{domain}", this::patch);
    r.add("DELETE", "/rest/sip/domain/{domain}", this::delete);
    r.add("GET", "/rest/sip/domain/{domain}/user", req -> owned(req).thenApply(d -> Reply.ok(d.users().values().stream()
        .sorted(Comparator.comparing(SipDomainEntity.User::createdOn)).map(u -> userJson(d, u)).toList())));
    r.add("POST", "/rest/sip/domain/{domain}/user", req -> putUser(req, null));
    r.add("GET", "/rest/sip/domain/{domain}/user/{uuid}", req -> owned(req)
        .thenApply(d -> Reply.ok(userJson(d, user(d, req.var("uuid"))))));
    r.add("PATCH", "/rest/sip/domain/{domain}/user/{uuid}", req -> owned(req)
        .thenCompose(d -> putUser(req, user(d, req.var("uuid")))));
    r.add("DELETE", "/rest/sip/domain/{domain}/user/{uuid}", req -> owned(req).thenCompose(d ->
        domain(d.name(), (ActorRef<StatusReply<SipDomainEntity.User>> x) ->
            new SipDomainEntity.RemoveUser(d.accountId(), req.var("uuid"), x))
            .thenApply(u -> Reply.ok(userJson(d, u)))));
    r.add("GET", "/rest/sip/domain/{domain}/switch", req -> owned(req).thenApply(d -> Reply.ok(d.switches().values()
        .stream().sorted(Comparator.comparing(SipDomainEntity.Switch::createdOn)).map(s -> switchJson(d, s)).toList())));
    r.add("POST", "/rest/sip/domain/{domain}/switch", req -> putSwitch(req, null));
    r.add("GET", "/rest/sip/domain/{domain}/switch/{uuid}", req -> owned(req)
        .thenApply(d -> Reply.ok(switchJson(d, sw(d, req.var("uuid"))))));
    r.add("PATCH", "/rest/sip/domain/{domain}/switch/{uuid}", req -> owned(req)
        .thenCompose(d -> putSwitch(req, sw(d, req.var("uuid")))));
    r.add("DELETE", "/rest/sip/domain/{domain}/switch/{uuid}", req -> owned(req).thenCompose(d ->
        domain(d.name(), (ActorRef<StatusReply<SipDomainEntity.Switch>> x) ->
            new SipDomainEntity.RemoveSwitch(d.accountId(), req.var("uuid"), x))
            .thenApply(s -> Reply.ok(switchJson(d, s)))));
  }

  // ---- domains ---------------------------------------------------------------------------------------------

  private CompletionStage<Reply> list(Req req) {
    String account = req.principal().accountId();
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.domains(), n -> this.<SipDomainEntity.Domain>domain(n,
            r -> new SipDomainEntity.Get(account, r))))
        .thenApply(all -> Reply.ok(all.stream().sorted(Comparator.comparing(SipDomainEntity.Domain::createdOn))
            .map(SipDomainApi::domainJson).toList()));
  }

  private CompletionStage<Reply> create(Req req) {
    ObjectNode b = req.json();
    String account = req.principal().accountId();
    String name = Fields.required(b, "domain", null, 253).toLowerCase(java.util.Locale.ROOT);
    if (!Fields.isHostName(name) || !name.contains(".")) {
      throw ApiException.badField("domain", "must be a host name such as acme.sip.example.com", name);
    }
    String conn = Fields.uuidRef(b, "sip_connection", null);
    String app = Fields.uuidRef(b, "sip_control_app", null);
    String ovp = Fields.uuidRef(b, "outbound_voice_profile", null);
    Instant now = Instant.now();
    SipDomainEntity.Domain d = new SipDomainEntity.Domain(name, account, conn, app, ovp, Map.of(), Map.of(), now, now,
        Map.of());
    return checkApp(req, app).thenCompose(x -> asks.checkConnection(account, conn, "sip_connection"))
        .thenCompose(x -> asks.checkProfile(account, ovp, "outbound_voice_profile"))
        .thenCompose(x -> this.<SipDomainEntity.Domain>domain(name, r -> new SipDomainEntity.Create(d, r)))
        .exceptionally(e -> {
          if (rootOf(e) instanceof StatusReply.ErrorMessage) {
            throw new ApiException(409, "domain: " + name + " is already taken",
                Map.of("domain", new LinkedHashMap<>(Map.of("message", "already taken", "value", name))));
          }
          throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        })
        .thenCompose(created -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.OwnDomain(name, true, r))
            .thenApply(x -> Reply.created(domainJson(created))));
  }

  private CompletionStage<Reply> patch(Req req) {
    ObjectNode b = req.json();
    return owned(req).thenCompose(d -> {
      String conn = Fields.uuidRef(b, "sip_connection", d.sipConnection());
      String app = Fields.uuidRef(b, "sip_control_app", d.sipControlApp());
      String ovp = Fields.uuidRef(b, "outbound_voice_profile", d.outboundVoiceProfile());
      return checkApp(req, app)
          .thenCompose(x -> asks.checkConnection(d.accountId(), conn, "sip_connection"))
          .thenCompose(x -> asks.checkProfile(d.accountId(), b.has("outbound_voice_profile") ? ovp : null,
              "outbound_voice_profile"))
          .thenCompose(x -> this.<SipDomainEntity.Domain>domain(d.name(),
          r -> new SipDomainEntity.SetRefs(d.accountId(), conn, app, ovp, r)));
    }).thenApply(d -> Reply.ok(domainJson(d)));
  }

  private CompletionStage<Reply> delete(Req req) {
    String account = req.principal().accountId();
    return owned(req)
        .thenCompose(d -> this.<SipDomainEntity.Domain>domain(d.name(), r -> new SipDomainEntity.Delete(account, r)))
        .thenCompose(d -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.OwnDomain(d.name(), false, r))
            .thenCompose(x -> SipInviteApi.forget(asks, d.invites().values()))
            .thenApply(x -> Reply.ok(domainJson(d))));
  }

  /** An app reference must be one of the caller's apps. */
  private CompletionStage<Void> checkApp(Req req, String app) {
    if (app == null) return CompletableFuture.completedFuture(null);
    return asks.<AppEntity.App>app(app, r -> new AppEntity.Get(req.principal().accountId(), r))
        .handle((a, err) -> {
          if (err != null) throw ApiException.badField("sip_control_app", "unknown SIP Control App", app);
          return null;
        });
  }

  // ---- users -----------------------------------------------------------------------------------------------

  private CompletionStage<Reply> putUser(Req req, SipDomainEntity.User current) {
    boolean create = current == null;
    return owned(req).thenCompose(d -> {
      SipDomainEntity.User u = userFrom(req.json(), d, current);
      return saveUser(d, u, r -> new SipDomainEntity.PutUser(d.accountId(), u, r))
          .thenApply(saved -> create ? Reply.created(userJson(d, saved)) : Reply.ok(userJson(d, saved)));
    });
  }

  /**
   * The user a create ({@code current == null}) or PATCH body describes, every field validated; the password is
   * kept only as its digest HA1 for the domain. Also how an invite registers a user ({@link SipInviteApi}).
   */
  static SipDomainEntity.User userFrom(ObjectNode b, SipDomainEntity.Domain d, SipDomainEntity.User current) {
    boolean create = current == null;
    String login = Fields.required(b, "login", create ? null : current.login(), 64);
    if (!login.matches("[A-Za-z0-9._+\\-]+")) {
      throw ApiException.badField("login", "may hold letters, digits and . _ + - only", login);
    }
    String password = Fields.str(b, "password", null);
    if (create && (password == null || password.isEmpty())) throw ApiException.badField("password", "is required", null);
    if (password != null && (password.length() < 6 || password.length() > 128)) {
      throw ApiException.badField("password", "must be 6 to 128 characters", null);
    }
    String ha1;
    if (password != null) ha1 = Digest.ha1(login, d.name(), password);
    else if (!login.equals(current.login())) throw ApiException.badField("password", "is required when the login changes", null);
    else ha1 = current.ha1();
    String email = Fields.str(b, "email", create ? null : current.email());
    if (email != null && !email.isBlank() && !email.matches("[^@\\s]+@[^@\\s]+")) {
      throw ApiException.badField("email", "must be an e-mail address", email);
    }
    String gender = Fields.str(b, "gender", create ? null : current.gender());
    if (gender != null && !GENDERS.contains(gender)) throw ApiException.badField("gender", "must be Male, Female or Other", gender);
    String dob = Fields.str(b, "dob", create ? null : current.dob());
    if (dob != null && !dob.isBlank()) {
      try {
        LocalDate.parse(dob.length() > 10 ? dob.substring(0, 10) : dob);
      } catch (RuntimeException e) {
        throw ApiException.badField("dob", "must be a date (YYYY-MM-DD)", dob);
      }
    }
    Instant now = Instant.now();
    return new SipDomainEntity.User(create ? UUID.randomUUID().toString() : current.uuid(), login,
        ha1, Fields.str(b, "first_name", create ? null : current.firstName()),
        Fields.str(b, "last_name", create ? null : current.lastName()), email,
        Fields.str(b, "phone_number", create ? null : current.phoneNumber()),
        Fields.str(b, "avatar", create ? null : current.avatar()),
        Fields.bool(b, "same_domain_calls_only", !create && current.sameDomainCallsOnly()), dob, gender,
        create ? now : current.createdOn(), now);
  }

  /** Stores a user with {@code command} (a put, or an invite's redemption); a taken login is a 409 naming login. */
  CompletionStage<SipDomainEntity.User> saveUser(SipDomainEntity.Domain d, SipDomainEntity.User u,
      Function<ActorRef<StatusReply<SipDomainEntity.User>>, SipDomainEntity.Command> command) {
    return this.<SipDomainEntity.User>domain(d.name(), command)
        .exceptionally(e -> {
          if (rootOf(e) instanceof StatusReply.ErrorMessage em && em.getMessage().contains("taken")) {
            throw new ApiException(409, "login: " + u.login() + " is already taken in " + d.name(),
                Map.of("login", new LinkedHashMap<>(Map.of("message", "already taken", "value", u.login()))));
          }
          throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        });
  }

  // ---- switches --------------------------------------------------------------------------------------------

  private CompletionStage<Reply> putSwitch(Req req, SipDomainEntity.Switch current) {
    ObjectNode b = req.json();
    boolean create = current == null;
    return owned(req).thenCompose(d -> {
      String name = Fields.required(b, "name", create ? null : current.name(), 255);
      String ip = Fields.str(b, "remote_ip", create ? null : current.remoteIp());
      String host = Fields.str(b, "remote_domain", create ? null : current.remoteDomain());
      if ((ip == null || ip.isBlank()) && (host == null || host.isBlank())) {
        throw ApiException.badField("remote_ip", "remote_ip or remote_domain is required", null);
      }
      if (ip != null && !ip.isBlank()) {
        try {
          Cidr.parse(ip.trim());
        } catch (RuntimeException e) {
          throw ApiException.badField("remote_ip", "must be an IP address or CIDR block", ip);
        }
      }
      if (host != null && !host.isBlank() && !Fields.isHostName(host.trim())) {
        throw ApiException.badField("remote_domain", "must be a host name", host);
      }
      Instant now = Instant.now();
      SipDomainEntity.Switch s = new SipDomainEntity.Switch(create ? UUID.randomUUID().toString() : current.uuid(),
          name, Fields.str(b, "description", create ? null : current.description()),
          ip == null || ip.isBlank() ? null : ip.trim(), host == null || host.isBlank() ? null : host.trim().toLowerCase(java.util.Locale.ROOT),
          Fields.bool(b, "is_active", create || current.isActive()), create ? now : current.createdOn(), now);
      return this.<SipDomainEntity.Switch>domain(d.name(), r -> new SipDomainEntity.PutSwitch(d.accountId(), s, r))
          .thenApply(saved -> create ? Reply.created(switchJson(d, saved)) : Reply.ok(switchJson(d, saved)));
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  CompletionStage<SipDomainEntity.Domain> owned(Req req) {
    String name = req.var("domain");
    if (name == null || !Fields.isHostName(name.toLowerCase(java.util.Locale.ROOT))) {
      return CompletableFuture.failedFuture(ApiException.notFound());
    }
    return domain(SipDomainEntity.id(name), r -> new SipDomainEntity.Get(req.principal().accountId(), r));
  }

  <T> CompletionStage<T> domain(String name, Function<ActorRef<StatusReply<T>>, SipDomainEntity.Command> f) {
    return asks.domain(name, f);
  }

  private static SipDomainEntity.User user(SipDomainEntity.Domain d, String uuid) {
    SipDomainEntity.User u = uuid == null ? null : d.users().get(uuid);
    if (u == null) throw ApiException.notFound();
    return u;
  }

  private static SipDomainEntity.Switch sw(SipDomainEntity.Domain d, String uuid) {
    SipDomainEntity.Switch s = uuid == null ? null : d.switches().get(uuid);
    if (s == null) throw ApiException.notFound();
    return s;
  }

  private static Throwable rootOf(Throwable e) {
    return io.openvoice.common.Errors.unwrap(e);
  }

  /** A stable uuid for a domain (domains are keyed by name; clients expect a uuid as well). */
  static String domainUuid(String name) {
    return UUID.nameUUIDFromBytes(("sip-domain:" + name).getBytes(StandardCharsets.UTF_8)).toString();
  }

  static Map<String, Object> domainJson(SipDomainEntity.Domain d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", domainUuid(d.name()));
    m.put("domain", d.name());
    m.put("sip_connection", d.sipConnection());
    m.put("sip_control_app", d.sipControlApp());
    m.put("outbound_voice_profile", d.outboundVoiceProfile());
    m.put("users", d.users().size());
    m.put("switches", d.switches().size());
    m.put("created_on", Json.iso(d.createdOn()));
    m.put("modified_on", Json.iso(d.modifiedOn()));
    return m;
  }

  static Map<String, Object> userJson(SipDomainEntity.Domain d, SipDomainEntity.User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", u.uuid());
    m.put("login", u.login());
    m.put("sip_uri", "sip:" + u.login() + "@" + d.name());
    m.put("first_name", u.firstName());
    m.put("last_name", u.lastName());
    m.put("email", u.email());
    m.put("phone_number", u.phoneNumber());
    m.put("avatar", u.avatar());
    m.put("same_domain_calls_only", u.sameDomainCallsOnly());
    m.put("dob", u.dob());
    m.put("gender", u.gender());
    m.put("sip_domain", d.name());
    m.put("created_on", Json.iso(u.createdOn()));
    m.put("modified_on", Json.iso(u.modifiedOn()));
    return m;
  }

  static Map<String, Object> switchJson(SipDomainEntity.Domain d, SipDomainEntity.Switch s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", s.uuid());
    m.put("name", s.name());
    m.put("description", s.description());
    m.put("remote_ip", s.remoteIp());
    m.put("remote_domain", s.remoteDomain());
    m.put("is_active", s.isActive());
    m.put("sip_domain", d.name());
    m.put("created_on", Json.iso(s.createdOn()));
    m.put("modified_on", Json.iso(s.modifiedOn()));
    return m;
  }
}
