package io.openvoice.api.openapi;

import java.util.List;

/** Documentation of the node, auth and token, and account routes ({@code Api}, {@code AuthApi}, {@code AccountApi}). */
final class AuthAccountDocs {
  private AuthAccountDocs() {}

  static final String NODE = "Node";
  static final String AUTH = "Auth";
  static final String ACCOUNT = "Account";

  static List<Op> ops() {
    return List.of(
        Op.get("/health", "Health").tag(NODE).pub().summary("Liveness of this node")
            .ok(S.obj().req("status", S.enumOf("ok")), "The node is up"),
        Op.get("/health/ready", "Readiness").tag(NODE).pub()
            .summary("Readiness of this node: an Up cluster member that is not draining (503 otherwise)")
            .ok(S.obj().req("status", S.enumOf("ready")).req("live_sip_calls", S.int32()), "Ready for new calls")
            .errors(503),
        Op.post("/rest/node/drain", "DrainNode").tag(NODE)
            .summary("Take this node out of service without dropping calls (the platform operator's Admins)")
            .desc("Readiness turns false and the SIP edge answers 503 at once; the node waits for its live SIP calls "
                + "to end (at most openvoice.drain.max-wait), hands its entities over to the other nodes and leaves "
                + "the cluster; the process then exits. SIGTERM does the same.")
            .success(202, S.obj().req("node", S.str()).req("draining", S.bool()).req("live_sip_calls", S.int32()),
                "The drain has started")
            .errors(403),
        Op.get("/metrics", "Metrics").tag(NODE).pub()
            .summary("This node's metrics in the Prometheus text format (no envelope)")
            .desc("The Prometheus text exposition format 0.0.4 (`text/plain; version=0.0.4`): calls started and "
                + "ended (by Q.850 cause and reason class), live calls (the cluster's, and those whose call entity "
                + "runs on this node), verb durations, journal write times, webhook requests, shards and entities "
                + "per entity type on this node, the SIP edge (when the node has one) and the JVM. Each node "
                + "reports what it did; sum over the nodes for the cluster. The names are listed in the README.")
            .raw(200, "text/plain", S.str(), "Metric families, each with `# HELP` and `# TYPE` lines"),
        Op.get("/rest/openapi.json", "GetOpenApiDocument").tag(NODE).pub()
            .summary("This OpenAPI 3.0.3 document (no envelope)")
            .raw(200, "application/json", S.obj().additional(S.any()), "The OpenAPI document"),

        Op.get("/rest/auth", "Auth").tag(AUTH).summary("The caller with a fresh JWT")
            .desc("Usually called with `Authorization: Basic base64(email:password)`; any other accepted credential "
                + "works too. `payload.token` is a JWT for `X-Auth-Token` or `?jwt=`.")
            .ok(S.ref("AuthUser"), "The user, the account, and a JWT"),
        Op.post("/rest/token", "CreateToken").tag(AUTH).summary("Create an API token (bearer)")
            .body(S.obj()
                .prop("name", S.str().dflt("token"))
                .prop("ttl", S.int64().min(60).dflt(86400).desc("lifetime in seconds")), false)
            .created(S.ref("Token"), "The token, with its secret `token` (shown only here)"),
        Op.get("/rest/token/list", "ListTokens").tag(AUTH).summary("The caller's API tokens (without secrets)")
            .ok(S.arr(S.ref("Token")), "The tokens"),
        Op.delete("/rest/token/all", "DeleteAllTokens").tag(AUTH).summary("Delete all of the caller's account's API tokens")
            .ok(S.arr(S.ref("Token")), "The deleted tokens"),
        Op.delete("/rest/token/{token}", "DeleteToken").tag(AUTH).summary("Delete one API token")
            .path("token", S.str(), "the token's uuid or its secret")
            .ok(S.arr(S.ref("Token")), "The deleted token").errors(404),

        Op.get("/rest/account", "GetAccount").tag(ACCOUNT).summary("The caller's account")
            .ok(S.ref("Account"), "The account"),
        Op.post("/rest/account", "CreateAccount").tag(ACCOUNT).summary("Create a customer account with its owner")
            .desc("Only an Admin of the operator account (created at first start) may.")
            .body(S.obj()
                .req("name", S.str().minLen(1))
                .req("email", S.str().format("email").maxLen(254).desc("the owner's login"))
                .req("password", S.str().minLen(8).desc("the owner's password"))
                .prop("time_zone", S.str().desc("IANA time zone, e.g. Europe/Paris"))
                .prop("first_name", S.str()).prop("last_name", S.str()), true)
            .created(S.ref("AccountWithUsers"), "The account and its owner (an Admin)").errors(403, 409),
        Op.get("/rest/account/user", "ListAccountUsers").tag(ACCOUNT).summary("The account's users")
            .ok(S.arr(S.ref("User")), "The users"),
        Op.post("/rest/account/user", "CreateAccountUser").tag(ACCOUNT).summary("Add a user to the account (Admins)")
            .body(S.obj()
                .req("email", S.str().format("email").maxLen(254))
                .req("password", S.str().minLen(8))
                .prop("role", S.enumOf("Admin", "User").dflt("User").desc("case-insensitive"))
                .prop("first_name", S.str()).prop("last_name", S.str()), true)
            .created(S.ref("User"), "The user").errors(403, 409),
        userUpdate(Op.put("/rest/account/user/{uuid}", "UpdateAccountUser")),
        userUpdate(Op.patch("/rest/account/user/{uuid}", "PatchAccountUser")),
        Op.delete("/rest/account/user/{uuid}", "DeleteAccountUser").tag(ACCOUNT)
            .summary("Remove a user and their API tokens (Admins)")
            .path("uuid", S.uuid(), "the user's uuid")
            .ok(S.ref("User"), "The removed user").errors(403, 404, 409),
        Op.get("/rest/account/{uuid}", "GetAccountByUuid").tag(ACCOUNT)
            .summary("An account: one's own, or any for the operator")
            .path("uuid", S.uuid(), "the account's uuid")
            .ok(S.ref("Account"), "The account").errors(404),
        Op.get("/rest/account/limits", "GetAccountLimits").tag(ACCOUNT)
            .summary("The account's call limits and its current use")
            .ok(limitsUse(), "Limits (null: the platform default), the limits in force, and the use"),
        Op.patch("/rest/account/{uuid}/limits", "SetAccountLimits").tag(ACCOUNT)
            .summary("Set an account's call limits and SMS balance (Admins of the operator account)")
            .desc("Absent fields keep their values.")
            .path("uuid", S.uuid(), "the account's uuid")
            .body(S.obj()
                .prop("cps_limit", S.int32().min(1).nullable().desc("calls started per second; null: the default"))
                .prop("concurrent_calls_limit", S.int32().min(1).nullable().desc("live calls at once; null: the default"))
                .prop("sms_balance", S.int64().min(0).nullable()
                    .desc("sets the prepaid SMS balance in message parts, taken per outbound SMS; null: unlimited"))
                .prop("sms_balance_add", S.int64().nullable()
                    .desc("parts to add to a limited balance (negative: to take), atomically with the messages "
                        + "taking from it; not with sms_balance")),
                true)
            .ok(limitsUse(), "The account's limits and use").errors(400, 403, 404));
  }

