package io.openvoice.sip;

/**
 * The signalling side a {@link SipCall} runs its flow on: an inbound INVITE we answer ({@link SipDialogSide}), or a
 * call we placed ({@link SipOutboundSide}), whose answer came from the far end.
 */
interface CallSide {
  void ringing();

  /** Early media: 183 with our SDP (inbound only). */
  void progress();

  void answer();

  /** End an unanswered call with this SIP status (inbound) or cancel it (outbound). */
  void refuse(int status);

  /** The caller cancelled (inbound). */
  void cancelled();

  /** End an answered call. */
  void bye();

  /** Where in-dialog requests go instead of the far end's Contact, or null. */
  javax.sip.address.Hop nextHop();

  /** Our tag in the dialog. */
  String localTag();
}
