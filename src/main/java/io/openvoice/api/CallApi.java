package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.app.AppEntity;
import io.openvoice.call.CallEntity;
import io.openvoice.call.CallSpec;
import io.openvoice.call.CallView;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.CallerId;
import io.openvoice.number.TnEntity;
import io.openvoice.sim.SimScript;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;

/** Live calls, pushing XML to a live call, and the flow simulator. */
final class CallApi {
  private final Platform p;
  private final Asks asks;
  private final AppApi apps;

  CallApi(Platform p, Asks asks, AppApi apps) {
    this.p = p;
    this.asks = asks;
    this.apps = apps;
  }

  void register(Router r) {
    r.add("GET", "/rest/sip/app/call/online", req -> CompletableFuture.completedFuture(
        Reply.ok(p.liveCalls.online(req.principal().accountId()))));
    r.add("GET", "/rest/sip/app/call/{uuid}", req -> details(req, req.var("uuid")).thenApply(d -> Reply.ok(callJson(d))));
    r.add("POST", "/rest/sip/app/call/{uuid}", this::push);
    r.add("POST", "/rest/call/sca/{uuid}", this::push);
    // hang up a live call (INFERRED path; reference 3.9 names the capability): the same for a call or a dialled leg
    r.add("POST", "/rest/call/{uuid}/hangup", this::hangup);
    r.add("DELETE", "/rest/sip/app/call/{uuid}", this::hangup);
    r.add("POST", "/rest/call/{uuid}/bridge", this::bridge);
    r.add("POST", "/rest/sip/app/{uuid}/simulate", this::simulate);
  }

  private CompletionStage<CallEntity.CallDetails> details(Req req, String id) {
    if (!AppApi.isUuid(id)) return CompletableFuture.failedFuture(ApiException.notFound());
    return asks.<CallEntity.CallDetails>call(id, CallEntity.Get::new).thenApply(d -> {
      if (!d.call().account().uuid().equals(req.principal().accountId())) throw ApiException.notFound();
      return d;
    });
  }

  /**
   * Pushes XML to a live call; {@code ?command_id=} (or an {@code Idempotency-Key} header) makes a repeat within 60 s
   * an acknowledgement that does not run the XML again.
   */
  private CompletionStage<Reply> push(Req req) {
    String id = req.var("uuid");
    String commandId = commandId(req);
    return details(req, id)
        .thenCompose(d -> AppApi.xmlFromRequest(req, p.system))
        .thenCompose(xml -> {
          AppApi.validate(xml);
          return asks.<CallView>call(id, r -> new CallEntity.PushXml(xml, commandId, r));
        })
        .thenApply(Reply::ok);
  }

