package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.account.AccountEntity;
import io.openvoice.account.IndexEntity;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import io.openvoice.number.CallerId;
import io.openvoice.number.NumberInventory;
import io.openvoice.number.TnEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Number inventory search, ordering, purchased numbers (leases) and caller-id lists (reference 3.2, 3.3). */
final class NumberApi {
  private static final Set<String> FEATURES = Set.of("voice", "sms", "fax", "mms", "emergency");
  private final Platform p;
  private final Asks asks;

  NumberApi(Platform p, Asks asks) {
    this.p = p;
    this.asks = asks;
  }

  void register(Router r) {
    r.add("POST", "/rest/tn/search", this::inventorySearch);
    r.add("POST", "/rest/order", this::order);
    r.add("POST", "/rest/order/tn", this::order);
    r.add("POST", "/rest/lease/tn/search", this::leaseSearch);
    Router.Handler getLease = req -> resolve(req, req.var("id"))
        .thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, x -> new TnEntity.Get(req.principal().accountId(), x)))
        .thenApply(l -> Reply.ok(leaseJson(l)));
    r.add("GET", "/rest/lease/tn/{id}", getLease);
    r.add("GET", "/rest/lease/tn/{id}/tn", getLease);
    r.add("PATCH", "/rest/lease/tn/{id}", this::patchLease);
    r.add("DELETE", "/rest/lease/tn/{id}", this::release);
    r.add("POST", "/rest/profile/tn/{id}/blacklist", req -> editList(req, "blacklist"));
    r.add("POST", "/rest/profile/tn/{id}/whitelist", req -> editList(req, "whitelist"));
  }

  /** Inventory search: {@code ?page} (from 1) and {@code ?size} (1..100), numbers that are not leased. */
  private CompletionStage<Reply> inventorySearch(Req req) {
    ObjectNode b = req.json();
    int page = req.intQuery("page", 1, 1, 1_000_000);
    int size = req.intQuery("size", 10, 1, 100);
    NumberInventory.Query q;
    try {
      q = new NumberInventory.Query(text(b, "pattern"), text(b, "rateCenter"), text(b, "city"),
          text(b, "province"), text(b, "postalCode"), text(b, "profile"));
      candidatesCheck(q);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("pattern", e.getMessage(), text(b, "pattern"));
    }
    List<NumberInventory.Item> all = p.inventory.matching(q);
    return available(all, 0, (page - 1) * size, size, new ArrayList<>()).thenApply(found -> {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("page", page);
      payload.put("size", size);
      payload.put("take", size);
      payload.put("skip", (page - 1) * size);
      payload.put("data", found.stream().map(NumberApi::itemJson).toList());
      payload.put("total", found.size());
      return Reply.ok(payload);
    });
  }

  private static void candidatesCheck(NumberInventory.Query q) {
    if (q.pattern() != null && !q.pattern().matches("[0-9*%]+")) {
      throw new IllegalArgumentException("pattern may contain only digits, '*' and '%'");
    }
  }

  /** Walks candidates in order, asking each number's entity whether it is free, until a page is filled. */
  private CompletionStage<List<NumberInventory.Item>> available(List<NumberInventory.Item> all, int from, int toSkip,
                                                              int want, List<NumberInventory.Item> acc) {
    if (acc.size() >= want || from >= all.size()) return CompletableFuture.completedFuture(acc);
    int to = Math.min(all.size(), from + Math.max(20, want * 2));
    List<NumberInventory.Item> batch = all.subList(from, to);
    List<CompletableFuture<TnEntity.Route>> asked = batch.stream()
        .map(i -> asks.route(i.tn(), null).toCompletableFuture()).toList();
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenCompose(x -> {
      int skip = toSkip;
      for (int i = 0; i < batch.size() && acc.size() < want; i++) {
        if (asked.get(i).join().lease().leased()) continue;
        if (skip > 0) { skip--; continue; }
        acc.add(batch.get(i));
      }
      return available(all, to, skip, want, acc);
    });
  }

  private CompletionStage<Reply> order(Req req) {
    ObjectNode b = req.json();
    JsonNode items = b.get("items");
    if (items == null && b.has("tns")) items = b.get("tns"); // oldest draft: flat {tns:[...], voice, sms...}
    if (items == null || !items.isArray() || items.isEmpty()) {
      throw ApiException.badField("items", "must be a non-empty array", items == null ? null : items.toString());
    }
    String account = req.principal().accountId();
    List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
    int i = 0;
    for (JsonNode item : items) {
      JsonNode src = item.isObject() ? item : b;
      String raw = item.isObject() ? item.path("tn").asText(null) : item.asText();
      String field = "items[" + i++ + "].tn";
      String tn = CallerId.canonicalTn(raw);
      if (tn == null) throw ApiException.badField(field, "invalid phone number", raw);
      Set<String> features = features(src);
      boolean autorenew = src.path("autorenew").asBoolean(false);
      results.add(orderOne(account, tn, features, autorenew).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(x -> {
      List<Map<String, Object>> done = results.stream().map(CompletableFuture::join).toList();
      long ok = done.stream().filter(m -> m.containsKey("uuid")).count();
      Instant now = Instant.now();
      Map<String, Object> order = new LinkedHashMap<>();
      order.put("uuid", UUID.randomUUID().toString());
      order.put("state", ok == done.size() ? "success" : ok == 0 ? "failed" : "success");
      order.put("created_on", Json.iso(now));
      order.put("modified_on", Json.iso(now));
      order.put("total", done.size());
      order.put("success", ok);
      order.put("processing", 0);
      order.put("failed", done.size() - ok);
      order.put("tnleases", done.stream().filter(m -> m.containsKey("uuid")).toList());
      order.put("errors", done.stream().filter(m -> m.containsKey("reason")).toList());
      return Reply.created(order);
    });
  }

  private static Set<String> features(JsonNode src) {
    Set<String> f = new LinkedHashSet<>();
    JsonNode arr = src.get("features");
    if (arr != null && arr.isArray()) {
      for (JsonNode x : arr) {
        String v = x.asText().toLowerCase(java.util.Locale.ROOT);
        if (!FEATURES.contains(v)) throw ApiException.badField("features", "unknown feature (voice, sms, fax, mms, emergency)", v);
        f.add(v);
      }
    }
    for (String k : FEATURES) if (src.path(k).asBoolean(false)) f.add(k);
    if (f.isEmpty()) f.add("voice");
    return f;
  }

  private CompletionStage<Map<String, Object>> orderOne(String account, String tn, Set<String> features, boolean renew) {
    if (p.inventory.get(tn) == null) {
      return CompletableFuture.completedFuture(Map.of("item", tn, "reason", "not_in_inventory",
          "description", "number " + tn + " is not in this platform's inventory"));
    }
    String leaseUuid = UUID.randomUUID().toString();
    return asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Order(account, leaseUuid, features, renew, r))
        .thenCompose(lease -> asks.<IndexEntity.Value>index(IndexEntity.leaseId(leaseUuid),
                r -> new IndexEntity.PutIfAbsent(new IndexEntity.LeaseRef(leaseUuid, tn, account), r))
            .thenCompose(v -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.AddLease(leaseUuid, tn, r)))
            .thenApply(acc -> leaseJson(lease)))
        .exceptionally(err -> Map.of("item", tn, "reason", "not_available", "description", rootMessage(err)));
  }

  private CompletionStage<Reply> leaseSearch(Req req) {
    ObjectNode b = req.json();
    Search.Paging paging = Search.paging(req, b);
    String mask = text(b, "tn");
    String app = text(b, "sip_control_app");
    String conn = text(b, "sip_connection");
    Set<String> connSkip = new java.util.HashSet<>(strings(b, "sip_connections_skip"));
    JsonNode renew = b.get("autorenew");
    List<Search.Order> order = Search.order(b, List.of("created_on"), new Search.Order("created_on", true));
    java.util.regex.Pattern pat = mask == null ? null : Search.maskPattern("tn", mask);
    return leasesWhere(req.principal().accountId(), l -> (pat == null || pat.matcher(l.tn()).find())
        && (app == null || app.equals(l.sipControlApp()))
        && (conn == null || conn.equals(l.sipConnection()))
        && (l.sipConnection() == null || !connSkip.contains(l.sipConnection()))
        && (renew == null || renew.asBoolean() == l.autorenew())).thenApply(oldestFirst -> {
        List<TnEntity.Lease> leases = new ArrayList<>(oldestFirst);
        if (order.get(0).descending()) java.util.Collections.reverse(leases);
        return Reply.ok(Search.page(paging, false, order, leases.size(),
            leases.stream().skip(paging.skip()).limit(paging.take()).map(NumberApi::leaseJson).toList()));
      });
  }

  private CompletionStage<Reply> patchLease(Req req) {
    ObjectNode b = req.json();
    String account = req.principal().accountId();
    JsonNode appNode = b.get("sip_control_app");
    JsonNode connNode = b.get("sip_connection");
    Boolean autorenew = b.has("autorenew") ? b.get("autorenew").asBoolean() : null;
    final Set<String> fixedFeatures = b.has("features") || FEATURES.stream().anyMatch(b::has) ? features(b) : null;
    CompletionStage<Void> appCheck = appNode == null || appNode.isNull() ? CompletableFuture.completedFuture(null)
        : asks.<io.openvoice.app.AppEntity.App>app(appNode.asText(), r -> new io.openvoice.app.AppEntity.Get(account, r))
            .handle((a, e) -> {
              if (e != null) throw ApiException.badField("sip_control_app", "unknown SIP Control App", appNode.asText());
              return null;
            });
    if (connNode != null && !connNode.isNull() && !Fields.isUuid(connNode.asText())) {
      throw ApiException.badField("sip_connection", "must be a uuid or null", connNode.toString());
    }
    return appCheck
        .thenCompose(x -> asks.checkConnection(account,
            connNode == null || connNode.isNull() ? null : connNode.asText(), "sip_connection"))
        .thenCompose(x -> resolve(req, req.var("id"))).thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, r ->
            new TnEntity.Update(account, new TnEntity.Patch(fixedFeatures, autorenew,
                appNode == null || appNode.isNull() ? null : appNode.asText(), appNode != null && appNode.isNull(),
                connNode == null || connNode.isNull() ? null : connNode.asText(), connNode != null && connNode.isNull()), r)))
        .thenApply(l -> Reply.ok(leaseJson(l)));
  }

  private CompletionStage<Reply> release(Req req) {
    String account = req.principal().accountId();
    return resolve(req, req.var("id"))
        .thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Release(account, r)))
        .thenCompose(l -> detachSms(l).thenApply(x -> l))
        .thenCompose(l -> asks.<AccountEntity.State>account(account, r -> new AccountEntity.RemoveLease(l.uuid(), r))
            .thenCompose(a -> asks.<Boolean>index(IndexEntity.leaseId(l.uuid()), IndexEntity.Delete::new))
            .thenApply(x -> Reply.ok(leaseJson(l))));
  }

  /** A released number leaves its messaging profile's numbers (retried in the background when it fails now). */
  private CompletionStage<Void> detachSms(TnEntity.Lease l) {
    return io.openvoice.sms.ProfileNumbers.detach(p.sharding, p.system, p.askTimeout, l.messagingProfile(), l.tn());
  }

  private CompletionStage<Reply> editList(Req req, String list) {
    ObjectNode b = req.json();
    List<String> add = strings(b, "add");
    List<String> remove = strings(b, "remove");
    for (String e : add) {
      if (!e.trim().matches("\\+?[0-9]{1,15}\\*?")) throw ApiException.badField("add", "entries are E.164 numbers or prefixes ending in *", e);
    }
    return resolve(req, req.var("id"))
        .thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.EditList(req.principal().accountId(), list, add, remove, r)))
        .thenApply(l -> Reply.ok(leaseJson(l)));
  }

  private static List<String> strings(ObjectNode b, String field) {
    JsonNode n = b.get(field);
    if (n == null || n.isNull()) return List.of();
    if (!n.isArray()) throw ApiException.badField(field, "must be an array", n.toString());
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** The account's leases that satisfy {@code which}, oldest first (each number's entity is asked). */
  CompletionStage<List<TnEntity.Lease>> leasesWhere(String account, java.util.function.Predicate<TnEntity.Lease> which) {
    return asks.<AccountEntity.State>account(account, AccountEntity.Get::new)
        .thenCompose(acc -> Asks.each(acc.leases().values(), tn -> asks.<TnEntity.Lease>tn(tn,
            r -> new TnEntity.Get(account, r))))
        .thenApply(all -> all.stream().filter(l -> l.leased() && which.test(l))
            .sorted(Comparator.comparing(TnEntity.Lease::createdOn)).toList());
  }

  /**
   * An assign request {@code {add:[lease uuid or number...], remove:[...]}}: each named lease is updated with the
   * patch {@code patchFor(add)}; an unknown lease fails the request naming the field. Replies with the updated
   * leases in request order.
   */
  CompletionStage<List<TnEntity.Lease>> assign(Req req, java.util.function.Function<Boolean, TnEntity.Patch> patchFor) {
    ObjectNode b = req.json();
    String account = req.principal().accountId();
    List<CompletableFuture<TnEntity.Lease>> ops = new ArrayList<>();
    boolean any = false;
    for (String kind : List.of("add", "remove")) {
      JsonNode arr = b.get(kind);
      if (arr == null || arr.isNull()) continue;
      if (!arr.isArray()) throw ApiException.badField(kind, "must be an array of TN lease uuids", arr.toString());
      any = true;
      for (JsonNode id : arr) {
        TnEntity.Patch patch = patchFor.apply(kind.equals("add"));
        ops.add(resolve(req, id.asText())
            .exceptionally(e -> { throw ApiException.badField(kind, "unknown TN lease", id.asText()); })
            .thenCompose(tn -> asks.<TnEntity.Lease>tn(tn, r -> new TnEntity.Update(account, patch, r)))
            .toCompletableFuture());
      }
    }
    if (!any) throw ApiException.badField("add", "add or remove (arrays of TN lease uuids) is required", null);
    return CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new))
        .thenApply(x -> ops.stream().map(CompletableFuture::join).toList());
  }

  /** A lease path id (lease uuid or the phone number) → the number, for the caller's account only. */
  CompletionStage<String> resolve(Req req, String id) {
    String tn = CallerId.canonicalTn(id);
    if (tn != null) return CompletableFuture.completedFuture(tn);
    return asks.indexGet(IndexEntity.leaseId(id)).thenApply(v -> {
      if (v.orElse(null) instanceof IndexEntity.LeaseRef l && l.accountId().equals(req.principal().accountId())) return l.tn();
      throw ApiException.notFound();
    });
  }

  static Map<String, Object> leaseJson(TnEntity.Lease l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", l.uuid());
    m.put("tn", tnNumber(l.tn()));
    m.put("created_on", Json.iso(l.createdOn()));
    m.put("modified_on", Json.iso(l.modifiedOn()));
    m.put("expired_on", Json.iso(l.expiredOn()));
    m.put("autorenew", l.autorenew());
    m.put("features", List.copyOf(new java.util.TreeSet<>(l.features())));
    for (String f : FEATURES) m.put(f, l.features().contains(f));
    m.put("sip_control_app", l.sipControlApp());
    m.put("sip_connection", l.sipConnection());
    m.put("blacklist", l.blacklist());
    m.put("whitelist", l.whitelist());
    m.put("messaging_profile", l.messagingProfile());
    m.put("sms_campaign", l.smsCampaign());
    m.put("subscriptions", l.smsEnabled() ? List.of(Map.of("type", "sms", "messaging_profile", l.messagingProfile()))
        : List.of());
    return m;
  }

  private static Map<String, Object> itemJson(NumberInventory.Item i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tn", tnNumber(i.tn()));
    m.put("city", i.city());
    m.put("province", i.province());
    m.put("rate_center", i.rateCenter());
    m.put("postal_code", i.postalCode());
    m.put("profile", i.profile());
    m.put("registered", false);
    return m;
  }

  static Object tnNumber(String tn) {
    try {
      return Long.parseLong(tn);
    } catch (NumberFormatException e) {
      return tn;
    }
  }

  private static String text(JsonNode b, String f) {
    JsonNode n = b.get(f);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText().trim();
  }

  static String rootMessage(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) t = t.getCause();
    return t.getMessage();
  }
}
