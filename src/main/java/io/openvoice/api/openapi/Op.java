package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One documented route: {@code Op.get("/rest/sip/app/{uuid}", "GetSIPControlApp")} with its tag, summary, path
 * and query parameters, request body, success response and the errors the handler gives. The method and path must
 * be exactly the router's ({@link io.openvoice.api.Router.Route}); {@code OpenApiDocumentTest} checks both ways.
 *
 * <p>Authenticated operations get the document's security schemes and the 401 and 503 answers; operations with a
 * body or query parameters get 400 (bad JSON, a bad field); operations with a JSON body get 413.
 */
public final class Op {
  final String method;
  final String path;
  private final ObjectNode n = S.F.objectNode();
  private final ArrayNode params = S.F.arrayNode();
  private final ObjectNode responses = S.F.objectNode();
  private final TreeSet<Integer> errors = new TreeSet<>();
  private boolean isPublic;
  private boolean hasBody;
  private boolean hasQuery;

  private Op(String method, String path, String operationId) {
    this.method = method;
    this.path = path;
    n.put("operationId", operationId);
  }

  public static Op get(String path, String id) { return new Op("GET", path, id); }
  public static Op post(String path, String id) { return new Op("POST", path, id); }
  public static Op put(String path, String id) { return new Op("PUT", path, id); }
  public static Op patch(String path, String id) { return new Op("PATCH", path, id); }
  public static Op delete(String path, String id) { return new Op("DELETE", path, id); }

  public Op tag(String tag) { n.putArray("tags").add(tag); return this; }
  public Op summary(String s) { n.put("summary", s); return this; }
  public Op desc(String d) { n.put("description", d); return this; }

  /** No authentication ({@code security: []}): the router's {@code addPublic} routes. */
  public Op pub() { isPublic = true; return this; }

  /** A {@code {name}} segment of the path (every one must be declared). */
  public Op path(String name, S schema, String description) {
    params.add(param(name, "path", schema, description).put("required", true));
    return this;
  }

  public Op query(String name, S schema, String description) {
    params.add(param(name, "query", schema, description));
    hasQuery = true;
    return this;
  }

  private static ObjectNode param(String name, String in, S schema, String description) {
    ObjectNode p = S.F.objectNode();
    p.put("name", name);
    p.put("in", in);
    p.put("description", description);
    p.set("schema", schema.node());
    return p;
  }

  /** An {@code application/json} request body. */
  public Op body(S schema, boolean required) {
    return content("application/json", schema, required);
  }

  /** A request body of this media type (call repeatedly for several). */
  public Op content(String mediaType, S schema, boolean required) {
    ObjectNode rb = n.has("requestBody") ? (ObjectNode) n.get("requestBody") : n.putObject("requestBody");
    if (required) rb.put("required", true);
    ObjectNode c = rb.has("content") ? (ObjectNode) rb.get("content") : rb.putObject("content");
    c.putObject(mediaType).set("schema", schema.node());
    hasBody = true;
    return this;
  }

  /** 200 with {@code {success:true, payload}}. */
  public Op ok(S payload, String description) { return success(200, payload, description); }

  /** 201 with {@code {success:true, payload}}. */
  public Op created(S payload, String description) { return success(201, payload, description); }

  /** A success answer in the envelope; {@code extra} adds top-level envelope fields beside {@code payload}. */
  public Op success(int status, S payload, String description, Object... extra) {
    S part = S.obj().prop("payload", payload);
    for (int i = 0; i < extra.length; i += 2) part.prop((String) extra[i], (S) extra[i + 1]);
    return raw(status, "application/json", S.allOf(S.ref("Envelope"), part), description);
  }

  /** A success answer outside the envelope (a file, the document itself). */
  public Op raw(int status, String mediaType, S schema, String description) {
    ObjectNode r = responses.has(String.valueOf(status)) ? (ObjectNode) responses.get(String.valueOf(status))
        : responses.putObject(String.valueOf(status));
    r.put("description", description);
    ObjectNode c = r.has("content") ? (ObjectNode) r.get("content") : r.putObject("content");
    c.putObject(mediaType).set("schema", schema.node());
    return this;
  }

  /** An answer without a body (e.g. 101 Switching Protocols of a WebSocket upgrade, 204). */
  public Op empty(int status, String description) {
    responses.putObject(String.valueOf(status)).put("description", description);
    return this;
  }

  /** Error statuses the handler gives besides the automatic ones (400, 403, 404, 409 ...). */
  public Op errors(int... statuses) {
    for (int s : statuses) errors.add(s);
    return this;
  }

  /** The operation object. */
  ObjectNode build(ArrayNode authenticated) {
    ObjectNode op = n.deepCopy();
    if (!params.isEmpty()) op.set("parameters", params.deepCopy());
    TreeSet<Integer> all = new TreeSet<>(errors);
    if (hasBody || hasQuery) all.add(400);
    if (hasBody && op.path("requestBody").path("content").has("application/json")) all.add(413);
    if (!isPublic) {
      all.add(401);
      all.add(503);
    }
    ObjectNode res = responses.deepCopy();
    for (int s : all) res.putObject(String.valueOf(s)).put("$ref", "#/components/responses/" + ErrorResponses.name(s));
    op.set("responses", res);
    op.set("security", isPublic ? S.F.arrayNode() : authenticated.deepCopy());
    return op;
  }

  /** The {@code {var}} names of the path, in order. */
  static List<String> pathVars(String path) {
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.length() > 2 && seg.startsWith("{") && seg.endsWith("}")) out.add(seg.substring(1, seg.length() - 1));
    }
    return out;
  }

  String key() {
    return method.toLowerCase(Locale.ROOT);
  }
}
