package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Documentation of messaging profiles, SMS subscriptions, sending and the SMS log ({@code MessagingProfileApi}, {@code SmsApi}). */
final class SmsDocs {
  private SmsDocs() {}

  static final String TAG = "Messaging";
  private static final String LEASE_ID = "the lease's uuid, or the number itself (e.g. 12025550100)";

  static void schemas(ObjectNode s) {
    s.set("MessagingProfile", S.obj().desc("A messaging profile: webhooks of its numbers' messages, pool settings")
        .req("uuid", S.uuid()).req("name", S.str())
        .prop("callback_url", S.uri().nullable().desc("webhook of the messages of its numbers"))
        .prop("callback_url2", S.uri().nullable().desc("used when callback_url fails"))
        .prop("call_back_url", S.uri().nullable().desc("the same as callback_url"))
        .prop("call_back_url2", S.uri().nullable().desc("the same as callback_url2"))
        .req("is_active", S.bool()).prop("number_pool_enable", S.bool().desc("the profile has numbers"))
        .req("sticky_sender", S.bool()).req("long_code_weight", S.int32()).req("tollfree_weight", S.int32())
        .req("skip_unhealthy_tns", S.bool())
        .req("whitelisted_destinations", S.arr(S.str()).desc("ISO 3166 alpha-2 codes its messages may go to; * for all"))
        .prop("tns", S.arr(S.int64()).desc("its SMS-enabled numbers"))
        .prop("account", S.uuid()).prop("created_on", Schemas.ts("created")).prop("modified_on", Schemas.ts("modified"))
        .node());
    s.set("SmsSubscription", S.obj().desc("The SMS subscription of a number")
        .req("uuid", S.uuid()).req("type", S.enumOf("sms")).req("is_active", S.bool())
        .prop("created_on", Schemas.ts("enabled")).prop("modified_on", Schemas.ts("modified"))
        .req("tn", S.int64()).req("tnlease", S.uuid())
        .prop("messaging_profile", S.obj().nullable().prop("uuid", S.uuid()).prop("name", S.str())
            .prop("callback_url", S.uri().nullable()).prop("callback_url2", S.uri().nullable())
            .prop("operators", S.arr(S.any())))
        .prop("sms_campaign", S.obj().nullable().prop("uuid", S.uuid()).prop("is_active", S.bool())).node());
    s.set("Sms", S.obj().desc("One SMS (type smso: outbound, smsi: inbound)")
        .req("uuid", S.uuid()).req("type", S.enumOf("smso", "smsi"))
        .req("state", S.enumOf("created", "sending", "sent", "failed", "success")
            .desc("outbound: created → sending → sent, or failed; inbound: success"))
        .req("from", S.str()).req("to", S.str()).req("thread", S.str().desc("32-hex MD5 of the sorted number pair"))
        .req("message", S.str()).req("delivered", S.bool().desc("a DELIVERED report came")).prop("automated", S.bool())
        .prop("reason", S.str().nullable().desc("why it failed (no_route, submit_unconfirmed, undeliverable, insufficient_balance, the gateway's reason…)"))
        .prop("detail", S.str().nullable()).req("parts", S.int32()).req("encoding", S.enumOf("GSM-7", "UCS-2"))
        .prop("gateway", S.str().nullable()).prop("reference_id", S.str().nullable())
        .prop("dlr_status", S.str().nullable()).prop("attempts", S.int32())
        .prop("custom_callback_url", S.uri().nullable()).prop("pool", S.bool())
        .prop("tn", S.obj().prop("tn", S.int64()).prop("sms", S.bool()))
        .prop("messaging_profile", S.uuid().nullable()).prop("account", S.uuid())
        .prop("created_on", Schemas.ts("created")).prop("modified_on", Schemas.ts("modified")).node());
    s.set("SmsLogEntry", S.obj().desc("One message of the SMS log")
        .req("uuid", S.uuid()).req("type", S.enumOf("sms", "smsi", "smso")
            .desc("combined search: sms (outbound) or smsi; per direction: smso or smsi"))
        .prop("thread", S.str()).prop("from", S.str()).prop("to", S.str()).prop("message", S.str())
        .prop("state", S.str()).prop("delivered", S.bool()).prop("readed", S.bool()).prop("automated", S.bool())
        .prop("reason", S.str().nullable()).prop("detail", S.str().nullable()).prop("parts", S.int32())
        .prop("encoding", S.str()).prop("gateway", S.str().nullable()).prop("reference_id", S.str().nullable())
        .prop("tn", S.obj().prop("tn", S.int64())).prop("messaging_profile", S.uuid().nullable())
        .prop("account_uuid", S.uuid()).prop("created_on", Schemas.ts("created"))
        .prop("modified_on", Schemas.ts("modified")).node());
  }

