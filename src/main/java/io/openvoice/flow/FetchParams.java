package io.openvoice.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters the flow sends with its HTTP requests (call-flow URL, Callback, Gather url, Curl), in a fixed
 * order so that the same flow position always produces an equal action. Null values are left out.
 */
final class FetchParams {
  private final Map<String, String> params = new LinkedHashMap<>();

  private FetchParams() {}

  /** The app's call-flow URL: who calls whom. */
  static Map<String, String> callFlow(FlowContext ctx) {
    return new FetchParams()
        .put("from", ctx.from()).put("to", ctx.to()).put("call", ctx.callId()).put("tn", ctx.tn())
        .put("sca", ctx.appId()).build();
  }

  /** {@code <Callback>}: the call, its state, the tag, the metas and the last digits gathered. */
  static Map<String, String> callback(FlowState st, String tag) {
    FlowContext ctx = st.ctx;
    return new FetchParams()
        .put("call", ctx.callId()).put("from", ctx.from()).put("to", ctx.to()).put("tn", ctx.tn())
        .put("state", state(st)).put("sca", ctx.appId()).put("tag", tag)
        .metas(st.metas).put("dtmf", st.lastDigits).build();
  }

  /** {@code <Gather url>}: the digits of this attempt (current and old-draft names) and the metas. */
  static Map<String, String> gather(FlowState st, String digits, int attempt) {
    FlowContext ctx = st.ctx;
    return new FetchParams()
        .put("dtmf", digits).put("from", ctx.from()).put("tn", ctx.tn()).put("state", "live")
        .put("sca", ctx.appId()).put("call", ctx.callId())
        .put("code", digits).put("success", "true").put("attempts", Integer.toString(attempt))
        .metas(st.metas).build();
  }

  /** {@code <Curl>}: only the metas. */
  static Map<String, String> curl(FlowState st) {
    return new FetchParams().metas(st.metas).build();
  }

  /** Headers in name order (the parsed map has no stable iteration order across JVMs). */
  static Map<String, String> sorted(Map<String, String> headers) {
    return headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(headers)));
  }

  static String state(FlowState st) {
    return st.answered ? "live" : "ringing";
  }

  private FetchParams put(String name, String value) {
    if (value != null) {
      params.put(name, value);
    }
    return this;
  }

  private FetchParams metas(Map<String, Object> metas) {
    metas.forEach((name, value) -> {
      if (value != null) {
        params.put("meta[" + name + "]", String.valueOf(value));
      }
    });
    return this;
  }

  private Map<String, String> build() {
    return Collections.unmodifiableMap(params);
  }
}
