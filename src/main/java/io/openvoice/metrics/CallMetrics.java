package io.openvoice.metrics;

import io.openvoice.call.CallProbe;
import io.openvoice.call.CallView;
import io.openvoice.call.Q850;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the call entities running on this node did: calls started and ended (by Q.850 cause and reason class),
 * verb durations, journal write times, and the live calls whose entity runs here. Per node: each call entity
 * reports only to the node it runs on, so the sum over the nodes is the cluster's (no event counted twice; the
 * cluster-wide event bus is not used for this).
 *
 * <p>Calls per second: only the counter {@code openvoice_calls_started_total} is exposed, and the rate is left to
 * Prometheus ({@code rate(openvoice_calls_started_total[1m])}). A gauge averaged in here over a few seconds would
 * show only what the last seconds before each scrape did, miss the bursts between scrapes, and fix the window for
 * every dashboard; a counter loses nothing between scrapes, survives a missed one, and any window can be chosen.
 */
public final class CallMetrics implements CallProbe {
  /** Verbs last from milliseconds (Answer, Hangup) to minutes (Dial, Gather, Pause). */
  static final double[] VERB_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
  static final double[] JOURNAL_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  /** Verb names come from the parser's vocabulary; beyond this many distinct ones they count as "other". */
  private static final int MAX_VERBS = 64;

  /**
   * Reason classes (a bounded label): the machine-readable prefixes the platform writes ({@code media_node_lost:
   * ...}, {@code step_timeout: Say at ...}), a few fixed phrases, SIP failure classes; any other text (a reason a
   * flow or a REST hang-up chose) is {@code other}.
   */
  static final List<String> REASONS = List.of("flow_completed", "hangup", "caller_hangup", "callee_hangup",
      "rest_hangup", "call_rejected", "rejected", "busy", "park_timeout", "max_call_length", "step_timeout",
      "media_node_lost", "verb_failed", "call_flow_failed", "bad_call_flow", "internal_error",
      "simulation_interrupted", "simulation_timeout", "sip_start_failed", "invite_not_sent", "bad_sdp_answer",
      "sip_timeout", "sip_3xx", "sip_4xx", "sip_5xx", "sip_6xx", "unspecified", "other");
  private static final Set<String> TOKENS = Set.of("flow_completed", "hangup", "call_rejected", "rejected", "busy",
      "park_timeout", "max_call_length", "step_timeout", "media_node_lost", "internal_error",
      "simulation_interrupted", "simulation_timeout", "sip_start_failed", "invite_not_sent", "bad_sdp_answer",
      "sip_timeout");

  private final LongAdder startedInbound = new LongAdder();
  private final LongAdder startedOutbound = new LongAdder();
  private final LongAdder startedLegs = new LongAdder();
  /** Q.850 cause → a counter per reason class (index in {@link #REASONS}). */
  private final Map<Integer, LongAdder[]> ended = new ConcurrentHashMap<>();
  private final Map<String, Histogram> verbs = new ConcurrentHashMap<>();
  private final Histogram journal = new Histogram(JOURNAL_BUCKETS);
  private final Set<String> runningHere = ConcurrentHashMap.newKeySet();

  @Override
  public void journalWrite(long nanos) {
    journal.observeNanos(nanos);
  }

  @Override
  public void started(CallView call) {
    if (call.parent() != null) startedLegs.increment();
    else if ("out".equals(call.direction())) startedOutbound.increment();
    else startedInbound.increment();
  }

  @Override
  public void ended(CallView call) {
    int cause = call.q850Cause() == null ? 0 : call.q850Cause();
    LongAdder[] byReason = ended.get(cause);
    if (byReason == null) byReason = ended.computeIfAbsent(cause, c -> newAdders(REASONS.size()));
    byReason[reasonClass(call.hangupReason())].increment();
  }

