package io.openvoice.api.openapi;

import java.util.List;

/** Documentation of SIP Control Apps, hosted call flows and calls ({@code AppApi}, {@code CallApi}). */
final class AppCallDocs {
  private AppCallDocs() {}

  static final String APP = "SIP Control App";
  static final String CALL = "Calls";
  private static final String APP_UUID = "the app's uuid";

  static List<Op> ops() {
    return List.of(
        Op.get("/rest/sip/app", "ListSIPControlApps").tag(APP).summary("The account's apps, oldest first")
            .ok(S.arr(S.ref("App")), "The apps"),
        Op.post("/rest/sip/app", "CreateSIPControlApp").tag(APP).summary("Create an app")
            .body(appBody(true), true).created(S.ref("App"), "The app"),
        Op.get("/rest/sip/app/{uuid}", "GetSIPControlApp").tag(APP).summary("An app")
            .path("uuid", S.uuid(), APP_UUID).ok(S.ref("App"), "The app").errors(404),
        Op.patch("/rest/sip/app/{uuid}", "UpdateSIPControlApp").tag(APP).summary("Update an app (absent fields kept)")
            .path("uuid", S.uuid(), APP_UUID).body(appBody(false), false).ok(S.ref("App"), "The app").errors(404),
        Op.delete("/rest/sip/app/{uuid}", "DeleteSIPControlApp").tag(APP).summary("Delete an app")
            .path("uuid", S.uuid(), APP_UUID).ok(S.ref("App"), "The deleted app").errors(404),
        Op.get("/rest/sip/app/{uuid}/tnlease", "ListSIPControlAppLeases").tag(APP).summary("The numbers on an app")
            .path("uuid", S.uuid(), APP_UUID).ok(S.arr(S.ref("Lease")), "The leases").errors(404),
        Op.post("/rest/sip/app/{uuid}/tnlease", "AssignSIPControlAppLeases").tag(APP)
            .summary("Put numbers on an app, or take them off")
            .path("uuid", S.uuid(), APP_UUID).body(assignBody(), true)
            .ok(S.arr(S.ref("Lease")), "The updated leases, in request order").errors(404),

        Op.get("/rest/sip/app/call/flow/{uuid}", "GetSIPControlAppCallFlow").tag(APP).summary("An app's hosted call flow")
            .path("uuid", S.uuid(), APP_UUID)
            .success(200, S.str().nullable().desc("the XML, null when none is stored"), "The XML in `payload`",
                "url", S.str().desc("the app's call_flow_url, or an empty string"))
            .errors(404),
        xmlBody(Op.post("/rest/sip/app/call/flow/{uuid}", "SetSIPControlAppCallFlow").tag(APP)
            .summary("Store an app's hosted call flow (validated first)")
            .path("uuid", S.uuid(), APP_UUID))
            .ok(S.ref("App"), "The app").errors(404),
        Op.delete("/rest/sip/app/call/flow/{uuid}", "DeleteSIPControlAppCallFlow").tag(APP)
            .summary("Remove an app's hosted call flow")
            .path("uuid", S.uuid(), APP_UUID).ok(S.ref("App"), "The app").errors(404),

        Op.get("/rest/sip/app/call/online", "ListOnlineCalls").tag(CALL).summary("The account's calls in progress, newest first")
            .ok(S.arr(S.ref("Call")), "The calls"),
        Op.get("/rest/sip/app/call/{uuid}", "GetCall").tag(CALL).summary("A call, with its trace")
            .path("uuid", S.uuid(), "the call's uuid").ok(S.ref("CallWithTrace"), "The call").errors(404),
        push(Op.post("/rest/sip/app/call/{uuid}", "ExecuteCallFlow")),
        push(Op.post("/rest/call/sca/{uuid}", "ExecuteCallFlowSca")).desc("Alias of POST /rest/sip/app/call/{uuid}."),
        Op.post("/rest/call", "MakeCall").tag(CALL)
            .summary("Place a call: ring `to` from one of your numbers and run the flow once it answers")
            .desc("Numbers leave through the calling number's SIP connection, else the account's oldest active one "
                + "(tech prefix before the number); user@domain rings a registered user; sip: URIs are called "
                + "directly. The call is answered by the far end, so the flow needs no <Answer/>. 400 naming `to` "
                + "when there is no route at all; a refusal or no answer ends the call with its cause.")
            .body(S.obj().req("to", S.str().desc("a number, user@domain or a sip: URI"))
                .prop("tn_lease", S.uuid().desc("the calling number's lease (or give `from`)"))
                .prop("from", S.str().desc("one of your numbers, when no tn_lease"))
                .prop("xml", S.str().desc("the call flow (or give url)"))
                .prop("url", S.uri().desc("call-flow URL fetched when answered (or give xml)"))
                .prop("method", S.enumOf("GET", "POST").dflt("GET"))
                .prop("timeout", S.int64().min(1000).max(300000).dflt(30000).desc("ring timeout, ms"))
                .prop("sip_control_app", S.uuid().desc("an app whose webhooks get the call's events"))
                .prop("outbound_voice_profile", S.uuid().desc("the call (and what it dials) leaves through the "
                    + "profile's SIP connection with its tech prefix; its tn_lease is the caller when none is given"))
                .prop("command_id", S.str().maxLen(128).desc("idempotency key: a repeat within 60 s answers 200 "
                    + "with the call already placed (also ?command_id= or the Idempotency-Key header)")), true)
            .query("command_id", S.str().maxLen(128), "idempotency key (or in the body, or the Idempotency-Key header)")
            .created(S.ref("Call"), "The call, ringing")
            .ok(S.ref("Call"), "A repeat of a command_id within 60 s: the call it placed").errors(409, 429, 503),
        Op.post("/rest/batch", "MakeBulkCall").tag(CALL)
            .summary("Bulk call: one call per phone from the lease's number, paced by the account's calls-per-second limit")
            .body(S.obj().req("phones", S.arr(S.int64()).desc("numbers (integers or digit strings), 1 to 10000"))
                .req("xml", S.str().desc("the flow each answered call runs"))
                .prop("tn_lease", S.str().desc("the calling number's lease uuid (or the number); required unless "
                    + "the profile has one"))
                .prop("outbound_voice_profile", S.uuid().nullable().desc("the calls leave through its SIP "
                    + "connection with its tech prefix"))
                .prop("command_id", S.str().maxLen(128).desc("idempotency key: a repeat within 60 s answers 200 "
                    + "with the batch already created")), true)
            .query("command_id", S.str().maxLen(128), "idempotency key (or in the body, or the Idempotency-Key header)")
            .created(batch(), "The batch, processing")
            .ok(batch(), "A repeat of a command_id within 60 s: the batch it created").errors(409),
        Op.get("/rest/batch/{uuid}", "GetBulkCall").tag(CALL)
            .summary("A bulk call's progress")
            .path("uuid", S.uuid(), "the batch's uuid")
            .ok(batch(), "The batch").errors(404),
        hangup(Op.post("/rest/call/{uuid}/hangup", "HangupCall")),
        hangup(Op.delete("/rest/sip/app/call/{uuid}", "HangupCallDelete")).desc("Alias of POST /rest/call/{uuid}/hangup."),
        Op.post("/rest/call/{uuid}/bridge", "BridgeCalls").tag(CALL)
            .summary("Bridge two live calls: their flows stop and their media is joined until one of them leaves")
            .desc("Both calls must be answered, not bridged already and not dialling, with their media on the same "
                + "edge node; both report call_state bridged. When one hangs up or gets new XML, the other's flow "
                + "goes on after the verb the bridge interrupted (a parked call parks again). A repeat with the "
                + "same command_id within 60 s is acknowledged and not run twice.")
            .path("uuid", S.uuid(), "the first call's uuid")
            .query("command_id", S.str().maxLen(128), "idempotency key (also the Idempotency-Key header or the body's)")
            .body(S.obj().req("call", S.uuid().desc("the uuid of the other live call"))
                .prop("command_id", S.str().maxLen(128)), true)
            .ok(S.obj().req("call", S.ref("Call")).req("bridged_with", S.ref("Call")), "The two calls")
            .errors(400, 404, 409),
        Op.post("/rest/sip/app/{uuid}/simulate", "SimulateCall").tag(CALL)
            .summary("Run the app's real flow on a call with a simulated media leg")
            .path("uuid", S.uuid(), APP_UUID)
            .body(CallSchemas.simulateRequest(), true)
            .ok(S.ref("SimulationResult"), "wait=true (default): the finished call and its trace, or admitted=false")
            .created(S.obj().req("admitted", S.bool()).req("call", S.ref("Call")),
                "wait=false: the call was started; follow it with GET /rest/sip/app/call/{uuid}")
            .errors(404, 429),
        callSearch(Op.post("/rest/sip/app/call/search", "SearchCalls")),
        callSearch(Op.post("/rest/call/search", "SearchCallsAlias")).desc("Alias of POST /rest/sip/app/call/search."),
        Op.post("/rest/sip/app/{uuid}/logs", "SearchSIPControlAppLogs").tag(CALL)
            .summary("An app's call-flow log: the verbs its calls ran, in order")
            .path("uuid", S.uuid(), APP_UUID)
            .query("take", S.int32().min(1).max(1000).dflt(10), "page size (overrides the body's)")
            .query("skip", S.int32().min(0).dflt(0), "items to skip (overrides the body's)")
            .body(paging()
                .prop("call", S.uuid().desc("only this call's steps"))
                .prop("command", S.str().pattern("^[A-Za-z]+$").desc("only this XML element, e.g. Say (case-insensitive)"))
                .prop("name", S.str().pattern("^[A-Za-z]+$").desc("the reference's name for `command`"))
                .prop("success", S.bool())
                .prop("phase", S.enumOf("started", "finished", "skipped"))
                .prop("from", S.str().desc("caller mask (as in the call log)"))
                .prop("tn", S.str().desc("number mask (as in the call log)"))
                .prop("created_on_from", S.dateTime().desc("from this time (inclusive)"))
                .prop("created_on_to", S.dateTime().desc("until this time (exclusive)"))
                .prop("order", order("name", "command", "from", "tn", "call", "channel_uuid", "created_on", "modified_on")
                    .desc("default {created_on: ASC}; ties in the order the flow ran")), false)
            .ok(page("CallFlowLogEntry", "name", "command", "from", "tn", "call", "channel_uuid", "created_on",
                "modified_on"), "A page of call-flow steps")
            .errors(400, 404));
  }

