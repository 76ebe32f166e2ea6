package io.openvoice.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SetupGateTest {

  @Test
  void beyondTheLimitANewSetUpIsRefusedUntilOneInProgressEnds() {
    SetupGate gate = new SetupGate(2);
    assertTrue(gate.tryEnter());
    assertTrue(gate.tryEnter());
    assertFalse(gate.tryEnter(), "a third set-up while two are in progress");
    assertEquals(2, gate.inProgress(), "a refusal takes no place");
    gate.exit();
    assertTrue(gate.tryEnter());
    assertEquals(2, gate.inProgress());
  }

  @Test
  void racingSetUpsNeverExceedTheLimit() throws Exception {
    SetupGate gate = new SetupGate(5);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 200; i++) {
      pool.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        if (gate.tryEnter()) admitted.incrementAndGet();
      });
    }
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(5, admitted.get());
    assertEquals(5, gate.inProgress());
  }

  @Test
  void aLimitBelowOneIsAConfigurationError() {
    assertThrows(IllegalArgumentException.class, () -> new SetupGate(0));
  }
}
