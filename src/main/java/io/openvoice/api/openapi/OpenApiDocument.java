package io.openvoice.api.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The OpenAPI 3.0.3 document of the REST API, served at {@code GET /rest/openapi.json}. Each route is an {@link Op}
 * in one of the area files ({@link AuthAccountDocs}, {@link NumberDocs}, {@link AppCallDocs}, {@link SipDocs},
 * {@link SmsDocs}, {@link GatewayDocs});
 * shared schemas are in {@link Schemas}, shared error answers in {@link ErrorResponses}.
 *
 * <p>To document a new route: add an {@code Op} for exactly its method and pattern to the area file (or a new one
 * listed in {@link #ops()}); {@code OpenApiDocumentTest} fails until the document and the router agree.
 */
public final class OpenApiDocument {
  private OpenApiDocument() {}

  /** The security schemes that authenticate a request; any one of them is enough. */
  static final List<String> SCHEMES = List.of("jwtHeader", "jwtQuery", "bearerAuth", "bearerQuery", "basicAuth");

  private static volatile String cached;

  /** Every documented operation. */
  public static List<Op> ops() {
    List<Op> all = new ArrayList<>(AuthAccountDocs.ops());
    all.addAll(NumberDocs.ops());
    all.addAll(AppCallDocs.ops());
    all.addAll(SipDocs.ops());
    all.addAll(SmsDocs.ops());
    all.addAll(GatewayDocs.ops());
    all.addAll(AuthAccountDocs.webhookOps());
    return all;
  }

  /** The document as JSON text (built once). */
  public static String json() {
    String s = cached;
    if (s == null) {
      try {
        s = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(build());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      cached = s;
    }
    return s;
  }

  public static ObjectNode build() {
    ObjectNode doc = S.F.objectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "openvoice REST API (Opentact-compatible)");
    info.put("version", version());
    info.put("description", """
        Opentact's REST paths under `/rest`. Every JSON answer is an envelope: `{"success": true, "payload": ...}`; \
        errors are `{"success": false, "message", "status", "fields"?}` with that HTTP status, `fields` naming the \
        field at fault. Authenticate with `Authorization: Basic` (email:password; usually only on `GET /rest/auth`, \
        which answers with a JWT), the JWT in `X-Auth-Token` or `?jwt=`, or an API token (`POST /rest/token`) as \
        `Authorization: Bearer` or `?bearer=`. Another account's objects answer 404. Timestamps are ISO-8601 UTC \
        with milliseconds.""");
    info.putObject("license").put("name", "see the project's repository");
    doc.putArray("servers").addObject().put("url", "/").put("description", "this node");

    ArrayNode security = S.F.arrayNode();
    for (String scheme : SCHEMES) security.addObject().putArray(scheme);
    doc.set("security", security.deepCopy());

    List<Op> ops = ops();
    Set<String> tags = new LinkedHashSet<>();
    ObjectNode paths = doc.putObject("paths");
    for (Op op : ops) {
      ObjectNode item = paths.has(op.path) ? (ObjectNode) paths.get(op.path) : paths.putObject(op.path);
      if (item.has(op.key())) throw new IllegalStateException("documented twice: " + op.method + " " + op.path);
      ObjectNode built = op.build(security);
      built.path("tags").forEach(t -> tags.add(t.asText()));
      item.set(op.key(), built);
    }
    ArrayNode tagList = doc.putArray("tags");
    for (String t : tags) tagList.addObject().put("name", t);

    ObjectNode components = doc.putObject("components");
    components.set("schemas", Schemas.all());
    components.set("responses", ErrorResponses.all());
    ObjectNode schemes = components.putObject("securitySchemes");
    schemes.putObject("jwtHeader").put("type", "apiKey").put("in", "header").put("name", "X-Auth-Token")
        .put("description", "The JWT from GET /rest/auth (payload.token)");
    schemes.putObject("jwtQuery").put("type", "apiKey").put("in", "query").put("name", "jwt")
        .put("description", "The JWT from GET /rest/auth, as a query parameter");
    schemes.putObject("bearerAuth").put("type", "http").put("scheme", "bearer")
        .put("description", "An API token from POST /rest/token (a JWT is accepted too)");
    schemes.putObject("bearerQuery").put("type", "apiKey").put("in", "query").put("name", "bearer")
        .put("description", "An API token from POST /rest/token, as a query parameter");
    schemes.putObject("basicAuth").put("type", "http").put("scheme", "basic")
        .put("description", "email:password of an account user; meant for GET /rest/auth");
    return doc;
  }

  /** The project version (Maven-filtered resource), or "dev" when it is missing. */
  static String version() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openvoice-version.properties")) {
      if (in == null) return "dev";
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (java.io.IOException e) {
      return "dev";
    }
  }
}
