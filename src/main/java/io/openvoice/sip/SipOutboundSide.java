package io.openvoice.sip;

import io.openvoice.call.Q850;

/**
 * The signalling side of a call the platform placed (REST {@code POST /rest/call}): its INVITE is a {@link SipLeg}
 * reporting to the call's own entity (ringing, answer, end). The far end answers, so answering here is a no-op;
 * ending the call cancels the INVITE or sends BYE, as the leg's state allows.
 */
final class SipOutboundSide implements CallSide, SipLeg.Listener {
  private SipLeg leg;
  private SipCall call;

  void attach(SipLeg leg, SipCall call) {
    this.leg = leg;
    this.call = call;
  }

  SipLeg leg() {
    return leg;
  }

  @Override public void ringing() {}

  @Override public void progress() {}

  @Override public void answer() {}

  @Override public void refuse(int status) {
    leg.hangup(SipCauses.causeFor(status), "ended before answer");
  }

  @Override public void cancelled() {}

  @Override public void bye() {
    leg.hangup(Q850.NORMAL_CLEARING, "hangup");
  }

  @Override public javax.sip.address.Hop nextHop() {
    return leg.nextHop();
  }

  @Override public String localTag() {
    return leg.localTag();
  }

  // ---- what the INVITE's leg reports (its call entity hears it from the leg itself) -----------------------

  @Override public void answered(SipLeg l) {
    call.answeredByFarEnd();
  }

  @Override public void failed(SipLeg l, int sipStatus) {
    call.farEndGone();
  }

  @Override public void hungUp(SipLeg l) {
    call.farEndGone();
  }
}
