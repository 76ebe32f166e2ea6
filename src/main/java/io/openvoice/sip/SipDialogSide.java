package io.openvoice.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signalling side of one inbound call: answers, early media, refusal and BYE on its INVITE server
 * transaction and dialog. Each message is sent at most once; failures to send are logged (the far end may be
 * gone), never thrown into the media or actor code.
 */
final class SipDialogSide implements CallSide {
  private static final Logger log = LoggerFactory.getLogger(SipDialogSide.class);

  private final SipProvider provider;
  private final MessageFactory messages;
  private final HeaderFactory headers;
  private final ServerTransaction invite;
  private final ContactHeader contact;
  private final String localSdp;
  final String toTag;
  private boolean finalSent;
  private boolean ringing;
  private boolean progress;
  private boolean byeSent;
  /** Where in-dialog requests go when the caller is behind NAT (see {@link SipEdge#natHop}); else null. */
  final javax.sip.address.Hop nextHop;

  @Override public javax.sip.address.Hop nextHop() { return nextHop; }

  @Override public String localTag() { return toTag; }

  SipDialogSide(SipProvider provider, MessageFactory messages, HeaderFactory headers, ServerTransaction invite,
                ContactHeader contact, String localSdp, String toTag, javax.sip.address.Hop nextHop) {
    this.nextHop = nextHop;
    this.provider = provider;
    this.messages = messages;
    this.headers = headers;
    this.invite = invite;
    this.contact = contact;
    this.localSdp = localSdp;
    this.toTag = toTag;
  }

  @Override
  public synchronized void ringing() {
    if (finalSent || ringing || progress) return;
    ringing = true;
    send(Response.RINGING, false);
  }

  @Override
  public synchronized void progress() {
    if (finalSent || progress) return;
    progress = true;
    send(Response.SESSION_PROGRESS, true);
  }

  @Override
  public synchronized void answer() {
    if (finalSent) return;
    finalSent = true;
    send(Response.OK, true);
  }

  @Override
  public synchronized void refuse(int status) {
    if (finalSent) return;
    finalSent = true;
    send(status, false);
  }

  /** The caller cancelled: the INVITE ends with 487 (the CANCEL itself is answered by the edge). */
  @Override
  public synchronized void cancelled() {
    refuse(Response.REQUEST_TERMINATED);
  }

  @Override
  public synchronized void bye() {
    if (byeSent) return;
    byeSent = true;
    Dialog d = invite.getDialog();
    if (d == null) return;
    try {
      Request bye = d.createRequest(Request.BYE);
      ClientTransaction ct = provider.getNewClientTransaction(bye);
      d.sendRequest(ct);
    } catch (Exception e) {
      log.debug("BYE on dialog {} not sent: {}", d.getDialogId(), e.toString());
    }
  }

  private void send(int status, boolean withSdp) {
    try {
      Response r = messages.createResponse(status, invite.getRequest());
      ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
      if (status > 100 && to.getTag() == null) to.setTag(toTag);
      if (status >= 180 && status < 300) r.addHeader((ContactHeader) contact.clone());
      if (withSdp) {
        ContentTypeHeader ct = headers.createContentTypeHeader("application", "sdp");
        r.setContent(localSdp, ct);
      }
      invite.sendResponse(r);
    } catch (Exception e) {
      log.debug("{} to {} not sent: {}", status, invite.getRequest().getRequestURI(), e.toString());
    }
  }
}
