package io.openvoice.sms.gateway;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where gateways hand what comes back from the network: inbound messages and delivery reports. */
public interface SmsSink {

  /** A message from the network to one of our numbers (or, on-net, from one of ours to another). */
  void received(InboundSms sms);

  /**
   * Like {@link #received}, for a gateway that can hand a message over again: completes with the message's id once
   * it is kept (journalled), so the gateway acknowledges its hop only then. Fails with an
   * {@link IllegalArgumentException} or {@link IllegalStateException} when the message is not for us (permanent:
   * not worth handing over again), with anything else when it could not be kept now (the gateway should retry; a
   * message handed over twice is kept once, see {@link InboundSms#gatewayId}). The default hands it to
   * {@link #received} and completes at once.
   */
  default CompletionStage<String> receive(InboundSms sms) {
    received(sms);
    return CompletableFuture.completedFuture(null);
  }

  /** A delivery report about a message we submitted. */
  void deliveryReport(DeliveryReport report);

  /**
   * Like {@link #deliveryReport}, for a gateway that can hand a report over again: completes once the report is
   * kept (journalled with its message), or known to be worth nothing (not a message id, an unknown message, a
   * duplicate), so the gateway acknowledges it only then. Fails with an {@link IllegalArgumentException} or
   * {@link IllegalStateException} when handing it over again would not help, with anything else when it could not
   * be kept now (the gateway should retry). The default hands it to {@link #deliveryReport} and completes at once.
   */
  default CompletionStage<Void> report(DeliveryReport report) {
    deliveryReport(report);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * An inbound message. {@code gateway} names the gateway it came through and {@code gatewayId} is the gateway's id
   * for it when it has one (used to drop a message the gateway hands over twice); {@code receivedAt} is when the
   * gateway got it.
   */
  record InboundSms(String gateway, String gatewayId, String from, String to, String text, Instant receivedAt) {}

  /** The states a delivery report can carry (Kannel's DLR types 1, 2, 4, 8, 16). */
  enum DlrStatus { DELIVERED, UNDELIVERABLE, BUFFERED, SMSC_ACCEPTED, SMSC_REJECTED }

  /** A delivery report for the platform message {@code messageId}; {@code detail} is the network's text. */
  /**
   * A delivery report of our message {@code messageId}; {@code reference}: the next hop's id for it when the report
   * carries one (Kannel's {@code %F}, the SMSC's message id; on-net, the receiver's message), else null.
   */
  record DeliveryReport(String gateway, String messageId, DlrStatus status, String detail, Instant at,
                        String reference) {
    public DeliveryReport(String gateway, String messageId, DlrStatus status, String detail, Instant at) {
      this(gateway, messageId, status, detail, at, null);
    }
  }
}