  /** The call log (reference 3.6 POST /sip/app/call/search, 3.10 POST /call/search). */
  private static Op callSearch(Op op) {
    return op.tag(CALL).summary("The call log: the account's calls, live and ended")
        .query("take", S.int32().min(1).max(1000).dflt(10), "page size (overrides the body's)")
        .query("skip", S.int32().min(0).dflt(0), "items to skip (overrides the body's)")
        .body(paging()
            .prop("tn", S.str().pattern("^\\+?[0-9*%]+$").desc("number mask: `*` any digits, `%` one digit, found anywhere"))
            .prop("from", S.str().desc("caller mask: digits, letters, `.@-`, `*` and `%`, found anywhere"))
            .prop("to", S.str().desc("callee mask, as `from`"))
            .prop("state", S.enumOf("online", "offline").desc("online: not yet destroyed"))
            .prop("sip_control_app", S.uuid())
            .prop("direction", S.enumOf("in", "out"))
            .prop("parent", S.uuid().desc("only the legs this call dialled"))
            .prop("created_on_from", S.dateTime().desc("created at or after (ISO-8601, or a date: midnight UTC)"))
            .prop("created_on_to", S.dateTime().desc("created before"))
            .prop("modified_on_from", S.dateTime()).prop("modified_on_to", S.dateTime())
            .prop("order", order("tn", "to", "from", "state", "created_on", "modified_on")
                .desc("default {created_on: DESC}")), false)
        .ok(page("CallLogEntry", "tn", "to", "from", "state", "created_on", "modified_on"), "A page of calls")
        .errors(400);
  }

