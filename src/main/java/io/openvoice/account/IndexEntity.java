package io.openvoice.account;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.openvoice.common.CborSerializable;
import java.time.Instant;
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
 * Unique keys that point at their owner, strongly consistent (one durable entity per key): a login email to
 * its user, an API token's hash to the token, a TN lease uuid to its number, a SIP user invite's token hash to its
 * domain. Ids are {@code <kind>:<key>}.
 */
public final class IndexEntity extends DurableStateBehavior<IndexEntity.Command, IndexEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Index");

  public static String loginId(String email) { return "login:" + email.trim().toLowerCase(java.util.Locale.ROOT); }
  public static String tokenId(String tokenHash) { return "token:" + tokenHash; }
  public static String leaseId(String leaseUuid) { return "lease:" + leaseUuid.toLowerCase(java.util.Locale.ROOT); }
  public static String inviteId(String tokenHash) { return "invite:" + tokenHash; }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Login.class, name = "login"),
      @JsonSubTypes.Type(value = ApiToken.class, name = "token"),
      @JsonSubTypes.Type(value = LeaseRef.class, name = "lease"),
      @JsonSubTypes.Type(value = InviteRef.class, name = "invite")})
  public sealed interface Value extends CborSerializable {}

  /** A user's credentials. */
  public record Login(String email, String accountId, String userId, String role, String passwordHash,
                      Instant createdOn) implements Value {}

  /** An API (bearer) token; only its hash is the key, the token itself is never stored. */
  public record ApiToken(String uuid, String name, String accountId, String userId, Instant expiredOn,
                         Instant createdOn) implements Value {}

  /** A TN lease uuid and the number it leases. */
  public record LeaseRef(String leaseUuid, String tn, String accountId) implements Value {}

  /** A SIP user invite: the domain that holds it (which compares the token itself). */
  public record InviteRef(String domain, String inviteUuid) implements Value {}

  public record State(Value value) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  /** Set the value if the key is free; error if it is taken. */
  public record PutIfAbsent(Value value, ActorRef<StatusReply<Value>> replyTo) implements Command {}

  /** Set or replace the value (a changed password or role of an existing login). */
  public record Put(Value value, ActorRef<StatusReply<Value>> replyTo) implements Command {}

  public record Get(ActorRef<Optional<Value>> replyTo) implements Command {}

  public record Delete(ActorRef<StatusReply<Boolean>> replyTo) implements Command {}

  public static Behavior<Command> create(String id) {
    return new IndexEntity(id);
  }

  private IndexEntity(String id) {
    super(PersistenceId.of(TYPE_KEY.name(), id));
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public CommandHandler<Command, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(PutIfAbsent.class, (s, c) -> {
          if (s.value() != null) {
            c.replyTo().tell(StatusReply.error("already exists"));
            return Effect().none();
          }
          return Effect().persist(new State(c.value())).thenReply(c.replyTo(), st -> StatusReply.success(st.value()));
        })
        .onCommand(Put.class, (s, c) ->
            Effect().persist(new State(c.value())).thenReply(c.replyTo(), st -> StatusReply.success(st.value())))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), Optional.ofNullable(s.value())))
        .onCommand(Delete.class, (s, c) -> s.value() == null
            ? Effect().reply(c.replyTo(), StatusReply.success(false))
            : Effect().persist(new State(null)).thenReply(c.replyTo(), st -> StatusReply.success(true)))
        .build();
  }
}
