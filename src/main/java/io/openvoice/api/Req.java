package io.openvoice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openvoice.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** One API request after routing: path variables, query, the whole body, and the caller. */
public record Req(HttpRequest http, Map<String, String> path, Map<String, String> query, byte[] body,
                  String contentType, Principal principal) {

  public String var(String name) {
    return path.get(name);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body as a JSON object ({} when empty); 400 when it is not JSON. */
  public ObjectNode json() {
    if (body.length == 0) return Json.MAPPER.createObjectNode();
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n == null || n.isNull() || n.isMissingNode()) return Json.MAPPER.createObjectNode();
      if (!n.isObject()) throw new ApiException(400, "request body must be a JSON object");
      return (ObjectNode) n;
    } catch (java.io.IOException e) {
      throw new ApiException(400, "request body is not valid JSON: " + e.getMessage());
    }
  }

  public int intQuery(String name, int dflt, int min, int max) {
    String v = query.get(name);
    if (v == null || v.isBlank()) return dflt;
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) throw ApiException.badField("query." + name, "must be between " + min + " and " + max, v);
      return i;
    } catch (NumberFormatException e) {
      throw ApiException.badField("query." + name, "invalid integer number", v);
    }
  }
}
