package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.app.AppEntity;
import io.openvoice.call.CallEntity;
import io.openvoice.call.CallSpec;
import io.openvoice.node.Platform;
import io.openvoice.xml.Verb;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Placing a call (reference 3.9 "Make Single Call", INFERRED body): {@code POST /rest/call} with the caller's
 * number ({@code tn_lease} uuid, or {@code from}: one of the account's numbers, the caller id), {@code to} (a
 * number, {@code user@domain} or a SIP URI), and the flow that runs once the far end answers ({@code xml}, or
 * {@code url} + {@code method}). Numbers leave through the number's, else the account's SIP connection.
 */
final class OutboundCallApi {
  private final Platform p;
  private final Asks asks;
  private final NumberApi numbers;

  OutboundCallApi(Platform p, Asks asks, NumberApi numbers) {
    this.p = p;
    this.asks = asks;
    this.numbers = numbers;
  }

  void register(Router r) {
    r.add("POST", "/rest/call", this::place);
  }

  /** A checked request to place a call. {@code caller}/{@code callerField}: the lease or number given, or null. */
  private record Placing(String account, String callId, String commandId, String to, String caller,
                         String callerField, CallSpec.FlowSource source, long ringMs, String appId, String profileId) {}

  private CompletionStage<Reply> place(Req req) {
    ObjectNode b = req.json();
    String account = req.principal().accountId();
    JsonNode toNode = b.get("to") != null ? b.get("to") : b.get("phone");
    String to = toNode == null || toNode.isNull() ? null : toNode.asText().trim();
    if (to == null || to.isEmpty()) throw ApiException.badField("to", "is required", null);
    if (Verb.targetKindOf(to) == null) {
      throw ApiException.badField("to", "must be a number, user@domain or a sip: URI", to);
    }
    String caller = b.hasNonNull("tn_lease") ? b.get("tn_lease").asText() : b.hasNonNull("from") ? b.get("from").asText() : null;
    String callerField = b.hasNonNull("tn_lease") ? "tn_lease" : "from";
    String profileId = Fields.uuidRef(b, "outbound_voice_profile", null);
    if (caller == null && profileId == null) {
      throw ApiException.badField("tn_lease", "tn_lease (or from: one of your numbers) is required", null);
    }
    CallSpec.FlowSource source = source(b);
    long ringMs = ringTimeout(b);
    String appId = Fields.uuidRef(b, "sip_control_app", null);
    String commandId = b.hasNonNull("command_id") ? CallApi.commandIdOf(b.get("command_id").asText()) : CallApi.commandId(req);
    String callId = commandId == null ? UUID.randomUUID().toString() : CallApi.keyedId("call", account, commandId);
    Placing pl = new Placing(account, callId, commandId, to, caller, callerField, source, ringMs, appId, profileId);
    if (commandId == null) return place(req, pl);
    return asks.<CallEntity.CallDetails>call(callId, CallEntity.Get::new).handle((d, err) -> d)
        .thenCompose(d -> d != null ? repeated(d, commandId) : place(req, pl));
  }

  /**
   * A create-call repeated with its {@code command_id}: within 60 s acknowledged with the call it placed (200, no
   * second call); later the key is spent (409).
   */
  private CompletionStage<Reply> repeated(CallEntity.CallDetails d, String commandId) {
    if (d.call().createdOn().isAfter(java.time.Instant.now().minusSeconds(60))) {
      return CompletableFuture.completedFuture(Reply.ok(d.call()));
    }
    throw new ApiException(409, "command_id " + commandId + " placed call " + d.call().uuid()
        + " more than 60 s ago; use a new command_id for a new call");
  }

  private CompletionStage<Reply> place(Req req, Placing pl) {
    String account = pl.account();
    CompletionStage<AppEntity.App> app = pl.appId() == null ? CompletableFuture.completedFuture(null)
        : asks.<AppEntity.App>app(pl.appId(), r -> new AppEntity.Get(account, r)).exceptionally(e -> {
          throw ApiException.badField("sip_control_app", "unknown SIP Control App", pl.appId());
        });
    return asks.activeProfile(account, pl.profileId()).thenCompose(profile -> {
      // the caller: the lease or number given, else the profile's lease
      String caller = pl.caller() != null ? pl.caller() : profile.tnLease();
      String field = pl.caller() != null ? pl.callerField() : "outbound_voice_profile";
      if (caller == null) {
        throw ApiException.badField("tn_lease", "is required: the profile has no tn_lease to call from", null);
      }
      return numbers.resolve(req, caller)
          .thenCompose(tn -> asks.<io.openvoice.number.TnEntity.Lease>tn(tn,
              r -> new io.openvoice.number.TnEntity.Get(account, r)).thenApply(l -> tn))
          .exceptionally(e -> {
            throw ApiException.badField(field, "must be one of your numbers (a TN lease uuid or the number)", caller);
          });
    }).thenCompose(tn -> app.thenCompose(a -> p.placeCall(new CallSpec(pl.callId(), account,
            a == null ? null : Platform.snapshot(a), tn, tn, pl.to(), "out", pl.source(),
            p.defaultMaxCallLength.toMillis(), p.defaultTimeZone, null, null, pl.profileId()), pl.to(), pl.ringMs())))
        .handle((view, err) -> {
          if (err == null) return CompletableFuture.completedFuture(Reply.created(view.call()));
          Throwable t = io.openvoice.common.Errors.unwrap(err);
          if (t instanceof Platform.OverLimit o) throw CallApi.tooMany(o.reason, o.limit);
          if (t instanceof Platform.CallExists) { // the same command_id at the same moment: one call only
            return asks.<CallEntity.CallDetails>call(pl.callId(), CallEntity.Get::new)
                .thenCompose(d -> repeated(d, pl.commandId()));
          }
          if (t instanceof Platform.OriginateFailed f && f.noEdge) throw new ApiException(503, f.getMessage());
          if (t instanceof Platform.OriginateFailed f) {
            throw ApiException.badField("to", "cannot be reached: " + f.getMessage() + " (SIP " + f.sipStatus + ")", pl.to());
          }
          throw t instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(t);
        })
        .thenCompose(r -> r);
  }

  /** The flow run when the far end answers: {@code xml}, or {@code url} with {@code method} (GET default). */
  private static CallSpec.FlowSource source(ObjectNode b) {
    String xml = Fields.str(b, "xml", null);
    String url = Fields.str(b, "url", null);
    if ((xml == null || xml.isBlank()) == (url == null || url.isBlank())) {
      throw ApiException.badField("xml", "give the call flow as xml or as url (one of them)", null);
    }
    if (xml != null && !xml.isBlank()) {
      AppApi.validate(xml);
      return CallSpec.FlowSource.hosted(xml);
    }
    String checked = AppApi.url(b, "url", null);
    String method = Fields.str(b, "method", "GET");
    String m = method == null ? "GET" : method.trim().toUpperCase(java.util.Locale.ROOT);
    if (!m.equals("GET") && !m.equals("POST")) throw ApiException.badField("method", "must be GET or POST", method);
    return CallSpec.FlowSource.url(checked, m, 10_000);
  }

  /** Ring timeout in ms: {@code timeout}, 1 s to 5 min, default 30 s. */
  private static long ringTimeout(ObjectNode b) {
    if (!b.has("timeout") || b.get("timeout").isNull()) return 30_000;
    JsonNode n = b.get("timeout");
    if (!n.isIntegralNumber() || n.asLong() < 1000 || n.asLong() > 300_000) {
      throw ApiException.badField("timeout", "must be a ring timeout in ms, 1000 to 300000", n.toString());
    }
    return n.asLong();
  }
}
