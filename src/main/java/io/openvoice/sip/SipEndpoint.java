package io.openvoice.sip;

import io.openvoice.flow.Action;

/**
 * A call of this edge as the call entity's media port sees it: an inbound call ({@link SipCall}) or a dialled
 * leg ({@link SipLeg}). Looked up by the platform call id and by the SIP Call-ID.
 */
interface SipEndpoint {
  String callId();

  String sipCallId();

  /**
   * Our tag in the dialog (the To tag we answer with, or the From tag of the INVITE we send). With the SIP
   * Call-ID it tells apart the two sides of a call the node routes back to itself, which share one Call-ID.
   */
  String localTag();

  void execute(Action a);

  /** Where this call's requests go instead of the far end's Contact (NAT, a resolved trunk host); null: there. */
  default javax.sip.address.Hop nextHop() { return null; }

  /** The call's RTP session (for re-INVITEs: a new remote address, hold directions). */
  io.openvoice.media.rtp.RtpSession rtpSession();

  /** A digit received out of band (SIP INFO), as if it had come as RFC 4733. */
  default void infoDigit(char digit) {}

  void cancel(int seq);

  /** The call entity is done with the call: hang up what is still up and free the RTP port. */
  void release();

  /** The far end hung up (BYE) or, for an unanswered inbound call, cancelled. */
  void remoteEnded(int cause, String reason);
}
