package io.openvoice.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.common.Errors;
import io.openvoice.node.TestNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMS balance ledger on the node's real database (H2, or PostgreSQL in the PostgreSQL pass): a message's debit,
 * credit and re-debit each happen once however often and however concurrently they are asked, and concurrent
 * messages never take more than the balance holds.
 */
class SmsBalanceTest {
  static TestNode node;
  static SmsBalance balance;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Files.createTempDirectory("openvoice-balance"), "");
    balance = node.node.platform().smsBalance;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String account() {
    return UUID.randomUUID().toString();
  }

  @Test
  void anAccountWithoutABalanceIsUnlimitedAndItsMessagesAreStillLedgered() throws Exception {
    String acc = account();
    assertNull(get(balance.balance(acc)));
    String msg = UUID.randomUUID().toString();
    assertEquals(new SmsBalance.Debit(true, null), get(balance.debit(acc, msg, 3)));
    String raced = UUID.randomUUID().toString();
    List<CompletableFuture<SmsBalance.Debit>> asks = new ArrayList<>();
    for (int i = 0; i < 8; i++) asks.add(balance.debit(acc, raced, 2).toCompletableFuture());
    for (var a : asks) assertEquals(new SmsBalance.Debit(true, null), get(a), "no row to lock: the ledger's key decides");
    assertTrue(get(balance.credit(acc, msg)), "a debited message can be given back");
    assertFalse(get(balance.credit(acc, msg)), "once");
    assertNull(get(balance.balance(acc)));
  }

  @Test
  void oneMessageIsDebitedOnceHoweverOftenAndConcurrentlyItIsAsked() throws Exception {
    String acc = account();
    get(balance.set(acc, 10L));
    String msg = UUID.randomUUID().toString();
    List<CompletableFuture<SmsBalance.Debit>> asks = new ArrayList<>();
    for (int i = 0; i < 8; i++) asks.add(balance.debit(acc, msg, 3).toCompletableFuture());
    for (var a : asks) assertTrue(get(a).ok());
    assertEquals(7L, get(balance.balance(acc)));
    assertEquals(new SmsBalance.Debit(true, 7L), get(balance.debit(acc, msg, 3)), "asked again after a restart");
    assertEquals(7L, get(balance.balance(acc)));
  }

  @Test
  void concurrentMessagesNeverTakeMoreThanTheBalanceHolds() throws Exception {
    String acc = account();
    get(balance.set(acc, 10L));
    List<CompletableFuture<SmsBalance.Debit>> asks = new ArrayList<>();
    for (int i = 0; i < 25; i++) asks.add(balance.debit(acc, UUID.randomUUID().toString(), 1).toCompletableFuture());
    int ok = 0;
    for (var a : asks) if (get(a).ok()) ok++;
    assertEquals(10, ok);
    assertEquals(0L, get(balance.balance(acc)));
    SmsBalance.Debit refused = get(balance.debit(acc, UUID.randomUUID().toString(), 1));
    assertEquals(new SmsBalance.Debit(false, 0L), refused);
  }

  @Test
  void aCreditGivesBackOnlyWhatWasDebitedOnceAndARedebitTakesItAgainOnce() throws Exception {
    String acc = account();
    get(balance.set(acc, 5L));
    assertFalse(get(balance.credit(acc, UUID.randomUUID().toString())), "never debited: nothing to give back");
    assertFalse(get(balance.redebit(acc, UUID.randomUUID().toString())), "never credited: nothing to take again");
    String msg = UUID.randomUUID().toString();
    get(balance.debit(acc, msg, 2));
    assertEquals(3L, get(balance.balance(acc)));
    List<CompletableFuture<Boolean>> credits = new ArrayList<>();
    for (int i = 0; i < 5; i++) credits.add(balance.credit(acc, msg).toCompletableFuture());
    int gave = 0;
    for (var c : credits) if (get(c)) gave++;
    assertEquals(1, gave);
    assertEquals(5L, get(balance.balance(acc)));
    get(balance.set(acc, 1L));
    assertTrue(get(balance.redebit(acc, msg)), "never refused, even below what it takes");
    assertFalse(get(balance.redebit(acc, msg)));
    assertEquals(-1L, get(balance.balance(acc)), "the account owes a part");
  }

  @Test
  void anAdjustmentAddsToALimitedBalanceAndIsRefusedOnAnUnlimitedOne() throws Exception {
    String acc = account();
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(balance.adjust(acc, 5)));
    assertInstanceOf(SmsBalance.Unlimited.class, Errors.unwrap(e));
    get(balance.set(acc, 4L));
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(balance.adjust(acc, 1).toCompletableFuture());
      all.add(balance.debit(acc, UUID.randomUUID().toString(), 1).toCompletableFuture());
    }
    for (var f : all) get(f);
    assertEquals(4L, get(balance.balance(acc)), "ten added, ten taken, none lost to a race");
    assertNull(get(balance.set(acc, null)));
    assertNull(get(balance.balance(acc)));
  }
}
