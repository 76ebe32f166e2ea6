package io.openvoice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.call.Q850;
import io.openvoice.calllog.CallLogStore;
import io.openvoice.calllog.CallLogStore.Cond;
import io.openvoice.calllog.CallLogStore.Sort;
import io.openvoice.common.Json;
import io.openvoice.node.Platform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The call log ({@code POST /rest/sip/app/call/search}, alias {@code POST /rest/call/search}) and an app's call-flow
 * log ({@code POST /rest/sip/app/{uuid}/logs}), read from the projection's tables (reference 3.6, 3.10). Only the
 * caller's account's rows; they trail the live calls by a moment (the projection's lag).
 */
final class CallLogApi {
  /** API order field → column, in the reference's list. */
  static final Map<String, String> CALL_ORDER = orderMap(
      "tn", "tn", "to", "to_number", "from", "from_number", "state", "state", "created_on", "created_on",
      "modified_on", "modified_on");
  static final Map<String, String> FLOW_ORDER = orderMap(
      "name", "command", "command", "command", "from", "from_number", "tn", "tn", "call", "call_uuid",
      "channel_uuid", "call_uuid", "created_on", "created_on", "modified_on", "created_on");

  private final Platform p;
  private final AppApi apps;

  CallLogApi(Platform p, AppApi apps) {
    this.p = p;
    this.apps = apps;
  }

  void register(Router r) {
    r.add("POST", "/rest/sip/app/call/search", this::calls);
    r.add("POST", "/rest/call/search", this::calls);
    r.add("POST", "/rest/sip/app/{uuid}/logs", this::flowLog);
  }

  private CompletionStage<Reply> calls(Req req) {
    ObjectNode b = req.json();
    Search.Paging paging = Search.paging(req, b);
    boolean anyOf = Search.anyOf(b);
    List<Search.Order> order = Search.order(b, List.copyOf(CALL_ORDER.keySet()), new Search.Order("created_on", true));
    List<Cond> where = new ArrayList<>();
    String tn = Search.text(b, "tn");
    if (tn != null) where.add(Cond.of("tn LIKE ?", Search.likeMask("tn", tn, true)));
    String from = Search.text(b, "from");
    if (from != null) where.add(Cond.of("from_number LIKE ?", Search.likeMask("from", from, false)));
    String to = Search.text(b, "to");
    if (to != null) where.add(Cond.of("to_number LIKE ?", Search.likeMask("to", to, false)));
    String state = Search.oneOf(b, "state", "online", "offline");
    if (state != null) where.add(Cond.of("state = ?", state));
    String app = Search.uuid(b, "sip_control_app");
    if (app != null) where.add(Cond.of("app = ?", app));
    String direction = Search.oneOf(b, "direction", "in", "out");
    if (direction != null) where.add(Cond.of("direction = ?", direction));
    String parent = Search.uuid(b, "parent");
    if (parent != null) where.add(Cond.of("parent = ?", parent));
    range(b, "created_on", "created_on", where);
    range(b, "modified_on", "modified_on", where);
    List<Sort> sorts = sorts(order, CALL_ORDER);
    sorts.add(new Sort("uuid", false));
    String account = req.principal().accountId();
    return p.callLog.run(c -> CallLogStore.calls(c, account, where, anyOf, sorts, paging.take(), paging.skip()))
        .thenApply(page -> Reply.ok(Search.page(paging, anyOf, order, page.total(),
            page.rows().stream().map(CallLogApi::callJson).toList())));
  }

  private CompletionStage<Reply> flowLog(Req req) {
    ObjectNode b = req.json();
    Search.Paging paging = Search.paging(req, b);
    boolean anyOf = Search.anyOf(b);
    List<Search.Order> order = Search.order(b, List.copyOf(FLOW_ORDER.keySet()), new Search.Order("created_on", false));
    List<Cond> where = new ArrayList<>();
    String call = Search.uuid(b, "call");
    if (call != null) where.add(Cond.of("call_uuid = ?", call));
    for (String f : List.of("command", "name")) {
      String command = Search.text(b, f);
      if (command == null) continue;
      if (!command.matches("[A-Za-z]{1,64}")) throw ApiException.badField(f, "must be an XML element name such as Say", command);
      where.add(Cond.of("LOWER(command) = ?", command.toLowerCase(java.util.Locale.ROOT)));
    }
    Boolean success = Search.bool(b, "success");
    if (success != null) where.add(Cond.of("success = ?", success));
    String phase = Search.oneOf(b, "phase", "started", "finished", "skipped");
    if (phase != null) where.add(Cond.of("phase = ?", phase));
    String from = Search.text(b, "from");
    if (from != null) where.add(Cond.of("from_number LIKE ?", Search.likeMask("from", from, false)));
    String tn = Search.text(b, "tn");
    if (tn != null) where.add(Cond.of("tn LIKE ?", Search.likeMask("tn", tn, true)));
    range(b, "created_on", "created_on", where);
    List<Sort> sorts = sorts(order, FLOW_ORDER);
    sorts.add(new Sort("call_uuid", false));
    sorts.add(new Sort("seq_nr", false));
    sorts.add(new Sort("idx", false));
    String account = req.principal().accountId();
    return apps.owned(req, req.var("uuid")).thenCompose(a -> p.callLog.run(c -> CallLogStore.flowSteps(c, account,
            a.uuid(), where, anyOf, sorts, paging.take(), paging.skip())))
        .thenApply(page -> Reply.ok(Search.page(paging, anyOf, order, page.total(),
            page.rows().stream().map(CallLogApi::stepJson).toList())));
  }

  /** {@code <field>_from} (inclusive) and {@code <field>_to} (exclusive) on a timestamp column. */
  private static void range(ObjectNode b, String field, String column, List<Cond> where) {
    Instant from = Search.instant(b, field + "_from");
    Instant to = Search.instant(b, field + "_to");
    if (from != null) where.add(Cond.of(column + " >= ?", from));
    if (to != null) where.add(Cond.of(column + " < ?", to));
    if (from != null && to != null && !to.isAfter(from)) {
      throw ApiException.badField(field + "_to", "must be after " + field + "_from", b.path(field + "_to").asText());
    }
  }

  private static List<Sort> sorts(List<Search.Order> order, Map<String, String> columns) {
    List<Sort> out = new ArrayList<>();
    for (Search.Order o : order) out.add(new Sort(columns.get(o.field()), o.descending()));
    return out;
  }

  /** A call log row as the call JSON of reference 6.3 (the fields the log keeps), like GET /rest/sip/app/call/{uuid}. */
  static Map<String, Object> callJson(Map<String, Object> r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", r.get("uuid"));
    m.put("type", "CallSCA");
    m.put("direction", r.get("direction"));
    m.put("from", r.get("from_number"));
    m.put("to", r.get("to_number"));
    m.put("state", r.get("last_state"));
    m.put("status", r.get("state"));
    m.put("duration", ((Number) r.get("duration")).longValue());
    m.put("created_on", iso(r.get("created_on")));
    m.put("modified_on", iso(r.get("modified_on")));
    m.put("init_on", iso(r.get("created_on")));
    m.put("ring_on", iso(r.get("ring_on")));
    m.put("answer_on", iso(r.get("answer_on")));
    m.put("hangup_on", iso(r.get("hangup_on")));
    m.put("destroy_on", iso(r.get("destroy_on")));
    m.put("finished_on", iso(r.get("destroy_on")));
    Number cause = (Number) r.get("q850_cause");
    m.put("q850_cause", cause == null ? null : cause.intValue());
    m.put("q850_cause_string", cause == null ? null : Q850.name(cause.intValue()));
    m.put("hangup_reason", r.get("hangup_reason"));
    m.put("tn", r.get("tn") == null ? null : Map.of("tn", r.get("tn")));
    if (r.get("app") == null) {
      m.put("sip_control_app", null);
    } else {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("uuid", r.get("app"));
      app.put("name", r.get("app_name"));
      m.put("sip_control_app", app);
    }
    m.put("account", Map.of("uuid", r.get("account")));
    m.put("parent", r.get("parent"));
    return m;
  }

  /** A call-flow log row: reference ILogCallFlow {uuid, success, name, command{}, response{}, call, sip_control_app}. */
  static Map<String, Object> stepJson(Map<String, Object> r) {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("name", r.get("command"));
    command.put("path", r.get("path"));
    command.put("phase", r.get("phase"));
    command.put("success", r.get("success"));
    command.put("reason", r.get("reason"));
    if (r.get("tag") != null) command.put("tag", r.get("tag"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uuid", r.get("uuid"));
    m.put("call", r.get("call_uuid"));
    m.put("sip_control_app", r.get("app"));
    m.put("name", r.get("command"));
    m.put("path", r.get("path"));
    m.put("phase", r.get("phase"));
    m.put("success", r.get("success"));
    m.put("reason", r.get("reason"));
    m.put("command", command);
    m.put("response", Map.of());
    m.put("from", r.get("from_number"));
    m.put("tn", r.get("tn"));
    m.put("created_on", iso(r.get("created_on")));
    m.put("modified_on", iso(r.get("created_on")));
    return m;
  }

  private static String iso(Object t) {
    return t == null ? null : Json.iso((Instant) t);
  }

  private static Map<String, String> orderMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }
}
