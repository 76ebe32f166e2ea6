package io.openvoice.sip;

import io.openvoice.call.CallEntity;
import io.openvoice.call.CallSpec;
import io.openvoice.call.OutcomeSink;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.flow.Action;
import io.openvoice.media.rtp.RtpEngine;
import io.openvoice.media.rtp.RtpSession;
import io.openvoice.node.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code <Dial>} targets into outbound legs: a user of one of our SIP domains rings on every contact it has
 * registered (480 when it has none, 404 when there is no such user, 403 when it only takes calls from its own
 * domain), a SIP URI of any other host is called directly, a number leaves through a SIP connection of the
 * account ({@link SipTrunks}; 503 when there is none). Each leg is a child call entity of the dialling call.
 */
final class SipDialer {
  private static final Logger log = LoggerFactory.getLogger(SipDialer.class);

  /**
   * Who dials: the dialling call's spec; when the caller is a user of one of our domains, that domain (for bare
   * user names and {@code same_domain_calls_only}); and the caller's INVITE's Max-Forwards, which each leg carries
   * on less one, so that a number forwarded back to us round a loop of trunks ends with 483 instead of spinning.
   */
  record Context(CallSpec spec, String callerDomain, int maxForwards) {
    /** A call that did not come with a Max-Forwards of its own (RFC 3261's usual start). */
    static final int DEFAULT_MAX_FORWARDS = 70;
  }

  private record Resolution(List<SipLeg.Destination> destinations, int failureStatus) {
    static Resolution failure(int status) { return new Resolution(List.of(), status); }
  }

  private final Platform platform;
  private final Registrar registrar;
  private final SipParts sip;
  private final RtpEngine rtp;
  private final SipMedia media;
  private final OutcomeSink sink;
  private final SipTrunks trunks;

  SipDialer(Platform platform, Registrar registrar, SipParts sip, RtpEngine rtp, SipMedia media, OutcomeSink sink,
            SipTrunks trunks) {
    this.platform = platform;
    this.trunks = trunks;
    this.registrar = registrar;
    this.sip = sip;
    this.rtp = rtp;
    this.media = media;
    this.sink = sink;
  }

  SipMedia media() {
    return media;
  }

  /** Resolves every target and starts its legs; called with the call's monitor held. */
  void dial(SipCall call, SipDial dial, Context ctx) {
    for (Action.Dial.Target t : dial.action.targets()) {
      resolve(t, ctx).exceptionally(e -> {
        log.info("call {}: dial target {} not resolved: {}", call.callId(), t.value(), e.toString());
        return Resolution.failure(500);
      }).thenAccept(res -> {
        synchronized (call) {
          if (dial.over()) {
            dial.resolved(List.of(), res.failureStatus());
            return;
          }
          List<SipLeg> legs = new ArrayList<>();
          int status = res.failureStatus();
          for (SipLeg.Destination d : res.destinations()) {
            SipLeg leg = startLeg(call, dial, ctx, t, d);
            if (leg != null) legs.add(leg); else status = 503;
          }
          dial.resolved(legs, status);
        }
      });
    }
  }

  private SipLeg startLeg(SipCall call, SipDial dial, Context ctx, Action.Dial.Target t, SipLeg.Destination d) {
    RtpSession session;
    try {
      session = rtp.open();
    } catch (RuntimeException e) {
      log.warn("call {}: no RTP port for a dial leg: {}", call.callId(), e.getMessage());
      return null;
    }
    session.symmetricRtp(sip.settings().symmetricRtp());
    String legId = UUID.randomUUID().toString();
    SipLeg leg = new SipLeg(call, legId, d, sip, session, sink, dial);
    CallSpec parent = ctx.spec();
    String fromUser = callerIdFor(dial.action, t, parent);
    CallSpec spec = new CallSpec(legId, parent.accountId(), parent.app(), parent.tn(), fromUser, d.label(), "out",
        CallSpec.FlowSource.leg(), parent.maxCallLengthMs(), parent.timeZone(), media.handle(leg.sipCallId()),
        parent.callId());
    media.register(leg);
    // told, not asked: the leg's own reports (ringing, answer, end) follow through the same region in order
    platform.sharding.entityRefFor(CallEntity.TYPE_KEY, legId).tell(new CallEntity.Start(spec, platform.system.ignoreRef()));
    leg.start(fromUser, null, Math.max(0, ctx.maxForwards() - 1));
    return leg;
  }

  /** Caller id on a leg: the Dial's callerId, else the original caller for SIP targets and the TN for numbers. */
  static String callerIdFor(Action.Dial d, Action.Dial.Target t, CallSpec parent) {
    if (d.callerId() != null && !d.callerId().isBlank()) return d.callerId();
    if ("NUMBER".equals(t.kind()) && parent.tn() != null) return parent.tn();
    return parent.from();
  }

