package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.common.Json;
import io.openvoice.connection.SipConnectionEntity;
import io.openvoice.connection.SipProducts;
import io.openvoice.number.TnEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SIP connections (trunks) and SIP products (reference 3.5): CRUD, and the numbers whose inbound calls the trunk
 * takes ({@code /tnlease}). A connection's numbers are recorded on their leases.
 */
final class SipConnectionApi {
  private final SipProducts products;
  private final Asks asks;
  private final NumberApi numbers;

  SipConnectionApi(SipProducts products, Asks asks, NumberApi numbers) {
    this.products = products;
    this.asks = asks;
    this.numbers = numbers;
  }

  void register(Router r) {
    Router.Handler listProducts = req -> CompletableFuture.completedFuture(
        Reply.ok(products.all().stream().map(SipConnectionApi::productJson).toList()));
    r.add("GET", "/rest/sip/product", listProducts);
    r.add("GET", "/rest/sip/connection/product", listProducts); // older path; before {uuid}
    r.add("GET", "/rest/sip/connection", this::list);
    r.add("POST", "/rest/sip/connection", req -> put(req, null));
    r.add("GET", "/rest/sip/connection/{uuid}", req -> owned(req).thenApply(c -> Reply.ok(json(c))));
    r.add("PATCH", "/rest/sip/connection/{uuid}", req -> owned(req).thenCompose(c -> put(req, c)));
    r.add("DELETE", "/rest/sip/connection/{uuid}", this::delete);
    r.add("GET", "/rest/sip/connection/{uuid}/tnlease", req -> owned(req)
        .thenCompose(c -> numbers.leasesWhere(req.principal().accountId(), l -> c.uuid().equals(l.sipConnection())))
        .thenApply(l -> Reply.ok(l.stream().map(NumberApi::leaseJson).toList())));
    r.add("POST", "/rest/sip/connection/{uuid}/tnlease", req -> owned(req)
        .thenCompose(c -> numbers.assign(req, add -> new TnEntity.Patch(null, null, null, false,
            add ? c.uuid() : null, !add)))
        .thenApply(l -> Reply.ok(l.stream().map(TnEntity.Lease::uuid).toList())));
  }

