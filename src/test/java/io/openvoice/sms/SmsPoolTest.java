package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
      SmsPool.Picked p = SmsPool.pick(s, POOL, set, NOW);
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
      SmsPool.Picked p = SmsPool.pick(s, POOL, onlyLong, NOW);
      s = p.next();
      assertTrue(!SmsNumbers.tollFree(p.tn()), p.tn());
    }
    assertEquals("18335550100", SmsPool.pick(SmsPool.State.EMPTY, List.of("18335550100"), onlyLong, NOW).tn());
    assertNull(SmsPool.pick(SmsPool.State.EMPTY, List.of(), onlyLong, NOW).tn());
  }

  @Test
  void aStoredSenderIsKeptWhileItIsAUsableNumberOfThePoolWithoutCountingAsAPick() {
    SmsPool.Settings sticky = new SmsPool.Settings(true, 1, 1, false);
    SmsPool.State s = SmsPool.pick(SmsPool.State.EMPTY, POOL, sticky, NOW).next();
    SmsPool.Picked kept = SmsPool.pick(s, POOL, "18335550100", sticky, NOW);
    assertEquals("18335550100", kept.tn());
    assertTrue(kept.kept());
    assertSame(s, kept.next(), "keeping a stored sender leaves the round robin as it was");

    // a stored sender that left the pool: the round robin's next number, to be stored instead
    SmsPool.Picked replaced = SmsPool.pick(s, POOL, "12025550199", sticky, NOW);
    assertFalse(replaced.kept());
    assertTrue(POOL.contains(replaced.tn()), replaced.tn());

    // without sticky_sender a stored sender means nothing
    SmsPool.Settings loose = new SmsPool.Settings(false, 1, 1, false);
    SmsPool.Picked ignored = SmsPool.pick(s, POOL, "18335550100", loose, NOW);
    assertFalse(ignored.kept());
    assertEquals(SmsPool.pick(s, POOL, loose, NOW), ignored);
  }

  @Test
  void aStoredSenderThatIsUnhealthyIsReplacedOnlyWhenUnhealthyNumbersAreSkipped() {
    List<String> two = List.of("12025550100", "12025550101");
    SmsPool.State s = SmsPool.State.EMPTY;
    for (int i = 0; i < 3; i++) s = SmsPool.outcome(s, "12025550100", false, NOW, 3, Duration.ofMinutes(5));
    SmsPool.Settings skip = new SmsPool.Settings(true, 1, 1, true);
    SmsPool.Settings keep = new SmsPool.Settings(true, 1, 1, false);
    assertFalse(SmsPool.keeps(s, two, "12025550100", skip, NOW));
    SmsPool.Picked p = SmsPool.pick(s, two, "12025550100", skip, NOW);
    assertEquals("12025550101", p.tn());
    assertFalse(p.kept());
    assertTrue(SmsPool.keeps(s, two, "12025550100", keep, NOW));
    assertTrue(SmsPool.pick(s, two, "12025550100", keep, NOW).kept());
  }

  @Test
  void theRoundRobinStartsAgainWhenTheNumbersHandedInChange() {
    SmsPool.Settings set = new SmsPool.Settings(false, 1, 0, false);
    SmsPool.State s = SmsPool.State.EMPTY;
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SmsPool.Picked p = SmsPool.pick(s, POOL, set, NOW);
      s = p.next();
      order.add(p.tn());
    }
    assertEquals(List.of("12025550100", "12025550101"), order);
    // the same numbers in another order: the turn goes on
    List<String> reversed = new ArrayList<>(POOL);
    java.util.Collections.reverse(reversed);
    SmsPool.Picked third = SmsPool.pick(s, reversed, set, NOW);
    assertEquals("12025550102", third.tn());
    assertEquals(3, third.next().longCodePicks());
    // a number more: counters and turns from zero
    List<String> more = new ArrayList<>(POOL);
    more.add("12025550103");
    SmsPool.Picked fresh = SmsPool.pick(third.next(), more, set, NOW);
    assertEquals("12025550100", fresh.tn());
    assertEquals(1, fresh.next().longCodePicks());
    assertEquals(0, fresh.next().tollFreePicks());
    // a number less as well
    SmsPool.Picked fewer = SmsPool.pick(fresh.next(), List.of("12025550101", "12025550102"), set, NOW);
    assertEquals("12025550101", fewer.tn());
  }

  @Test
  void theHealthOfNumbersThatLeftThePoolIsForgotten() {
    SmsPool.State s = SmsPool.pick(SmsPool.State.EMPTY, POOL, new SmsPool.Settings(false, 1, 1, true), NOW).next();
    for (int i = 0; i < 3; i++) s = SmsPool.outcome(s, "12025550100", false, NOW, 3, Duration.ofMinutes(5));
    s = SmsPool.outcome(s, "12025550101", false, NOW, 3, Duration.ofMinutes(5));
    assertEquals(2, s.health().size());
    SmsPool.State next = SmsPool.forNumbers(s, List.of("12025550101", "12025550102"));
    assertEquals(Map.of("12025550101", new SmsPool.Health(1, null)), next.health());
    assertNotEquals(s.numbers(), next.numbers());
  }

  @Test
  void numbersWhoseSendsFailInARowAreSkippedForTheCoolDown() {
    SmsPool.Settings skip = new SmsPool.Settings(false, 1, 0, true);
    List<String> two = List.of("12025550100", "12025550101");
    SmsPool.State s = SmsPool.State.EMPTY;
    for (int i = 0; i < 3; i++) s = SmsPool.outcome(s, "12025550100", false, NOW, 3, Duration.ofMinutes(5));
    assertTrue(!s.healthy("12025550100", NOW));
    for (int i = 0; i < 6; i++) {
      SmsPool.Picked p = SmsPool.pick(s, two, skip, NOW);
      s = p.next();
      assertEquals("12025550101", p.tn());
    }
    assertTrue(s.healthy("12025550100", NOW.plus(Duration.ofMinutes(5))), "after the cool-down");
    s = SmsPool.outcome(s, "12025550100", true, NOW, 3, Duration.ofMinutes(5));
    assertTrue(s.healthy("12025550100", NOW), "a success makes it healthy again");
    // when every number is unhealthy, all are used rather than none
    SmsPool.State allBad = SmsPool.State.EMPTY;
    for (String tn : two) for (int i = 0; i < 3; i++) allBad = SmsPool.outcome(allBad, tn, false, NOW, 3, Duration.ofMinutes(5));
    assertTrue(two.contains(SmsPool.pick(allBad, two, skip, NOW).tn()));
  }
}