  /**
   * Hangs up a live call with {@code cause} (Q.850, default 16) and {@code reason}; a call already over answers
   * with its final state, so a repeat does no harm.
   */
  private CompletionStage<Reply> hangup(Req req) {
    String id = req.var("uuid");
    ObjectNode b = req.body().length == 0 ? Json.MAPPER.createObjectNode() : req.json();
    int cause = 16;
    if (b.has("cause")) {
      JsonNode n = b.get("cause");
      if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 127) {
        throw ApiException.badField("cause", "must be a Q.850 cause, 1 to 127", n.toString());
      }
      cause = n.asInt();
    }
    String reason = Fields.str(b, "reason", "hung up over REST");
    int q850 = cause;
    return details(req, id)
        .thenCompose(d -> asks.<CallView>call(id, r -> new CallEntity.Terminate(q850, reason == null ? "" : reason, r)))
        .thenApply(Reply::ok);
  }

  /**
   * Bridges two live calls of the account ({@code {"call": "<other call uuid>"}}): both stop what their flows were
   * doing and their media is joined; both report {@code bridged}. When one of them hangs up (or gets new XML), the
   * other's flow goes on after the verb the bridge interrupted (a parked call parks again). Both calls must be
   * answered, not bridged already and not dialling, with their media on the same edge node. With
   * {@code command_id} a repeat within 60 s is acknowledged and not run twice.
   */
  private CompletionStage<Reply> bridge(Req req) {
    String id = req.var("uuid");
    ObjectNode b = req.json();
    String other = Fields.uuidRef(b, "call", null);
    if (other == null) throw ApiException.badField("call", "is required: the uuid of the call to bridge with", null);
    if (other.equals(id)) throw ApiException.badField("call", "must be another call", other);
    String commandId = b.hasNonNull("command_id") ? commandIdOf(b.get("command_id").asText()) : commandId(req);
    return details(req, id).thenCompose(first -> details(req, other)
        .exceptionally(e -> {
          throw ApiException.badField("call", "no such live call in your account", other);
        })
        .thenCompose(second -> {
          CallSpec.MediaHandle m1 = first.media();
          CallSpec.MediaHandle m2 = second.media();
          if (m1 == null || m2 == null || !"sip".equals(m1.kind()) || !"sip".equals(m2.kind())) {
            throw new ApiException(409, "only calls on the SIP edge can be bridged (not simulated calls)");
          }
          if (!m1.node().equals(m2.node())) {
            throw new ApiException(409, "the two calls have their media on different edge nodes; bridging across "
                + "edge nodes is not supported yet");
          }
          return asks.<CallView>call(id, r -> new CallEntity.Bridge(other, commandId, r))
              .thenCompose(a -> asks.<CallView>call(other, r -> new CallEntity.Bridge(id, commandId, r))
                  .thenApply(o -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("call", a);
                    out.put("bridged_with", o);
                    return Reply.ok(out);
                  }));
        }));
  }

  /** A control command's idempotency key: {@code ?command_id=}, else the {@code Idempotency-Key} header. */
  static String commandId(Req req) {
    String q = req.query().get("command_id");
    if (q == null) q = req.http().getHeader("Idempotency-Key").map(h -> h.value()).orElse(null);
    return commandIdOf(q);
  }

  /**
   * The id of what a keyed create command makes ({@code kind} "call", "batch"): the same account and key always
   * give the same id, so the entity itself tells a repeat (it exists already) from a first request.
   */
  static String keyedId(String kind, String account, String commandId) {
    return UUID.nameUUIDFromBytes((kind + ":" + account + ":" + commandId)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  /** A checked idempotency key, or null for none. */
  static String commandIdOf(String q) {
    if (q == null || q.isBlank()) return null;
    if (q.length() > 128) throw ApiException.badField("command_id", "must be at most 128 characters", null);
    return q.trim();
  }

  /**
   * Runs the app's real flow on a call entity with a simulated media leg: {@code from}, {@code to}, caller
   * {@code actions} ({@code at_ms} + {@code digits} or {@code hangup}), {@code dial} behaviour, {@code realtime},
   * {@code wait} (default true: answer with the finished trace, at most {@code timeout_ms}).
   */
  private CompletionStage<Reply> simulate(Req req) {
    ObjectNode b = req.json();
    String from = required(b, "from");
    String to = required(b, "to");
    SimScript script;
    try {
      List<SimScript.CallerAction> actions = b.has("actions")
          ? List.of(Json.MAPPER.treeToValue(b.get("actions"), SimScript.CallerAction[].class)) : List.of();
      SimScript.Dial dial = b.has("dial") ? Json.MAPPER.treeToValue(b.get("dial"), SimScript.Dial.class) : null;
      script = new SimScript(actions, dial, b.path("realtime").asBoolean(false));
    } catch (Exception e) {
      throw ApiException.badField("actions", "must be a list of {at_ms, digits} or {at_ms, hangup:true}", b.path("actions").toString());
    }
    for (SimScript.CallerAction a : script.actions()) {
      if (a.digits() != null && !a.digits().matches("[0-9*#A-Da-d]+")) throw ApiException.badField("actions.digits", "only 0-9 * # A-D", a.digits());
    }
    boolean wait = b.path("wait").asBoolean(true);
    long timeoutMs = b.path("timeout_ms").asLong(script.realtime() ? 120_000 : 30_000);
    String account = req.principal().accountId();
    String tn = CallerId.canonicalTn(to);
    return apps.owned(req, req.var("uuid")).thenCompose(app -> admit(account, app, tn, from).thenCompose(refusal -> {
      if (refusal != null) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admitted", false);
        out.put("reason", refusal);
        out.put("state", "failed");
        out.put("trace", List.of());
        return CompletableFuture.completedFuture(Reply.ok(out));
      }
      String callId = UUID.randomUUID().toString();
      CallSpec spec = p.inboundSpec(callId, account, app, tn == null ? to : tn, from, to,
          p.simMedia.handle(script, Instant.now()));
      return withinLimits(p, account, callId)
          .thenCompose(x -> asks.<CallView>call(callId, r -> new CallEntity.Start(spec, r))).thenCompose(v -> wait
          ? waitForEnd(callId, Instant.now().plusMillis(timeoutMs)).thenApply(d -> Reply.ok(simJson(d)))
          : CompletableFuture.completedFuture(Reply.created(Map.of("admitted", true, "call", v))));
    }));
  }

  /** Completes when the account may start a call now; else 429 naming the limit (calls per second, live calls). */
  static CompletionStage<Void> withinLimits(Platform p, String account, String callId) {
    return p.admit(account, callId).thenApply(a -> {
      if (a.granted()) return null;
      throw tooMany(a.reason(), a.limit());
    });
  }

  /** The 429 for a call over its account's limit ({@code reason} "cps" or "concurrent_calls"). */
  static ApiException tooMany(String reason, int limit) {
    String what = "cps".equals(reason) ? "calls started per second" : "concurrent calls";
    return new ApiException(429, "Too many calls: the account's limit of " + limit + " " + what
        + " is reached; try again shortly", Map.of(reason, new LinkedHashMap<>(Map.of("message", "limit reached",
            "value", limit))));
  }

  /** Null when the call may run; otherwise why not (the reason a real call would be refused). */
  private CompletionStage<String> admit(String account, AppEntity.App app, String tn, String from) {
    if (!app.isActive()) return CompletableFuture.completedFuture("app_inactive");
    if (tn == null) return CompletableFuture.completedFuture(null);
    return asks.route(tn, from).thenApply(route -> {
      TnEntity.Lease l = route.lease();
      if (!l.leased() || !account.equals(l.accountId())) return null; // not our number: run the app directly
      if (!app.uuid().equals(l.sipControlApp())) return "number_not_assigned_to_this_app";
      return route.admitted() ? null : route.reason();
    });
  }

  private CompletionStage<CallEntity.CallDetails> waitForEnd(String callId, Instant deadline) {
    return asks.<CallEntity.CallDetails>call(callId, CallEntity.Get::new).thenCompose(d -> {
      if (!d.call().online()) return CompletableFuture.completedFuture(d);
      if (Instant.now().isAfter(deadline)) {
        return asks.<CallView>call(callId, r -> new CallEntity.Terminate(102, "simulation_timeout", r))
            .thenCompose(v -> asks.<CallEntity.CallDetails>call(callId, CallEntity.Get::new));
      }
      return Patterns.after(Duration.ofMillis(40), Adapter.toClassic(p.system).scheduler(),
          p.system.executionContext(), () -> waitForEnd(callId, deadline));
    });
  }

  static Map<String, Object> callJson(CallEntity.CallDetails d) {
    Map<String, Object> m = Json.MAPPER.convertValue(d.call(), Map.class);
    m.put("trace", traceJson(d));
    return m;
  }

  static Map<String, Object> simJson(CallEntity.CallDetails d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("admitted", true);
    out.put("call", d.call());
    out.put("state", d.call().state());
    out.put("q850_cause", d.call().q850Cause());
    out.put("q850_cause_string", d.call().q850CauseString());
    out.put("reason", d.call().hangupReason());
    out.put("trace", traceJson(d));
    return out;
  }

  private static List<Map<String, Object>> traceJson(CallEntity.CallDetails d) {
    Instant t0 = d.call().createdOn();
    return d.trace().stream().map(t -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("at_ms", Duration.between(t0, t.at()).toMillis());
      e.put("type", t.type());
      if (t.flow() == null) {
        e.put("state", t.state());
      } else {
        e.put("command", t.flow().command());
        e.put("path", t.flow().path());
        e.put("phase", t.flow().phase().name().toLowerCase(java.util.Locale.ROOT));
        e.put("success", t.flow().success());
        e.put("reason", t.flow().reason());
        if (t.flow().tag() != null) e.put("tag", t.flow().tag());
        if (!t.flow().metas().isEmpty()) e.put("meta", t.flow().metas());
      }
      return e;
    }).toList();
  }

  private static String required(ObjectNode b, String f) {
    JsonNode n = b.get(f);
    if (n == null || n.isNull() || n.asText().isBlank()) throw ApiException.badField(f, "is required", null);
    return n.asText().trim();
  }
}