  /**
   * Where a call the platform places to {@code t} goes: its first destination, or a failure with the SIP status
   * that says why there is none (404 no such user, 480 not registered, 503 no trunk...).
   */
  CompletionStage<SipLeg.Destination> destination(Action.Dial.Target t, Context ctx) {
    return resolve(t, ctx).thenApply(res -> {
      if (res.destinations().isEmpty()) throw new Refused(res.failureStatus() == 0 ? 404 : res.failureStatus(), "no destination for " + t.value());
      return res.destinations().get(0);
    });
  }

  private CompletionStage<Resolution> resolve(Action.Dial.Target t, Context ctx) {
    String v = t.value().trim();
    switch (t.kind()) {
      case "NUMBER" -> {
        // numbers leave through a SIP connection (trunk) of the account
        return trunks.select(ctx.spec(), ctx.callerDomain()).thenCompose(c -> {
          if (c.isEmpty()) {
            log.info("call {}: dial to {} fails: account {} has no active SIP connection for it", ctx.spec().callId(),
                v, ctx.spec().accountId());
            return CompletableFuture.completedFuture(Resolution.failure(503));
          }
          return trunks.destination(c.get(), v).thenApply(d -> new Resolution(List.of(d), 0));
        });
      }
      case "SIP_URI" -> {
        String rest = v.replaceFirst("^(?i)sips?:", "");
        int at = rest.indexOf('@');
        if (at < 0) return CompletableFuture.completedFuture(Resolution.failure(404));
        String user = rest.substring(0, at);
        String host = rest.substring(at + 1).split("[;:>]")[0].toLowerCase(Locale.ROOT);
        return userOrUri(user, host, v.toLowerCase(Locale.ROOT).startsWith("sip") ? v : "sip:" + v, ctx);
      }
      default -> { // SIP_USER: user@domain, or a bare user of the caller's domain
        int at = v.indexOf('@');
        if (at < 0) {
          if (ctx.callerDomain() == null) return CompletableFuture.completedFuture(Resolution.failure(404));
          return userOrUri(v, ctx.callerDomain(), "sip:" + v + "@" + ctx.callerDomain(), ctx);
        }
        return userOrUri(v.substring(0, at), v.substring(at + 1).toLowerCase(Locale.ROOT), "sip:" + v, ctx);
      }
    }
  }

  /** A user of one of our domains (looked up in the registrar), or a plain SIP URI of someone else's host. */
  private CompletionStage<Resolution> userOrUri(String user, String host, String uri, Context ctx) {
    if (isIpLiteral(host)) {
      return CompletableFuture.completedFuture(new Resolution(List.of(
          new SipLeg.Destination(uri, uri, null, "udp", uri)), 0));
    }
    return platform.sharding.entityRefFor(SipDomainEntity.TYPE_KEY, SipDomainEntity.id(host))
        .<SipDomainEntity.Domain>askWithStatus(r -> new SipDomainEntity.Get(null, r), platform.askTimeout)
        .handle((d, err) -> d)
        .thenCompose(d -> {
          if (d == null) {
            return CompletableFuture.completedFuture(new Resolution(List.of(
                new SipLeg.Destination(uri, uri, null, "udp", uri)), 0));
          }
          SipDomainEntity.User u = d.userByLogin(user).orElse(null);
          if (u == null) return CompletableFuture.completedFuture(Resolution.failure(404));
          if (u.sameDomainCallsOnly() && !d.name().equals(ctx.callerDomain())) {
            return CompletableFuture.completedFuture(Resolution.failure(403));
          }
          String aor = "sip:" + u.login() + "@" + d.name();
          return registrar.lookup(d.name(), u.login(), System.currentTimeMillis()).thenApply(bindings -> {
            if (bindings.isEmpty()) return Resolution.failure(480);
            List<SipLeg.Destination> out = new ArrayList<>();
            for (Registrar.Binding b : bindings) {
              out.add(new SipLeg.Destination(b.contact(), aor, nextHop(b), b.transport(), u.login() + "@" + d.name()));
            }
            return new Resolution(out, 0);
          });
        });
  }

  /**
   * Behind NAT a phone's Contact names its private address, not the one its REGISTER came from: then the INVITE
   * goes to the REGISTER's source (host and port), which the NAT maps back to the phone. A Contact on the source
   * host itself (another port included) is trusted as it is.
   */
  static String nextHop(Registrar.Binding b) {
    if (b.source() == null) return null;
    String hostPort = b.contact().replaceFirst("^(?i)sips?:", "");
    int at = hostPort.indexOf('@');
    if (at >= 0) hostPort = hostPort.substring(at + 1);
    hostPort = hostPort.split(";")[0];
    String contactHost = hostPort.startsWith("[") ? hostPort.substring(0, hostPort.indexOf(']') + 1)
        : hostPort.split(":")[0];
    String sourceHost = b.source().startsWith("[") ? b.source().substring(0, b.source().indexOf(']') + 1)
        : b.source().substring(0, b.source().lastIndexOf(':') < 0 ? b.source().length() : b.source().lastIndexOf(':'));
    return contactHost.equalsIgnoreCase(sourceHost) ? null : b.source();
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":") || host.startsWith("[");
  }

}
