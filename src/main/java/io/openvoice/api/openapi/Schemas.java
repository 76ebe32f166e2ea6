package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shared schemas ({@code components.schemas}): the envelope, the error, and the objects the handlers answer
 * with. Field lists follow the handlers' {@code *Json} methods ({@code AppApi.appJson}, {@code NumberApi.leaseJson},
 * {@code CallView} ...).
 */
final class Schemas {
  private Schemas() {}

  static final String[] FEATURES = {"voice", "sms", "fax", "mms", "emergency"};

  static S ts(String what) {
    return S.dateTime().nullable().desc(what + " (ISO-8601 UTC with milliseconds)");
  }

  static ObjectNode all() {
    ObjectNode s = S.F.objectNode();
    s.set("Envelope", S.obj().desc("Every JSON answer of the API: `{success: true, payload}`.")
        .req("success", S.bool().desc("true on success"))
        .prop("payload", S.any().desc("The answer; its schema is given per operation")).node());
    s.set("FieldError", S.obj().desc("What is wrong with one field")
        .req("message", S.str())
        .prop("value", S.any().desc("The value that was sent (absent or null for a missing one)"))
        .prop("line", S.int32().desc("call-flow XML errors: line"))
        .prop("column", S.int32().desc("call-flow XML errors: column"))
        .prop("element", S.str().nullable().desc("call-flow XML errors: element")).node());
    s.set("Error", S.obj().desc("Every error answer: `{success:false, message, status, fields?}`.")
        .req("success", S.bool().desc("always false"))
        .req("message", S.str())
        .req("status", S.int32().desc("the HTTP status again"))
        .prop("fields", S.obj().additional(S.ref("FieldError"))
            .desc("Validation errors: field name (`ttl`, `items[0].tn`, `query.size`) → what is wrong")).node());
    s.set("Account", account().node());
    s.set("AccountWithUsers", S.allOf(S.ref("Account"), S.obj().prop("users", S.arr(S.ref("User")))).node());
    s.set("User", S.obj().desc("A user of the account (a person who logs in to the API)")
        .req("uuid", S.uuid()).req("email", S.str().format("email"))
        .req("role", S.enumOf("Admin", "User"))
        .prop("first_name", S.str().nullable()).prop("last_name", S.str().nullable())
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).prop("deleted_on", ts("deleted"))
        .node());
    s.set("AuthUser", S.allOf(S.ref("User"), S.obj()
        .req("token", S.str().desc("a JWT for `X-Auth-Token` / `?jwt=`"))
        .prop("wss_online", S.bool())
        .req("account", S.ref("Account"))).node());
    s.set("Token", S.obj().desc("An API token (bearer); `token` only in the answer that created it")
        .req("uuid", S.uuid()).req("name", S.str())
        .prop("token", S.str().desc("the secret: shown once, on creation"))
        .prop("expired_on", ts("expiry")).prop("user", S.uuid().desc("the user it acts as"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("InventoryItem", S.obj().desc("A number of the platform's inventory that is not leased")
        .req("tn", S.int64().desc("the number, e.g. 12025550100"))
        .prop("city", S.str().nullable()).prop("province", S.str().nullable())
        .prop("rate_center", S.str().nullable()).prop("postal_code", S.str().nullable())
        .prop("profile", S.str().nullable()).prop("registered", S.bool()).node());
    s.set("Lease", lease().node());
    s.set("Order", S.obj().desc("The outcome of an order: one lease per number obtained, one error per number not")
        .req("uuid", S.uuid()).req("state", S.enumOf("success", "failed"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified"))
        .req("total", S.int32()).req("success", S.int32()).req("processing", S.int32()).req("failed", S.int32())
        .req("tnleases", S.arr(S.ref("Lease")))
        .req("errors", S.arr(S.obj().req("item", S.str()).req("reason", S.enumOf("not_in_inventory", "not_available"))
            .prop("description", S.str()))).node());
    s.set("App", app().node());
    SmsDocs.schemas(s);
    s.set("CallTraceEntry", S.obj().desc("One step of a call: a state change or a call-flow command")
        .req("at_ms", S.int64().desc("ms since the call was created"))
        .req("type", S.str().desc("call_state or call_flow"))
        .prop("state", S.str()).prop("command", S.str()).prop("path", S.str())
        .prop("phase", S.str()).prop("success", S.bool()).prop("reason", S.str().nullable())
        .prop("tag", S.str()).prop("meta", S.obj().additional(S.any())).node());
    s.set("Call", CallSchemas.call().node());
    s.set("CallLogEntry", CallSchemas.callLogEntry().node());
    s.set("CallFlowLogEntry", CallSchemas.callFlowLogEntry().node());
    s.set("CallWithTrace", S.allOf(S.ref("Call"), S.obj().prop("trace", S.arr(S.ref("CallTraceEntry")))).node());
    s.set("SimulationResult", CallSchemas.simulation().node());
    s.set("SipDomain", S.obj().desc("A SIP domain; addressed by its name in paths")
        .req("uuid", S.uuid().desc("stable, derived from the name")).req("domain", S.str())
        .prop("sip_connection", S.uuid().nullable()).prop("sip_control_app", S.uuid().nullable())
        .prop("outbound_voice_profile", S.uuid().nullable())
        .prop("users", S.int32().desc("number of SIP users")).prop("switches", S.int32().desc("number of switches"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("SipUser", S.obj().desc("A SIP user of a domain (registers and calls with digest auth)")
        .req("uuid", S.uuid()).req("login", S.str()).prop("sip_uri", S.str().example("sip:alice@acme.sip.example.com"))
        .prop("first_name", S.str().nullable()).prop("last_name", S.str().nullable())
        .prop("email", S.str().nullable()).prop("phone_number", S.str().nullable()).prop("avatar", S.str().nullable())
        .prop("same_domain_calls_only", S.bool()).prop("dob", S.str().nullable())
        .prop("gender", S.enumOf("Male", "Female", "Other").nullable()).prop("sip_domain", S.str())
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("SipSwitch", S.obj().desc("A SIP switch: calls from its address into the domain need no digest")
        .req("uuid", S.uuid()).req("name", S.str()).prop("description", S.str().nullable())
        .prop("remote_ip", S.str().nullable().desc("IP address or CIDR block"))
        .prop("remote_domain", S.str().nullable().desc("host name")).prop("is_active", S.bool())
        .prop("sip_domain", S.str()).prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("SipUserInvite", S.obj().desc("An invite to register one SIP user of a domain; used up by the registration")
        .req("uuid", S.uuid()).req("name", S.str()).req("expired_on", S.dateTime())
        .req("token", S.str().desc("the secret for /rest/app/invite/{token} (256 random bits, base64url)"))
        .req("sip_domain", S.str()).prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("OutboundVoiceProfile", S.obj().desc("How the account's outbound calls leave the platform")
        .req("uuid", S.uuid()).req("name", S.str()).req("is_active", S.bool())
        .prop("product", S.ref("SipProduct").nullable()).prop("tech_prefix", S.str().nullable())
        .req("shaken_sign_policy", S.int32().min(0).max(2))
        .prop("tn_lease", S.uuid().nullable().desc("the caller id lease"))
        .prop("sip_connection", S.uuid().nullable()).prop("account", S.uuid().desc("the owning account"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("SipProduct", S.obj().desc("A SIP product (routing/rating plan of a connection or app)")
        .req("id", S.str()).req("name", S.str()).prop("description", S.str().nullable())
        .prop("type", S.enumOf("public", "private")).prop("tech_prefix", S.str().nullable())
        .prop("rate_table_id", S.str().nullable()).prop("route_plan_id", S.str().nullable()).node());
    s.set("SipConnection", S.obj().desc("A SIP connection (trunk): where its numbers' inbound calls are sent")
        .req("uuid", S.uuid()).req("name", S.str())
        .prop("ip", S.str().nullable()).prop("hostname", S.str().nullable())
        .req("port", S.int32()).req("transport", S.enumOf("udp", "tcp")).req("is_active", S.bool())
        .prop("product", S.ref("SipProduct").nullable()).prop("tech_prefix", S.str().nullable())
        .prop("subdomain", S.str().nullable()).prop("outbound_voice_profile", S.uuid().nullable())
        .prop("class4_ingress_trunk_settings", S.obj().nullable().additional(S.any()))
        .prop("class4_egress_trunk_settings", S.obj().nullable().additional(S.any()))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).node());
    s.set("Recording", S.obj().desc("A call recording")
        .req("uuid", S.uuid()).req("call", S.obj().desc("the call (at least its uuid)").prop("uuid", S.uuid()))
        .prop("tag", S.str().nullable()).req("url", S.str().desc("download link (GET /rest/recording/{uuid}/download)"))
        .prop("duration", S.num().desc("seconds")).prop("duration_ms", S.int64())
        .prop("format", S.str()).prop("size", S.int64().desc("bytes")).prop("created_on", ts("created")).node());
    return s;
  }

  private static S account() {
    return S.obj().desc("An account (tenant)")
        .req("uuid", S.uuid()).prop("email", S.str().nullable()).prop("name", S.str().nullable())
        .prop("level", S.str().nullable().desc("ServiceAccount for the operator account"))
        .prop("time_zone", S.str().nullable().desc("IANA zone used by <Schedule> (UTC when null)"))
        .prop("balance", S.num()).prop("created_on", ts("created")).prop("modified_on", ts("modified"))
        .prop("deleted_on", ts("deleted"));
  }

  private static S lease() {
    S l = S.obj().desc("A purchased number (TN lease)")
        .req("uuid", S.uuid()).req("tn", S.int64().desc("the number, e.g. 12025550100"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified")).prop("expired_on", ts("expiry"))
        .req("autorenew", S.bool())
        .req("features", S.arr(S.enumOf(FEATURES)));
    for (String f : FEATURES) l.prop(f, S.bool().desc("whether `" + f + "` is in `features`"));
    return l.prop("sip_control_app", S.uuid().nullable().desc("the app that answers its inbound calls"))
        .prop("sip_connection", S.uuid().nullable().desc("the trunk its inbound calls go to"))
        .prop("blacklist", S.arr(S.str()).desc("callers refused (E.164 numbers or prefixes ending in *)"))
        .prop("whitelist", S.arr(S.str()).desc("when not empty, the only callers admitted"))
        .prop("messaging_profile", S.uuid().nullable().desc("the messaging profile of its SMS subscription"))
        .prop("sms_campaign", S.uuid().nullable().desc("the 10DLC campaign given when SMS was enabled"))
        .prop("subscriptions", S.arr(S.any()).desc("`[{type: sms, messaging_profile}]` when SMS is enabled"));
  }

  private static S app() {
    return S.obj().desc("A SIP Control App: the call flow (hosted XML or a call_flow_url) and the event webhook")
        .req("uuid", S.uuid()).req("name", S.str()).req("is_active", S.bool())
        .prop("product", S.str().nullable()).prop("tech_prefix", S.str().nullable())
        .prop("shaken_verify_policy", S.int32()).prop("shaken_minimum_accepted_attest_lvl", S.str())
        .prop("auto_answer", S.bool()).prop("max_call_length_min", S.int32().nullable())
        .prop("webhook_url", S.str().nullable()).prop("webhook_method", S.enumOf("GET", "POST"))
        .prop("webhook_request_timeout", S.int64().nullable().desc("ms"))
        .prop("webhook_fallback_url", S.str().nullable().desc("receives an event whose deliveries all failed"))
        .prop("call_flow_url", S.str().nullable()).prop("call_flow_method", S.enumOf("GET", "POST"))
        .prop("call_flow_request_timeout", S.int64().nullable().desc("ms"))
        .prop("has_call_flow_xml", S.bool().desc("whether a hosted call flow is stored"))
        .prop("created_on", ts("created")).prop("modified_on", ts("modified"));
  }
}
