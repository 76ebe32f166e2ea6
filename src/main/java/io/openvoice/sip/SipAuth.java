package io.openvoice.sip;

import io.openvoice.domain.SipDomainEntity;
import io.openvoice.http.Cidr;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Who may use a SIP domain: its users, by digest (REGISTER answered 401, other requests 407; the realm is the
 * domain name), and its active switches, by source address (an IP, a CIDR block, or a host name resolved on the
 * blocking executor and remembered for a minute).
 */
final class SipAuth {
  private static final long DNS_TTL_MS = 60_000;

  /** The outcome of checking a request's credentials. */
  sealed interface Verdict {}

  record Authenticated(SipDomainEntity.User user) implements Verdict {}

  /** No (usable) credentials: answer with a challenge. */
  record Challenge(boolean stale) implements Verdict {}

  /** Credentials that are wrong: 403. */
  record Forbidden(String why) implements Verdict {}

  private record Resolved(List<InetAddress> addresses, long at) {}

  private final Digest digest;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final Executor blocking;
  private final Map<String, Resolved> dns = new ConcurrentHashMap<>();

  SipAuth(Digest digest, MessageFactory messages, HeaderFactory headers, Executor blocking) {
    this.digest = digest;
    this.messages = messages;
    this.headers = headers;
    this.blocking = blocking;
  }

  Verdict check(Request req, SipDomainEntity.Domain d, long now) {
    AuthorizationHeader h = Request.REGISTER.equals(req.getMethod())
        ? (AuthorizationHeader) req.getHeader(AuthorizationHeader.NAME)
        : (AuthorizationHeader) req.getHeader(ProxyAuthorizationHeader.NAME);
    if (h == null || h.getUsername() == null || h.getResponse() == null) return new Challenge(false);
    if (h.getRealm() == null || !h.getRealm().equalsIgnoreCase(d.name())) return new Challenge(false);
    if (h.getAlgorithm() != null && !h.getAlgorithm().equalsIgnoreCase("MD5")) return new Challenge(false);
    switch (digest.check(h.getNonce(), now)) {
      case FORGED -> { return new Challenge(false); }
      case STALE -> { return new Challenge(true); }
      default -> { }
    }
    SipDomainEntity.User user = d.userByLogin(h.getUsername()).orElse(null);
    if (user == null) return new Forbidden("unknown user " + h.getUsername());
    String uri = h.getURI() == null ? req.getRequestURI().toString() : h.getURI().toString();
    String nc = h.getNonceCount() <= 0 ? null : String.format("%08x", h.getNonceCount());
    String expected = Digest.expectedResponse(user.ha1(), req.getMethod(), uri, h.getNonce(), h.getQop(), nc,
        h.getCNonce());
    if (!Digest.matches(expected, h.getResponse())) return new Forbidden("wrong password for " + h.getUsername());
    return new Authenticated(user);
  }

  /** 401 (REGISTER) or 407 (everything else) with a fresh nonce for the domain's realm. */
  Response challenge(Request req, String realm, boolean stale, String toTag) throws Exception {
    boolean register = Request.REGISTER.equals(req.getMethod());
    Response r = messages.createResponse(register ? Response.UNAUTHORIZED : Response.PROXY_AUTHENTICATION_REQUIRED, req);
    WWWAuthenticateHeader w = register ? headers.createWWWAuthenticateHeader("Digest")
        : headers.createProxyAuthenticateHeader("Digest");
    w.setRealm(realm);
    w.setNonce(digest.nonce(System.currentTimeMillis()));
    w.setAlgorithm("MD5");
    w.setQop("auth");
    if (stale) w.setStale(true);
    r.addHeader(w);
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (to.getTag() == null) to.setTag(toTag);
    return r;
  }

  /** Whether {@code source} is one of the domain's active switches. Completes on the blocking executor for names. */
  CompletionStage<Boolean> fromSwitch(SipDomainEntity.Domain d, String source) {
    InetAddress src;
    try {
      src = InetAddress.getByName(source); // an IP literal: no look-up
    } catch (Exception e) {
      return CompletableFuture.completedFuture(false);
    }
    List<String> hosts = new java.util.ArrayList<>();
    for (SipDomainEntity.Switch s : d.switches().values()) {
      if (!s.isActive()) continue;
      if (s.remoteIp() != null) {
        try {
          if (Cidr.parse(s.remoteIp()).contains(src)) return CompletableFuture.completedFuture(true);
        } catch (RuntimeException e) {
          // validated when saved; an unreadable one matches nothing
        }
      }
      if (s.remoteDomain() != null) hosts.add(s.remoteDomain());
    }
    if (hosts.isEmpty()) return CompletableFuture.completedFuture(false);
    return CompletableFuture.supplyAsync(() -> hosts.stream().anyMatch(h -> resolve(h).contains(src)), blocking);
  }

  private List<InetAddress> resolve(String host) {
    long now = System.currentTimeMillis();
    Resolved r = dns.get(host);
    if (r != null && now - r.at() < DNS_TTL_MS) return r.addresses();
    List<InetAddress> got;
    try {
      got = Arrays.asList(InetAddress.getAllByName(host));
    } catch (Exception e) {
      got = List.of();
    }
    if (dns.size() > 10_000) dns.clear();
    dns.put(host, new Resolved(got, now));
    return got;
  }
}
