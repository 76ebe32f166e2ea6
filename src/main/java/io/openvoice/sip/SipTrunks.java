package io.openvoice.sip;

import io.openvoice.account.AccountEntity;
import io.openvoice.call.CallSpec;
import io.openvoice.connection.SipConnectionEntity;
import io.openvoice.connection.SipProducts;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.node.Platform;
import io.openvoice.number.TnEntity;
import io.openvoice.profile.OutboundVoiceProfileEntity;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Which SIP connection (trunk) a call's {@code <Dial>} to a number leaves through, and the INVITE's destination on
 * it. The connection is the one the call's number is leased on, else the one of the caller's SIP domain, else the
 * account's oldest active connection. An attached connection that is switched off stops the call (it is not
 * silently replaced by another trunk).
 */
final class SipTrunks {
  private final Platform platform;
  private final SipProducts products;
  private final Executor blocking;

  SipTrunks(Platform platform, Executor blocking) {
    this.platform = platform;
    this.products = platform.products;
    this.blocking = blocking;
  }

  /**
   * The trunk for a call of {@code spec}, or empty when the account has none that is active. A call with an
   * outbound voice profile leaves through the profile's connection when it names one, with the profile's tech
   * prefix when it has one; an inactive or deleted profile sends nothing.
   */
  CompletionStage<Optional<SipConnectionEntity.Connection>> select(CallSpec spec, String callerDomain) {
    if (spec.outboundVoiceProfile() == null) return byNumberDomainOrAccount(spec, callerDomain);
    return platform.sharding.entityRefFor(OutboundVoiceProfileEntity.TYPE_KEY, spec.outboundVoiceProfile())
        .<OutboundVoiceProfileEntity.Profile>askWithStatus(r -> new OutboundVoiceProfileEntity.Get(spec.accountId(), r),
            platform.askTimeout)
        .handle((p, err) -> err != null || !p.isActive() ? null : p)
        .thenCompose(p -> {
          if (p == null) return done(Optional.<SipConnectionEntity.Connection>empty());
          CompletionStage<Optional<SipConnectionEntity.Connection>> c = p.sipConnection() != null
              ? connection(spec.accountId(), p.sipConnection()).thenApply(o -> o.filter(SipConnectionEntity.Connection::isActive))
              : byNumberDomainOrAccount(spec, callerDomain);
          boolean prefixed = p.techPrefix() != null && !p.techPrefix().isBlank();
          return c.thenApply(o -> prefixed ? o.map(x -> x.withTechPrefix(p.techPrefix())) : o);
        });
  }

  private CompletionStage<Optional<SipConnectionEntity.Connection>> byNumberDomainOrAccount(CallSpec spec,
                                                                                            String callerDomain) {
    return attachedToNumber(spec)
        .thenCompose(c -> c != null ? done(c) : attachedToDomain(callerDomain))
        .thenCompose(uuid -> uuid != null ? connection(spec.accountId(), uuid)
            : oldestActive(spec.accountId()).thenApply(Optional::ofNullable))
        .thenApply(c -> c.filter(SipConnectionEntity.Connection::isActive));
  }

  /**
   * The INVITE for {@code number} on {@code c}: Request-URI {@code sip:<tech prefix><digits>@<host>:<port>}, To
   * the plain number at the trunk; a host name is resolved here (on the blocking pool) and used as the next hop,
   * so that no DNS look-up happens on a SIP stack thread.
   */
  CompletionStage<SipLeg.Destination> destination(SipConnectionEntity.Connection c, String number) {
    String digits = number.replaceAll("[^0-9]", "");
    String transport = c.transport() == null ? "udp" : c.transport();
    String params = "udp".equals(transport) ? "" : ";transport=" + transport;
    String host = c.host();
    // "#" is not allowed in a SIP URI user part as it is (RFC 3261 25.1): escaped
    String requestUri = "sip:" + products.techPrefix(c).replace("#", "%23") + digits + "@" + host + ":" + c.port() + params;
    String toUri = "sip:" + digits + "@" + host;
    if (c.ip() != null) {
      return done(new SipLeg.Destination(requestUri, toUri, null, transport, digits));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        String ip = InetAddress.getByName(host).getHostAddress();
        return new SipLeg.Destination(requestUri, toUri, ip + ":" + c.port(), transport, digits);
      } catch (java.net.UnknownHostException e) {
        throw new java.util.concurrent.CompletionException(new IllegalStateException(
            "SIP connection " + c.uuid() + ": host " + host + " does not resolve"));
      }
    }, blocking);
  }

  private CompletionStage<String> attachedToNumber(CallSpec spec) {
    if (spec.tn() == null) return done(null);
    return platform.sharding.entityRefFor(TnEntity.TYPE_KEY, spec.tn())
        .<TnEntity.Lease>askWithStatus(r -> new TnEntity.Get(spec.accountId(), r), platform.askTimeout)
        .handle((l, err) -> err != null ? null : l.sipConnection());
  }

  private CompletionStage<String> attachedToDomain(String domain) {
    if (domain == null) return done(null);
    return platform.sharding.entityRefFor(SipDomainEntity.TYPE_KEY, SipDomainEntity.id(domain))
        .<SipDomainEntity.Domain>askWithStatus(r -> new SipDomainEntity.Get(null, r), platform.askTimeout)
        .handle((d, err) -> err != null ? null : d.sipConnection());
  }

  private CompletionStage<Optional<SipConnectionEntity.Connection>> connection(String account, String uuid) {
    return platform.sharding.entityRefFor(SipConnectionEntity.TYPE_KEY, uuid)
        .<SipConnectionEntity.Connection>askWithStatus(r -> new SipConnectionEntity.Get(account, r), platform.askTimeout)
        .handle((c, err) -> err != null ? Optional.empty() : Optional.of(c));
  }

  private CompletionStage<SipConnectionEntity.Connection> oldestActive(String account) {
    return platform.sharding.entityRefFor(AccountEntity.TYPE_KEY, account)
        .<AccountEntity.State>askWithStatus(AccountEntity.Get::new, platform.askTimeout)
        .thenCompose(acc -> {
          List<CompletableFuture<Optional<SipConnectionEntity.Connection>>> all = new ArrayList<>();
          for (String uuid : acc.connections()) all.add(connection(account, uuid).toCompletableFuture());
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> all.stream()
              .map(CompletableFuture::join).flatMap(Optional::stream).filter(SipConnectionEntity.Connection::isActive)
              .min(Comparator.comparing(SipConnectionEntity.Connection::createdOn)).orElse(null));
        });
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
