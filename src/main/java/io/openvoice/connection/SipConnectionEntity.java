package io.openvoice.connection;

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
 * A SIP connection (reference 3.5), sharded by uuid: a customer's trunk. Calls from the platform to numbers leave
 * through it (Request-URI {@code sip:<tech prefix><number>@<ip or hostname>:<port>}), and calls to numbers leased on
 * it are forwarded to it. Which numbers are on it is held by the numbers' leases, not here.
 */
public final class SipConnectionEntity extends DurableStateBehavior<SipConnectionEntity.Command,
    SipConnectionEntity.Connection> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SipConnection");

  /**
   * The connection; {@code accountId == null} when it does not exist. {@code techPrefix} is the connection's own
   * prefix (null: the product's); Class 4 trunk settings are kept as the JSON the client sent.
   */
  public record Connection(String uuid, String accountId, String name, String ip, String hostname, int port,
                           String transport, boolean isActive, String product, String techPrefix, String subdomain,
                           String outboundVoiceProfile, String class4Ingress, String class4Egress,
                           Instant createdOn, Instant modifiedOn) implements CborSerializable {
    public boolean exists() { return accountId != null; }

    /** This connection with another tech prefix (an outbound voice profile's). */
    public Connection withTechPrefix(String prefix) {
      return new Connection(uuid, accountId, name, ip, hostname, port, transport, isActive, product, prefix, subdomain,
          outboundVoiceProfile, class4Ingress, class4Egress, createdOn, modifiedOn);
    }

    /** Where INVITEs go: the IP when set, else the host name. */
    public String host() { return ip != null ? ip : hostname; }
  }

  public sealed interface Command extends CborSerializable {}

  /** Create, or replace all settings (the API merges a PATCH into the current connection first). */
  public record Put(Connection connection, ActorRef<StatusReply<Connection>> replyTo) implements Command {}

  /** The connection as {@code accountId} sees it ({@code null}: the platform, any account); else "not found". */
  public record Get(String accountId, ActorRef<StatusReply<Connection>> replyTo) implements Command {}

  public record Delete(String accountId, ActorRef<StatusReply<Connection>> replyTo) implements Command {}

  public static Behavior<Command> create(String uuid) {
    return new SipConnectionEntity(uuid);
  }

  private final String uuid;

  private SipConnectionEntity(String uuid) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid));
    this.uuid = uuid;
  }

  @Override
  public Connection emptyState() {
    return new Connection(uuid, null, null, null, null, 0, null, false, null, null, null, null, null, null, null, null);
  }

  @Override
  public CommandHandler<Command, Connection> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Put.class, (s, c) -> {
          if (s.exists() && !s.accountId().equals(c.connection().accountId())) {
            return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          }
          return Effect().persist(c.connection()).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(),
            owns(s, c.accountId()) ? StatusReply.success(s) : StatusReply.error("not found")))
        .onCommand(Delete.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(s));
        })
        .build();
  }

  private static boolean owns(Connection s, String accountId) {
    return s.exists() && (accountId == null || s.accountId().equals(accountId));
  }
}
