package io.openvoice.api.openapi;

import java.util.List;

/** Documentation of inventory search, orders, leases and caller-id lists ({@code NumberApi}). */
final class NumberDocs {
  private NumberDocs() {}

  static final String TAG = "Phone numbers";
  private static final String LEASE_ID = "the lease's uuid, or the number itself (e.g. 12025550100 or +12025550100)";

  static List<Op> ops() {
    return List.of(
        Op.post("/rest/tn/search", "SearchInventory").tag(TAG).summary("Search the number inventory (numbers not leased)")
            .query("page", S.int32().min(1).max(1_000_000).dflt(1), "page, from 1")
            .query("size", S.int32().min(1).max(100).dflt(10), "page size")
            .body(S.obj()
                .prop("pattern", S.str().pattern("^[0-9*%]+$")
                    .desc("digits with wildcards: `*` any digits, `%` exactly one digit (`*233`, `233%55`)"))
                .prop("rateCenter", S.str()).prop("city", S.str())
                .prop("province", S.str().desc("2-letter province or state"))
                .prop("postalCode", S.str()).prop("profile", S.str().desc("TN profile name")), false)
            .ok(S.obj().req("page", S.int32()).req("size", S.int32()).req("take", S.int32()).req("skip", S.int32())
                .req("total", S.int32().desc("numbers in this page")).req("data", S.arr(S.ref("InventoryItem"))),
                "A page of available numbers"),
        order(Op.post("/rest/order", "OrderNumbers")),
        order(Op.post("/rest/order/tn", "OrderNumbersOld")).desc("The older path of POST /rest/order (same body)."),
        Op.post("/rest/lease/tn/search", "SearchLeases").tag(TAG).summary("Search the account's purchased numbers")
            .query("take", S.int32().min(1).max(1000).dflt(10), "page size (overrides the body's)")
            .query("skip", S.int32().min(0).dflt(0), "items to skip (overrides the body's)")
            .body(S.obj()
                .prop("take", S.int32().dflt(10)).prop("skip", S.int32().dflt(0))
                .prop("tn", S.str().pattern("^\\+?[0-9*%]+$").desc("number mask: `*` any digits, `%` one digit"))
                .prop("autorenew", S.bool())
                .prop("sip_control_app", S.uuid().desc("only numbers on this app"))
                .prop("sip_connection", S.uuid().desc("only numbers on this SIP connection"))
                .prop("sip_connections_skip", S.arr(S.uuid()).desc("leave out numbers on these connections"))
                .prop("order", S.obj().prop("created_on", S.enumOf("ASC", "DESC").dflt("DESC"))), false)
            .ok(S.obj().req("take", S.int32()).req("skip", S.int32()).req("mode", S.enumOf("AND"))
                .req("order", S.obj().prop("created_on", S.enumOf("ASC", "DESC")))
                .req("total", S.int32()).req("data", S.arr(S.ref("Lease"))), "A page of leases"),
        Op.get("/rest/lease/tn/{id}", "GetLease").tag(TAG).summary("A purchased number")
            .path("id", S.str(), LEASE_ID).ok(S.ref("Lease"), "The lease").errors(404),
        Op.get("/rest/lease/tn/{id}/tn", "GetLeaseByNumber").tag(TAG).summary("A purchased number (older path)")
            .path("id", S.str(), LEASE_ID).ok(S.ref("Lease"), "The lease").errors(404),
        Op.patch("/rest/lease/tn/{id}", "UpdateLease").tag(TAG).summary("Change a number's features, renewal or routing")
            .path("id", S.str(), LEASE_ID)
            .body(features(S.obj())
                .prop("autorenew", S.bool())
                .prop("sip_control_app", S.uuid().nullable().desc("an app of the account; null detaches"))
                .prop("sip_connection", S.uuid().nullable().desc("a SIP connection of the account; null detaches")), false)
            .ok(S.ref("Lease"), "The lease").errors(404),
        Op.delete("/rest/lease/tn/{id}", "ReleaseLease").tag(TAG).summary("Release a purchased number")
            .path("id", S.str(), LEASE_ID).ok(S.ref("Lease"), "The released lease").errors(404),
        callerList("blacklist", "CallerBlacklist", "Add or remove refused callers"),
        callerList("whitelist", "CallerWhitelist", "Add or remove admitted callers (non-empty: only those)"));
  }

  private static Op order(Op op) {
    S item = features(S.obj()
        .req("tn", S.oneOf(S.int64(), S.str()).desc("the number (10 or 11 digits, a leading + allowed)"))
        .prop("autorenew", S.bool().dflt(false)));
    return op.tag(TAG).summary("Order numbers from the inventory")
        .body(features(S.obj()
            .prop("items", S.arr(item).minItems(1).desc("the numbers to order (required unless `tns` is given)"))
            .prop("tns", S.arr(S.oneOf(S.int64(), S.str())).minItems(1)
                .desc("oldest form: numbers, with the feature flags and `autorenew` at the top level"))
            .prop("autorenew", S.bool().dflt(false).desc("with `tns` only"))), true)
        .created(S.ref("Order"), "The order; numbers that could not be had are in `errors`");
  }

  /** {@code features} and the older per-feature flags; no feature at all means voice. */
  private static S features(S obj) {
    obj.prop("features", S.arr(S.enumOf(Schemas.FEATURES)).desc("case-insensitive; default [voice]"));
    for (String f : Schemas.FEATURES) obj.prop(f, S.bool().desc("older form of `features`"));
    return obj;
  }

  private static Op callerList(String list, String id, String summary) {
    return Op.post("/rest/profile/tn/{id}/" + list, id).tag(TAG).summary(summary)
        .desc("Entries are E.164 numbers or prefixes ending in `*`; a blacklisted caller is refused before any flow runs.")
        .path("id", S.str(), LEASE_ID)
        .body(S.obj()
            .prop("add", S.arr(S.str().pattern("^\\+?[0-9]{1,15}\\*?$")))
            .prop("remove", S.arr(S.str())), true)
        .ok(S.ref("Lease"), "The lease with its lists").errors(404);
  }
}
