package io.openvoice.app;

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
 * A SIP Control App (reference 3.6), sharded by uuid: where its calls' flow comes from (hosted XML or the
 * call-flow webhook), its event webhook (and the fallback URL that gets an event its webhook did not take),
 * auto-answer and the maximum call length. {@code webhookFallbackUrl} is null in apps saved before it existed.
 */
public final class AppEntity extends DurableStateBehavior<AppEntity.Command, AppEntity.App> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "App");

  /** The app; {@code accountId == null} when it does not exist (never created, or deleted). */
  public record App(String uuid, String accountId, String name, boolean isActive, String product,
                    String webhookUrl, String webhookMethod, Long webhookRequestTimeout, String callFlowUrl,
                    String callFlowMethod, Long callFlowRequestTimeout, boolean autoAnswer, Integer maxCallLengthMin,
                    String techPrefix, String hostedXml, Instant createdOn, Instant modifiedOn,
                    String webhookFallbackUrl)
      implements CborSerializable {
    public boolean exists() { return accountId != null; }

    public App withXml(String xml) {
      return new App(uuid, accountId, name, isActive, product, webhookUrl, webhookMethod, webhookRequestTimeout,
          callFlowUrl, callFlowMethod, callFlowRequestTimeout, autoAnswer, maxCallLengthMin, techPrefix, xml,
          createdOn, Instant.now(), webhookFallbackUrl);
    }
  }

  public sealed interface Command extends CborSerializable {}

  /** Create, or replace all settings (the API merges a PATCH into the current app before sending Put). */
  public record Put(App app, ActorRef<StatusReply<App>> replyTo) implements Command {}

  public record Get(String accountId, ActorRef<StatusReply<App>> replyTo) implements Command {}

  public record Delete(String accountId, ActorRef<StatusReply<App>> replyTo) implements Command {}

  /** Set ({@code xml} non-null) or remove (null) the hosted call flow. The XML was validated by the caller. */
  public record SetFlow(String accountId, String xml, ActorRef<StatusReply<App>> replyTo) implements Command {}

  public static Behavior<Command> create(String uuid) {
    return new AppEntity(uuid);
  }

  private final String uuid;

  private AppEntity(String uuid) {
    super(PersistenceId.of(TYPE_KEY.name(), uuid));
    this.uuid = uuid;
  }

  @Override
  public App emptyState() {
    return new App(uuid, null, null, false, null, null, null, null, null, null, null, false, null, null, null, null,
        null, null);
  }

  @Override
  public CommandHandler<Command, App> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Put.class, (s, c) -> {
          if (s.exists() && !s.accountId().equals(c.app().accountId())) {
            return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          }
          return Effect().persist(c.app()).thenReply(c.replyTo(), StatusReply::success);
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), owned(s, c.accountId())))
        .onCommand(Delete.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(emptyState()).thenReply(c.replyTo(), st -> StatusReply.success(s));
        })
        .onCommand(SetFlow.class, (s, c) -> {
          if (!owns(s, c.accountId())) return Effect().reply(c.replyTo(), StatusReply.error("not found"));
          return Effect().persist(s.withXml(c.xml())).thenReply(c.replyTo(), StatusReply::success);
        })
        .build();
  }

  /** An account's app, or "not found" for a missing app or another account's (callers map that to 404). */
  private static StatusReply<App> owned(App s, String accountId) {
    return owns(s, accountId) ? StatusReply.success(s) : StatusReply.error("not found");
  }

  private static boolean owns(App s, String accountId) {
    return s.exists() && (accountId == null || s.accountId().equals(accountId));
  }
}
