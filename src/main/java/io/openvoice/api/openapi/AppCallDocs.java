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
        hangup(Op.post("/rest/call/{uuid}/hangup", "HangupCall")),
        hangup(Op.delete("/rest/sip/app/call/{uuid}", "HangupCallDelete")).desc("Alias of POST /rest/call/{uuid}/hangup."),
        Op.post("/rest/sip/app/{uuid}/simulate", "SimulateCall").tag(CALL)
            .summary("Run the app's real flow on a call with a simulated media leg")
            .path("uuid", S.uuid(), APP_UUID)
            .body(CallSchemas.simulateRequest(), true)
            .ok(S.ref("SimulationResult"), "wait=true (default): the finished call and its trace, or admitted=false")
            .created(S.obj().req("admitted", S.bool()).req("call", S.ref("Call")),
                "wait=false: the call was started; follow it with GET /rest/sip/app/call/{uuid}")
            .errors(404, 429));
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

  private static Op hangup(Op op) {
    return op.tag(CALL).summary("Hang up a live call (or a dialled leg); a call already over answers as it ended")
        .path("uuid", S.uuid(), "the call's uuid")
        .body(S.obj().prop("cause", S.int32().min(1).max(127).dflt(16).desc("Q.850 cause"))
            .prop("reason", S.str()), false)
        .ok(S.ref("Call"), "The ended call").errors(404);
  }
}