  private static S profileBody() {
    return S.obj()
        .prop("name", S.str().maxLen(255).desc("required on create"))
        .prop("callback_url", S.uri().nullable()).prop("callback_url2", S.uri().nullable())
        .prop("call_back_url", S.uri().nullable().desc("alias of callback_url"))
        .prop("call_back_url2", S.uri().nullable().desc("alias of callback_url2"))
        .prop("is_active", S.bool().dflt(true))
        .prop("sticky_sender", S.bool().dflt(false).desc("pool sends: a recipient keeps the number it got first"))
        .prop("long_code_weight", S.int32().min(0).max(1000).dflt(1))
        .prop("tollfree_weight", S.int32().min(0).max(1000).dflt(1))
        .prop("skip_unhealthy_tns", S.bool().dflt(false).desc("pool sends skip numbers whose last sends failed"))
        .prop("whitelisted_destinations", S.arr(S.str()).desc("ISO alpha-2 codes, or * for all; default [US, CA]"));
  }

  private static Op search(Op op, String what, boolean combined) {
    S body = S.obj().prop("take", S.int32().dflt(10)).prop("skip", S.int32().dflt(0))
        .prop("mode", S.enumOf("AND", "OR")).prop("order", S.obj()
            .prop("created_on", S.enumOf("ASC", "DESC")).prop("modified_on", S.enumOf("ASC", "DESC")))
        .prop("tn", S.str().desc("our number, mask")).prop("from", S.str().desc("mask")).prop("to", S.str().desc("mask"))
        .prop("message", S.str().desc("text contained (* any characters)")).prop("thread", S.str())
        .prop("delivered", S.bool()).prop("readed", S.bool())
        .prop("state", S.enumOf("created", "sending", "sent", "success", "failed"))
        .prop("reference_id", S.str()).prop("messaging_profile", S.uuid())
        .prop("created_on_from", S.dateTime()).prop("created_on_to", S.dateTime())
        .prop("modified_on_from", S.dateTime()).prop("modified_on_to", S.dateTime());
    if (combined) body.prop("type", S.enumOf("sms", "smsi", "smso").desc("sms/smso: outbound only; smsi: inbound only"));
    return op.tag(TAG).summary(what)
        .query("take", S.int32().min(1).max(1000).dflt(10), "page size (overrides the body's)")
        .query("skip", S.int32().min(0).dflt(0), "items to skip (overrides the body's)")
        .body(body, false)
        .ok(S.obj().req("take", S.int32()).req("skip", S.int32()).req("mode", S.enumOf("AND", "OR"))
            .req("order", S.obj().additional(S.str())).req("total", S.int64())
            .req("data", S.arr(S.ref("SmsLogEntry"))), "A page of the SMS log, newest first by default");
  }

