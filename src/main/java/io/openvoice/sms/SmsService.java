package io.openvoice.sms;

import io.openvoice.events.EventBus;
import io.openvoice.events.PlatformEvent;
import io.openvoice.limits.SmsBalance;
import io.openvoice.number.CallerId;
import io.openvoice.number.TnEntity;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.gateway.GatewayRouter;
import io.openvoice.sms.gateway.SmsSink;
import io.openvoice.webhook.WebhookDispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's SMS plumbing: the {@link SmsSink} gateways hand inbound messages and delivery reports to (they reach
 * the message entities through sharding, from any node), the on-net delivery, and the ports of the message
 * entities ({@link #deps}): events on the bus, webhooks through the signed, retrying webhook dispatcher (one queue
 * per messaging profile, id {@code sms-<profile uuid>}), the pools' number health, and the SMS balance (charges,
 * refunds and re-debits, each once per message: {@link SmsBalance}).
 */
public final class SmsService implements SmsSink {
  private static final Logger log = LoggerFactory.getLogger(SmsService.class);

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final EventBus bus;
  private final SmsSettings settings;
  private final SmsBalance balance;

  public SmsService(ClusterSharding sharding, Duration askTimeout, EventBus bus, SmsSettings settings,
                    SmsBalance balance) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.bus = bus;
    this.settings = settings;
    this.balance = balance;
  }

  public SmsSettings settings() {
    return settings;
  }

  /** The message entities' ports, with {@code router} choosing each attempt's gateway. */
  public SmsDeps deps(GatewayRouter router) {
    return new SmsDeps(settings, router::submit, this::charge,
        SmsDeps.effects(this::notify, this::poolOutcome, this::refund, this::redebit));
  }

  /** The id of an inbound message: derived from the gateway's id for it (kept once), else new. */
  public static String inboundId(String gateway, String gatewayId) {
    if (gatewayId == null || gatewayId.isBlank()) return UUID.randomUUID().toString();
    return UUID.nameUUIDFromBytes(("smsi:" + gateway + ":" + gatewayId).getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public void received(InboundSms sms) {
    receive(sms).whenComplete((id, err) -> {
      if (err != null) log.warn("inbound SMS from {} to {} via {} dropped: {}", sms.from(), sms.to(), sms.gateway(),
          err.getMessage());
    });
  }

  /** Keeps an inbound message for an SMS-enabled number; completes with its uuid once journalled. */
  @Override
  public CompletionStage<String> receive(InboundSms sms) {
    String tn = CallerId.canonicalTn(sms.to());
    if (tn == null) return CompletableFuture.failedFuture(new IllegalArgumentException("not a number: " + sms.to()));
    return lease(tn).thenCompose(l -> {
      if (!l.smsEnabled()) throw new IllegalStateException("number " + tn + " does not take SMS");
      return sharding.entityRefFor(MessagingProfileEntity.TYPE_KEY, l.messagingProfile())
          .<MessagingProfileEntity.Profile>askWithStatus(r -> new MessagingProfileEntity.Get(null, r), askTimeout)
          .thenCompose(p -> {
            String from = SmsNumbers.e164(sms.from()) == null ? sms.from() : SmsNumbers.e164(sms.from());
            Segmenter.Result seg = Segmenter.segment(sms.text() == null ? "" : sms.text());
            Instant at = sms.receivedAt() == null ? Instant.now() : sms.receivedAt();
            String id = inboundId(sms.gateway(), sms.gatewayId());
            Message m = new Message(id, SmsMessage.IN, l.accountId(), from, tn, sms.text(), seg.coding(), seg.count(),
                SmsNumbers.thread(from, tn), tn, p.uuid(), p.name(), p.callbackUrl(), p.callbackUrl2(), null, false,
                "success", false, null, null, sms.gateway(), sms.gatewayId(), null, 0, SmsMessage.Phase.DONE, null, at,
                at);
            return sharding.entityRefFor(SmsMessageEntity.TYPE_KEY, id)
                .<Message>askWithStatus(r -> new SmsMessageEntity.Receive(m, r), askTimeout)
                .thenApply(Message::uuid);
          });
    });
  }

  @Override
  public void deliveryReport(DeliveryReport r) {
    if (!isMessageId(r)) return;
    sharding.entityRefFor(SmsMessageEntity.TYPE_KEY, r.messageId().toLowerCase(java.util.Locale.ROOT))
        .tell(new SmsMessageEntity.Report(r.gateway(), r.status(), r.detail(), r.reference(), null));
  }

  /**
   * Completes once the message's entity has journalled the report (or found nothing to keep); a report that is not
   * about a message id completes at once (it never will be); an ask timeout fails it (the gateway retries).
   */
  @Override
  public CompletionStage<Void> report(DeliveryReport r) {
    if (!isMessageId(r)) return CompletableFuture.completedFuture(null);
    return sharding.entityRefFor(SmsMessageEntity.TYPE_KEY, r.messageId().toLowerCase(java.util.Locale.ROOT))
        .<org.apache.pekko.Done>ask(x -> new SmsMessageEntity.Report(r.gateway(), r.status(), r.detail(), r.reference(),
            x), askTimeout)
        .thenApply(d -> null);
  }

  private static boolean isMessageId(DeliveryReport r) {
    try {
      UUID.fromString(r.messageId());
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      log.info("delivery report for '{}' via {} dropped: not a message id", r.messageId(), r.gateway());
      return false;
    }
  }

  /** Whether {@code to} is an SMS-enabled number of the platform. */
  public CompletionStage<Boolean> isOnNet(String to) {
    String tn = CallerId.canonicalTn(to);
    if (tn == null) return CompletableFuture.completedFuture(false);
    return lease(tn).thenApply(TnEntity.Lease::smsEnabled);
  }

  private CompletionStage<TnEntity.Lease> lease(String tn) {
    return sharding.entityRefFor(TnEntity.TYPE_KEY, tn).ask(TnEntity.Peek::new, askTimeout);
  }

  /**
   * An {@code sms} event on the bus, and to the message's webhook: its custom URL, else its profile's two;
   * completes once the webhook is queued (at once when there is none).
   */
  CompletionStage<?> notify(Message m, String what, String eventId) {
    PlatformEvent ev = SmsJson.event(m, what, eventId, m.modifiedOn() == null ? Instant.now() : m.modifiedOn());
    bus.publish(ev);
    String url = m.customCallbackUrl();
    String fallback = null;
    if (url == null) {
      url = m.callbackUrl() != null ? m.callbackUrl() : m.callbackUrl2();
      fallback = m.callbackUrl() != null ? m.callbackUrl2() : null;
    }
    if (url == null || url.isBlank()) return CompletableFuture.completedFuture(null);
    String queue = "sms-" + (m.messagingProfile() != null ? m.messagingProfile() : m.accountId());
    WebhookDispatcher.Deliver d = new WebhookDispatcher.Deliver(m.accountId(), url, "POST", 0, fallback, m.uuid(),
        m.state(), m.from(), m.to(), ev);
    return sharding.entityRefFor(WebhookDispatcher.TYPE_KEY, queue)
        .<org.apache.pekko.Done>ask(r -> new WebhookDispatcher.DeliverAcked(d, r), askTimeout);
  }

  private void poolOutcome(Message m, boolean ok) {
    if (m.outbound() && m.messagingProfile() != null) {
      sharding.entityRefFor(SmsPoolEntity.TYPE_KEY, m.messagingProfile()).tell(new SmsPoolEntity.Outcome(m.tn(), ok));
    }
  }

  /** A new outbound message's parts, taken from its account's balance (once per message). */
  private CompletionStage<SmsBalance.Debit> charge(Message m) {
    return balance.debit(m.accountId(), m.uuid(), m.parts());
  }

  /** A message that failed before the next hop took it: its parts go back to the account's SMS balance. */
  private CompletionStage<?> refund(Message m) {
    return m.outbound() ? balance.credit(m.accountId(), m.uuid()) : CompletableFuture.completedFuture(null);
  }

  /** A refunded message that a late delivery report proved sent: its parts are taken from the balance again. */
  private CompletionStage<?> redebit(Message m) {
    return m.outbound() ? balance.redebit(m.accountId(), m.uuid()) : CompletableFuture.completedFuture(null);
  }
}
