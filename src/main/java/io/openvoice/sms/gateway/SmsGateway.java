package io.openvoice.sms.gateway;

import java.util.concurrent.CompletionStage;

/**
 * A way out for SMS: the on-net gateway (both numbers are ours) or an SMSC reached through Kannel. A gateway submits
 * one message and answers whether the next hop took it; what happens later (delivery reports, inbound messages)
 * comes back through the {@link SmsSink} the gateway was built with. Implementations never block the caller.
 */
public interface SmsGateway {

  /** The gateway's name, as stored on the message and shown in logs ({@code "onnet"}, {@code "kannel"}). */
  String name();

  /**
   * Hands one message to the next hop. The stage completes with {@link SubmitResult.Accepted} when the next hop took
   * it, {@link SubmitResult.Rejected} when it refused it (permanently or not), and exceptionally only for a bug.
   * A submission whose outcome is unknown (timeout, connection reset after the request was written) is reported as
   * {@code Rejected(…, retryable = true, maybeSent = true)} so the caller can decide whether a retry risks a duplicate.
   */
  CompletionStage<SubmitResult> submit(OutboundSms sms);

  /** The encoding of a message's text on the air interface. */
  enum Coding { GSM7, UCS2 }

  /**
   * One message to submit. {@code messageId} is the platform's id of the message (a UUID string), carried back in
   * delivery reports; {@code parts} is the number of segments the text needs with {@code coding}.
   */
  record OutboundSms(String messageId, String from, String to, String text, Coding coding, int parts) {}

  /** What the next hop said about a submission. */
  sealed interface SubmitResult {
    /** Taken by the next hop; {@code reference} is the hop's id for it when it gives one (else null). */
    record Accepted(String reference) implements SubmitResult {}

    /**
     * Not taken. {@code reason} is a short machine-readable code ({@code "gateway_unreachable"},
     * {@code "gateway_rejected"}, …) and {@code detail} the hop's own words.
     */
    record Rejected(String reason, String detail, boolean retryable, boolean maybeSent) implements SubmitResult {}
  }
}
