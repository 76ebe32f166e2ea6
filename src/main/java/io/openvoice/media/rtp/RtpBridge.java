package io.openvoice.media.rtp;

import java.util.Objects;

/**
 * A media relay between two {@link RtpSession}s of one engine, made by {@link RtpSession#bridge(RtpSession)}. While it
 * is open, every audio and telephone-event packet received on one session is sent out on the other at once, on the
 * engine's receive thread, re-stamped with the sending session's own SSRC, sequence numbers and timestamps and
 * transcoded between PCMU and PCMA where the two sessions negotiated different codecs. {@link #close()} ends it; so does
 * closing either session. Safe to close from any thread, any number of times.
 */
public final class RtpBridge implements AutoCloseable {
  private final RtpSession first;
  private final RtpSession second;
  private final Object lock;
  private volatile boolean open = true; // written under lock

  RtpBridge(RtpSession first, RtpSession second, Object lock) {
    this.first = first;
    this.second = second;
    this.lock = lock;
  }

  /** The session {@link RtpSession#bridge} was called on. */
  public RtpSession first() {
    return first;
  }

  /** The session passed to {@link RtpSession#bridge}. */
  public RtpSession second() {
    return second;
  }

  /** The session bridged to {@code session}. */
  public RtpSession other(RtpSession session) {
    if (session == first) return second;
    if (session == second) return first;
    throw new IllegalArgumentException(Objects.toString(session) + " is not in " + this);
  }

  /** False once unbridged, by {@link #close()} or because either session closed. */
  public boolean isOpen() {
    return open;
  }

  /**
   * Unbridges: when this returns, no packet is relayed any more and both sessions are back to their own playback
   * (plays queued meanwhile start on the next pacing tick). Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (!open) return;
      open = false;
      first.detach(this);
      second.detach(this);
    }
  }

  @Override
  public String toString() {
    return "RtpBridge[" + first.localPort() + "<->" + second.localPort() + (open ? "" : ", closed") + "]";
  }
}
