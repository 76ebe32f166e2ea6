package io.openvoice.media.rtp;

import java.util.Locale;

/**
 * Which way media flows on an {@link RtpSession}, from our side (RFC 3264 section 5.1 and 6.1). The SDP attribute of
 * the far end is the mirror image of ours: their {@code sendonly} (they put us on hold) makes us {@link #RECVONLY}.
 */
public enum Direction {
  /** Send and receive (the default). */
  SENDRECV(true, true),
  /** We send (e.g. music on hold) and ignore whatever arrives. */
  SENDONLY(true, false),
  /** We receive but send no RTP (the far end put us on hold). */
  RECVONLY(false, true),
  /** Neither: no RTP sent, whatever arrives is ignored. */
  INACTIVE(false, false);

  private final boolean sends;
  private final boolean receives;

  Direction(boolean sends, boolean receives) {
    this.sends = sends;
    this.receives = receives;
  }

  /** True when RTP may be sent. */
  public boolean sends() {
    return sends;
  }

  /** True when received media is handled (digits, audio, relaying, taps). */
  public boolean receives() {
    return receives;
  }

  /** The mirror image: what we are when the far end's SDP says {@code this} (and vice versa). */
  public Direction reversed() {
    return switch (this) {
      case SENDONLY -> RECVONLY;
      case RECVONLY -> SENDONLY;
      default -> this;
    };
  }

  /** The SDP attribute name, e.g. {@code sendonly}. */
  public String sdp() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The direction an SDP attribute names; null or blank gives {@link #SENDRECV}, the default when an SDP has none.
   *
   * @throws IllegalArgumentException for any other word
   */
  public static Direction ofSdp(String attribute) {
    if (attribute == null || attribute.isBlank()) return SENDRECV;
    try {
      return valueOf(attribute.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an SDP direction: " + attribute, e);
    }
  }
}
