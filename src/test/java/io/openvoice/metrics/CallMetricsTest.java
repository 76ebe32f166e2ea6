package io.openvoice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.call.CallView;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallMetricsTest {
  @Test
  void reasonsFallIntoABoundedSetOfClasses() {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("flow_completed", "flow_completed"),
        Map.entry("media_node_lost: the node holding this call's SIP dialog and media left the cluster",
            "media_node_lost"),
        Map.entry("step_timeout: Say at Say[1]", "step_timeout"),
        Map.entry("max_call_length", "max_call_length"),
        Map.entry("caller hung up", "caller_hangup"),
        Map.entry("callee hung up", "callee_hangup"),
        Map.entry("hung up over REST", "rest_hangup"),
        Map.entry("sip_486", "sip_4xx"),
        Map.entry("sip_503", "sip_5xx"),
        Map.entry("sip_999", "other"),
        Map.entry("Say failed: no TTS", "verb_failed"),
        Map.entry("call-flow URL http://x/y failed: HTTP 500", "call_flow_failed"),
        Map.entry("bad call flow: unexpected element", "bad_call_flow"),
        Map.entry("internal_error: NullPointerException", "internal_error"),
        Map.entry("whatever my flow said", "other"),
        Map.entry("my_own_token", "other"),
        Map.entry("", "unspecified"));
    cases.forEach((reason, cls) -> assertEquals(cls, CallMetrics.reasonClassName(reason), reason));
    assertEquals("unspecified", CallMetrics.reasonClassName(null));
    for (String cls : cases.values()) assertTrue(CallMetrics.REASONS.contains(cls), cls);
  }

  @Test
  void startedAndEndedCallsRenderByKindCauseAndReason() {
    CallMetrics m = new CallMetrics();
    m.started(view("in", null, null, null));
    m.started(view("in", null, null, null));
    m.started(view("out", null, null, null));
    m.started(view("out", "parent-uuid", null, null));
    m.ended(view("in", null, 16, "flow_completed"));
    m.ended(view("in", null, 41, "media_node_lost: gone"));
    m.ended(view("in", null, 16, "flow_completed"));
    m.running("a");
    m.running("b");
    m.running("a");
    m.stopped("b");
    m.stopped("c");
    m.verb("Say", 20_000_000);
    m.journalWrite(2_000_000);
    PromText t = new PromText();
    m.render(t);
    String text = t.text();
    assertTrue(text.contains("openvoice_calls_started_total{kind=\"inbound\"} 2\n"), text);
    assertTrue(text.contains("openvoice_calls_started_total{kind=\"outbound\"} 1\n"), text);
    assertTrue(text.contains("openvoice_calls_started_total{kind=\"leg\"} 1\n"), text);
    assertTrue(text.contains(
        "openvoice_calls_ended_total{cause=\"16\",cause_name=\"NORMAL_CLEARING\",reason=\"flow_completed\"} 2\n"), text);
    assertTrue(text.contains("openvoice_calls_ended_total{cause=\"41\",cause_name=\"NORMAL_TEMPORARY_FAILURE\","
        + "reason=\"media_node_lost\"} 1\n"), text);
    assertTrue(text.contains("openvoice_node_live_calls 1\n"), text);
    assertTrue(text.contains("openvoice_verb_duration_seconds_bucket{verb=\"Say\",le=\"0.025\"} 1\n"), text);
    assertTrue(text.contains("openvoice_verb_duration_seconds_bucket{verb=\"Say\",le=\"0.01\"} 0\n"), text);
    assertTrue(text.contains("openvoice_journal_write_seconds_count 1\n"), text);
    assertEquals(4, m.startedTotal());
    assertEquals(3, m.endedTotal());
  }

  private static CallView view(String direction, String parent, Integer cause, String reason) {
    return new CallView("c", "CallSCA", direction, "+1", "+2", cause == null ? "init" : "destroyed", "online", 0,
        null, null, null, null, null, null, null, null, cause, null, reason, null, null, null, parent, Map.of(), null);
  }
}
