package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.gateway.SmsGateway.SubmitResult;
import io.openvoice.sms.gateway.SmsSink.DlrStatus;
import io.openvoice.webhook.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The message entity on an in-memory journal (every command, event and state through its CBOR serializer), with a
 * scripted gateway: bounded retries end in failed with the last reason, an attempt in flight at a restart is not
 * sent again, an unknown outcome waits for a delivery report, and delivery reports move the message.
 */
class SmsMessageEntityTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString("""
        pekko.actor.serialization-bindings { "io.openvoice.common.CborSerializable" = jackson-cbor }
        """)).withFallback(ConfigFactory.defaultReference()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A gateway that answers each attempt with the next scripted result (the last one repeats; null: never answers). */
  static final class Script {
    final List<SubmitResult> results;
    final AtomicInteger calls = new AtomicInteger();
    final List<String> notified = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Boolean> outcomes = new ConcurrentLinkedQueue<>();
    final List<String> eventIds = new CopyOnWriteArrayList<>();
    final AtomicInteger refunds = new AtomicInteger();
    final AtomicInteger redebits = new AtomicInteger();
    final AtomicInteger charges = new AtomicInteger();
    /** What the balance answers a charge (null: it cannot be reached). */
    volatile io.openvoice.limits.SmsBalance.Debit charge = new io.openvoice.limits.SmsBalance.Debit(true, null);
    /** Whether notifications complete (false: they fail, as when the webhook queue cannot be reached). */
    volatile boolean notifyWorks = true;

    Script(SubmitResult... results) {
      this.results = java.util.Arrays.asList(results);
    }

    SmsDeps deps(Duration confirmWait) {
      SmsSettings s = new SmsSettings("none", 3, new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), 0),
          confirmWait, Duration.ofSeconds(5), Duration.ofHours(1), 3, Duration.ofMinutes(5), 10);
      return new SmsDeps(s, m -> {
        int n = calls.incrementAndGet();
        SubmitResult r = results.get(Math.min(n, results.size()) - 1);
        if (r == null) return new CompletableFuture<>();
        return CompletableFuture.completedFuture(new SmsDeps.Routed("test", r));
      }, m -> {
        charges.incrementAndGet();
        var d = charge;
        return d == null ? CompletableFuture.failedFuture(new IllegalStateException("database down"))
            : CompletableFuture.completedFuture(d);
      }, SmsDeps.effects((m, what, eventId) -> {
        if (!notifyWorks) return CompletableFuture.failedFuture(new IllegalStateException("queue unreachable"));
        notified.add(what);
        eventIds.add(eventId);
        return CompletableFuture.completedFuture(null);
      }, (m, ok) -> outcomes.add(ok), m -> {
        refunds.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }, m -> {
        redebits.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }));
    }
  }

  static final SubmitResult ACCEPTED = new SubmitResult.Accepted("ref-1");
  static final SubmitResult DOWN = new SubmitResult.Rejected("gateway_unreachable", "connection refused", true, false);

  static Message outbound(String id) {
    Instant now = Instant.now();
    return new Message(id, SmsMessage.OUT, "acc-1", "12025550100", "12025550101", "hello",
        io.openvoice.sms.gateway.SmsGateway.Coding.GSM7, 1, SmsNumbers.thread("12025550100", "12025550101"),
        "12025550100", "profile-1", "p", null, null, null, false, "created", false, null, null, null, null, null, 0,
        SmsMessage.Phase.CHARGING, null, now, now);
  }

  static EventSourcedBehaviorTestKit<SmsMessageEntity.Command, SmsMessage.Event, SmsMessage.State> kit(String id, SmsDeps deps) {
    // a shard that only takes the passivation: the entity stays queryable after it asks to stop
    var shard = testKit.<org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.ShardCommand>createTestProbe();
    return EventSourcedBehaviorTestKit.create(testKit.system(), SmsMessageEntity.create(id, deps, shard.ref()));
  }

  static Message send(EventSourcedBehaviorTestKit<SmsMessageEntity.Command, SmsMessage.Event, SmsMessage.State> kit, String id) {
    StatusReply<Message> r = kit.<StatusReply<Message>>runCommand(x -> new SmsMessageEntity.Send(outbound(id), x)).reply();
    return r.getValue();
  }

  static Message await(EventSourcedBehaviorTestKit<SmsMessageEntity.Command, SmsMessage.Event, SmsMessage.State> kit,
                       Predicate<Message> done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    Message m = null;
    while (System.currentTimeMillis() < deadline) {
      m = kit.<StatusReply<Message>>runCommand(x -> new SmsMessageEntity.Get(null, x)).reply().getValue();
      if (done.test(m)) return m;
      Thread.sleep(20);
    }
    throw new AssertionError("not reached; last " + m);
  }

  @Test
  void anAcceptedAttemptEndsSentAfterOneGatewayCall() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    assertEquals("created", send(kit, id).state());
    Message m = await(kit, x -> "sent".equals(x.state()));
    assertEquals("test", m.gateway());
    assertEquals("ref-1", m.reference());
    assertEquals(1, m.attempts());
    assertEquals(1, g.calls.get());
    assertEquals(List.of("sent"), g.notified);
    assertEquals(List.of(true), List.copyOf(g.outcomes));
  }

  @Test
  void retryableRefusalsAreRetriedABoundedNumberOfTimesThenFailWithTheLastReason() throws Exception {
    Script g = new Script(DOWN);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    Message m = await(kit, x -> "failed".equals(x.state()));
    assertEquals("gateway_unreachable", m.reason());
    assertEquals("connection refused", m.detail());
    assertEquals(3, m.attempts());
    Thread.sleep(300);
    assertEquals(3, g.calls.get(), "max-attempts = 3");
    assertEquals(List.of("failed"), g.notified);
    assertEquals(1, g.refunds.get(), "its parts go back to the balance once");
  }

  @Test
  void aRetryThatIsAcceptedEndsSent() throws Exception {
    Script g = new Script(DOWN, ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    Message m = await(kit, x -> "sent".equals(x.state()));
    assertEquals(2, m.attempts());
    assertEquals(2, g.calls.get());
  }

  @Test
  void aFinalRefusalFailsAtOnce() throws Exception {
    Script g = new Script(new SubmitResult.Rejected("no_route", "nowhere", false, false));
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    Message m = await(kit, x -> "failed".equals(x.state()));
    assertEquals("no_route", m.reason());
    assertEquals(1, g.calls.get());
  }

  @Test
  void theSameMessageSentTwiceIsOneMessageAndOneGatewayCall() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    Message again = send(kit, id);
    assertEquals("sent", again.state(), "the existing message is answered");
    Thread.sleep(100);
    assertEquals(1, g.calls.get());
  }

  @Test
  void anAttemptInFlightWhenTheEntityRestartsIsNotSentAgainAndADeliveryReportConfirmsIt() throws Exception {
    Script g = new Script((SubmitResult) null); // the gateway never answers
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(30)));
    send(kit, id);
    await(kit, x -> x.phase() == SmsMessage.Phase.IN_FLIGHT);
    Thread.sleep(200);
    assertEquals(SmsMessage.Phase.IN_FLIGHT, kit.getState().message().phase(), "its own attempt is not taken for a cut-off one");
    assertEquals(1, g.calls.get());
    kit.restart();
    Message waiting = await(kit, x -> x.phase() == SmsMessage.Phase.UNCONFIRMED);
    assertEquals("sending", waiting.state());
    assertEquals("restarted_in_flight", waiting.reason());
    Thread.sleep(200);
    assertEquals(1, g.calls.get(), "not sent a second time");
    kit.runCommand(new SmsMessageEntity.Report("test", DlrStatus.DELIVERED, "delivered"));
    Message m = await(kit, x -> x.delivered());
    assertEquals("sent", m.state());
    assertEquals(1, g.calls.get());
    assertEquals(List.of("sent", "delivered"), g.notified);
  }

  @Test
  void anUnknownOutcomeWithoutDeliveryReportFailsSubmitUnconfirmedWithoutResending() throws Exception {
    Script g = new Script(new SubmitResult.Rejected("gateway_timeout", "no answer", true, true));
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofMillis(300)));
    send(kit, id);
    await(kit, x -> x.phase() == SmsMessage.Phase.UNCONFIRMED);
    Message m = await(kit, x -> "failed".equals(x.state()));
    assertEquals("submit_unconfirmed", m.reason());
    assertTrue(m.detail().contains("gateway_timeout"), m.detail());
    assertEquals(1, g.calls.get());
  }

  @Test
  void aRestartWhileWaitingForTheRetryCarriesOnWithTheNextAttempt() throws Exception {
    Script g = new Script(DOWN, ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> x.phase() == SmsMessage.Phase.RETRY_WAIT || "sent".equals(x.state()));
    kit.restart();
    Message m = await(kit, x -> "sent".equals(x.state()));
    assertEquals(2, m.attempts());
    assertEquals(2, g.calls.get());
  }

  @Test
  void deliveryReportsMoveTheMessage() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    kit.runCommand(new SmsMessageEntity.Report("test", DlrStatus.BUFFERED, "queued at the SMSC"));
    Message buffered = await(kit, x -> "BUFFERED".equals(x.dlrStatus()));
    assertEquals("sent", buffered.state());
    assertFalse(buffered.delivered());
    kit.runCommand(new SmsMessageEntity.Report("test", DlrStatus.DELIVERED, "ok"));
    assertTrue(await(kit, Message::delivered).delivered());
    assertEquals(List.of("sent", "dlr", "delivered"), g.notified);

    Script g2 = new Script(ACCEPTED);
    String id2 = UUID.randomUUID().toString();
    var kit2 = kit(id2, g2.deps(Duration.ofSeconds(5)));
    send(kit2, id2);
    await(kit2, x -> "sent".equals(x.state()));
    kit2.runCommand(new SmsMessageEntity.Report("test", DlrStatus.UNDELIVERABLE, "absent subscriber"));
    Message failed = await(kit2, x -> "failed".equals(x.state()));
    assertEquals("undeliverable", failed.reason());
    assertEquals("absent subscriber", failed.detail());
    assertEquals(List.of("sent", "failed"), g2.notified);
    assertEquals(0, g2.refunds.get(), "it was sent: no refund");
  }

  @Test
  void aMessageWhoseAcceptedAnswerCouldNotBeJournalledEndsInAFinalStateAfterTheRestart() throws Exception {
    CompletableFuture<SmsDeps.Routed> answer = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    List<String> notified = new CopyOnWriteArrayList<>();
    SmsDeps base = new Script(ACCEPTED).deps(Duration.ofMillis(300));
    SmsDeps deps = new SmsDeps(base.settings(), m -> {
      calls.incrementAndGet();
      return answer;
    }, base.charge(), SmsDeps.effects((m, what, eventId) -> {
      notified.add(what);
      return CompletableFuture.completedFuture(null);
    }, (m, ok) -> {}, m -> CompletableFuture.completedFuture(null), m -> CompletableFuture.completedFuture(null)));
    String id = UUID.randomUUID().toString();
    var kit = kit(id, deps);
    send(kit, id);
    await(kit, x -> x.phase() == SmsMessage.Phase.IN_FLIGHT);
    // the journal refuses the next write (the gateway's answer): the behaviour restarts with backoff inside the
    // same entity object, which must not take the recovered in-flight attempt for its own
    kit.persistenceTestKit().failNextPersisted();
    answer.complete(new SmsDeps.Routed("test", ACCEPTED));
    Message m = await(kit, x -> x.phase() == SmsMessage.Phase.DONE);
    assertEquals("failed", m.state());
    assertEquals("submit_unconfirmed", m.reason());
    assertEquals(1, calls.get(), "not sent a second time");
    assertEquals(List.of("failed"), notified);
  }

  @Test
  void aDeliveryReportIsAnsweredOnceJournalledAndOneForAnUnknownMessageIsAnsweredToo() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    var r = kit.<org.apache.pekko.Done>runCommand(x -> new SmsMessageEntity.Report("test", DlrStatus.DELIVERED, "ok", x));
    assertEquals(org.apache.pekko.Done.getInstance(), r.reply());
    assertEquals(1, r.events().size(), "answered with the report journalled");
    assertTrue(r.state().message().delivered());

    String unknown = UUID.randomUUID().toString();
    var kit2 = kit(unknown, g.deps(Duration.ofSeconds(5)));
    var r2 = kit2.<org.apache.pekko.Done>runCommand(x -> new SmsMessageEntity.Report("test", DlrStatus.DELIVERED, "ok", x));
    assertEquals(org.apache.pekko.Done.getInstance(), r2.reply());
    assertTrue(r2.events().isEmpty());
  }

  static SmsMessageEntity.Report report(DlrStatus status) {
    return new SmsMessageEntity.Report("test", status, status.name().toLowerCase());
  }

  @Test
  void aLateUndeliverableReportDoesNotUndoDeliveredAndTheSameReportAgainIsNotJournalled() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    assertEquals(1, kit.runCommand(report(DlrStatus.DELIVERED)).events().size());
    assertTrue(kit.runCommand(report(DlrStatus.DELIVERED)).events().isEmpty(), "a duplicate is dropped");
    var late = kit.runCommand(report(DlrStatus.UNDELIVERABLE));
    assertEquals(1, late.events().size(), "kept as information");
    assertEquals("sent", late.state().message().state());
    assertTrue(late.state().message().delivered());
    assertEquals("DELIVERED", late.state().message().dlrStatus());
    kit.runCommand(report(DlrStatus.BUFFERED));
    kit.runCommand(new SmsMessageEntity.Stop()); // its effects are journalled done: a restart does not repeat them
    kit.restart();
    Message m = await(kit, x -> true);
    assertEquals("sent", m.state(), "the journal replays to the same");
    assertTrue(m.delivered());
    Thread.sleep(100);
    assertEquals(List.of("sent", "delivered"), g.notified);

    // the other way round: undeliverable first, a late DELIVERED is information only
    Script g2 = new Script(ACCEPTED);
    String id2 = UUID.randomUUID().toString();
    var kit2 = kit(id2, g2.deps(Duration.ofSeconds(5)));
    send(kit2, id2);
    await(kit2, x -> "sent".equals(x.state()));
    kit2.runCommand(report(DlrStatus.UNDELIVERABLE));
    Message m2 = kit2.runCommand(report(DlrStatus.DELIVERED)).state().message();
    assertEquals("failed", m2.state());
    assertFalse(m2.delivered());
    assertEquals(List.of("sent", "failed"), g2.notified);
  }

  @Test
  void aReportAfterSubmitUnconfirmedProvesTheMessageWasSentAndTakesItsRefundedPartsAgain() throws Exception {
    for (DlrStatus status : List.of(DlrStatus.DELIVERED, DlrStatus.BUFFERED)) {
      Script g = new Script(new SubmitResult.Rejected("gateway_timeout", "no answer", true, true));
      String id = UUID.randomUUID().toString();
      var kit = kit(id, g.deps(Duration.ofMillis(200)));
      send(kit, id);
      Message failed = await(kit, x -> "failed".equals(x.state()));
      assertEquals("submit_unconfirmed", failed.reason());
      assertEquals(1, g.refunds.get());
      Message m = kit.runCommand(report(status)).state().message();
      assertEquals("sent", m.state(), status.name());
      assertEquals(status == DlrStatus.DELIVERED, m.delivered());
      assertEquals(null, m.reason());
      assertEquals(1, g.redebits.get(), "the refunded parts are taken again");
      kit.runCommand(report(DlrStatus.SMSC_ACCEPTED));
      assertEquals(1, g.redebits.get(), "once");
      assertEquals(1, g.calls.get());
      assertTrue(g.notified.contains("sent"), g.notified.toString());
    }
  }

  @Test
  void theEffectsOfChangesRunAgainAfterARestartWithTheSameEventIdsUntilTheyAreJournalledDone() throws Exception {
    Script g = new Script(ACCEPTED);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    kit.runCommand(report(DlrStatus.DELIVERED));
    awaitTrue(() -> g.notified.size() == 2);
    assertEquals(3, kit.getState().pending().size(), "notify sent, pool, notify delivered: not yet journalled done");
    // a crash here (before the entity journals them done) must not lose them: the next incarnation runs them again
    kit.restart();
    awaitTrue(() -> g.notified.size() == 4);
    assertEquals(List.of("sent", "delivered", "sent", "delivered"), g.notified);
    assertEquals(g.eventIds.subList(0, 2), g.eventIds.subList(2, 4), "a repeat carries the same event uuid");
    assertEquals(List.of(true, true), List.copyOf(g.outcomes), "the pool's health heard it at least once");
    var stopped = kit.runCommand(new SmsMessageEntity.Stop());
    assertEquals(List.of(new SmsMessage.EffectsDone(3)), stopped.events());
    assertTrue(stopped.state().pending().isEmpty());
    kit.restart();
    await(kit, x -> true);
    Thread.sleep(100);
    assertEquals(4, g.notified.size(), "done effects are not repeated");
  }

  @Test
  void aNotificationThatFailsIsTriedAgainAndTheMessageDoesNotStopBeforeItIsCarriedOut() throws Exception {
    Script g = new Script(ACCEPTED);
    g.notifyWorks = false;
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    send(kit, id);
    await(kit, x -> "sent".equals(x.state()));
    assertTrue(kit.runCommand(new SmsMessageEntity.Stop()).events().isEmpty(), "not stopped with an effect undone");
    g.notifyWorks = true;
    awaitTrue(() -> g.notified.equals(List.of("sent"))); // the retry (EFFECT_RETRY later)
    assertEquals(List.of(new SmsMessage.EffectsDone(2)), kit.runCommand(new SmsMessageEntity.Stop()).events());
  }

  @Test
  void aMessageTheBalanceCannotPayForIsRefusedWithoutBeingSentOrNotified() throws Exception {
    Script g = new Script(ACCEPTED);
    g.charge = new io.openvoice.limits.SmsBalance.Debit(false, 0L);
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    Message m = send(kit, id);
    assertEquals("failed", m.state(), "answered once the charge is decided");
    assertTrue(m.refusedForBalance());
    assertEquals("needs 1 SMS part(s); the account's SMS balance is 0", m.detail());
    Thread.sleep(200);
    assertEquals(0, g.calls.get());
    assertEquals(List.of(), g.notified, "the caller was told by the API");
    assertEquals(0, g.refunds.get(), "nothing was taken");

    g.charge = new io.openvoice.limits.SmsBalance.Debit(true, 5L);
    Message again = send(kit, id);
    assertEquals("created", again.state(), "sent again after a top-up, it starts again");
    await(kit, x -> "sent".equals(x.state()));
    assertEquals(2, g.charges.get());
    assertEquals(1, g.calls.get());
  }

  @Test
  void aRestartWhileChargingChargesAgainAndSendsTheMessageOnce() throws Exception {
    Script g = new Script(ACCEPTED);
    CompletableFuture<io.openvoice.limits.SmsBalance.Debit> lost = new CompletableFuture<>();
    AtomicInteger charges = new AtomicInteger();
    SmsDeps base = g.deps(Duration.ofSeconds(5));
    SmsDeps deps = new SmsDeps(base.settings(), base.submit(), m -> charges.incrementAndGet() == 1 ? lost
        : CompletableFuture.completedFuture(new io.openvoice.limits.SmsBalance.Debit(true, 9L)), base.effects());
    String id = UUID.randomUUID().toString();
    var kit = kit(id, deps);
    var caller = testKit.<StatusReply<Message>>createTestProbe();
    kit.runCommand(new SmsMessageEntity.Send(outbound(id), caller.ref()));
    assertEquals(SmsMessage.Phase.CHARGING, kit.getState().message().phase());
    kit.restart(); // the charge's answer never comes back (the node died): the next incarnation charges again
    Message m = await(kit, x -> "sent".equals(x.state()));
    assertEquals(2, charges.get(), "asked again: the ledger takes the parts once per message");
    assertEquals(1, g.calls.get());
    assertEquals(List.of("sent"), g.notified);
  }

  @Test
  void aBalanceThatCannotBeReachedFailsTheMessageAfterBoundedTriesAndGivesBackAnyCharge() throws Exception {
    Script g = new Script(ACCEPTED);
    g.charge = null;
    String id = UUID.randomUUID().toString();
    var kit = kit(id, g.deps(Duration.ofSeconds(5)));
    var caller = testKit.<StatusReply<Message>>createTestProbe();
    kit.runCommand(new SmsMessageEntity.Send(outbound(id), caller.ref()));
    Message m = caller.receiveMessage(Duration.ofSeconds(10)).getValue();
    assertEquals("failed", m.state());
    assertEquals("balance_unavailable", m.reason());
    assertEquals(SmsMessageEntity.CHARGE_TRIES, g.charges.get());
    assertEquals(0, g.calls.get());
    awaitTrue(() -> g.refunds.get() == 1); // a charge whose answer was lost is given back (the ledger: if any)
    assertEquals(List.of(), g.notified);
  }

  static void awaitTrue(java.util.function.BooleanSupplier ok) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!ok.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("not reached");
      Thread.sleep(20);
    }
  }
}