  /** The webhook signing secret, and the test request. */
  static List<Op> webhookOps() {
    S secret = S.obj().req("secret", S.str().desc("64 hex characters; the HMAC key is this text"))
        .req("algorithm", S.str()).req("header", S.str().desc("how requests are signed"));
    return List.of(
        Op.get("/rest/account/webhook/secret", "GetWebhookSecret").tag(ACCOUNT)
            .summary("The account's webhook signing secret (Admins)")
            .desc("Every webhook request carries X-Opentact-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "
                + "\"<t>.<body>\"> (for GET, the query string instead of the body).")
            .ok(secret, "The secret").errors(403),
        Op.post("/rest/account/webhook/secret", "RotateWebhookSecret").tag(ACCOUNT)
            .summary("Replace the account's webhook signing secret (Admins)")
            .ok(secret, "The new secret").errors(403),
        Op.get("/rest/event/subscription", "ListEventSubscriptions").tag(ACCOUNT)
            .summary("The caller's WebSocket event subscriptions")
            .desc("Events of the subscribed types reach the caller's WebSocket connections at / (first message "
                + "{\"type\":\"auth\",\"payload\":<JWT or API token>}, optional last_event_id to resume).")
            .ok(S.arr(subscription()), "The subscriptions"),
        Op.post("/rest/event/subscription", "CreateEventSubscription").tag(ACCOUNT)
            .summary("Subscribe the caller to an event type")
            .body(S.obj().req("type", S.enumOf("auth", "call_state", "call_flow", "sms", "tn_order", "balance",
                    "call_record", "call_transcript"))
                .prop("channel", S.enumOf("wss").dflt("wss"))
                .prop("is_active", S.bool().dflt(true))
                .prop("expired_on", S.str().format("date-time").nullable().desc("in the past: inactive")), true)
            .created(subscription(), "The subscription"),
        Op.delete("/rest/event/subscription/{uuid}", "DeleteEventSubscription").tag(ACCOUNT)
            .summary("Remove one of the caller's subscriptions")
            .path("uuid", S.uuid(), "the subscription's uuid")
            .ok(subscription(), "The removed subscription").errors(404),
        Op.post("/rest/event/webhook/test", "TestWebhook").tag(ACCOUNT)
            .summary("Send a signed sample call_state event to a URL and report the answer")
            .body(S.obj().req("url", S.uri()).prop("method", S.enumOf("GET", "POST").dflt("POST")), true)
            .ok(S.obj().req("url", S.str()).req("method", S.str())
                .req("status", S.int32().desc("the remote HTTP status; 0 when unreachable or refused by the SSRF guard"))
                .req("duration_ms", S.int64()).req("error", S.str().nullable()).req("event", S.uuid()),
                "What the URL answered"));
  }

  private static S subscription() {
    return S.obj().req("uuid", S.uuid()).req("created_on", S.str().format("date-time"))
        .req("modified_on", S.str().format("date-time")).req("channel", S.str()).req("type", S.str())
        .req("is_active", S.bool()).req("expired_on", S.str().format("date-time").nullable())
        .prop("user", S.obj().desc("the subscriber and its account"));
  }

  private static S limitsUse() {
    return S.obj().req("account", S.uuid())
        .req("cps_limit", S.int32().nullable()).req("concurrent_calls_limit", S.int32().nullable())
        .req("sms_balance", S.int64().nullable().desc("SMS parts left; null: unlimited"))
        .req("effective_cps_limit", S.int32()).req("effective_concurrent_calls_limit", S.int32())
        .req("live_calls", S.int32()).req("calls_started_last_second", S.int32());
  }

  private static Op userUpdate(Op op) {
    return op.tag(ACCOUNT).summary("Update a user (oneself, or any user for Admins)")
        .desc("Absent fields keep their values; only Admins change roles. PUT and PATCH are the same.")
        .path("uuid", S.uuid(), "the user's uuid")
        .body(S.obj()
            .prop("password", S.str().minLen(8))
            .prop("role", S.enumOf("Admin", "User").desc("case-insensitive"))
            .prop("first_name", S.str().nullable()).prop("last_name", S.str().nullable()), false)
        .ok(S.ref("User"), "The user").errors(403, 404, 409);
  }
}
