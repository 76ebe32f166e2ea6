package io.openvoice.sip;

import io.openvoice.domain.SipDomainEntity;
import io.openvoice.node.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.ServerTransaction;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER (RFC 3261 §10.3) for the users of SIP domains: digest-authenticated, a user registers only itself,
 * expiry between {@link #MIN_EXPIRES} and {@link #MAX_EXPIRES} seconds (shorter asks get 423), {@code Contact: *}
 * with {@code Expires: 0} removes all, no Contact queries. Bindings go to the cluster-wide {@link Registrar}.
 */
final class SipRegistrations {
  private static final Logger log = LoggerFactory.getLogger(SipRegistrations.class);
  static final int MIN_EXPIRES = 60;
  static final int MAX_EXPIRES = 3600;

  private final Platform platform;
  private final Registrar registrar;
  private final SipAuth auth;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final AddressFactory addresses;
  private final String edge;

  SipRegistrations(Platform platform, Registrar registrar, SipAuth auth, MessageFactory messages,
                   HeaderFactory headers, AddressFactory addresses, String edge) {
    this.platform = platform;
    this.registrar = registrar;
    this.auth = auth;
    this.messages = messages;
    this.headers = headers;
    this.addresses = addresses;
    this.edge = edge;
  }

  void onRegister(ServerTransaction tx, String sourceHost, int sourcePort) {
    Request req = tx.getRequest();
    ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
    if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null) {
      send(tx, Response.BAD_REQUEST, null);
      return;
    }
    String domain = aor.getHost().toLowerCase(Locale.ROOT);
    String login = aor.getUser();
    platform.sharding.entityRefFor(SipDomainEntity.TYPE_KEY, SipDomainEntity.id(domain))
        .<SipDomainEntity.Domain>askWithStatus(r -> new SipDomainEntity.Get(null, r), platform.askTimeout)
        .whenComplete((d, err) -> {
          if (err != null) {
            boolean missing = err.getCause() instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage
                || err instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage;
            send(tx, missing ? Response.NOT_FOUND : Response.SERVER_INTERNAL_ERROR, null);
            return;
          }
          try {
            register(tx, d, login, sourceHost + ":" + sourcePort);
          } catch (Exception e) {
            log.warn("REGISTER for {}@{} failed: {}", login, domain, e.toString());
            send(tx, Response.SERVER_INTERNAL_ERROR, null);
          }
        });
  }

  private void register(ServerTransaction tx, SipDomainEntity.Domain d, String login, String source) throws Exception {
    Request req = tx.getRequest();
    long now = System.currentTimeMillis();
    SipAuth.Verdict v = auth.check(req, d, now);
    if (v instanceof SipAuth.Challenge c) {
      tx.sendResponse(auth.challenge(req, d.name(), c.stale(), tag()));
      return;
    }
    if (v instanceof SipAuth.Forbidden f) {
      log.info("REGISTER {}@{} from {} refused: {}", login, d.name(), source, f.why());
      send(tx, Response.FORBIDDEN, null);
      return;
    }
    SipDomainEntity.User user = ((SipAuth.Authenticated) v).user();
    if (!user.login().equalsIgnoreCase(login)) {
      send(tx, Response.FORBIDDEN, null); // a user registers itself only
      return;
    }
    ExpiresHeader expiresHeader = req.getExpires();
    int defaultExpires = expiresHeader == null ? MAX_EXPIRES : expiresHeader.getExpires();
    String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
    long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
    String transport = ((ViaHeader) req.getHeader(ViaHeader.NAME)).getTransport();
    boolean removeAll = false;
    List<String> remove = new ArrayList<>();
    List<Registrar.Binding> add = new ArrayList<>();
    ListIterator<?> contacts = req.getHeaders(ContactHeader.NAME);
    while (contacts.hasNext()) {
      ContactHeader c = (ContactHeader) contacts.next();
      int expires = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
      if (c.isWildCard()) {
        if (expires != 0) {
          send(tx, Response.BAD_REQUEST, null);
          return;
        }
        removeAll = true;
        continue;
      }
      String contact = c.getAddress().getURI().toString();
      if (expires == 0) {
        remove.add(contact);
      } else if (expires < MIN_EXPIRES) {
        Response r = messages.createResponse(Response.INTERVAL_TOO_BRIEF, req);
        r.addHeader(headers.createMinExpiresHeader(MIN_EXPIRES));
        tx.sendResponse(r);
        return;
      } else {
        long secs = Math.min(expires, MAX_EXPIRES);
        add.add(new Registrar.Binding(user.login(), contact, now + secs * 1000, callId, cseq, source, transport, edge));
      }
    }
    registrar.update(d.name(), user.login(), removeAll, remove, add, now).whenComplete((b, err) -> {
      if (err != null) {
        log.warn("REGISTER {}@{}: registrar update failed: {}", login, d.name(), err.toString());
        send(tx, Response.SERVER_INTERNAL_ERROR, null);
      } else {
        log.debug("REGISTER {}@{} from {}: {} binding(s)", login, d.name(), source, b.size());
        ok(tx, b, System.currentTimeMillis());
      }
    });
  }

  private void ok(ServerTransaction tx, List<Registrar.Binding> bindings, long now) {
    try {
      Response r = messages.createResponse(Response.OK, tx.getRequest());
      for (Registrar.Binding b : bindings) {
        ContactHeader c = headers.createContactHeader(addresses.createAddress(addresses.createURI(b.contact())));
        c.setExpires((int) Math.max(1, (b.expiresAtMillis() - now) / 1000));
        r.addHeader(c);
      }
      ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
      if (to.getTag() == null) to.setTag(tag());
      tx.sendResponse(r);
    } catch (Exception e) {
      log.debug("200 to REGISTER not sent: {}", e.toString());
    }
  }

  private void send(ServerTransaction tx, int status, String reason) {
    try {
      Response r = messages.createResponse(status, tx.getRequest());
      if (reason != null) r.setReasonPhrase(reason);
      ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
      if (to.getTag() == null) to.setTag(tag());
      tx.sendResponse(r);
    } catch (Exception e) {
      log.debug("{} to REGISTER not sent: {}", status, e.toString());
    }
  }

  private static String tag() {
    return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  }
}
