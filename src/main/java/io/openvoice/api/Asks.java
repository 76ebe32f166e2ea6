package io.openvoice.api;

import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.app.AppEntity;
import io.openvoice.call.CallEntity;
import io.openvoice.connection.SipConnectionEntity;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.number.TnEntity;
import io.openvoice.profile.OutboundVoiceProfileEntity;
import io.openvoice.node.Platform;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** Asking entities through sharding with the configured timeout; a StatusReply error fails the stage. */
final class Asks {
  private final Platform p;

  Asks(Platform p) {
    this.p = p;
  }

  <T> CompletionStage<T> account(String id, Function<ActorRef<StatusReply<T>>, AccountEntity.Command> f) {
    return p.sharding.entityRefFor(AccountEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> tn(String tn, Function<ActorRef<StatusReply<T>>, TnEntity.Command> f) {
    return p.sharding.entityRefFor(TnEntity.TYPE_KEY, tn).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> app(String id, Function<ActorRef<StatusReply<T>>, AppEntity.Command> f) {
    return p.sharding.entityRefFor(AppEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> call(String id, Function<ActorRef<StatusReply<T>>, CallEntity.Command> f) {
    return p.sharding.entityRefFor(CallEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> connection(String id, Function<ActorRef<StatusReply<T>>, SipConnectionEntity.Command> f) {
    return p.sharding.entityRefFor(SipConnectionEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> domain(String name, Function<ActorRef<StatusReply<T>>, SipDomainEntity.Command> f) {
    return p.sharding.entityRefFor(SipDomainEntity.TYPE_KEY, SipDomainEntity.id(name)).askWithStatus(f::apply, p.askTimeout);
  }

  <T> CompletionStage<T> profile(String id, Function<ActorRef<StatusReply<T>>, OutboundVoiceProfileEntity.Command> f) {
    return p.sharding.entityRefFor(OutboundVoiceProfileEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  /** Completes when {@code uuid} is null or one of {@code account}'s SIP connections; else a 400 naming {@code field}. */
  CompletionStage<Void> checkConnection(String account, String uuid, String field) {
    return checkRef(uuid, field, "unknown SIP connection", () -> this.<SipConnectionEntity.Connection>connection(uuid,
        r -> new SipConnectionEntity.Get(account, r)));
  }

  /** Completes when {@code uuid} is null or one of {@code account}'s outbound voice profiles; else a 400 naming {@code field}. */
  CompletionStage<Void> checkProfile(String account, String uuid, String field) {
    return checkRef(uuid, field, "unknown outbound voice profile", () -> this.<OutboundVoiceProfileEntity.Profile>profile(
        uuid, r -> new OutboundVoiceProfileEntity.Get(account, r)));
  }

  /** Completes when {@code uuid} is null or one of {@code account}'s TN leases; else a 400 naming {@code field}. */
  CompletionStage<Void> checkLease(String account, String uuid, String field) {
    return checkRef(uuid, field, "unknown TN lease", () -> indexGet(IndexEntity.leaseId(uuid)).thenApply(v -> {
      if (v.orElse(null) instanceof IndexEntity.LeaseRef l && l.accountId().equals(account)) return l;
      throw ApiException.notFound();
    }));
  }

  /** A reference check: null passes; an ask that fails (absent, another account's) is a 400 naming {@code field}. */
  private static CompletionStage<Void> checkRef(String uuid, String field, String message,
                                                java.util.function.Supplier<CompletionStage<?>> ask) {
    if (uuid == null) return java.util.concurrent.CompletableFuture.completedFuture(null);
    return ask.get().handle((x, err) -> {
      if (err != null) throw ApiException.badField(field, message, uuid);
      return null;
    });
  }

  <T> CompletionStage<T> index(String id, Function<ActorRef<StatusReply<T>>, IndexEntity.Command> f) {
    return p.sharding.entityRefFor(IndexEntity.TYPE_KEY, id).askWithStatus(f::apply, p.askTimeout);
  }

  CompletionStage<java.util.Optional<IndexEntity.Value>> indexGet(String id) {
    return p.sharding.entityRefFor(IndexEntity.TYPE_KEY, id).ask(IndexEntity.Get::new, p.askTimeout);
  }

  /**
   * Asks about every id at once; the ones whose ask fails (gone, another account's) are left out, the others
   * come back in the order of {@code ids}.
   */
  static <T> CompletionStage<java.util.List<T>> each(java.util.Collection<String> ids,
                                                   Function<String, CompletionStage<T>> ask) {
    java.util.List<java.util.concurrent.CompletableFuture<T>> all = ids.stream()
        .map(id -> ask.apply(id).toCompletableFuture().exceptionally(e -> null)).toList();
    return java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
        .thenApply(x -> all.stream().map(java.util.concurrent.CompletableFuture::join)
            .filter(java.util.Objects::nonNull).toList());
  }

  CompletionStage<TnEntity.Route> route(String tn, String caller) {
    return p.sharding.entityRefFor(TnEntity.TYPE_KEY, tn).ask(r -> new TnEntity.RouteCall(caller, r), p.askTimeout);
  }

  /**
   * The account's active outbound voice profile {@code uuid} (an empty profile when none is given); else a 400
   * naming {@code outbound_voice_profile}.
   */
  CompletionStage<OutboundVoiceProfileEntity.Profile> activeProfile(String account, String uuid) {
    if (uuid == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(new OutboundVoiceProfileEntity.Profile(null, null, null, false, null,
          null, 0, null, null, null, null));
    }
    return this.<OutboundVoiceProfileEntity.Profile>profile(uuid, r -> new OutboundVoiceProfileEntity.Get(account, r))
        .handle((pr, err) -> {
          if (err != null) throw ApiException.badField("outbound_voice_profile", "unknown outbound voice profile", uuid);
          if (!pr.isActive()) throw ApiException.badField("outbound_voice_profile", "is not active", uuid);
          return pr;
        });
  }
}
