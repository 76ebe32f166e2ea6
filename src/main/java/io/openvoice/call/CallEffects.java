package io.openvoice.call;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.common.Json;
import io.openvoice.events.EventBus;
import io.openvoice.events.EventJson;
import io.openvoice.flow.Action;
import io.openvoice.flow.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/** Performs a call's actions (after they are persisted) and publishes its events. */
final class CallEffects {
  private CallEffects() {}

  /**
   * Publishes the call's pending events on the bus and, when its app has a {@code webhook_url}, hands each to the
   * app's webhook dispatcher: a {@code tell}, so the call goes on whatever the webhook does. Only the node running
   * this call entity does that, once per event (the bus is cluster-wide; its subscribers do not deliver webhooks).
   */
  static void publish(CallState s, EventBus bus, WebhookPort webhooks) {
    CallSpec.AppSnapshot app = s.spec == null ? null : s.spec.app();
    boolean hooked = app != null && app.webhookUrl() != null && !app.webhookUrl().isBlank();
    for (CallState.Publication p : s.outbox) {
      boolean isState = "call_state".equals(p.type());
      CallView view = isState ? p.call() : s.view(Instant.now());
      var event = isState ? EventJson.callState(view, p.state()) : EventJson.callFlow(view, p.flow());
      bus.publish(event);
      if (hooked) webhooks.deliver(app, s.spec.callId(), isState ? p.state() : view.state(), view.from(), view.to(), event);
    }
    s.outbox.clear();
  }

  static void perform(String callId, CallState s, List<Action> actions, Instant startedAt, CallDeps deps,
                      ActorContext<CallEntity.Command> ctx, TimerScheduler<CallEntity.Command> timers) {
    MediaPort media = deps.media().forHandle(s.spec.media());
    for (Action a : actions) {
      if (a instanceof Action.Fetch f) {
        HttpPort.Request req = request(f.method(), f.url(), f.params(), f.includeCall(), f.body(),
            withIdempotencyKey(f.headers(), callId + ":" + f.seq()), f.timeoutMs(), s.view(Instant.now()));
        ctx.pipeToSelf(deps.http().send(req), (res, err) -> new CallEntity.Feed(err == null
            ? new Outcome.HttpResult(f.seq(), res.status(), res.body(), null)
            : new Outcome.HttpResult(f.seq(), 0, null, describe(err))));
      } else if (a instanceof Action.Notify n) {
        HttpPort.Request req = request(n.method(), n.url(), n.params(), false, n.body(), n.headers(), n.timeoutMs(),
            null);
        org.slf4j.Logger log = ctx.getLog(); // captured here: the context is not for other threads
        deps.http().send(req).whenComplete((res, err) -> {
          if (err != null) log.debug("call {}: async Curl to {} failed: {}", callId, n.url(), describe(err));
        });
      } else if (a instanceof Action.Park p) {
        Duration left = Duration.between(Instant.now(), startedAt.plusMillis(p.timeoutMs()));
        timers.startSingleTimer("step", new CallEntity.TimerFired(p.seq()), left.isNegative() ? Duration.ZERO : left);
      } else {
        media.execute(callId, s.spec.media(), a, startedAt);
      }
    }
  }

  /**
   * A request re-sent after a failover carries the same key (call id and step), so a webhook can tell a retry
   * from a new request; a key the flow set itself is kept.
   */
  static Map<String, String> withIdempotencyKey(Map<String, String> headers, String key) {
    if (headers != null && headers.keySet().stream().anyMatch("Idempotency-Key"::equalsIgnoreCase)) return headers;
    Map<String, String> out = new LinkedHashMap<>(headers == null ? Map.of() : headers);
    out.put("Idempotency-Key", key);
    return out;
  }

  /** How long the pending action may take before the watchdog ends the call; null = only the call watchdog. */
  static Duration stepBudget(Action a, Duration maxStepWait) {
    Duration grace = Duration.ofSeconds(10);
    if (a instanceof Action.Park) return null; // the park timer itself
    if (a instanceof Action.Say say && say.loop() == 0) return null;
    if (a instanceof Action.Play play && play.loop() == 0) return null;
    if (a instanceof Action.Dial) return null; // bounded by ring timeout, then by the call's own length
    if (a instanceof Action.Join) return null; // a bridge lasts as long as the calls do
    long declared = 0;
    if (a instanceof Action.Pause p) declared = p.lengthMs();
    else if (a instanceof Action.Hold h) declared = h.timeoutMs();
    else if (a instanceof Action.Tone t) declared = t.timeoutMs();
    else if (a instanceof Action.RecordWait w) declared = w.timeoutMs();
    else if (a instanceof Action.Fetch f) declared = f.timeoutMs();
    if (declared <= 0) return maxStepWait; // no bound of its own (a Say or Play of unknown length, a Gather...)
    return Duration.ofMillis(declared).plus(grace);
  }

  static HttpPort.Request request(String method, String url, Map<String, String> params, boolean includeCall,
                                  String literalBody, Map<String, String> headers, long timeoutMs, CallView call) {
    String m = method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
    Duration timeout = Duration.ofMillis(timeoutMs > 0 ? timeoutMs : 10_000);
    Map<String, String> hs = headers == null ? Map.of() : headers;
    if (m.equals("GET") || m.equals("DELETE") || m.equals("HEAD")) {
      return new HttpPort.Request(m, url, params == null ? Map.of() : params, null, null, hs, timeout);
    }
    if (literalBody != null) {
      String ct = literalBody.stripLeading().startsWith("{") || literalBody.stripLeading().startsWith("[")
          ? "application/json" : "text/plain; charset=UTF-8";
      return new HttpPort.Request(m, url, Map.of(), literalBody, ct, hs, timeout);
    }
    ObjectNode body = includeCall && call != null ? Json.MAPPER.valueToTree(call) : Json.MAPPER.createObjectNode();
    Map<String, String> metas = new LinkedHashMap<>();
    if (params != null) {
      params.forEach((k, v) -> {
        if (k.startsWith("meta[") && k.endsWith("]")) metas.put(k.substring(5, k.length() - 1), v);
        else body.put(k, v);
      });
    }
    if (!metas.isEmpty()) {
      ObjectNode mo = body.putObject("meta");
      metas.forEach(mo::put);
    }
    return new HttpPort.Request(m, url, Map.of(), body.toString(), "application/json", hs, timeout);
  }

  static String describe(Throwable err) {
    return io.openvoice.common.Errors.describe(err);
  }
}
