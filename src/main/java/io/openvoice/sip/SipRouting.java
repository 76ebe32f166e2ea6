package io.openvoice.sip;

import io.openvoice.app.AppEntity;
import io.openvoice.domain.SipDomainEntity;
import io.openvoice.node.Platform;
import io.openvoice.number.CallerId;
import io.openvoice.number.TnEntity;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Where an INVITE goes (reference 3.5, 3.7, 4). A Request-URI (or, failing that, From) host naming one of our SIP
 * domains makes it a domain call: the caller is one of the domain's switches (by source address) or one of its
 * users (digest, 407 challenge, 403 for wrong credentials); then the domain's app runs, or a user of the domain
 * is dialled, or a number is reached through its TN. Anything else is a call to a number: the TN routes it to its
 * app (404 unknown, 603 refused caller...).
 */
final class SipRouting {
  /** Where a call runs: the app (or, for a domain without app, a flow of our own), with the parties. */
  record Route(String accountId, AppEntity.App app, String xml, String tn, String from, String to,
               String callerDomain) {}

  /** What a phone dials as a number: digits with an optional leading +, 3 to 15 of them (E.164). */
  private static final java.util.regex.Pattern DIALLED_NUMBER = java.util.regex.Pattern.compile("\\+?[0-9]{3,15}");

  private final Platform platform;
  private final SipAuth auth;
  private final SipSettings settings;

  SipRouting(Platform platform, SipAuth auth, SipSettings settings) {
    this.platform = platform;
    this.auth = auth;
    this.settings = settings;
  }

  CompletionStage<Route> route(Request req, String sourceIp, String toTag) {
    SipURI ruri = (SipURI) req.getRequestURI();
    FromHeader fromHeader = (FromHeader) req.getHeader(FromHeader.NAME);
    String caller = callerId(fromHeader);
    String fromHost = fromHeader.getAddress().getURI() instanceof SipURI f ? f.getHost() : null;
    String dest = ruri.getUser();
    return domain(ruri.getHost())
        .thenCompose(d -> d != null ? CompletableFuture.completedFuture(d) : domain(fromHost))
        .thenCompose(d -> d == null
            ? viaNumber(dest, caller, null, null)
            : domainCall(d, req, sourceIp, caller, dest, toTag));
  }

  private CompletionStage<Route> domainCall(SipDomainEntity.Domain d, Request req, String sourceIp, String caller,
                                            String dest, String toTag) {
    return auth.fromSwitch(d, sourceIp).thenCompose(isSwitch -> {
      String from = caller;
      boolean isUser = false;
      if (!isSwitch) {
        SipAuth.Verdict v = auth.check(req, d, System.currentTimeMillis());
        if (v instanceof SipAuth.Challenge c) {
          try {
            throw new Refused(auth.challenge(req, d.name(), c.stale(), toTag), "challenge");
          } catch (Refused r) {
            throw r;
          } catch (Exception e) {
            throw new Refused(Response.SERVER_INTERNAL_ERROR, "challenge not built: " + e);
          }
        }
        if (v instanceof SipAuth.Forbidden f) throw new Refused(Response.FORBIDDEN, f.why());
        SipDomainEntity.User u = ((SipAuth.Authenticated) v).user();
        if (caller != null && !caller.equalsIgnoreCase(u.login())) {
          throw new Refused(Response.FORBIDDEN, u.login() + " may not call as " + caller);
        }
        from = u.login();
        isUser = true;
      } else {
        isUser = d.userByLogin(caller).isPresent();
      }
      String callerDomain = isUser ? d.name() : null;
      final String fromFinal = from;
      if (d.sipControlApp() != null) {
        return platform.sharding.entityRefFor(AppEntity.TYPE_KEY, d.sipControlApp())
            .<AppEntity.App>askWithStatus(r -> new AppEntity.Get(d.accountId(), r), platform.askTimeout)
            .handle((app, err) -> {
              if (err != null || !app.isActive()) throw new Refused(Response.TEMPORARILY_UNAVAILABLE, "domain app unavailable");
              return new Route(d.accountId(), app, null, null, fromFinal, dest, callerDomain);
            });
      }
      SipDomainEntity.User callee = d.userByLogin(dest).orElse(null);
      if (callee != null) {
        if (callee.sameDomainCallsOnly() && !isUser) throw new Refused(Response.FORBIDDEN, "same_domain_calls_only");
        String xml = "<Response><Dial><To>" + callee.login() + "@" + d.name() + "</To></Dial></Response>";
        return CompletableFuture.completedFuture(new Route(d.accountId(), null, xml, null, fromFinal, dest, callerDomain));
      }
      if (dest != null && DIALLED_NUMBER.matcher(dest).matches()) {
        SipDomainEntity.User me = isUser ? d.userByLogin(fromFinal).orElse(null) : null;
        if (me != null && me.sameDomainCallsOnly()) throw new Refused(Response.FORBIDDEN, "same_domain_calls_only");
        // a number we do not lease leaves through the domain's SIP connection, with the user's number as caller id
        String callerId = me != null && me.phoneNumber() != null && !me.phoneNumber().isBlank() ? me.phoneNumber() : null;
        Route out = d.sipConnection() == null ? null
            : new Route(d.accountId(), null, dialXml(dest, callerId), null, fromFinal, dest, callerDomain);
        return viaNumber(dest, fromFinal, callerDomain, out);
      }
      throw new Refused(Response.NOT_FOUND, "no user " + dest + " in " + d.name());
    });
  }