  private static S paging() {
    return S.obj().desc("Every bad value is a 400 naming its field")
        .prop("take", S.int32().min(1).max(1000).dflt(10)).prop("skip", S.int32().min(0).dflt(0))
        .prop("mode", S.enumOf("AND", "OR").dflt("AND").desc("how the filters combine"));
  }

  private static S order(String... fields) {
    S o = S.obj();
    for (String f : fields) o.prop(f, S.enumOf("ASC", "DESC"));
    return o;
  }

  private static S page(String item, String... orderFields) {
    return S.obj().req("take", S.int32()).req("skip", S.int32()).req("mode", S.enumOf("AND", "OR"))
        .req("order", order(orderFields)).req("total", S.int64()).req("data", S.arr(S.ref(item)));
  }

  private static S appBody(boolean create) {
    S name = S.str().minLen(1);
    S b = S.obj();
    if (create) b.req("name", name); else b.prop("name", name);
    return b
        .prop("is_active", S.bool().dflt(true))
        .prop("product", S.str().nullable().desc("SIP product id"))
        .prop("tech_prefix", S.str().nullable())
        .prop("webhook_url", S.uri().nullable().desc("http(s) URL that receives the call events"))
        .prop("webhook_method", S.enumOf("GET", "POST").dflt("POST").desc("case-insensitive"))
        .prop("webhook_fallback_url", S.uri().nullable().desc("http(s) URL that gets an event all retries failed to deliver"))
        .prop("webhook_request_timeout", S.int64().min(0).nullable().dflt(10000).desc("ms; null: no timeout"))
        .prop("call_flow_url", S.uri().nullable().desc("http(s) URL that answers with the call-flow XML"))
        .prop("call_flow_method", S.enumOf("GET", "POST").dflt("GET").desc("case-insensitive"))
        .prop("call_flow_request_timeout", S.int64().min(0).nullable().dflt(10000).desc("ms; null: no timeout"))
        .prop("auto_answer", S.bool().dflt(false).desc("answer before the flow runs"))
        .prop("max_call_length_min", S.int32().min(1).nullable().desc("minutes; null: the platform default"));
  }

