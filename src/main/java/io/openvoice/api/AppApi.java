package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.app.AppEntity;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.TnEntity;
import io.openvoice.xml.FlowXmlException;
import io.openvoice.xml.FlowXmlParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.Multipart;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.Materializer;

/** SIP Control Apps (reference 3.6): CRUD, TN assignment, hosted call flow. */
final class AppApi {
  private final Platform p;
  private final Asks asks;
  private final NumberApi numbers;

  AppApi(Platform p, Asks asks, NumberApi numbers) {
    this.p = p;
    this.asks = asks;
    this.numbers = numbers;
  }

  void register(Router r) {
    r.add("GET", "/rest/sip/app/call/flow/{uuid}", this::getFlow);
    r.add("POST", "/rest/sip/app/call/flow/{uuid}", this::setFlow);
    r.add("DELETE", "/rest/sip/app/call/flow/{uuid}", req -> owned(req, req.var("uuid"))
        .thenCompose(a -> asks.<AppEntity.App>app(a.uuid(), x -> new AppEntity.SetFlow(a.accountId(), null, x)))
        .thenApply(a -> Reply.ok(appJson(a))));
    r.add("GET", "/rest/sip/app", this::list);
    r.add("POST", "/rest/sip/app", req -> put(req, null));
    r.add("GET", "/rest/sip/app/{uuid}", req -> owned(req, req.var("uuid")).thenApply(a -> Reply.ok(appJson(a))));
    r.add("PATCH", "/rest/sip/app/{uuid}", req -> owned(req, req.var("uuid")).thenCompose(a -> put(req, a)));
    r.add("DELETE", "/rest/sip/app/{uuid}", this::delete);
    r.add("GET", "/rest/sip/app/{uuid}/tnlease", this::listLeases);
    r.add("POST", "/rest/sip/app/{uuid}/tnlease", this::assign);
  }

  CompletionStage<AppEntity.App> owned(Req req, String uuid) {
    if (!isUuid(uuid)) return CompletableFuture.failedFuture(ApiException.notFound());
    return asks.app(uuid, r -> new AppEntity.Get(req.principal().accountId(), r));
  }