  /**
   * A call to a number we lease: its TN entity admits the caller and names the app, or the SIP connection the
   * number is forwarded to. A number we do not lease takes {@code elsewhere} (a domain's trunk) when there is one.
   */
  private CompletionStage<Route> viaNumber(String dest, String caller, String callerDomain, Route elsewhere) {
    String tn = dest == null ? null : CallerId.canonicalTn(dest);
    if (tn == null) {
      if (elsewhere != null) return CompletableFuture.completedFuture(elsewhere);
      throw new Refused(Response.NOT_FOUND, "not a number: " + dest);
    }
    return platform.sharding.entityRefFor(TnEntity.TYPE_KEY, tn)
        .<TnEntity.Route>ask(r -> new TnEntity.RouteCall(caller, r), platform.askTimeout)
        .thenCompose(route -> {
          if (!route.admitted()) {
            if (elsewhere != null && "unallocated_number".equals(route.reason())) return CompletableFuture.completedFuture(elsewhere);
            throw new Refused(refusal(route.reason()), route.reason());
          }
          TnEntity.Lease lease = route.lease();
          if ("connection".equals(route.reason())) {
            // forwarded to the trunk the number is on (the dialler picks the lease's connection), caller id kept
            return CompletableFuture.completedFuture(new Route(lease.accountId(), null, dialXml(tn, caller), tn,
                caller, dest, callerDomain));
          }
          return platform.sharding.entityRefFor(AppEntity.TYPE_KEY, lease.sipControlApp())
              .<AppEntity.App>askWithStatus(r -> new AppEntity.Get(lease.accountId(), r), platform.askTimeout)
              .thenApply(app -> {
                if (!app.isActive()) throw new Refused(Response.TEMPORARILY_UNAVAILABLE, "app_inactive");
                return new Route(lease.accountId(), app, null, tn, caller, dest, callerDomain);
              });
        });
  }

  /** The flow of a call the platform routes to a number itself: a Dial, with the caller id when there is one. */
  static String dialXml(String number, String callerId) {
    String digits = number.replaceAll("[^0-9+]", "");
    String attr = callerId == null || callerId.isBlank() ? "" : " callerId=\"" + xmlEscape(callerId) + "\"";
    return "<Response><Dial" + attr + "><To>" + digits + "</To></Dial></Response>";
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
  }

  /** The domain a host names, or null (IP literals, our own address and unknown names). */
  private CompletionStage<SipDomainEntity.Domain> domain(String host) {
    if (host == null || host.isBlank() || !host.matches(".*[a-zA-Z].*") || host.contains(":")
        || host.equalsIgnoreCase(settings.publicAddress())) {
      return CompletableFuture.completedFuture(null);
    }
    return platform.sharding.entityRefFor(SipDomainEntity.TYPE_KEY, SipDomainEntity.id(host))
        .<SipDomainEntity.Domain>askWithStatus(r -> new SipDomainEntity.Get(null, r), platform.askTimeout)
        .handle((d, err) -> {
          if (err != null && !(rootOf(err) instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage)) {
            throw new java.util.concurrent.CompletionException(err);
          }
          return d;
        });
  }

  private static Throwable rootOf(Throwable e) {
    return io.openvoice.common.Errors.unwrap(e);
  }

  static int refusal(String reason) {
    return switch (reason == null ? "" : reason) {
      case "unallocated_number" -> Response.NOT_FOUND;
      case "caller_blacklisted", "caller_not_whitelisted" -> Response.DECLINE;
      case "voice_disabled" -> Response.FORBIDDEN;
      default -> Response.TEMPORARILY_UNAVAILABLE; // no_app and the like
    };
  }

  static String callerId(FromHeader from) {
    javax.sip.address.URI uri = from.getAddress().getURI();
    if (uri instanceof SipURI s && s.getUser() != null) return s.getUser();
    return from.getAddress().getDisplayName();
  }

}