  @Override
  public void verb(String command, long nanos) {
    String name = command == null ? "other" : command;
    Histogram h = verbs.get(name);
    if (h == null) {
      if (verbs.size() >= MAX_VERBS) name = "other";
      h = verbs.computeIfAbsent(name, v -> new Histogram(VERB_BUCKETS));
    }
    h.observeNanos(nanos);
  }

  @Override
  public void running(String callId) {
    runningHere.add(callId);
  }

  @Override
  public void stopped(String callId) {
    runningHere.remove(callId);
  }

  /** The index in {@link #REASONS} of a hang-up reason's class. */
  static int reasonClass(String reason) {
    return REASONS.indexOf(reasonClassName(reason));
  }

  static String reasonClassName(String reason) {
    if (reason == null || reason.isBlank()) return "unspecified";
    if (reason.equals("caller hung up")) return "caller_hangup";
    if (reason.equals("callee hung up")) return "callee_hangup";
    if (reason.equals("hung up over REST")) return "rest_hangup";
    if (reason.startsWith("call-flow URL ")) return "call_flow_failed";
    if (reason.startsWith("bad call flow")) return "bad_call_flow";
    int end = 0;
    while (end < reason.length() && isTokenChar(reason.charAt(end))) end++;
    if (end > 0 && (end == reason.length() || reason.charAt(end) == ':')) {
      String token = reason.substring(0, end);
      if (TOKENS.contains(token)) return token;
      if (end == 7 && token.startsWith("sip_") && Character.isDigit(token.charAt(4))
          && Character.isDigit(token.charAt(5)) && Character.isDigit(token.charAt(6))
          && token.charAt(4) >= '3' && token.charAt(4) <= '6') {
        return "sip_" + token.charAt(4) + "xx";
      }
    }
    // "<Verb> failed: why" (the flow runner's words for a verb that could not run)
    int failed = reason.indexOf(" failed: ");
    if (failed > 0 && Character.isUpperCase(reason.charAt(0)) && reason.substring(0, failed).chars()
        .allMatch(Character::isLetter)) {
      return "verb_failed";
    }
    return "other";
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static LongAdder[] newAdders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) a[i] = new LongAdder();
    return a;
  }

  /** Calls started here so far (all kinds). */
  public long startedTotal() {
    return startedInbound.sum() + startedOutbound.sum() + startedLegs.sum();
  }

  /** Calls ended here so far. */
  public long endedTotal() {
    long n = 0;
    for (LongAdder[] byReason : ended.values()) for (LongAdder a : byReason) n += a.sum();
    return n;
  }

  /** Live calls whose entity runs on this node. */
  public int runningHere() {
    return runningHere.size();
  }

  void render(PromText t) {
    t.counter("openvoice_calls_started_total",
            "Calls started by the call entities of this node (kind: inbound, outbound, or a dialled leg)")
        .sample(startedInbound.sum(), "kind", "inbound")
        .sample(startedOutbound.sum(), "kind", "outbound")
        .sample(startedLegs.sum(), "kind", "leg");
    t.counter("openvoice_calls_ended_total",
        "Calls ended by the call entities of this node, by Q.850 cause and reason class");
    new TreeMap<>(ended).forEach((cause, byReason) -> {
      for (int i = 0; i < byReason.length; i++) {
        long n = byReason[i].sum();
        if (n > 0) t.sample(n, "cause", cause.toString(), "cause_name", Q850.name(cause), "reason", REASONS.get(i));
      }
    });
    t.gauge("openvoice_node_live_calls", "Live calls whose call entity runs on this node")
        .sample(runningHere.size());
    t.histogram("openvoice_verb_duration_seconds",
        "How long each verb of the call flows run on this node took, from its start to its end");
    new TreeMap<>(verbs).forEach((verb, h) -> t.sample(h.snapshot(), "verb", verb));
    t.histogram("openvoice_journal_write_seconds",
            "Time from a call entity's persist to its confirmation (the journal write, as the entity waits for it)")
        .sample(journal.snapshot());
  }
}
