package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import io.openvoice.sms.gateway.SmsGateway.Coding;
import io.openvoice.sms.gateway.SmsSink.DlrStatus;
import java.time.Instant;

/**
 * One SMS as its entity ({@link SmsMessageEntity}) keeps it, the events that change it, and how each event changes
 * it ({@link #apply}, pure: the journal replays through it).
 *
 * <p>Outbound life cycle ({@code state}): {@code created} → {@code sending} (an attempt at the gateway) →
 * {@code sent} (the next hop took it; {@code delivered} becomes true with a DELIVERED report), or {@code failed}
 * with a {@code reason}. Inbound messages are {@code success} from the start. {@code phase} says what the entity
 * still waits for.
 */
public final class SmsMessage {
  private SmsMessage() {}

  public static final String OUT = "out";
  public static final String IN = "in";

  /** What an outbound message waits for. */
  public enum Phase {
    /** Nothing sent yet: the first attempt is due. */
    NEW,
    /** An attempt was journalled and handed to the gateway; its answer has not been journalled. */
    IN_FLIGHT,
    /** A retryable refusal: the next attempt is due at {@code nextAt}. */
    RETRY_WAIT,
    /** The last attempt may have gone out: only a delivery report (until {@code nextAt}) tells. */
    UNCONFIRMED,
    /** Nothing more to do (sent, failed, or inbound); late delivery reports are still taken. */
    DONE
  }

  /**
   * The message. {@code tn}: our number (the sender of an outbound message, the receiver of an inbound one);
   * {@code profileName}, {@code callbackUrl}, {@code callbackUrl2}: the messaging profile as of the message's start
   * (its webhooks); {@code pool}: the sender was picked from the profile's pool.
   */
  public record Message(String uuid, String direction, String accountId, String from, String to, String text,
                        Coding coding, int parts, String thread, String tn, String messagingProfile,
                        String profileName, String callbackUrl, String callbackUrl2, String customCallbackUrl,
                        boolean pool, String state, boolean delivered, String reason, String detail, String gateway,
                        String reference, String dlrStatus, int attempts, Phase phase, Instant nextAt,
                        Instant createdOn, Instant modifiedOn) implements CborSerializable {
    public boolean exists() { return uuid != null && direction != null; }

    public boolean outbound() { return OUT.equals(direction); }

    /** A final delivery report (DELIVERED, UNDELIVERABLE, SMSC_REJECTED) was applied: later ones change nothing. */
    public boolean finallyReported() { return isFinal(dlrStatus); }

    /**
     * It failed before any report said the next hop took it (the entity gave its parts back): a report now proves
     * it was sent after all.
     */
    public boolean refunded() { return outbound() && "failed".equals(state) && !isFinal(dlrStatus); }

    /** The SMS event type of Opentact: {@code smso} (outbound) or {@code smsi} (inbound). */
    public String type() { return outbound() ? "smso" : "smsi"; }

    Message with(String st, boolean dlv, String rsn, String dtl, String gw, String ref, String dlr, int att, Phase ph,
                 Instant next, Instant at) {
      return new Message(uuid, direction, accountId, from, to, text, coding, parts, thread, tn, messagingProfile,
          profileName, callbackUrl, callbackUrl2, customCallbackUrl, pool, st, dlv, rsn, dtl, gw, ref, dlr, att, ph,
          next, createdOn, at);
    }
  }

  static boolean isFinal(String dlrStatus) {
    return DlrStatus.DELIVERED.name().equals(dlrStatus) || DlrStatus.UNDELIVERABLE.name().equals(dlrStatus)
        || DlrStatus.SMSC_REJECTED.name().equals(dlrStatus);
  }

  public static Message empty() {
    return new Message(null, null, null, null, null, null, null, 0, null, null, null, null, null, null, null, false,
        null, false, null, null, null, null, null, 0, Phase.DONE, null, null, null);
  }

  public sealed interface Event extends CborSerializable {}

  /** An outbound message was accepted by the API (state created). */
  public record Created(Message message) implements Event {}

  /** An inbound message arrived (state success). */
  public record Received(Message message) implements Event {}

  /** Attempt {@code attempt} is about to be handed to a gateway. */
  public record AttemptStarted(int attempt, Instant at) implements Event {}

  /** The gateway's next hop took the message. */
  public record Accepted(String gateway, String reference, Instant at) implements Event {}

  /** A retryable refusal; the next attempt is due at {@code retryAt}. */
  public record AttemptFailed(String gateway, String reason, String detail, Instant retryAt, Instant at)
      implements Event {}

  /** The attempt's outcome is unknown; a delivery report may still come until {@code until}. */
  public record Unconfirmed(String gateway, String reason, String detail, Instant until, Instant at)
      implements Event {}

  /** The message will not be sent (or was reported undeliverable). */
  public record Failed(String gateway, String reason, String detail, Instant at) implements Event {}

  /** A delivery report. */
  public record Dlr(String gateway, DlrStatus status, String detail, Instant at) implements Event {}

  public static Message apply(Message m, Event e) {
    if (e instanceof Created c) return c.message();
    if (e instanceof Received r) return r.message();
    if (e instanceof AttemptStarted a) {
      return m.with("sending", m.delivered(), null, null, m.gateway(), m.reference(), m.dlrStatus(), a.attempt(),
          Phase.IN_FLIGHT, null, a.at());
    }
    if (e instanceof Accepted a) {
      return m.with("sent", m.delivered(), null, null, a.gateway(), a.reference(), m.dlrStatus(), m.attempts(),
          Phase.DONE, null, a.at());
    }
    if (e instanceof AttemptFailed f) {
      return m.with("sending", m.delivered(), f.reason(), f.detail(), f.gateway(), m.reference(), m.dlrStatus(),
          m.attempts(), Phase.RETRY_WAIT, f.retryAt(), f.at());
    }
    if (e instanceof Unconfirmed u) {
      return m.with("sending", m.delivered(), u.reason(), u.detail(), u.gateway(), m.reference(), m.dlrStatus(),
          m.attempts(), Phase.UNCONFIRMED, u.until(), u.at());
    }
    if (e instanceof Failed f) {
      return m.with("failed", m.delivered(), f.reason(), f.detail(), f.gateway() == null ? m.gateway() : f.gateway(),
          m.reference(), m.dlrStatus(), m.attempts(), Phase.DONE, null, f.at());
    }
    if (e instanceof Dlr d) {
      String gw = m.gateway() == null ? d.gateway() : m.gateway();
      // the first final report wins; what comes after it is kept as information only
      if (m.finallyReported()) return m.with(m.state(), m.delivered(), m.reason(), m.detail(), gw, m.reference(),
          m.dlrStatus(), m.attempts(), m.phase(), m.nextAt(), d.at());
      return switch (d.status()) {
        case DELIVERED -> m.with("sent", true, null, null, gw, m.reference(), d.status().name(), m.attempts(),
            Phase.DONE, null, d.at());
        case UNDELIVERABLE, SMSC_REJECTED -> m.with("failed", false, d.status().name().toLowerCase(java.util.Locale.ROOT),
            d.detail(), gw, m.reference(), d.status().name(), m.attempts(), Phase.DONE, null, d.at());
        // informative, but proof that the next hop took the message (also one we had given up on)
        case BUFFERED, SMSC_ACCEPTED -> m.with("sent", m.delivered(), "failed".equals(m.state()) ? null : m.reason(),
            "failed".equals(m.state()) ? null : m.detail(), gw, m.reference(), d.status().name(), m.attempts(),
            Phase.DONE, null, d.at());
      };
    }
    throw new IllegalArgumentException("unknown event " + e);
  }
}
