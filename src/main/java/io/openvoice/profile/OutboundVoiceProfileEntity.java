package io.openvoice.profile;

import io.openvoice.common.CborSerializable;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/**
 * An outbound voice profile (reference 1 and 3.8), sharded by uuid: how calls placed for the account leave the
 * platform (the SIP product, a tech prefix, the STIR/SHAKEN signing policy, the caller id lease, the trunk). SIP
 * domains, SIP connections and API calls refer to it by uuid; which ones do is held by them, not here.
 */
public final class OutboundVoiceProfileEntity extends DurableStateBehavior<OutboundVoiceProfileEntity.Command,
    OutboundVoiceProfileEntity.Profile> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "OutboundVoiceProfile");

  /**
   * The profile; {@code accountId == null} when it does not exist. {@code tnLease} (caller id) and
   * {@code sipConnection} are uuids of the account's lease and connection, checked when set.
   */
  public record Profile(String uuid, String accountId, String name, boolean isActive, String product,
                        String techPrefix, int shakenSignPolicy, String tnLease, String sipConnection,
                        Instant createdOn, Instant modifiedOn) implements CborSerializable {
    public boolean exists() { return accountId != null; }
  }

  public sealed interface Command extends CborSerializable {}

  /** Create, or replace all settings (the API merges a PATCH into the current profile first). */
  public record Put(Profile profile, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  /** The profile as {@code accountId} sees it ({@code null}: the platform, any account); else "not found". */
  public record Get(String accountId, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  public record Delete(String accountId, ActorRef<StatusReply<Profile>> replyTo) implements Command {}

  public static Behavior<Command> create(String uuid) {
    return new OutboundVoiceProfileEntity(uuid);
  }

  private final String uuid;

  private OutboundVoiceProfileEntity(String uuid) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid));
    this.uuid = uuid;
  }

  @Override
  public Profile emptyState() {
    return new Profile(uuid, null, null, false, null, null, 0, null, null, null, null);
  }

  @Override
  public CommandHandler<Command, Profile> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Put.class, (s, c) -> {
          if (s.exists() && !s.accountId().equals(c.profile().accountId())) {
            return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          }
          return Effect().persist(c.profile()).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
            owns(s, c.accountId()) ? StatusReply.success(s) : StatusReply.error("not found")))
        .onCommand(Delete.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(s));
        })
        .build();
  }

  private static boolean owns(Profile s, String accountId) {
    return s.exists() && (accountId == null || s.accountId().equals(accountId));
  }
}