  private CompletionStage<Reply> list(Req req) {
    String account = req.principal().accountId();
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.connections(), id -> asks.<SipConnectionEntity.Connection>connection(id,
            r -> new SipConnectionEntity.Get(account, r))))
        .thenApply(all -> Reply.ok(all.stream().sorted(Comparator.comparing(SipConnectionEntity.Connection::createdOn))
            .map(this::json).toList()));
  }

  /** Create (current == null) or PATCH: every field validated, then the merged connection stored. */
  private CompletionStage<Reply> put(Req req, SipConnectionEntity.Connection current) {
    ObjectNode b = req.json();
    boolean create = current == null;
    String account = req.principal().accountId();
    String name = Fields.required(b, "name", create ? null : current.name(), 255);
    String ip = blankToNull(Fields.str(b, "ip", create ? null : current.ip()));
    if (ip != null && !isIpv4(ip)) throw ApiException.badField("ip", "must be an IPv4 address", ip);
    String hostname = blankToNull(Fields.str(b, "hostname", create ? null : current.hostname()));
    if (hostname != null) {
      hostname = hostname.toLowerCase(Locale.ROOT);
      if (!Fields.isHostName(hostname)) throw ApiException.badField("hostname", "must be a host name", hostname);
    }
    if (ip == null && hostname == null) throw ApiException.badField("ip", "ip or hostname is required", null);
    int port = create ? 5060 : current.port();
    if (b.has("port")) {
      JsonNode n = b.get("port");
      int v = n.isIntegralNumber() && n.canConvertToInt() ? n.asInt()
          : n.isTextual() && n.asText().matches("[0-9]{1,5}") ? Integer.parseInt(n.asText()) : -1;
      if (v < 1024 || v > 65535) throw ApiException.badField("port", "must be an integer from 1024 to 65535", n.toString());
      port = v;
    }
    String transport = Fields.str(b, "transport", create ? "udp" : current.transport());
    transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
    if (!transport.equals("udp") && !transport.equals("tcp")) {
      throw ApiException.badField("transport", "must be udp or tcp", transport);
    }
    String product = product(products, b, create ? products.defaultProduct().id() : current.product());
    String techPrefix = Fields.techPrefix(b, "tech_prefix", create ? null : current.techPrefix());
    String ovp = Fields.uuidRef(b, "outbound_voice_profile", create ? null : current.outboundVoiceProfile());
    String subdomain = Fields.str(b, "subdomain", create ? null : current.subdomain());
    String ingress = trunkSettings(b, "class4_ingress_trunk_settings", create ? null : current.class4Ingress());
    String egress = trunkSettings(b, "class4_egress_trunk_settings", create ? null : current.class4Egress());
    boolean active = Fields.bool(b, "is_active", create || current.isActive());
    Instant now = Instant.now();
    SipConnectionEntity.Connection c = new SipConnectionEntity.Connection(
        create ? UUID.randomUUID().toString() : current.uuid(), account, name, ip, hostname, port, transport, active,
        product, techPrefix, subdomain, ovp, ingress, egress, create ? now : current.createdOn(), now);
    // a profile reference is checked when it is sent (one deleted since does not block other changes)
    CompletionStage<SipConnectionEntity.Connection> saved = asks.checkProfile(account,
            b.has("outbound_voice_profile") ? ovp : null, "outbound_voice_profile")
        .thenCompose(x -> asks.connection(c.uuid(), r -> new SipConnectionEntity.Put(c, r)));
    if (create) {
      saved = saved.thenCompose(x -> asks.<AccountEntity.State>account(account,
          r -> new AccountEntity.OwnConnection(x.uuid(), true, r)).thenApply(a -> x));
    }
    return saved.thenApply(x -> create ? Reply.created(json(x)) : Reply.ok(json(x)));
  }

  /** Deleting a connection takes its numbers off it first (their inbound calls then follow their apps). */
  private CompletionStage<Reply> delete(Req req) {
    String account = req.principal().accountId();
    return owned(req).thenCompose(c -> numbers.leasesWhere(account, l -> c.uuid().equals(l.sipConnection()))
        .thenCompose(leases -> {
          List<CompletableFuture<TnEntity.Lease>> detached = new ArrayList<>();
          for (TnEntity.Lease l : leases) {
            detached.add(asks.<TnEntity.Lease>tn(l.tn(), r -> new TnEntity.Update(account,
                new TnEntity.Patch(null, null, null, false, null, true), r)).toCompletableFuture());
          }
          return CompletableFuture.allOf(detached.toArray(CompletableFuture[]::new));
        })
        .thenCompose(x -> asks.<SipConnectionEntity.Connection>connection(c.uuid(),
            r -> new SipConnectionEntity.Delete(account, r)))
        .thenCompose(gone -> asks.<AccountEntity.State>account(account,
            r -> new AccountEntity.OwnConnection(gone.uuid(), false, r)).thenApply(a -> Reply.ok(json(gone)))));
  }

  private CompletionStage<SipConnectionEntity.Connection> owned(Req req) {
    String uuid = req.var("uuid");
    if (!Fields.isUuid(uuid)) return CompletableFuture.failedFuture(ApiException.notFound());
    return asks.connection(uuid.toLowerCase(Locale.ROOT),
        r -> new SipConnectionEntity.Get(req.principal().accountId(), r));
  }

  /** {@code product}: a SIP product id, or an object with its id; absent or null → {@code dflt}. */
  static String product(SipProducts products, ObjectNode b, String dflt) {
    if (!b.has("product") || b.get("product").isNull()) return dflt;
    JsonNode n = b.get("product");
    String id = n.isObject() ? n.path("id").asText() : n.asText();
    if (products.byId(id).isEmpty()) throw ApiException.badField("product", "unknown SIP product (GET /rest/sip/product)", n.toString());
    return id;
  }

  /** Class 4 trunk settings: any JSON object (kept as sent), or null. */
  private static String trunkSettings(ObjectNode b, String f, String dflt) {
    if (!b.has(f)) return dflt;
    JsonNode n = b.get(f);
    if (n.isNull()) return null;
    if (!n.isObject()) throw ApiException.badField(f, "must be an object", n.toString());
    return n.toString();
  }

  static boolean isIpv4(String s) {
    if (s.length() < 7 || s.length() > 15) return false;
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String part : parts) {
      if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) return false;
    }
    return true;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private Map<String, Object> json(SipConnectionEntity.Connection c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", c.uuid());
    m.put("name", c.name());
    m.put("ip", c.ip());
    m.put("hostname", c.hostname());
    m.put("port", c.port());
    m.put("transport", c.transport());
    m.put("is_active", c.isActive());
    m.put("product", products.byId(c.product()).map(SipConnectionApi::productJson).orElse(null));
    m.put("tech_prefix", products.techPrefix(c));
    m.put("subdomain", c.subdomain());
    m.put("outbound_voice_profile", c.outboundVoiceProfile());
    m.put("class4_ingress_trunk_settings", c.class4Ingress() == null ? null : Json.tree(c.class4Ingress()));
    m.put("class4_egress_trunk_settings", c.class4Egress() == null ? null : Json.tree(c.class4Egress()));
    m.put("created_on", Json.iso(c.createdOn()));
    m.put("modified_on", Json.iso(c.modifiedOn()));
    return m;
  }

  static Map<String, Object> productJson(SipProducts.Product p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    m.put("description", p.description());
    m.put("type", p.type());
    m.put("tech_prefix", p.techPrefix());
    m.put("rate_table_id", null);
    m.put("route_plan_id", null);
    return m;
  }
}
