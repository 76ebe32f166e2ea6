package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** The shared error answers ({@code components.responses}), all {@code {success:false, message, status, fields?}}. */
final class ErrorResponses {
  private ErrorResponses() {}

  private static final Map<Integer, String[]> KNOWN = new TreeMap<>(Map.ofEntries(
      Map.entry(400, new String[] {"BadRequest", "Invalid request: the body is not JSON or a field is invalid; `fields` names the field at fault"}),
      Map.entry(401, new String[] {"Unauthorized", "No credentials, or invalid or expired ones"}),
      Map.entry(402, new String[] {"PaymentRequired", "Not enough account balance"}),
      Map.entry(403, new String[] {"Forbidden", "The caller's role does not allow this"}),
      Map.entry(404, new String[] {"NotFound", "No such object in the caller's account (another account's objects answer 404 too)"}),
      Map.entry(405, new String[] {"InsufficientBalance", "Insufficient Balance: the account's SMS balance has fewer parts than the message needs (POST /rest/sms)"}),
      Map.entry(406, new String[] {"CountryPermissionViolation", "Country Permission Violation: the destination's country is not in the messaging profile's whitelisted_destinations (POST /rest/sms)"}),
      Map.entry(409, new String[] {"Conflict", "The request conflicts with the current state (a name already taken, a call no longer live)"}),
      Map.entry(413, new String[] {"PayloadTooLarge", "The request body is larger than 2 MiB"}),
      Map.entry(429, new String[] {"TooManyCalls", "The account's calls-per-second or concurrent-calls limit is reached; `fields` names it (cps, concurrent_calls)"}),
      Map.entry(503, new String[] {"Unavailable", "The request timed out inside the cluster; retry"})));

  static String name(int status) {
    String[] k = KNOWN.get(status);
    if (k == null) throw new IllegalArgumentException("no shared error response for status " + status);
    return k[0];
  }

  static ObjectNode all() {
    ObjectNode out = S.F.objectNode();
    KNOWN.forEach((status, k) -> {
      ObjectNode r = out.putObject(k[0]);
      r.put("description", k[1]);
      r.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
    });
    return out;
  }
}
