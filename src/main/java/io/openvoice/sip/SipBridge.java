package io.openvoice.sip;

import io.openvoice.media.rtp.RtpBridge;
import io.openvoice.media.rtp.RtpSession;

/**
 * The media of a caller joined to a dialled leg: the RTP engine relays each packet as it arrives (transcoding
 * PCMU/PCMA when the two negotiated different codecs; RFC 4733 digits with each side's payload type). On close it
 * adds what it relayed to the edge's counters.
 */
final class SipBridge {
  private final RtpBridge bridge;
  private final RtpSession caller;
  private final RtpSession leg;
  private final long callerSentBefore;
  private final long legSentBefore;
  private final SipMedia media;
  private boolean closed;

  private SipBridge(RtpSession caller, RtpSession leg, SipMedia media) {
    this.caller = caller;
    this.leg = leg;
    this.media = media;
    this.callerSentBefore = caller.packetsSent();
    this.legSentBefore = leg.packetsSent();
    this.bridge = caller.bridge(leg);
  }

  static SipBridge open(RtpSession caller, RtpSession leg, SipMedia media) {
    return new SipBridge(caller, leg, media);
  }

  void close() {
    if (closed) return;
    closed = true;
    bridge.close();
    media.countRelayed(caller.packetsSent() - callerSentBefore, leg.packetsSent() - legSentBefore);
  }
}