  /** {@code {add:[...], remove:[...]}} of lease uuids or numbers; at least one of the two. */
  static S assignBody() {
    return S.obj().desc("At least one of `add` and `remove`; an unknown lease fails the request naming the field")
        .prop("add", S.arr(S.str()).desc("lease uuids or numbers to attach"))
        .prop("remove", S.arr(S.str()).desc("lease uuids or numbers to detach"));
  }

  private static Op xmlBody(Op op) {
    S file = S.obj().req("file", S.binary().desc("the call-flow XML document (field `xml` is accepted too)"));
    return op
        .content("multipart/form-data", file, true)
        .content("application/xml", S.str().desc("the call-flow XML document"), true)
        .content("text/xml", S.str().desc("the call-flow XML document"), true)
        .content("application/json", S.obj().req("xml", S.str().desc("the call-flow XML document")), true)
        .errors(400);
  }

  private static Op push(Op op) {
    return xmlBody(op.tag(CALL).summary("Run call-flow XML on a live call (replaces its current flow)")
            .path("uuid", S.uuid(), "the call's uuid")
            .query("command_id", S.str().maxLen(128), "idempotency key (or the Idempotency-Key header): a repeat "
                + "within 60 s is acknowledged with the call and not run again"))
        .ok(S.ref("Call"), "The call").errors(404, 409);
  }

  private static S batch() {
    return S.obj().req("uuid", S.uuid()).req("type", S.str()).req("state", S.enumOf("processing", "success", "failed"))
        .req("phones", S.arr(S.int64())).req("xml", S.str()).req("tn_lease", S.obj())
        .prop("outbound_voice_profile", S.obj().nullable().prop("uuid", S.uuid()))
        .req("total", S.int32()).req("processed", S.int32()).req("started", S.int32())
        .req("failed", S.int32().desc("phones no call could be placed to"))
        .req("created_on", S.str().format("date-time")).req("modified_on", S.str().format("date-time"));
  }

  private static Op hangup(Op op) {
    return op.tag(CALL).summary("Hang up a live call (or a dialled leg); a call already over answers as it ended")
        .path("uuid", S.uuid(), "the call's uuid")
        .body(S.obj().prop("cause", S.int32().min(1).max(127).dflt(16).desc("Q.850 cause"))
            .prop("reason", S.str()), false)
        .ok(S.ref("Call"), "The ended call").errors(404);
  }
}
