package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real node started in this JVM on free ports, with a REST client logged in as the bootstrap admin. */
public final class TestNode implements AutoCloseable {
  public static final ObjectMapper M = new ObjectMapper();
  public static final String ADMIN = "admin@example.com";
  public static final String ADMIN_PASSWORD = "s3cret-pass";

  public final Main.Node node;
  public final String base;
  public final HttpClient client = HttpClient.newHttpClient();
  public String token;

  private TestNode(Main.Node node) {
    this.node = node;
    this.base = "http://127.0.0.1:" + node.http().getPort();
  }

  /**
   * A node whose database is tied to {@code dataDir}, so a second node on the same dir recovers: by default an H2
   * file in it; with {@code -Dopenvoice.test.db=postgres} a PostgreSQL schema of its own ({@link TestDatabase}),
   * configured through {@code cluster-config/postgres.conf}.
   */
  public static TestNode start(Path dataDir, String extraConfig) throws Exception {
    String dir = dataDir.toString().replace("\\", "/");
    Config base = ConfigFactory.parseResources("application.conf");
    String database;
    if (TestDatabase.postgres()) {
      base = ConfigFactory.parseFile(new File("cluster-config/postgres.conf")).withFallback(base);
      database = TestDatabase.nodeConfig(TestDatabase.schemaFor(dataDir));
    } else {
      // spelled out so that a DB_URL in the environment (for a node on PostgreSQL) never reaches an H2 test node
      database = """
          pekko-persistence-jdbc.shared-databases.slick.db.url = "jdbc:h2:file:%s/h2/openvoice;DB_CLOSE_DELAY=-1;DATABASE_TO_UPPER=false"
          pekko-persistence-jdbc.shared-databases.slick.db.user = "sa"
          pekko-persistence-jdbc.shared-databases.slick.db.password = ""
          """.formatted(dir);
    }
    Config config = ConfigFactory.parseString("""
        openvoice.data-dir = "%s"
        openvoice.http.port = 0
        openvoice.http.interface = "127.0.0.1"
        openvoice.auth.admin-email = "%s"
        openvoice.auth.admin-password = "%s"
        pekko.remote.artery.canonical.port = 0
        pekko.management.http.port = 0
        # a node closed by a test with SIP calls still up waits for them only briefly
        openvoice.drain.max-wait = 2s
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        # every message goes through its serializer, as it would between nodes
        pekko.actor.serialize-messages = on
        openvoice.sip.enabled = false
        %s
        %s
        """.formatted(dir, ADMIN, ADMIN_PASSWORD, database, extraConfig))
        .withFallback(base);
    config = ConfigFactory.load(config); // resolves ${openvoice.data-dir} in the H2 URL against the override
    TestNode n = new TestNode(Main.start(config).toCompletableFuture().get(60, TimeUnit.SECONDS));
    n.token = n.login(ADMIN, ADMIN_PASSWORD);
    return n;
  }

  /** Basic credentials exchanged for a JWT over {@code GET /rest/auth}. */
  public String login(String email, String password) throws Exception {
    String basic = Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> auth = client.send(HttpRequest.newBuilder(URI.create(base + "/rest/auth"))
        .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, auth.statusCode(), auth.body());
    return M.readTree(auth.body()).path("payload").path("token").asText();
  }

  public JsonNode call(String method, String path, String json, int expectStatus) throws Exception {
    return callAs(token, method, path, json, expectStatus);
  }

  public JsonNode callAs(String jwt, String method, String path, String json, int expectStatus) throws Exception {
    HttpResponse<String> r = send(jwt, method, path, "application/json", json);
    assertEquals(expectStatus, r.statusCode(), method + " " + path + " -> " + r.body());
    return M.readTree(r.body());
  }

  public HttpResponse<String> send(String jwt, String method, String path, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (jwt != null) b.header("X-Auth-Token", jwt);
    if (contentType != null) b.header("Content-Type", contentType);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An app with this hosted flow; returns its uuid. */
  public String hostedApp(String name, String xml) throws Exception {
    String app = call("POST", "/rest/sip/app", "{\"name\":\"" + name + "\"}", 201).path("payload").path("uuid").asText();
    HttpResponse<String> r = send(token, "POST", "/rest/sip/app/call/flow/" + app, "application/xml", xml);
    assertEquals(200, r.statusCode(), r.body());
    return app;
  }

  /** Polls GET /rest/sip/app/call/{id} until the payload satisfies {@code done}; fails after {@code max}. */
  public JsonNode awaitCall(String callId, Predicate<JsonNode> done, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = send(token, "GET", "/rest/sip/app/call/" + callId, null, null);
      if (r.statusCode() == 200) {
        last = M.readTree(r.body()).path("payload");
        if (done.test(last)) return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("call " + callId + " did not reach the expected state within " + max + "; last: " + last);
  }

  @Override
  public void close() throws Exception {
    node.system().terminate();
    node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