  static List<Op> ops() {
    return List.of(
        Op.get("/rest/profile/messaging", "ListMessagingProfiles").tag(TAG).summary("The account's messaging profiles")
            .ok(S.arr(S.ref("MessagingProfile")), "The profiles, oldest first"),
        Op.post("/rest/profile/messaging", "CreateMessagingProfile").tag(TAG).summary("Create a messaging profile")
            .body(profileBody(), true).created(S.ref("MessagingProfile"), "The profile"),
        Op.get("/rest/profile/messaging/{uuid}", "GetMessagingProfileByUUID").tag(TAG).summary("A messaging profile")
            .path("uuid", S.uuid(), "the profile's uuid").ok(S.ref("MessagingProfile"), "The profile").errors(404),
        Op.patch("/rest/profile/messaging/{uuid}", "UpdateMessagingProfile").tag(TAG)
            .summary("Change a messaging profile (absent fields are kept)")
            .path("uuid", S.uuid(), "the profile's uuid").body(profileBody(), true)
            .ok(S.ref("MessagingProfile"), "The profile").errors(404),
        Op.delete("/rest/profile/messaging/{uuid}", "DeleteMessagingProfile").tag(TAG)
            .summary("Delete a messaging profile (SMS is disabled on its numbers)")
            .path("uuid", S.uuid(), "the profile's uuid").ok(S.ref("MessagingProfile"), "The deleted profile").errors(404),
        Op.get("/rest/profile/messaging/{uuid}/tnleases", "GetMessagingProfileTnLeases").tag(TAG)
            .summary("The numbers whose SMS subscription names the profile")
            .path("uuid", S.uuid(), "the profile's uuid").ok(S.arr(S.ref("Lease")), "The leases").errors(404),
        Op.post("/rest/lease/tn/{id}/subscription/sms", "EnableSms").tag(TAG).summary("Enable SMS on a number")
            .path("id", S.str(), LEASE_ID)
            .body(S.obj().req("messaging_profile", S.uuid().desc("a profile of the account"))
                .prop("sms_campaign", S.uuid().nullable().desc("the 10DLC campaign")), true)
            .ok(S.ref("SmsSubscription"), "Subscription created").errors(404),
        Op.delete("/rest/lease/tn/{id}/subscription/sms", "DisableSms").tag(TAG).summary("Disable SMS on a number")
            .path("id", S.str(), LEASE_ID).ok(S.ref("SmsSubscription"), "The ended subscription").errors(404),
        Op.post("/rest/sms", "SendSMSO").tag(TAG).summary("Send an SMS from a number or from a profile's pool")
            .desc("The fields may also be given as query parameters. The sender is `from` (or `tn`), an SMS-enabled "
                + "number of the account, or `messaging_profile` to pick one from its pool (sticky_sender, "
                + "long_code_weight/tollfree_weight, skip_unhealthy_tns). The answer is the message in state created; "
                + "its progress comes as sms events and webhooks. 405: the SMS balance is too low; 406: the "
                + "destination's country is not whitelisted on the profile; 503: the balance could not be reached. "
                + "A command_id refused with 405 is tried again when sent again.")
            .query("to", S.str(), "alternative to the body field").query("from", S.str(), "alternative to the body field")
            .query("message", S.str(), "alternative to the body field")
            .body(S.obj().req("to", S.str().minLen(3).desc("destination number"))
                .prop("from", S.str().desc("sender: an SMS-enabled number of the account"))
                .prop("tn", S.int64().desc("the same as from (older form)"))
                .prop("messaging_profile", S.uuid().desc("send from this profile's pool instead"))
                .req("message", S.str().minLen(1).maxLen(918))
                .prop("custom_callback_url", S.uri().minLen(10).maxLen(255).desc("this message's webhook instead of the profile's"))
                .prop("command_id", S.str().maxLen(255).desc("idempotency key: the same key answers the same message")),
                false)
            .ok(S.ref("Sms"), "The message").errors(405, 406, 503),
        Op.get("/rest/sms/outbound/{uuid}", "GetSMSO").tag(TAG).summary("An outbound message")
            .path("uuid", S.uuid(), "the message's uuid").ok(S.ref("Sms"), "The message").errors(404),
        Op.get("/rest/sms/inbound/{uuid}", "GetSMSI").tag(TAG).summary("An inbound message")
            .path("uuid", S.uuid(), "the message's uuid").ok(S.ref("Sms"), "The message").errors(404),
        search(Op.post("/rest/sms/search", "SearchSMS"), "Search the SMS log (both directions)", true),
        search(Op.post("/rest/sms/search/outbound", "SearchSMSO"), "Search the outbound messages", false),
        search(Op.post("/rest/sms/search/inbound", "SearchSMSI"), "Search the inbound messages", false),
        search(Op.post("/rest/sms/outbound", "SearchSMSOAlias"), "Search the outbound messages (alias)", false),
        search(Op.post("/rest/sms/inbound", "SearchSMSIAlias"), "Search the inbound messages (alias)", false));
  }
}
