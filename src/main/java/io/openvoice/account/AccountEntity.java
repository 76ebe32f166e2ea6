package io.openvoice.account;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * An account: its users, API token metadata, and what it owns (TN leases, SIP Control Apps, SIP domains and
 * connections, outbound voice profiles). Ownership lives
 * here so every API call can check tenancy against one strongly consistent place.
 */
public final class AccountEntity extends DurableStateBehavior<AccountEntity.Command, AccountEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Account");

  public record User(String uuid, String email, String role, String firstName, String lastName, Instant createdOn)
      implements CborSerializable {}

  public record TokenMeta(String uuid, String name, String userId, String tokenHash, Instant expiredOn,
                          Instant createdOn) implements CborSerializable {}

  public record State(String uuid, String name, String email, String timeZone, String level, Instant createdOn,
                      Instant modifiedOn, Map<String, User> users, Map<String, TokenMeta> tokens,
                      Map<String, String> leases, Set<String> apps, Set<String> domains,
                      Set<String> connections, String webhookSecret, Set<String> profiles,
                      Set<String> messagingProfiles)
      implements CborSerializable {
    public State {
      messagingProfiles = messagingProfiles == null ? Set.of() : messagingProfiles; // saved before SMS existed
      profiles = profiles == null ? Set.of() : profiles; // states saved before outbound voice profiles existed
      // webhookSecret: null in states saved before webhook signing existed; made on first use (GetWebhookSecret)
      domains = domains == null ? Set.of() : domains; // states saved before SIP domains existed
      connections = connections == null ? Set.of() : connections; // ... and before SIP connections
    }

    public boolean exists() { return uuid != null; }

    /** The platform operator's account (created at bootstrap): its admins may create other accounts. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isOperator() { return OPERATOR_LEVEL.equals(level); }

    State touch(Instant now) {
      return new State(uuid, name, email, timeZone, level, createdOn, now, users, tokens, leases, apps, domains, connections, webhookSecret, profiles, messagingProfiles);
    }

    State withUsers(Map<String, User> u) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, Map.copyOf(u), tokens, leases, apps, domains, connections, webhookSecret, profiles, messagingProfiles);
    }

    State withTokens(Map<String, TokenMeta> t) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, Map.copyOf(t), leases, apps, domains, connections, webhookSecret, profiles, messagingProfiles);
    }

    State withLeases(Map<String, String> l) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, Map.copyOf(l), apps, domains, connections, webhookSecret, profiles, messagingProfiles);
    }

    State withDomains(Set<String> d) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, apps, Set.copyOf(d), connections, webhookSecret, profiles, messagingProfiles);
    }

    State withApps(Set<String> a) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, Set.copyOf(a), domains, connections, webhookSecret, profiles, messagingProfiles);
    }

    State withWebhookSecret(String secret) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, apps, domains, connections, secret, profiles, messagingProfiles);
    }

    State withProfiles(Set<String> p) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, apps, domains, connections, webhookSecret, Set.copyOf(p), messagingProfiles);
    }

    State withMessagingProfiles(Set<String> m) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, apps, domains, connections, webhookSecret, profiles, Set.copyOf(m));
    }

    State withConnections(Set<String> c) {
      return new State(uuid, name, email, timeZone, level, createdOn, modifiedOn, users, tokens, leases, apps, domains, Set.copyOf(c), webhookSecret, profiles, messagingProfiles);
    }
  }

  /** Account level of the operator account; customer accounts start at {@code Level0}. */
  public static final String OPERATOR_LEVEL = "ServiceAccount";

  public sealed interface Command extends CborSerializable {}

  public record Create(String name, String email, String timeZone, String level, User owner,
                       ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record Get(ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record AddLease(String leaseUuid, String tn, ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record RemoveLease(String leaseUuid, ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record AddApp(String appUuid, ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record RemoveApp(String appUuid, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /** Record that the account owns the SIP domain {@code name} ({@code add}) or no longer does. */
  public record OwnDomain(String name, boolean add, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /** Record that the account owns the SIP connection {@code uuid} ({@code add}) or no longer does. */
  public record OwnConnection(String uuid, boolean add, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /** Record that the account owns the outbound voice profile {@code uuid} ({@code add}) or no longer does. */
  public record OwnProfile(String uuid, boolean add, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /** Record that the account owns the messaging profile {@code uuid} ({@code add}) or no longer does. */
  public record OwnMessagingProfile(String uuid, boolean add, ActorRef<StatusReply<State>> replyTo) implements Command {}

  public record AddToken(TokenMeta token, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /**
   * Remove tokens: by uuid or hash, or all when {@code key} is null; only {@code ownerUserId}'s when it is set.
   * Replies with the removed tokens.
   */
  public record RemoveTokens(String key, String ownerUserId, ActorRef<StatusReply<RemovedTokens>> replyTo)
      implements Command {}

  /** Tokens taken off the account (a reply that may cross nodes, hence a record, not a bare list). */
  public record RemovedTokens(java.util.List<TokenMeta> tokens) implements CborSerializable {
    public RemovedTokens {
      tokens = java.util.List.copyOf(tokens);
    }
  }

  /** Add a user, or replace one with the same uuid. An account always keeps at least one Admin. */
  public record PutUser(User user, ActorRef<StatusReply<State>> replyTo) implements Command {}

  /** Remove a user and its API tokens. Replies with the removed user's tokens (their index keys are cleaned up). */
  public record RemoveUser(String userUuid, ActorRef<StatusReply<RemovedTokens>> replyTo)
      implements Command {}

  /**
   * The key that signs the account's webhook requests (HMAC-SHA256): made and stored the first time it is asked
   * for (accounts saved before webhook signing have none). Replies with the secret.
   */
  public record GetWebhookSecret(ActorRef<StatusReply<String>> replyTo) implements Command {}

  /** Replaces the webhook signing secret with a new random one. Replies with the new secret. */
  public record RotateWebhookSecret(ActorRef<StatusReply<String>> replyTo) implements Command {}

  /** 32 random bytes, hex: the HMAC key is this text's UTF-8 bytes. */
  static String newWebhookSecret() {
    byte[] b = new byte[32];
    SECRETS.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  private static final java.security.SecureRandom SECRETS = new java.security.SecureRandom();

  public static Behavior<Command> create(String id) {
    return new AccountEntity(id);
  }

  private final String id;

  private AccountEntity(String id) {
    super(PersistenceId.of(TYPE_KEY.name(), id));
    this.id = id;
  }

  @Override
  public State emptyState() {
    return new State(null, null, null, "UTC", null, null, null, Map.of(), Map.of(), Map.of(), Set.of(), Set.of(), Set.of(),
        null, Set.of(), Set.of());
  }

  @Override
  public CommandHandler<Command, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), found(s)))
        .onCommand(AddLease.class, (s, c) -> update(s, c.replyTo(), () -> {
          Map<String, String> l = new LinkedHashMap<>(s.leases());
          l.put(c.leaseUuid(), c.tn());
          return s.withLeases(l);
        }))
        .onCommand(RemoveLease.class, (s, c) -> update(s, c.replyTo(), () -> {
          Map<String, String> l = new LinkedHashMap<>(s.leases());
          l.remove(c.leaseUuid());
          return s.withLeases(l);
        }))
        .onCommand(AddApp.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> a = new LinkedHashSet<>(s.apps());
          a.add(c.appUuid());
          return s.withApps(a);
        }))
        .onCommand(RemoveApp.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> a = new LinkedHashSet<>(s.apps());
          a.remove(c.appUuid());
          return s.withApps(a);
        }))
        .onCommand(OwnDomain.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> d = new LinkedHashSet<>(s.domains());
          if (c.add()) d.add(c.name()); else d.remove(c.name());
          return s.withDomains(d);
        }))
        .onCommand(OwnConnection.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> conns = new LinkedHashSet<>(s.connections());
          if (c.add()) conns.add(c.uuid()); else conns.remove(c.uuid());
          return s.withConnections(conns);
        }))
        .onCommand(OwnProfile.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> p = new LinkedHashSet<>(s.profiles());
          if (c.add()) p.add(c.uuid()); else p.remove(c.uuid());
          return s.withProfiles(p);
        }))
        .onCommand(OwnMessagingProfile.class, (s, c) -> update(s, c.replyTo(), () -> {
          Set<String> p = new LinkedHashSet<>(s.messagingProfiles());
          if (c.add()) p.add(c.uuid()); else p.remove(c.uuid());
          return s.withMessagingProfiles(p);
        }))
        .onCommand(AddToken.class, (s, c) -> update(s, c.replyTo(), () -> {
          Map<String, TokenMeta> t = new LinkedHashMap<>(s.tokens());
          t.put(c.token().uuid(), c.token());
          return s.withTokens(t);
        }))
        .onCommand(RemoveTokens.class, this::onRemoveTokens)
        .onCommand(GetWebhookSecret.class, (s, c) -> {
          if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("account not found"));
          if (s.webhookSecret() != null) return Effect().reply(c.replyTo(), StatusReply.success(s.webhookSecret()));
          return Effect().persist(s.withWebhookSecret(newWebhookSecret()))
              .thenReply(c.replyTo(), st -> StatusReply.success(st.webhookSecret()));
        })
        .onCommand(RotateWebhookSecret.class, (s, c) -> {
          if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("account not found"));
          return Effect().persist(s.withWebhookSecret(newWebhookSecret()).touch(Instant.now()))
              .thenReply(c.replyTo(), st -> StatusReply.success(st.webhookSecret()));
        })
        .onCommand(PutUser.class, this::onPutUser)
        .onCommand(RemoveUser.class, this::onRemoveUser)
        .build();
  }

  private Effect<State> onCreate(State s, Create c) {
    if (s.exists()) {
      c.replyTo().tell(StatusReply.error("account already exists"));
      return Effect().none();
    }
    Instant now = Instant.now();
    State created = new State(id, c.name(), c.email(), c.timeZone() == null ? "UTC" : c.timeZone(),
        c.level() == null ? "Level0" : c.level(), now,
        now, Map.of(c.owner().uuid(), c.owner()), Map.of(), Map.of(), Set.of(), Set.of(), Set.of(), newWebhookSecret(), Set.of(), Set.of());
    return Effect().persist(created).thenReply(c.replyTo(), StatusReply::success);
  }

  private Effect<State> onRemoveTokens(State s, RemoveTokens c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("account not found"));
    Map<String, TokenMeta> keep = new LinkedHashMap<>();
    java.util.List<TokenMeta> removed = new java.util.ArrayList<>();
    for (TokenMeta t : s.tokens().values()) {
      boolean match = (c.key() == null || c.key().equals(t.uuid()) || c.key().equals(t.tokenHash()))
          && (c.ownerUserId() == null || c.ownerUserId().equals(t.userId()));
      if (match) removed.add(t); else keep.put(t.uuid(), t);
    }
    if (removed.isEmpty()) return Effect().reply(c.replyTo(), StatusReply.success(new RemovedTokens(removed)));
    return Effect().persist(s.withTokens(keep).touch(Instant.now())).thenReply(c.replyTo(), st -> StatusReply.success(new RemovedTokens(removed)));
  }

  private Effect<State> onPutUser(State s, PutUser c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("account not found"));
    Map<String, User> users = new LinkedHashMap<>(s.users());
    users.put(c.user().uuid(), c.user());
    if (!hasAdmin(users)) return Effect().reply(c.replyTo(), StatusReply.error("an account keeps at least one Admin"));
    return Effect().persist(s.withUsers(users).touch(Instant.now())).thenReply(c.replyTo(), StatusReply::success);
  }

  private Effect<State> onRemoveUser(State s, RemoveUser c) {
    if (!s.exists() || !s.users().containsKey(c.userUuid())) {
      return Effect().reply(c.replyTo(), StatusReply.error("user not found"));
    }
    Map<String, User> users = new LinkedHashMap<>(s.users());
    users.remove(c.userUuid());
    if (!hasAdmin(users)) return Effect().reply(c.replyTo(), StatusReply.error("an account keeps at least one Admin"));
    Map<String, TokenMeta> keep = new LinkedHashMap<>();
    java.util.List<TokenMeta> removed = new java.util.ArrayList<>();
    for (TokenMeta t : s.tokens().values()) {
      if (t.userId().equals(c.userUuid())) removed.add(t); else keep.put(t.uuid(), t);
    }
    return Effect().persist(s.withUsers(users).withTokens(keep).touch(Instant.now()))
        .thenReply(c.replyTo(), st -> StatusReply.success(new RemovedTokens(removed)));
  }

  private static boolean hasAdmin(Map<String, User> users) {
    return users.values().stream().anyMatch(u -> "Admin".equals(u.role()));
  }

  private Effect<State> update(State s, ActorRef<StatusReply<State>> replyTo, java.util.function.Supplier<State> next) {
    if (!s.exists()) return Effect().reply(replyTo, StatusReply.error("account not found"));
    return Effect().persist(next.get().touch(Instant.now())).thenReply(replyTo, StatusReply::success);
  }

  private static StatusReply<State> found(State s) {
    return s.exists() ? StatusReply.success(s) : StatusReply.error("account not found");
  }
}
