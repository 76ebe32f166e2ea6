package io.openvoice.sms;

import io.openvoice.common.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sender choice of a messaging profile's pool (a send naming the profile, not a number), pure:
 * <ul>
 *   <li>{@code sticky_sender}: the recipient's stored sender (the caller looks it up, {@link StickySenders}) is kept
 *       while it is still in the pool (and healthy when unhealthy ones are skipped); else a new one is chosen as
 *       below, and the caller stores it;</li>
 *   <li>otherwise a deterministic weighted round robin between the long codes and the toll-free numbers: each pick
 *       goes to the class with the smallest {@code (picks + 1) / weight} (a weight of 0 leaves a class out unless it
 *       is the only one with numbers; both 0 count as 1:1), so with weights 3:1 every 4 picks are exactly 3 long
 *       code and 1 toll-free; inside a class the numbers take turns. The counters start again from zero whenever
 *       the set of numbers handed in differs from the previous pick's;</li>
 *   <li>{@code skip_unhealthy_tns}: a number whose last {@code unhealthyAfter} sends in a row failed is unhealthy
 *       for {@code unhealthyFor} (any success makes it healthy again); unhealthy numbers are skipped, unless every
 *       number of the pool is unhealthy (then all are used rather than none).</li>
 * </ul>
 * The state is small and bounded by the pool's numbers; its owner ({@link SmsPoolEntity}) keeps it in memory only.
 */
public final class SmsPool {
  private SmsPool() {}

  /** A number's recent outcomes: failures in a row, and until when it counts as unhealthy. */
  public record Health(int failuresInARow, Instant unhealthyUntil) {}

  /**
   * The pool's memory: the (sorted) numbers of the last pick, picks per class and the next number of each class
   * since those numbers were handed in, and health per number.
   */
  public record State(List<String> numbers, long longCodePicks, long tollFreePicks, int longCodeNext,
                      int tollFreeNext, Map<String, Health> health) {
    public State {
      numbers = numbers == null ? List.of() : List.copyOf(numbers);
      health = health == null ? Map.of() : Map.copyOf(health);
    }

    public static final State EMPTY = new State(List.of(), 0, 0, 0, 0, Map.of());

    public boolean healthy(String tn, Instant now) {
      Health h = health.get(tn);
      return h == null || h.unhealthyUntil() == null || !now.isBefore(h.unhealthyUntil());
    }
  }

  /** The profile's pool settings. */
  public record Settings(boolean stickySender, int longCodeWeight, int tollFreeWeight, boolean skipUnhealthy)
      implements CborSerializable {}

  /**
   * A pick: the sender ({@code null} when the pool has no number), whether it is the stored sender kept
   * ({@code kept}: nothing to store) and the pool's next state.
   */
  public record Picked(String tn, boolean kept, State next) {}

  /**
   * The state for a pick among {@code tns}: unchanged when they are the numbers of the previous pick, else with the
   * round-robin counters at zero and the health of numbers no longer handed in forgotten.
   */
  public static State forNumbers(State s, List<String> tns) {
    List<String> sorted = sorted(tns);
    if (sorted.equals(s.numbers())) return s;
    HashMap<String, Health> health = new HashMap<>(s.health());
    health.keySet().retainAll(sorted);
    return new State(sorted, 0, 0, 0, 0, health);
  }

  /** The numbers a pick may use: {@code tns} sorted, without the unhealthy ones when skipped (unless all are). */
  public static List<String> usable(State s, List<String> tns, Settings set, Instant now) {
    List<String> pool = sorted(tns);
    if (set.skipUnhealthy()) {
      List<String> healthy = pool.stream().filter(tn -> s.healthy(tn, now)).toList();
      if (!healthy.isEmpty()) pool = healthy;
    }
    return pool;
  }

  /** Whether {@code stored} (a recipient's sender) may still be used: a usable number of {@code tns}. */
  public static boolean keeps(State s, List<String> tns, String stored, Settings set, Instant now) {
    return stored != null && usable(s, tns, set, now).contains(stored);
  }

  /** A pick without a stored sender (not sticky, or a recipient new to the pool). */
  public static Picked pick(State s, List<String> tns, Settings set, Instant now) {
    return pick(s, tns, null, set, now);
  }

  /**
   * A pick among {@code tns}: {@code stored} (the recipient's sender, null for none; only looked at with
   * {@code sticky_sender}) when {@link #keeps usable}, else the weighted round robin's next number.
   */
  public static Picked pick(State s, List<String> tns, String stored, Settings set, Instant now) {
    s = forNumbers(s, tns);
    List<String> pool = usable(s, tns, set, now);
    if (pool.isEmpty()) return new Picked(null, false, s);
    if (set.stickySender() && stored != null && pool.contains(stored)) return new Picked(stored, true, s);
    List<String> longCodes = pool.stream().filter(tn -> !SmsNumbers.tollFree(tn)).toList();
    List<String> tollFree = pool.stream().filter(SmsNumbers::tollFree).toList();
    boolean tf = chooseTollFree(s, longCodes.size(), tollFree.size(), set.longCodeWeight(), set.tollFreeWeight());
    List<String> cls = tf ? tollFree : longCodes;
    int idx = Math.floorMod(tf ? s.tollFreeNext() : s.longCodeNext(), cls.size());
    String tn = cls.get(idx);
    State next = new State(s.numbers(), s.longCodePicks() + (tf ? 0 : 1), s.tollFreePicks() + (tf ? 1 : 0),
        tf ? s.longCodeNext() : idx + 1, tf ? idx + 1 : s.tollFreeNext(), s.health());
    return new Picked(tn, false, next);
  }

  private static List<String> sorted(List<String> tns) {
    List<String> pool = new ArrayList<>(tns);
    pool.sort(null);
    return pool;
  }

  private static boolean chooseTollFree(State s, int longCodes, int tollFree, int lw, int tw) {
    if (tollFree == 0) return false;
    if (longCodes == 0) return true;
    if (lw <= 0 && tw <= 0) { lw = 1; tw = 1; }
    if (tw <= 0) return false;
    if (lw <= 0) return true;
    // (tfPicks + 1) / tw < (lcPicks + 1) / lw, without division; a tie goes to the long codes
    return (s.tollFreePicks() + 1) * lw < (s.longCodePicks() + 1) * tw;
  }

  /** The state after a send from {@code tn} ended sent ({@code ok}) or failed. */
  public static State outcome(State s, String tn, boolean ok, Instant now, int unhealthyAfter, Duration unhealthyFor) {
    HashMap<String, Health> h = new HashMap<>(s.health());
    if (ok) {
      h.remove(tn);
    } else {
      Health old = h.getOrDefault(tn, new Health(0, null));
      int n = old.failuresInARow() + 1;
      h.put(tn, new Health(n, n >= unhealthyAfter ? now.plus(unhealthyFor) : old.unhealthyUntil()));
    }
    return new State(s.numbers(), s.longCodePicks(), s.tollFreePicks(), s.longCodeNext(), s.tollFreeNext(), h);
  }
}
