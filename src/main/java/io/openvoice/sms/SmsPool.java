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
 *   <li>{@code sticky_sender}: a recipient keeps the number it got first, while that number is still in the pool
 *       (and healthy when unhealthy ones are skipped);</li>
 *   <li>otherwise a deterministic weighted round robin between the long codes and the toll-free numbers: each pick
 *       goes to the class with the smallest {@code (picks + 1) / weight} (a weight of 0 leaves a class out unless it
 *       is the only one with numbers; both 0 count as 1:1), so with weights 3:1 every 4 picks are exactly 3 long
 *       code and 1 toll-free; inside a class the numbers take turns;</li>
 *   <li>{@code skip_unhealthy_tns}: a number whose last {@code unhealthyAfter} sends in a row failed is unhealthy
 *       for {@code unhealthyFor} (any success makes it healthy again); unhealthy numbers are skipped, unless every
 *       number of the pool is unhealthy (then all are used rather than none).</li>
 * </ul>
 */
public final class SmsPool {
  private SmsPool() {}

  /** A number's recent outcomes: failures in a row, and until when it counts as unhealthy. */
  public record Health(int failuresInARow, Instant unhealthyUntil) implements CborSerializable {}

  /** The pool's memory: sticky choices, picks per class, the next number of each class, health per number. */
  public record State(Map<String, String> sticky, long longCodePicks, long tollFreePicks, int longCodeNext,
                      int tollFreeNext, Map<String, Health> health) implements CborSerializable {
    public State {
      sticky = sticky == null ? Map.of() : Map.copyOf(sticky);
      health = health == null ? Map.of() : Map.copyOf(health);
    }

    public static final State EMPTY = new State(Map.of(), 0, 0, 0, 0, Map.of());

    public boolean healthy(String tn, Instant now) {
      Health h = health.get(tn);
      return h == null || h.unhealthyUntil() == null || !now.isBefore(h.unhealthyUntil());
    }
  }

  /** The profile's pool settings. */
  public record Settings(boolean stickySender, int longCodeWeight, int tollFreeWeight, boolean skipUnhealthy)
      implements CborSerializable {}

  /** A pick: the sender ({@code null} when the pool has no number) and the pool's next state. */
  public record Picked(String tn, State next) {}

  public static Picked pick(State s, List<String> tns, String recipient, Settings set, Instant now) {
    List<String> pool = new ArrayList<>(tns);
    pool.sort(null);
    if (set.skipUnhealthy()) {
      List<String> healthy = pool.stream().filter(tn -> s.healthy(tn, now)).toList();
      if (!healthy.isEmpty()) pool = new ArrayList<>(healthy);
    }
    if (pool.isEmpty()) return new Picked(null, s);
    if (set.stickySender()) {
      String kept = s.sticky().get(recipient);
      if (kept != null && pool.contains(kept)) return new Picked(kept, s);
    }
    List<String> longCodes = pool.stream().filter(tn -> !SmsNumbers.tollFree(tn)).toList();
    List<String> tollFree = pool.stream().filter(SmsNumbers::tollFree).toList();
    boolean tf = chooseTollFree(s, longCodes.size(), tollFree.size(), set.longCodeWeight(), set.tollFreeWeight());
    List<String> cls = tf ? tollFree : longCodes;
    int idx = Math.floorMod(tf ? s.tollFreeNext() : s.longCodeNext(), cls.size());
    String tn = cls.get(idx);
    Map<String, String> sticky = s.sticky();
    if (set.stickySender()) {
      HashMap<String, String> m = new HashMap<>(sticky);
      m.put(recipient, tn);
      sticky = m;
    }
    State next = new State(sticky, s.longCodePicks() + (tf ? 0 : 1), s.tollFreePicks() + (tf ? 1 : 0),
        tf ? s.longCodeNext() : idx + 1, tf ? idx + 1 : s.tollFreeNext(), s.health());
    return new Picked(tn, next);
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
    return new State(s.sticky(), s.longCodePicks(), s.tollFreePicks(), s.longCodeNext(), s.tollFreeNext(), h);
  }
}
