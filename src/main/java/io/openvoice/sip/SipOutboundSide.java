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
  /** Gives up on an unanswered INVITE; cancelled once the call is answered or over, so it never outlives it. */
  private java.util.concurrent.ScheduledFuture<?> ringTimer;

  /** Called with the call's monitor held, like the leg's reports. */
  void ringTimer(java.util.concurrent.ScheduledFuture<?> timer) {
    if (leg.state() == SipLeg.State.ANSWERED || leg.state() == SipLeg.State.ENDED) timer.cancel(false);
    else ringTimer = timer;
  }

  private void stopRinging() {
    if (ringTimer != null) ringTimer.cancel(false);
    ringTimer = null;
  }

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
    stopRinging();
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
    stopRinging();
    call.answeredByFarEnd();
  }

  @Override public void failed(SipLeg l, int sipStatus) {
    stopRinging();
    call.farEndGone();
  }

  @Override public void hungUp(SipLeg l) {
    stopRinging();
    call.farEndGone();
  }
}
