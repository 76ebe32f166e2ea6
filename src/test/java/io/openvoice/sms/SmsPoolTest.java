package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmsPoolTest {
  static final List<String> POOL = List.of("12025550100", "12025550101", "12025550102", "18335550100", "18005550100");
  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void weights3To1SplitEveryFourPicksExactly() {
    SmsPool.State s = SmsPool.State.EMPTY;
    SmsPool.Settings set = new SmsPool.Settings(false, 3, 1, false);
    int tf = 0;
    Map<String, Integer> perNumber = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      SmsPool.Picked p = SmsPool.pick(s, POOL, "1212555" + i, set, NOW);
      s = p.next();
      if (SmsNumbers.tollFree(p.tn())) tf++;
      perNumber.merge(p.tn(), 1, Integer::sum);
    }
    assertEquals(25, tf);
    assertEquals(25, perNumber.get("12025550100"), "long codes take turns: " + perNumber);
    assertEquals(25, perNumber.get("18005550100") + perNumber.get("18335550100"), perNumber.toString());
    assertTrue(Math.abs(perNumber.get("18005550100") - perNumber.get("18335550100")) <= 1, "toll-free take turns: " + perNumber);
  }

  @Test
  void aZeroWeightLeavesAClassOutUnlessItIsTheOnlyOne() {
    SmsPool.Settings onlyLong = new SmsPool.Settings(false, 1, 0, false);
    SmsPool.State s = SmsPool.State.EMPTY;
    for (int i = 0; i < 10; i++) {
      SmsPool.Picked p = SmsPool.pick(s, POOL, "x", onlyLong, NOW);
      s = p.next();
      assertTrue(!SmsNumbers.tollFree(p.tn()), p.tn());
    }
    assertEquals("18335550100", SmsPool.pick(SmsPool.State.EMPTY, List.of("18335550100"), "x", onlyLong, NOW).tn());
    assertNull(SmsPool.pick(SmsPool.State.EMPTY, List.of(), "x", onlyLong, NOW).tn());
  }

  @Test
  void aStickyRecipientKeepsItsFirstSender() {
    SmsPool.Settings sticky = new SmsPool.Settings(true, 1, 1, false);
    SmsPool.State s = SmsPool.State.EMPTY;
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      String to = "1212555000" + (i % 10);
      SmsPool.Picked p = SmsPool.pick(s, POOL, to, sticky, NOW);
      s = p.next();
      String prev = first.putIfAbsent(to, p.tn());
      if (prev != null) assertEquals(prev, p.tn(), to);
    }
    assertEquals(10, s.sticky().size());
    // a sticky number that left the pool is replaced
    String gone = first.get("12125550000");
    List<String> rest = POOL.stream().filter(t -> !t.equals(gone)).toList();
    assertTrue(!gone.equals(SmsPool.pick(s, rest, "12125550000", sticky, NOW).tn()));
  }

  @Test
  void numbersWhoseSendsFailInARowAreSkippedForTheCoolDown() {
    SmsPool.Settings skip = new SmsPool.Settings(false, 1, 0, true);
    List<String> two = List.of("12025550100", "12025550101");
    SmsPool.State s = SmsPool.State.EMPTY;
    for (int i = 0; i < 3; i++) s = SmsPool.outcome(s, "12025550100", false, NOW, 3, Duration.ofMinutes(5));
    assertTrue(!s.healthy("12025550100", NOW));
    for (int i = 0; i < 6; i++) {
      SmsPool.Picked p = SmsPool.pick(s, two, "x", skip, NOW);
      s = p.next();
      assertEquals("12025550101", p.tn());
    }
    assertTrue(s.healthy("12025550100", NOW.plus(Duration.ofMinutes(5))), "after the cool-down");
    s = SmsPool.outcome(s, "12025550100", true, NOW, 3, Duration.ofMinutes(5));
    assertTrue(s.healthy("12025550100", NOW), "a success makes it healthy again");
    // when every number is unhealthy, all are used rather than none
    SmsPool.State allBad = SmsPool.State.EMPTY;
    for (String tn : two) for (int i = 0; i < 3; i++) allBad = SmsPool.outcome(allBad, tn, false, NOW, 3, Duration.ofMinutes(5));
    assertTrue(two.contains(SmsPool.pick(allBad, two, "x", skip, NOW).tn()));
  }
}
