package io.openvoice.sip;

import io.openvoice.call.OutcomeSink;
import io.openvoice.call.Q850;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import io.openvoice.media.Codec;
import io.openvoice.media.rtp.RtpSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound INVITE of a {@code <Dial>} (the B2BUA's client side): its transaction and dialog, its RTP session,
 * and its child call entity, to which it reports ringing, answer and end. Guarded by the parent call's monitor
 * ({@code lock}), so a Dial's legs and its caller never take locks in different orders.
 */
final class SipLeg implements SipEndpoint {
  private static final Logger log = LoggerFactory.getLogger(SipLeg.class);

  /** What the Dial learns from its legs (called with the lock held). */
  interface Listener {
    void answered(SipLeg leg);

    void failed(SipLeg leg, int sipStatus);

    void hungUp(SipLeg leg);
  }

  enum State { CALLING, EARLY, ANSWERED, ENDED }

  /** Where to send the INVITE: the Request-URI and To, and optionally a next hop (NAT, trunk). */
  record Destination(String requestUri, String toUri, String nextHop, String transport, String label) {}

  private final Object lock;
  private final String callId;
  private final String sipCallId;
  final Destination destination;
  private final javax.sip.address.Hop nextHop;
  private final String localTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  private final SipParts sip;
  final RtpSession rtp;
  private final OutcomeSink sink;
  private final Listener listener;
  private ClientTransaction invite;
  private Dialog dialog;
  private State state = State.CALLING;
  private boolean provisional;
  /** The Dial gave up on this unanswered leg; until the CANCEL can go, the cause and reason it will end with. */
  private boolean cancelWanted;
  private int cancelCause;
  private String cancelReason;
  Codec codec;

  SipLeg(Object lock, String callId, Destination destination, SipParts sip, RtpSession rtp, OutcomeSink sink,
         Listener listener) {
    this(lock, callId, sip.provider().getNewCallId().getCallId(), destination, sip, rtp, sink, listener);
  }

  /** A leg with a SIP Call-ID chosen beforehand (a placed call's, whose media side needs it first). */
  SipLeg(Object lock, String callId, String sipCallId, Destination destination, SipParts sip, RtpSession rtp,
         OutcomeSink sink, Listener listener) {
    this.lock = lock;
    this.callId = callId;
    this.destination = destination;
    this.sip = sip;
    this.rtp = rtp;
    this.sink = sink;
    this.listener = listener;
    this.sipCallId = sipCallId;
    this.nextHop = destination.nextHop() == null ? null
        : SipNextHopRouter.hop(destination.nextHop(), destination.transport());
  }

  @Override public String callId() { return callId; }

  @Override public String sipCallId() { return sipCallId; }

  @Override public javax.sip.address.Hop nextHop() { return nextHop; }

  @Override public String localTag() { return localTag; }

  @Override public RtpSession rtpSession() { return rtp; }

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Sends the INVITE with our offer; a request that cannot be built or sent fails the leg at once. */
  void start(String fromUser, String fromDisplay, int maxForwards) {
    synchronized (lock) {
      try {
        Request req = buildInvite(fromUser, fromDisplay, maxForwards);
        invite = sip.provider().getNewClientTransaction(req);
        dialog = invite.getDialog();
        invite.sendRequest();
      } catch (Exception e) {
        log.info("dial leg {} to {} not sent: {}", callId, destination.label(), e.toString());
        state = State.ENDED;
        rtp.close();
        sink.deliver(callId, new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE, "invite_not_sent: " + e.getMessage()));
        listener.failed(this, 500);
      }
    }
  }

  private Request buildInvite(String fromUser, String fromDisplay, int maxForwards) throws Exception {
    var a = sip.addresses();
    var h = sip.headers();
    URI requestUri = a.createURI(destination.requestUri());
    SipURI fromUri = a.createSipURI(fromUser == null || fromUser.isBlank() ? "anonymous" : fromUser,
        sip.settings().publicAddress());
    Address fromAddr = a.createAddress(fromUri);
    if (fromDisplay != null && !fromDisplay.isBlank()) fromAddr.setDisplayName(fromDisplay);
    FromHeader from = h.createFromHeader(fromAddr, localTag);
    ToHeader to = h.createToHeader(a.createAddress(a.createURI(destination.toUri())), null);
    String transport = destination.transport() == null ? "udp" : destination.transport().toLowerCase(java.util.Locale.ROOT);
    var lp = sip.provider().getListeningPoint(transport);
    if (lp == null) lp = sip.provider().getListeningPoint("udp");
    ViaHeader via = h.createViaHeader(sip.settings().publicAddress(), lp.getPort(), lp.getTransport(), null);
    List<ViaHeader> vias = new ArrayList<>(List.of(via));
    CallIdHeader cid = h.createCallIdHeader(sipCallId);
    CSeqHeader cseq = h.createCSeqHeader(1L, Request.INVITE);
    MaxForwardsHeader mf = h.createMaxForwardsHeader(maxForwards);
    Request req = sip.messages().createRequest(requestUri, Request.INVITE, cid, cseq, from, to, vias, mf);
    req.addHeader((javax.sip.header.ContactHeader) sip.contact(lp.getTransport()).clone());
    // a next hop (NAT, a resolved trunk host) is applied by SipNextHopRouter to this and every later request
    ContentTypeHeader ct = h.createContentTypeHeader("application", "sdp");
    req.setContent(Sdp.offer(sip.settings().publicAddress(), rtp.localPort(), System.currentTimeMillis(), "sendrecv"), ct);
    return req;
  }

  /** A response to our INVITE. */
  void onResponse(ResponseEvent event) {
    synchronized (lock) {
      Response r = event.getResponse();
      int status = r.getStatusCode();
      if (status < 200) {
        provisional = true; // any 1xx, 100 Trying included, allows a CANCEL (RFC 3261 9.1)
        if (cancelWanted && state != State.ENDED) { // given up before any provisional response: CANCEL it now
          sendCancel();
          finish(cancelCause, cancelReason);
          return;
        }
        if (state == State.CALLING && status > 100) state = State.EARLY;
        return;
      }
      if (status < 300) {
        if (event.getDialog() != null) dialog = event.getDialog();
        ack(r);
        if (state == State.ENDED || cancelWanted) {
          sendBye(); // answered after we gave up on it (CANCEL crossed the 200, or none could go yet): hang it up
          if (state != State.ENDED) finish(cancelCause, cancelReason);
          return;
        }
        try {
          Sdp.Media answer = Sdp.parseAudio(r.getRawContent() == null ? null
              : new String(r.getRawContent(), StandardCharsets.UTF_8));
          codec = chooseCodec(answer);
          rtp.remote(new InetSocketAddress(answer.address(), answer.port()), codec, answer.telephoneEvent());
        } catch (IllegalArgumentException e) {
          log.info("dial leg {} answered without usable SDP: {}", callId, e.getMessage());
          sendBye();
          finish(Q850.NORMAL_TEMPORARY_FAILURE, "bad_sdp_answer");
          listener.failed(this, 488);
          return;
        }
        state = State.ANSWERED;
        sink.deliver(callId, new Outcome.LegAnswered(null));
        listener.answered(this);
        return;
      }
      if (state == State.ENDED) return;
      if (cancelWanted) { // refused before its CANCEL could go: the Dial gave up on it already
        finish(cancelCause, cancelReason);
        return;
      }
      finish(SipCauses.causeFor(status), "sip_" + status);
      listener.failed(this, status);
    }
  }

  void onTimeout() {
    synchronized (lock) {
      if (state == State.ENDED || state == State.ANSWERED) return;
      if (cancelWanted) { // never answered at all (Timer B): nothing to CANCEL
        finish(cancelCause, cancelReason);
        return;
      }
      finish(Q850.NO_USER_RESPONSE, "sip_timeout");
      listener.failed(this, 408);
    }
  }

  /**
   * The Dial gives up on this leg (another answered, ring timeout, caller gone): BYE it, or CANCEL it. RFC 3261
   * 9.1 forbids a CANCEL before a provisional response: then the leg stays up (its child call, and with it its
   * registration on the edge, lives on) until the first 1xx lets the CANCEL go, a final response or Timer B ends it.
   */
  void hangup(int cause, String reason) {
    synchronized (lock) {
      if (state == State.ENDED || cancelWanted) return;
      if (state == State.ANSWERED) {
        sendBye();
        finish(cause, reason);
        return;
      }
      cancelWanted = true;
      cancelCause = cause;
      cancelReason = reason;
      if (provisional) {
        sendCancel();
        finish(cause, reason);
      }
    }
  }

  @Override
  public void remoteEnded(int cause, String reason) {
    synchronized (lock) {
      if (state == State.ENDED) return;
      boolean wasAnswered = state == State.ANSWERED;
      finish(cause, reason);
      if (wasAnswered) listener.hungUp(this);
    }
  }

  @Override
  public void execute(Action a) {
    // a dialled leg has no flow of its own: nothing to run
  }

  @Override
  public void cancel(int seq) {
  }

  /** The leg's entity ended (REST hang-up of the child call): hang up, and the Dial hears of it. */
  @Override
  public void release() {
    synchronized (lock) {
      if (state == State.ENDED) {
        rtp.close();
        return;
      }
      boolean wasAnswered = state == State.ANSWERED;
      boolean givenUp = cancelWanted;
      hangup(Q850.NORMAL_CLEARING, "hangup");
      // the edge forgets this leg now: a CANCEL still waiting for a provisional response can never go
      if (state != State.ENDED) finish(cancelCause, cancelReason);
      if (givenUp) return; // the Dial gave up on it before
      if (wasAnswered) listener.hungUp(this); else listener.failed(this, 487);
    }
  }

  private volatile Outcome endOutcome;

  private void finish(int cause, String reason) {
    state = State.ENDED;
    rtp.close();
    endOutcome = new Outcome.CallEnded(cause, reason);
    sink.deliver(callId, endOutcome);
  }

  /** The leg is over: tell its entity again (recovered on another node, it may have missed it). */
  void redeliverEnd() {
    Outcome o = endOutcome;
    if (o != null) sink.deliver(callId, o);
  }

  private void ack(Response r) {
    try {
      Dialog d = dialog;
      if (d == null) return;
      long seq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
      d.sendAck(d.createAck(seq));
    } catch (Exception e) {
      log.debug("ACK on leg {} not sent: {}", callId, e.toString());
    }
  }

  private void sendCancel() {
    try {
      Request cancel = invite.createCancel();
      sip.provider().getNewClientTransaction(cancel).sendRequest();
    } catch (Exception e) {
      log.debug("CANCEL on leg {} not sent: {}", callId, e.toString());
    }
  }

  private void sendBye() {
    try {
      if (dialog == null) return;
      Request bye = dialog.createRequest(Request.BYE);
      dialog.sendRequest(sip.provider().getNewClientTransaction(bye));
    } catch (Exception e) {
      log.debug("BYE on leg {} not sent: {}", callId, e.toString());
    }
  }

  /** The first G.711 codec of an offer or answer; IllegalArgumentException when there is none. */
  static Codec chooseCodec(Sdp.Media m) {
    for (int pt : m.payloadTypes()) {
      String enc = m.encoding(pt);
      if (enc.equals("PCMU") && pt == 0) return Codec.PCMU;
      if (enc.equals("PCMA") && pt == 8) return Codec.PCMA;
    }
    throw new IllegalArgumentException("no common codec (PCMU/PCMA)");
  }
}
