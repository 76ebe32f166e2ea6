package io.openvoice.domain;

import io.openvoice.common.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * A SIP domain (reference 3.7), sharded by its name (names are unique platform-wide, as host names are): its
 * users (who register and call with digest authentication), its authorised switches (IPs or host names whose
 * INVITEs need no digest), and where its calls go (a SIP Control App, a SIP connection for numbers, an outbound
 * voice profile), and its invites (one-time tokens with which a person registers a user of the domain themselves).
 * The SIP edge and the invite redemption ask it with {@code accountId == null}; the API always names the caller's
 * account.
 */
public final class SipDomainEntity extends DurableStateBehavior<SipDomainEntity.Command, SipDomainEntity.Domain> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SipDomain");

  /** Entity ids are the lower-case domain name. */
  public static String id(String domain) {
    return domain.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * A SIP user. Only the digest hash {@code ha1 = MD5(login:domain:password)} is kept, never the password; it is
   * what RFC 2617/3261 digest verification needs, and the realm is the domain name.
   */
  public record User(String uuid, String login, String ha1, String firstName, String lastName, String email,
                     String phoneNumber, String avatar, boolean sameDomainCallsOnly, String dob, String gender,
                     Instant createdOn, Instant modifiedOn) implements CborSerializable {}

  /** A trusted SIP switch: INVITEs from {@code remoteIp} (an address or CIDR) or {@code remoteDomain} (a host). */
  public record Switch(String uuid, String name, String description, String remoteIp, String remoteDomain,
                       boolean isActive, Instant createdOn, Instant modifiedOn) implements CborSerializable {}

  /**
   * An invite (reference 3.7 SIPUserInvite): whoever holds {@code token} may register one user of the domain,
   * before {@code expiredOn}. The token is kept as issued because the reference shows it in the invite object (the
   * account lists its invites to hand them out); it is 256 random bits, compared in constant time.
   */
  public record Invite(String uuid, String name, Instant expiredOn, String token, Instant createdOn,
                       Instant modifiedOn) implements CborSerializable {}

  /** The domain; {@code accountId == null} when it does not exist. */
  public record Domain(String name, String accountId, String sipConnection, String sipControlApp,
                       String outboundVoiceProfile, Map<String, User> users, Map<String, Switch> switches,
                       Instant createdOn, Instant modifiedOn, Map<String, Invite> invites) implements CborSerializable {
    public Domain {
      invites = invites == null ? Map.of() : invites; // states saved before invites existed
    }

    public boolean exists() { return accountId != null; }

    /** The unexpired invite whose token is {@code token} (every invite's token compared in constant time). */
    public Optional<Invite> inviteByToken(String token, Instant now) {
      byte[] t = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
      Invite found = null;
      for (Invite i : invites.values()) {
        if (MessageDigest.isEqual(t, i.token().getBytes(StandardCharsets.UTF_8))) found = i;
      }
      return found != null && now.isBefore(found.expiredOn()) ? Optional.of(found) : Optional.empty();
    }

    public Optional<User> userByLogin(String login) {
      if (login == null || users == null) return Optional.empty();
      return users.values().stream().filter(u -> u.login().equalsIgnoreCase(login)).findFirst();
    }

    Domain withUsers(Map<String, User> u, Instant now) {
      return new Domain(name, accountId, sipConnection, sipControlApp, outboundVoiceProfile, Map.copyOf(u),
          switches, createdOn, now, invites);
    }

    Domain withSwitches(Map<String, Switch> s, Instant now) {
      return new Domain(name, accountId, sipConnection, sipControlApp, outboundVoiceProfile, users, Map.copyOf(s),
          createdOn, now, invites);
    }

    Domain withInvites(Map<String, Invite> i, Instant now) {
      return new Domain(name, accountId, sipConnection, sipControlApp, outboundVoiceProfile, users, switches,
          createdOn, now, Map.copyOf(i));
    }
  }

  public sealed interface Command extends CborSerializable {}

  /** Create the domain; an error when the name is taken (by any account). */
  public record Create(Domain domain, ActorRef<StatusReply<Domain>> replyTo) implements Command {}

  /** Set the three references (the API merged the PATCH into the current values). */
  public record SetRefs(String accountId, String sipConnection, String sipControlApp, String outboundVoiceProfile,
                        ActorRef<StatusReply<Domain>> replyTo) implements Command {}

  /** The domain; {@code accountId == null} for the platform itself (the SIP edge). */
  public record Get(String accountId, ActorRef<StatusReply<Domain>> replyTo) implements Command {}

  public record Delete(String accountId, ActorRef<StatusReply<Domain>> replyTo) implements Command {}

  /** Create or replace a user; an error when another user of the domain has the same login. */
  public record PutUser(String accountId, User user, ActorRef<StatusReply<User>> replyTo) implements Command {}

  public record RemoveUser(String accountId, String userUuid, ActorRef<StatusReply<User>> replyTo)
      implements Command {}

  /**
   * Register {@code user} with the invite whose token is {@code token} (unexpired), and use the invite up, at once;
   * "not found" when there is no such invite, an error naming the login when it is taken.
   */
  public record RedeemInvite(String token, User user, ActorRef<StatusReply<User>> replyTo) implements Command {}

  /** Create or replace an invite. */
  public record PutInvite(String accountId, Invite invite, ActorRef<StatusReply<Invite>> replyTo) implements Command {}

  public record RemoveInvite(String accountId, String inviteUuid, ActorRef<StatusReply<Invite>> replyTo)
      implements Command {}

  public record PutSwitch(String accountId, Switch sw, ActorRef<StatusReply<Switch>> replyTo) implements Command {}

  public record RemoveSwitch(String accountId, String switchUuid, ActorRef<StatusReply<Switch>> replyTo)
      implements Command {}

  public static Behavior<Command> create(String name) {
    return new SipDomainEntity(name);
  }

  private final String name;

  private SipDomainEntity(String name) {
    super(PersistenceId.of(TYPE_KEY.name(), name));
    this.name = name;
  }

  @Override
  public Domain emptyState() {
    return new Domain(name, null, null, null, null, Map.of(), Map.of(), null, null, Map.of());
  }

  @Override
  public CommandHandler<Command, Domain> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Create.class, (s, c) -> {
          if (s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("domain " + name + " already exists"));
          return Effect().persist(c.domain()).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
            owns(s, c.accountId()) ? StatusReply.success(s) : StatusReply.error("not found")))
        .onCommand(SetRefs.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Domain d = new Domain(s.name(), s.accountId(), c.sipConnection(), c.sipControlApp(),
              c.outboundVoiceProfile(), s.users(), s.switches(), s.createdOn(), Instant.now(), s.invites());
          return Effect().persist(d).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Delete.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(s));
        })
        .onCommand(PutUser.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return putUser(s, c.user(), s, c.replyTo());
        })
        .onCommand(RedeemInvite.class, (s, c) -> {
          Invite invite = s.exists() ? s.inviteByToken(c.token(), Instant.now()).orElse(null) : null;
          if (invite == null) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, Invite> invites = new LinkedHashMap<>(s.invites());
          invites.remove(invite.uuid());
          return putUser(s, c.user(), s.withInvites(invites, Instant.now()), c.replyTo());
        })
        .onCommand(PutInvite.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, Invite> invites = new LinkedHashMap<>(s.invites());
          invites.put(c.invite().uuid(), c.invite());
          return Effect().persist(s.withInvites(invites, Instant.now()))
              .thenReply(c.replyTo(), st -> StatusReply.success(c.invite()));
        })
        .onCommand(RemoveInvite.class, (s, c) -> {
          Invite old = owns(s, c.accountId()) ? s.invites().get(c.inviteUuid()) : null;
          if (old == null) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, Invite> invites = new LinkedHashMap<>(s.invites());
          invites.remove(c.inviteUuid());
          return Effect().persist(s.withInvites(invites, Instant.now()))
              .thenReply(c.replyTo(), st -> StatusReply.success(old));
        })
        .onCommand(RemoveUser.class, (s, c) -> {
          User u = owns(s, c.accountId()) ? s.users().get(c.userUuid()) : null;
          if (u == null) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, User> users = new LinkedHashMap<>(s.users());
          users.remove(c.userUuid());
          return Effect().persist(s.withUsers(users, Instant.now())).thenReply(c.replyTo(), st -> StatusReply.success(u));
        })
        .onCommand(PutSwitch.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, Switch> sw = new LinkedHashMap<>(s.switches());
          sw.put(c.sw().uuid(), c.sw());
          return Effect().persist(s.withSwitches(sw, Instant.now())).thenReply(c.replyTo(), st -> StatusReply.success(c.sw()));
        })
        .onCommand(RemoveSwitch.class, (s, c) -> {
          Switch old = owns(s, c.accountId()) ? s.switches().get(c.switchUuid()) : null;
          if (old == null) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Map<String, Switch> sw = new LinkedHashMap<>(s.switches());
          sw.remove(c.switchUuid());
          return Effect().persist(s.withSwitches(sw, Instant.now())).thenReply(c.replyTo(), st -> StatusReply.success(old));
        })
        .build();
  }

  /**
   * Adds or replaces {@code user} in {@code base} (the domain, or the domain with the invite used up) unless
   * another user of {@code s} has its login.
   */
  private Effect<Domain> putUser(Domain s, User user, Domain base, ActorRef<StatusReply<User>> replyTo) {
    boolean taken = s.users().values().stream().anyMatch(u ->
        u.login().equalsIgnoreCase(user.login()) && !u.uuid().equals(user.uuid()));
    if (taken) return Effect().reply(replyTo, StatusReply.error("login " + user.login() + " is taken in " + name));
    Map<String, User> users = new LinkedHashMap<>(base.users());
    users.put(user.uuid(), user);
    return Effect().persist(base.withUsers(users, Instant.now())).thenReply(replyTo, st -> StatusReply.success(user));
  }

  private static boolean owns(Domain s, String accountId) {
    return s.exists() && (accountId == null || s.accountId().equals(accountId));
  }
}
