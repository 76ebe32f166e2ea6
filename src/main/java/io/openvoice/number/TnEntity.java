package io.openvoice.number;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * A telephone number, sharded by its digits (11-digit NANP form). Holds the current lease: owner account, the
 * SIP Control App and SIP connection it is attached to, enabled features, and the caller-id black/whitelist
 * checked before any flow runs (reference decision 8).
 */
public final class TnEntity extends DurableStateBehavior<TnEntity.Command, TnEntity.Lease> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Tn");

  /** The lease; {@code uuid == null} when the number is not leased. */
  public record Lease(String uuid, String tn, String accountId, Set<String> features, boolean autorenew,
                      String sipControlApp, String sipConnection, List<String> blacklist, List<String> whitelist,
                      Instant createdOn, Instant modifiedOn, Instant expiredOn, String messagingProfile,
                      String smsCampaign, Instant smsSince) implements CborSerializable {
    public boolean leased() { return uuid != null; }

    /** Whether the number sends and receives SMS: leased, with an SMS subscription naming a messaging profile. */
    public boolean smsEnabled() { return leased() && messagingProfile != null && features.contains("sms"); }

    Lease with(String app, String connection, Set<String> f, boolean renew, List<String> black, List<String> white) {
      return new Lease(uuid, tn, accountId, Set.copyOf(f), renew, app, connection, List.copyOf(black),
          List.copyOf(white), createdOn, Instant.now(), expiredOn, messagingProfile, smsCampaign, smsSince);
    }

    Lease withSms(String profile, String campaign, Set<String> f) {
      Instant now = Instant.now();
      return new Lease(uuid, tn, accountId, Set.copyOf(f), autorenew, sipControlApp, sipConnection, blacklist,
          whitelist, createdOn, now, expiredOn, profile, campaign, profile == null ? null
              : smsSince != null && profile.equals(messagingProfile) ? smsSince : now);
    }
  }

  /**
   * Why a call to this number may or may not run: admitted (reason "ok": run the lease's app; "connection": forward
   * to the lease's SIP connection), or refused with a reason.
   */
  public record Route(boolean admitted, String reason, Lease lease) implements CborSerializable {}

  /** A partial update (PATCH): null fields are left as they are; {@code clearApp}/{@code clearConnection} detach. */
  public record Patch(Set<String> features, Boolean autorenew, String sipControlApp, boolean clearApp,
                      String sipConnection, boolean clearConnection) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  public record Order(String accountId, String leaseUuid, Set<String> features, boolean autorenew,
                      ActorRef<StatusReply<Lease>> replyTo) implements Command {}

  /** Get the lease as the account sees it: error "not found" when it is not that account's. */
  public record Get(String accountId, ActorRef<StatusReply<Lease>> replyTo) implements Command {}

  public record Update(String accountId, Patch patch, ActorRef<StatusReply<Lease>> replyTo) implements Command {}

  public record Release(String accountId, ActorRef<StatusReply<Lease>> replyTo) implements Command {}

  /** Add/remove caller-id list entries; {@code list} is "blacklist" or "whitelist". */
  public record EditList(String accountId, String list, List<String> add, List<String> remove,
                         ActorRef<StatusReply<Lease>> replyTo) implements Command {}

  /**
   * Enable SMS on the number with messaging profile {@code messagingProfile} (and optional 10DLC campaign), or
   * disable it ({@code messagingProfile == null}). Replies with the lease as it was before and as it is now.
   */
  public record SetSms(String accountId, String messagingProfile, String smsCampaign,
                       ActorRef<StatusReply<SmsChange>> replyTo) implements Command {}

  public record SmsChange(Lease before, Lease after) implements CborSerializable {}

  /** The lease whoever owns it (an empty lease when the number is not leased): SMS routing asks it. */
  public record Peek(ActorRef<Lease> replyTo) implements Command {}

  /** An inbound call from {@code caller}: may it run, and which app? */
  public record RouteCall(String caller, ActorRef<Route> replyTo) implements Command {}

  public static Behavior<Command> create(String tn) {
    return new TnEntity(tn);
  }

  private final String tn;

  private TnEntity(String tn) {
    super(PersistenceId.of(TYPE_KEY.name(), tn));
    this.tn = tn;
  }

  @Override
  public Lease emptyState() {
    return new Lease(null, tn, null, Set.of(), false, null, null, List.of(), List.of(), null, null, null, null, null,
        null);
  }

  @Override
  public CommandHandler<Command, Lease> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Order.class, this::onOrder)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), owned(s, c.accountId())))
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Release.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Lease released = new Lease(s.uuid(), s.tn(), s.accountId(), s.features(), s.autorenew(), null, null,
              List.of(), List.of(), s.createdOn(), Instant.now(), Instant.now(), s.messagingProfile(), s.smsCampaign(),
              s.smsSince());
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(released));
        })
        .onCommand(EditList.class, this::onEditList)
        .onCommand(SetSms.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          Set<String> f = new java.util.TreeSet<>(s.features());
          if (c.messagingProfile() != null) f.add("sms"); else f.remove("sms");
          Lease next = s.withSms(c.messagingProfile(), c.messagingProfile() == null ? null : c.smsCampaign(), f);
          return Effect().persist(next).thenReply(c.replyTo(), st -> StatusReply.success(new SmsChange(s, st)));
        })
        .onCommand(Peek.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(RouteCall.class, (s, c) -> Effect().reply(c.replyTo(), route(s, c.caller())))
        .build();
  }

  private Effect<Lease> onOrder(Lease s, Order c) {
    if (s.leased()) {
      return Effect().reply(c.replyTo(), StatusReply.error("number " + tn + " is not available"));
    }
    Instant now = Instant.now();
    Lease lease = new Lease(c.leaseUuid(), tn, c.accountId(), Set.copyOf(c.features()), c.autorenew(), null, null,
        List.of(), List.of(), now, now, now.plus(30, ChronoUnit.DAYS), null, null, null);
    return Effect().persist(lease).thenReply(c.replyTo(), StatusReply::success);
  }

  private Effect<Lease> onUpdate(Lease s, Update c) {
    if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
    Patch p = c.patch();
    String app = p.clearApp() ? null : p.sipControlApp() != null ? p.sipControlApp() : s.sipControlApp();
    String conn = p.clearConnection() ? null : p.sipConnection() != null ? p.sipConnection() : s.sipConnection();
    Lease next = s.with(app, conn, p.features() != null ? p.features() : s.features(),
        p.autorenew() != null ? p.autorenew() : s.autorenew(), s.blacklist(), s.whitelist());
    return Effect().persist(next).thenReply(c.replyTo(), StatusReply::success);
  }

  private Effect<Lease> onEditList(Lease s, EditList c) {
    if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
    boolean black = "blacklist".equals(c.list());
    LinkedHashSet<String> entries = new LinkedHashSet<>(black ? s.blacklist() : s.whitelist());
    if (c.add() != null) c.add().forEach(e -> entries.add(CallerId.normalizeEntry(e)));
    if (c.remove() != null) c.remove().forEach(e -> entries.remove(CallerId.normalizeEntry(e)));
    List<String> list = new ArrayList<>(entries);
    Lease next = black
        ? s.with(s.sipControlApp(), s.sipConnection(), s.features(), s.autorenew(), list, s.whitelist())
        : s.with(s.sipControlApp(), s.sipConnection(), s.features(), s.autorenew(), s.blacklist(), list);
    return Effect().persist(next).thenReply(c.replyTo(), StatusReply::success);
  }

  static Route route(Lease s, String caller) {
    if (!s.leased()) return new Route(false, "unallocated_number", s);
    if (!s.features().contains("voice")) return new Route(false, "voice_disabled", s);
    if (CallerId.matchesAny(caller, s.blacklist())) return new Route(false, "caller_blacklisted", s);
    if (!s.whitelist().isEmpty() && !CallerId.matchesAny(caller, s.whitelist())) {
      return new Route(false, "caller_not_whitelisted", s);
    }
    if (s.sipControlApp() == null) {
      // a number on a SIP connection and no app: its calls are forwarded to that trunk
      return s.sipConnection() != null ? new Route(true, "connection", s) : new Route(false, "no_app", s);
    }
    return new Route(true, "ok", s);
  }

  private static boolean owns(Lease s, String accountId) {
    return s.leased() && s.accountId().equals(accountId);
  }

  private static StatusReply<Lease> owned(Lease s, String accountId) {
    return owns(s, accountId) ? StatusReply.success(s) : StatusReply.error("not found");
  }
}
