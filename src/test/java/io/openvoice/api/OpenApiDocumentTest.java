package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.node.TestNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code GET /rest/openapi.json} true to the router: the document is fetched from a real node without
 * credentials, and the route table is the one that node serves ({@link Api#routes} on its platform; the node runs
 * with {@code openvoice.sms.gateway = "kannel"}, so it has the routes only such a node has). Any route
 * added to the router without documentation (or documented but not routed) fails {@link #documentHasExactlyTheRoutesOfTheRouter}.
 */
class OpenApiDocumentTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern VAR = Pattern.compile("\\{([^}/]+)}");

  @TempDir
  static Path data;

  private static TestNode node;
  private static HttpResponse<String> served;
  private static JsonNode doc;
  /** "METHOD /pattern" → whether the route authenticates. */
  private static Map<String, Boolean> routes;

  @BeforeAll
  static void start() throws Exception {
    // with Kannel as the off-net gateway, so the node also serves the optional routes (Kannel's callbacks)
    node = TestNode.start(data, """
        openvoice.sms.gateway = "kannel"
        openvoice.sms.kannel.callback-token = "openapi-test"
        """);
    routes = new TreeMap<>();
    for (Router.Route r : Api.routes(node.node.platform()).routes()) {
      Boolean before = routes.put(r.method() + " " + r.pattern(), r.auth());
      assertEquals(null, before, "the router has " + r.method() + " " + r.pattern() + " twice");
    }
    served = node.client.send(HttpRequest.newBuilder(URI.create(node.base + "/rest/openapi.json")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    doc = TestNode.M.readTree(served.body());
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void servedWithoutCredentialsAsOpenApi303Json() {
    assertEquals(200, served.statusCode(), served.body());
    assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        served.headers().toString());
    assertEquals("3.0.3", doc.path("openapi").asText());
    assertFalse(doc.has("success"), "the document is served as it is, not in the envelope");
    assertFalse(doc.path("info").path("version").asText().isBlank());
    assertEquals("/", doc.path("servers").path(0).path("url").asText());
  }

  @Test
  void documentHasExactlyTheRoutesOfTheRouter() {
    Set<String> documented = new TreeSet<>(operations().keySet());
    Set<String> missing = new TreeSet<>(routes.keySet());
    missing.removeAll(documented);
    Set<String> extra = new TreeSet<>(documented);
    extra.removeAll(routes.keySet());
    assertTrue(missing.isEmpty() && extra.isEmpty(),
        "OpenAPI document and router differ.\n  routed but not documented (add an Op in io.openvoice.api.openapi): "
            + missing + "\n  documented but not routed: " + extra);
  }

  @Test
  void everyPathVariableIsADeclaredRequiredPathParameter() {
    List<String> problems = new ArrayList<>();
    operations().forEach((key, op) -> {
      String path = key.substring(key.indexOf(' ') + 1);
      Set<String> vars = new HashSet<>();
      Matcher m = VAR.matcher(path);
      while (m.find()) vars.add(m.group(1));
      Set<String> declared = new HashSet<>();
      for (JsonNode p : op.path("parameters")) {
        if (!"path".equals(p.path("in").asText())) continue;
        declared.add(p.path("name").asText());
        if (!p.path("required").asBoolean(false)) problems.add(key + ": path parameter " + p.path("name") + " not required");
        if (!p.has("schema")) problems.add(key + ": path parameter " + p.path("name") + " has no schema");
      }
      if (!vars.equals(declared)) problems.add(key + ": path variables " + vars + " but path parameters " + declared);
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void securityMatchesPublicAndAuthenticatedRoutes() {
    Set<String> schemes = new HashSet<>();
    doc.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
    assertTrue(schemes.containsAll(Set.of("jwtHeader", "jwtQuery", "bearerAuth", "bearerQuery", "basicAuth")), schemes.toString());
    assertEquals("X-Auth-Token", doc.path("components").path("securitySchemes").path("jwtHeader").path("name").asText());
    List<String> problems = new ArrayList<>();
    operations().forEach((key, op) -> {
      Boolean auth = routes.get(key);
      if (auth == null) return; // reported by documentHasExactlyTheRoutesOfTheRouter
      JsonNode security = op.get("security");
      if (security == null || !security.isArray()) {
        problems.add(key + ": no explicit security");
      } else if (auth && security.isEmpty()) {
        problems.add(key + ": authenticated route documented as public");
      } else if (!auth && !security.isEmpty()) {
        problems.add(key + ": public route documented with security " + security);
      }
      for (JsonNode req : security == null ? List.<JsonNode>of() : security) {
        req.fieldNames().forEachRemaining(n -> {
          if (!schemes.contains(n)) problems.add(key + ": unknown security scheme " + n);
        });
      }
      if (auth && !op.path("responses").has("401")) problems.add(key + ": authenticated route without 401");
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyOperationHasIdTagSummaryAndASuccessAnswer() {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    operations().forEach((key, op) -> {
      String id = op.path("operationId").asText();
      if (id.isBlank() || !ids.add(id)) problems.add(key + ": operationId missing or repeated: " + id);
      if (op.path("tags").isEmpty()) problems.add(key + ": no tag");
      if (op.path("summary").asText().isBlank()) problems.add(key + ": no summary");
      boolean success = false;
      for (var it = op.path("responses").fieldNames(); it.hasNext(); ) success |= it.next().matches("2\\d\\d|101"); // 101: a WebSocket upgrade
      if (!success) problems.add(key + ": no 2xx (or 101) response");
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void errorShapeHasFields() {
    JsonNode error = doc.path("components").path("schemas").path("Error");
    for (String f : List.of("success", "message", "status", "fields")) {
      assertTrue(error.path("properties").has(f), "Error schema lacks " + f);
    }
    assertTrue(doc.path("components").path("schemas").has("Envelope"));
  }

  @Test
  void swaggerParserValidatesTheDocumentWithoutMessages() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(served.body(), null, options);
    assertNotNull(result.getOpenAPI(), "not parsed: " + result.getMessages());
    assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
    assertEquals("3.0.3", result.getOpenAPI().getOpenapi());
    assertEquals(operations().size(), result.getOpenAPI().getPaths().values().stream()
        .mapToInt(p -> p.readOperations().size()).sum());
  }

  /** The validator is not a rubber stamp: a document with an operation lacking responses and a bad type fails. */
  @Test
  void swaggerParserReportsABrokenDocument() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode broken = (com.fasterxml.jackson.databind.node.ObjectNode) doc.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("paths").path("/health").path("get")).remove("responses");
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("components").path("schemas").path("Token"))
        .put("type", "strng");
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(broken.toString(), null, new ParseOptions());
    assertFalse(result.getMessages() == null || result.getMessages().isEmpty(), "a broken document passed");
  }

  /** "METHOD /path" → operation object, for every operation of the document. */
  private static Map<String, JsonNode> operations() {
    Map<String, JsonNode> out = new TreeMap<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (METHODS.contains(op.getKey())) out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
    }));
    return out;
  }
}
