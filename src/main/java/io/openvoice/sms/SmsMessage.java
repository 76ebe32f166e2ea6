package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import io.openvoice.sms.gateway.SmsGateway.Coding;
import io.openvoice.sms.gateway.SmsSink.DlrStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    /** Accepted by the API; its parts are being taken from the account's SMS balance. */
    CHARGING,
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

    /** Refused when it was sent to the API: the account's SMS balance had too few parts (nothing was sent). */
    public boolean refusedForBalance() { return "failed".equals(state) && "insufficient_balance".equals(reason); }

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

  /** A delivery report; {@code reference}: the next hop's id for the message, when the report carried one. */
  public record Dlr(String gateway, DlrStatus status, String detail, Instant at, String reference) implements Event {
    public Dlr(String gateway, DlrStatus status, String detail, Instant at) {
      this(gateway, status, detail, at, null);
    }
  }

  /** The parts were taken from the account's SMS balance ({@code balance} after it; null: unlimited). */
  public record Charged(Long balance, Instant at) implements Event {}

  /** The pending effects up to id {@code upTo} have been carried out. Changes nothing of the message. */
  public record EffectsDone(long upTo) implements Event {}

  /** What a change of a message makes happen outside its entity. */
  public enum EffectKind {
    /** An {@code sms} event and the message's webhook ({@code what}: received, sent, delivered, failed, dlr). */
    NOTIFY,
    /** Tell the message's pool its number sent a message. */
    POOL_SENT,
    /** Tell the message's pool its number failed to send one. */
    POOL_FAILED,
    /** Give the message's parts back to the balance (once: the ledger is keyed by message). */
    REFUND,
    /** Take the parts given back again (a report proved the message sent). */
    REDEBIT
  }

  /**
   * An effect still to be carried out, numbered per message ({@code id}); {@code message}: the message as of the
   * change that made it (what a notification shows).
   */
  public record Pending(long id, EffectKind kind, String what, Message message) implements CborSerializable {
    /** The uuid of the notification this effect sends: the same every time it is sent (receivers drop repeats). */
    public String eventId() {
      return java.util.UUID.nameUUIDFromBytes(("sms-event:" + message.uuid() + ":" + id)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
  }

  /**
   * What the entity keeps: the message, and the effects of its changes that are not known to be carried out (an
   * outbox: journalled with the change that makes them, run after it, run again after a restart until
   * {@link EffectsDone}).
   */
  public record State(Message message, long effectSeq, List<Pending> pending) implements CborSerializable {
    public State {
      pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public static final State EMPTY = new State(empty(), 0, List.of());
  }

  /** The entity's state after {@code e}: the message ({@link #apply}) and the effects the change makes. */
  public static State step(State s, Event e) {
    if (e instanceof EffectsDone d) {
      return new State(s.message(), s.effectSeq(), s.pending().stream().filter(p -> p.id() > d.upTo()).toList());
    }
    Message after = apply(s.message(), e);
    List<Made> made = effects(s.message(), e, after);
    if (made.isEmpty()) return new State(after, s.effectSeq(), s.pending());
    List<Pending> pending = new ArrayList<>(s.pending());
    long seq = s.effectSeq();
    for (Made m : made) pending.add(new Pending(++seq, m.kind(), m.what(), after));
    return new State(after, seq, pending);
  }

  /** An effect a change makes. */
  record Made(EffectKind kind, String what) {}

  /** The effects of the change {@code before} → {@code after} by {@code e}. */
  static List<Made> effects(Message before, Event e, Message after) {
    List<Made> out = new ArrayList<>(3);
    if (e instanceof Received) {
      out.add(fx(EffectKind.NOTIFY, "received"));
    } else if (e instanceof Accepted) {
      out.add(fx(EffectKind.NOTIFY, "sent"));
      out.add(fx(EffectKind.POOL_SENT, null));
    } else if (e instanceof Failed f) {
      if (before.phase() == Phase.CHARGING) {
        // refused at the API (the caller was told): nothing was sent; a charge whose answer was lost is given back
        if (!"insufficient_balance".equals(f.reason())) out.add(fx(EffectKind.REFUND, null));
      } else {
        out.add(fx(EffectKind.NOTIFY, "failed"));
        out.add(fx(EffectKind.POOL_FAILED, null));
        out.add(fx(EffectKind.REFUND, null));
      }
    } else if (e instanceof Dlr d && !before.finallyReported()) {
      if (before.refunded()) out.add(fx(EffectKind.REDEBIT, null));
      boolean nowSent = "sent".equals(after.state()) && !"sent".equals(before.state());
      if (nowSent) {
        out.add(fx(EffectKind.NOTIFY, "sent"));
        out.add(fx(EffectKind.POOL_SENT, null));
      }
      switch (d.status()) {
        case DELIVERED -> {
          if (!before.delivered()) out.add(fx(EffectKind.NOTIFY, "delivered"));
        }
        case UNDELIVERABLE, SMSC_REJECTED -> {
          if (!"failed".equals(before.state())) {
            out.add(fx(EffectKind.NOTIFY, "failed"));
            out.add(fx(EffectKind.POOL_FAILED, null));
          }
        }
        default -> {
          if (!nowSent) out.add(fx(EffectKind.NOTIFY, "dlr"));
        }
      }
    }
    return out;
  }

  private static Made fx(EffectKind kind, String what) {
    return new Made(kind, what);
  }

  public static Message apply(Message m, Event e) {
    if (e instanceof Created c) return c.message();
    if (e instanceof EffectsDone) return m;
    if (e instanceof Charged c) {
      return m.with(m.state(), m.delivered(), m.reason(), m.detail(), m.gateway(), m.reference(), m.dlrStatus(),
          m.attempts(), Phase.NEW, null, c.at());
    }
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
      String ref = m.reference() == null ? d.reference() : m.reference();
      // the first final report wins; what comes after it is kept as information only
      if (m.finallyReported()) return m.with(m.state(), m.delivered(), m.reason(), m.detail(), gw, ref,
          m.dlrStatus(), m.attempts(), m.phase(), m.nextAt(), d.at());
      return switch (d.status()) {
        case DELIVERED -> m.with("sent", true, null, null, gw, ref, d.status().name(), m.attempts(),
            Phase.DONE, null, d.at());
        case UNDELIVERABLE, SMSC_REJECTED -> m.with("failed", false, d.status().name().toLowerCase(java.util.Locale.ROOT),
            d.detail(), gw, ref, d.status().name(), m.attempts(), Phase.DONE, null, d.at());
        // informative, but proof that the next hop took the message (also one we had given up on)
        case BUFFERED, SMSC_ACCEPTED -> m.with("sent", m.delivered(), "failed".equals(m.state()) ? null : m.reason(),
            "failed".equals(m.state()) ? null : m.detail(), gw, ref, d.status().name(), m.attempts(),
            Phase.DONE, null, d.at());
      };
    }
    throw new IllegalArgumentException("unknown event " + e);
  }
}
