package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * A messaging profile (reference 1 and 3.4), sharded by uuid: the webhooks of its numbers' messages
 * ({@code callback_url}, fallback {@code callback_url2}), the pool settings for sends that name the profile instead
 * of a sender ({@code sticky_sender}, {@code long_code_weight}, {@code tollfree_weight}, {@code skip_unhealthy_tns}),
 * the destination countries its messages may go to, and the numbers whose SMS subscription names it.
 */
public final class MessagingProfileEntity extends DurableStateBehavior<MessagingProfileEntity.Command,
    MessagingProfileEntity.Profile> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "MessagingProfile");

  /** Destination countries when a profile names none: the United States and Canada. */
  public static final List<String> DEFAULT_DESTINATIONS = List.of("US", "CA");

  /**
   * The profile; {@code accountId == null} when it does not exist. {@code whitelistedDestinations}: ISO 3166
   * alpha-2 codes, or {@code "*"} for every country. {@code tns}: the SMS-enabled numbers on it, sorted.
   */
  public record Profile(String uuid, String accountId, String name, String callbackUrl, String callbackUrl2,
                        boolean isActive, boolean stickySender, int longCodeWeight, int tollfreeWeight,
                        boolean skipUnhealthyTns, List<String> whitelistedDestinations, List<String> tns,
                        Instant createdOn, Instant modifiedOn) implements CborSerializable {
    public Profile {
      whitelistedDestinations = whitelistedDestinations == null ? DEFAULT_DESTINATIONS : List.copyOf(whitelistedDestinations);
      tns = tns == null ? List.of() : List.copyOf(tns);
    }

    public boolean exists() { return accountId != null; }

    /** Whether a message may go to {@code country} (ISO alpha-2; null: unknown, allowed only by "*"). */
    public boolean allows(String country) {
      return whitelistedDestinations.contains("*") || (country != null && whitelistedDestinations.contains(country));
    }

    Profile withTns(List<String> next) {
      return new Profile(uuid, accountId, name, callbackUrl, callbackUrl2, isActive, stickySender, longCodeWeight,
          tollfreeWeight, skipUnhealthyTns, whitelistedDestinations, next, createdOn, modifiedOn);
    }
  }

  public sealed interface Command extends CborSerializable {}

  /** Create, or replace the settings (the numbers on it are kept). */
  public record Put(Profile profile, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  /** The profile as {@code accountId} sees it ({@code null}: the platform, any account); else "not found". */
  public record Get(String accountId, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  public record Delete(String accountId, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  /** Number {@code tn} now names this profile in its SMS subscription ({@code add}), or no longer does. */
  public record Attach(String tn, boolean add, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  public static Behavior<Command> create(String uuid) {
    return new MessagingProfileEntity(uuid);
  }

  private final String uuid;

  private MessagingProfileEntity(String uuid) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid));
    this.uuid = uuid;
  }

  @Override
  public Profile emptyState() {
    return new Profile(uuid, null, null, null, null, false, false, 1, 1, false, null, null, null, null);
  }

  @Override
  public CommandHandler<Command, Profile> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Put.class, (s, c) -> {
          if (s.exists() && !s.accountId().equals(c.profile().accountId())) {
            return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          }
          Profile next = c.profile().withTns(s.tns());
          return Effect().persist(next).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
            owns(s, c.accountId()) ? StatusReply.success(s) : StatusReply.error("not found")))
        .onCommand(Delete.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(s));
        })
        .onCommand(Attach.class, (s, c) -> {
          if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          TreeSet<String> tns = new TreeSet<>(s.tns());
          boolean changed = c.add() ? tns.add(c.tn()) : tns.remove(c.tn());
          if (!changed) return Effect().reply(c.replyTo(), StatusReply.success(s));
          return Effect().persist(s.withTns(List.copyOf(tns))).thenReply(c.replyTo(), StatusReply::success);
        })
        .build();
  }

  private static boolean owns(Profile s, String accountId) {
    return s.exists() && (accountId == null || s.accountId().equals(accountId));
  }
}