  private CompletionStage<Reply> list(Req req) {
    return asks.<AccountEntity.State>account(req.principal().accountId(), AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.apps(), id -> asks.<AppEntity.App>app(id, r -> new AppEntity.Get(acc.uuid(), r))))
        .thenApply(all -> Reply.ok(all.stream().sorted(java.util.Comparator.comparing(AppEntity.App::createdOn))
            .map(AppApi::appJson).toList()));
  }

  /** Create (current == null) or PATCH: validates every field, then stores the merged app. */
  private CompletionStage<Reply> put(Req req, AppEntity.App current) {
    ObjectNode b = req.json();
    boolean create = current == null;
    String name = str(b, "name", create ? null : current.name());
    if (name == null || name.isBlank()) throw ApiException.badField("name", "is required", null);
    String webhookUrl = url(b, "webhook_url", create ? null : current.webhookUrl());
    String fallbackUrl = url(b, "webhook_fallback_url", create ? null : current.webhookFallbackUrl());
    String webhookMethod = method(b, "webhook_method", create ? "POST" : current.webhookMethod());
    Long webhookTimeout = millis(b, "webhook_request_timeout", create ? 10_000L : current.webhookRequestTimeout());
    String flowUrl = url(b, "call_flow_url", create ? null : current.callFlowUrl());
    String flowMethod = method(b, "call_flow_method", create ? "GET" : current.callFlowMethod());
    Long flowTimeout = millis(b, "call_flow_request_timeout", create ? 10_000L : current.callFlowRequestTimeout());
    boolean autoAnswer = bool(b, "auto_answer", !create && current.autoAnswer());
    boolean active = bool(b, "is_active", create || current.isActive());
    Integer maxLen = create ? null : current.maxCallLengthMin();
    if (b.has("max_call_length_min")) {
      JsonNode n = b.get("max_call_length_min");
      if (n.isNull()) maxLen = null;
      else if (!n.canConvertToInt() || n.asInt() < 1) throw ApiException.badField("max_call_length_min", "must be a positive integer or null", n.toString());
      else maxLen = n.asInt();
    }
    String product = str(b, "product", create ? null : current.product());
    String techPrefix = str(b, "tech_prefix", create ? null : current.techPrefix());
    String uuid = create ? UUID.randomUUID().toString() : current.uuid();
    Instant now = Instant.now();
    AppEntity.App app = new AppEntity.App(uuid, req.principal().accountId(), name, active, product, webhookUrl,
        webhookMethod, webhookTimeout, flowUrl, flowMethod, flowTimeout, autoAnswer, maxLen, techPrefix,
        create ? null : current.hostedXml(), create ? now : current.createdOn(), now, fallbackUrl);
    CompletionStage<AppEntity.App> saved = asks.app(uuid, r -> new AppEntity.Put(app, r));
    if (create) {
      saved = saved.thenCompose(a -> asks.<AccountEntity.State>account(a.accountId(), r -> new AccountEntity.AddApp(a.uuid(), r))
          .thenApply(x -> a));
    }
    return saved.thenApply(a -> create ? Reply.created(appJson(a)) : Reply.ok(appJson(a)));
  }

  private CompletionStage<Reply> delete(Req req) {
    String account = req.principal().accountId();
    return owned(req, req.var("uuid"))
        .thenCompose(a -> asks.<AppEntity.App>app(a.uuid(), r -> new AppEntity.Delete(account, r)))
        .thenCompose(a -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.RemoveApp(a.uuid(), r))
            .thenApply(x -> Reply.ok(appJson(a))));
  }

  private CompletionStage<Reply> listLeases(Req req) {
    return owned(req, req.var("uuid")).thenCompose(app -> numbers.leasesWhere(req.principal().accountId(),
        l -> app.uuid().equals(l.sipControlApp()))).thenApply(l -> Reply.ok(l.stream().map(NumberApi::leaseJson).toList()));
  }

  /** {@code {add:[lease uuid or number...], remove:[...]}}: attach or detach TN leases. */
  private CompletionStage<Reply> assign(Req req) {
    return owned(req, req.var("uuid")).thenCompose(app -> numbers.assign(req,
            add -> new TnEntity.Patch(null, null, add ? app.uuid() : null, !add, null, false)))
        .thenApply(l -> Reply.ok(l.stream().map(NumberApi::leaseJson).toList()));
  }

  private CompletionStage<Reply> getFlow(Req req) {
    return owned(req, req.var("uuid")).thenApply(a -> new Reply(200, a.hostedXml(), Map.of("url", a.callFlowUrl() == null ? "" : a.callFlowUrl())));
  }

  /** Multipart field {@code file} (Opentact), or the raw XML as the body. Validated before it is stored. */
  private CompletionStage<Reply> setFlow(Req req) {
    String account = req.principal().accountId();
    return owned(req, req.var("uuid")).thenCompose(a -> xmlFromRequest(req, p.system)
        .thenCompose(xml -> {
          validate(xml);
          return asks.<AppEntity.App>app(a.uuid(), r -> new AppEntity.SetFlow(account, xml, r));
        }))
        .thenApply(a -> Reply.ok(appJson(a)));
  }

  static void validate(String xml) {
    try {
      FlowXmlParser.parse(xml);
    } catch (FlowXmlException e) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("message", e.problem());
      detail.put("line", e.line());
      detail.put("column", e.column());
      detail.put("element", e.element());
      throw new ApiException(400, "invalid call flow XML: " + e.getMessage(), Map.of("file", detail));
    }
  }

  static CompletionStage<String> xmlFromRequest(Req req, org.apache.pekko.actor.typed.ActorSystem<?> system) {
    if (req.contentType().startsWith("multipart/form-data")) {
      Materializer mat = Materializer.matFromSystem(system);
      var entity = org.apache.pekko.http.javadsl.model.HttpEntities.create(req.http().entity().getContentType(), req.body());
      return Unmarshaller.entityToMultipartFormData().unmarshal(entity, mat)
          .thenCompose(form -> form.getParts()
              .filter(part -> part.getName().equals("file") || part.getName().equals("xml"))
              .mapAsync(1, part -> part.toStrict(10_000, mat))
              .runFold("", (accum, part) -> accum.isEmpty() ? part.getEntity().getData().utf8String() : accum, mat))
          .thenApply(xml -> {
            if (xml.isBlank()) throw ApiException.badField("file", "multipart field 'file' with the XML is required", null);
            return xml;
          });
    }
    String text = new String(req.body(), StandardCharsets.UTF_8);
    if (text.isBlank()) throw ApiException.badField("file", "the call flow XML is required", null);
    if (req.contentType().contains("json")) {
      JsonNode xml = req.json().get("xml");
      if (xml == null || !xml.isTextual()) throw ApiException.badField("xml", "is required", null);
      return CompletableFuture.completedFuture(xml.asText());
    }
    return CompletableFuture.completedFuture(text);
  }

  static Map<String, Object> appJson(AppEntity.App a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", a.uuid());
    m.put("name", a.name());
    m.put("is_active", a.isActive());
    m.put("product", a.product());
    m.put("tech_prefix", a.techPrefix());
    m.put("shaken_verify_policy", 0);
    m.put("shaken_minimum_accepted_attest_lvl", "C");
    m.put("auto_answer", a.autoAnswer());
    m.put("max_call_length_min", a.maxCallLengthMin());
    m.put("webhook_url", a.webhookUrl());
    m.put("webhook_method", a.webhookMethod());
    m.put("webhook_request_timeout", a.webhookRequestTimeout());
    m.put("webhook_fallback_url", a.webhookFallbackUrl());
    m.put("call_flow_url", a.callFlowUrl());
    m.put("call_flow_method", a.callFlowMethod());
    m.put("call_flow_request_timeout", a.callFlowRequestTimeout());
    m.put("has_call_flow_xml", a.hostedXml() != null);
    m.put("created_on", Json.iso(a.createdOn()));
    m.put("modified_on", Json.iso(a.modifiedOn()));
    return m;
  }

  private static String str(ObjectNode b, String f, String dflt) {
    return Fields.str(b, f, dflt);
  }

  /** An http(s) URL with a host, or null when absent/blank; anything else is a 400 naming {@code f}. */
  static String url(ObjectNode b, String f, String dflt) {
    String v = str(b, f, dflt);
    if (v == null || v.isBlank() || v == dflt) return v == null || v.isBlank() ? null : v;
    try {
      java.net.URI u = java.net.URI.create(v.trim());
      if (!("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
        throw ApiException.badField(f, "must be an http(s) URL", v);
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badField(f, "must be an http(s) URL", v);
    }
    return v.trim();
  }

  private static String method(ObjectNode b, String f, String dflt) {
    String v = str(b, f, dflt);
    if (v == null) return dflt;
    String m = v.toUpperCase(java.util.Locale.ROOT);
    if (!m.equals("GET") && !m.equals("POST")) throw ApiException.badField(f, "must be GET or POST", v);
    return m;
  }

  private static Long millis(ObjectNode b, String f, Long dflt) {
    if (!b.has(f)) return dflt;
    JsonNode n = b.get(f);
    if (n.isNull()) return null;
    if (!n.canConvertToLong() || n.asLong() < 0) throw ApiException.badField(f, "must be a non-negative integer (ms) or null", n.toString());
    return n.asLong();
  }

  private static boolean bool(ObjectNode b, String f, boolean dflt) {
    return Fields.bool(b, f, dflt);
  }

  static boolean isUuid(String s) {
    return Fields.isUuid(s);
  }
}
