package io.openvoice.api.openapi;

import java.util.ArrayList;
import java.util.List;

/**
 * Documentation of the SMS gateways' callbacks to the node ({@code io.openvoice.sms.kannel.KannelRoutes}): routed
 * only when {@code openvoice.sms.gateway = "kannel"}; public (no platform user) and authenticated by the shared
 * {@code token} instead.
 */
final class GatewayDocs {
  private GatewayDocs() {}

  static final String TAG = "SMS gateway callbacks";
  private static final String ONLY = "Served only by a node with `openvoice.sms.gateway = \"kannel\"` (404 otherwise). "
      + "Called by Kannel's smsbox, not by API clients: no platform credentials; the query parameter `token` must be "
      + "`openvoice.sms.kannel.callback-token` (401 without it, 403 when wrong). Answers an empty 200 at once.";

  static List<Op> ops() {
    List<Op> out = new ArrayList<>();
    for (String method : new String[] {"GET", "POST"}) {
      String suffix = method.equals("GET") ? "" : "Post";
      Op dlr = (method.equals("GET") ? Op.get("/gateway/kannel/dlr", "KannelDeliveryReport" + suffix)
          : Op.post("/gateway/kannel/dlr", "KannelDeliveryReport" + suffix)).pub().tag(TAG)
          .summary("A delivery report from Kannel (the dlr-url of each submission)")
          .desc(ONLY + " The report goes to the message `id`: type 1 delivered, 2 undeliverable, 4 buffered, "
              + "8 accepted by the SMSC, 16 rejected by the SMSC.")
          .query("id", S.uuid(), "the platform's message uuid (required)")
          .query("type", S.enumOf("1", "2", "4", "8", "16"), "Kannel's DLR type, %d (required)")
          .query("reply", S.str(), "the SMSC's text, %A").query("ts", S.int64(), "Unix seconds, %T")
          .query("fid", S.str(), "the SMSC's message id, %F").query("smsc", S.str(), "the smsc-id, %i")
          .query("token", S.str(), "the callback token (required)")
          .empty(200, "Taken (an empty body)").errors(401, 403);
      Op inbound = (method.equals("GET") ? Op.get("/gateway/kannel/inbound", "KannelInboundSms" + suffix)
          : Op.post("/gateway/kannel/inbound", "KannelInboundSms" + suffix)).pub().tag(TAG)
          .summary("An inbound SMS from Kannel (the get-url of smsbox's sms-service)")
          .desc(ONLY + " The message goes to the messaging profile of the SMS-enabled number `to` (webhook, `sms` "
              + "event, SMS log); the same `id` is kept once, however often Kannel calls.")
          .query("from", S.str(), "the sender, %p (required)").query("to", S.str(), "our number, %P (required)")
          .query("text", S.str(), "the text, %a (a POST without it carries the text as its body)")
          .query("coding", S.str(), "%c: 2 with a UTF-16BE text").query("charset", S.str(), "%C")
          .query("id", S.str(), "Kannel's id of the message, %I").query("ts", S.int64(), "Unix seconds, %T")
          .query("smsc", S.str(), "the smsc-id, %i").query("token", S.str(), "the callback token (required)")
          .empty(200, "Taken (an empty body)").errors(401, 403);
      if (method.equals("POST")) inbound.content("text/plain", S.str(), false);
      out.add(dlr);
      out.add(inbound);
    }
    return out;
  }
}
