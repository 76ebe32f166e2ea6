package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import io.openvoice.node.Platform;
import io.openvoice.node.TestNode;
import io.openvoice.recording.RecordingMetadata;
import io.openvoice.recording.RecordingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording routes behind a real node's authentication and envelope: the node's own ApiServer code with a
 * route table holding {@link RecordingApi} (the node itself does not serve them until they are wired in), so the
 * query-string credentials a {@code call_record} link is fetched with are checked the production way.
 */
class RecordingApiNodeTest {
  @TempDir
  static Path data;

  private static TestNode node;
  private static ApiServer server;
  private static RecordingStore store;
  private static String apiToken;
  private static RecordingMetadata mine;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(data, "");
    Platform p = node.node.platform();
    Executor blocking = p.system.dispatchers().lookup(DispatcherSelector.fromConfig("openvoice-blocking-dispatcher"));
    store = RecordingStore.fromConfig(p.config, blocking);
    Router router = new Router();
    new RecordingApi(store).register(router);
    server = new ApiServer(p, router, blocking);

    apiToken = node.call("POST", "/rest/token", "{\"name\":\"recordings\",\"ttl\":3600}", 201)
        .path("payload").path("token").asText();
    String account = node.call("GET", "/rest/account", null, 200).path("payload").path("uuid").asText();
    String id = UUID.randomUUID().toString();
    Path wav = store.newRecordingFile(id);
    Files.createDirectories(wav.getParent());
    Files.write(wav, WavCodec.write(Audio.silence(500)));
    mine = store.save(new RecordingMetadata(id, UUID.randomUUID().toString(), account, "t", "wav", 500,
        Files.size(wav), Instant.now())).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  private static JsonNode handle(HttpRequest req, int expectStatus) throws Exception {
    HttpResponse res = server.handle(req).toCompletableFuture().get(20, TimeUnit.SECONDS);
    String body = res.entity().toStrict(10_000, Materializer.matFromSystem(node.node.system()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).getData().utf8String();
    assertEquals(expectStatus, res.status().intValue(), body);
    return TestNode.M.readTree(body);
  }

  @Test
  void recordingDefaultsToADirectoryInsideTheNodesDataDirectory() {
    assertEquals(data.resolve("recordings").toString(), store.dir().toString());
  }

  @Test
  void apiTokenInTheQueryOpensTheRecording() throws Exception {
    JsonNode j = handle(HttpRequest.GET("/rest/recording/" + mine.uuid() + "?bearer=" + apiToken), 200);
    assertTrue(j.path("success").asBoolean());
    assertEquals(mine.uuid(), j.path("payload").path("uuid").asText());
    assertEquals(0.5, j.path("payload").path("duration").asDouble(), 1e-9);
    assertEquals("/rest/recording/" + mine.uuid() + "/download", j.path("payload").path("url").asText());
  }

  @Test
  void jwtInTheQueryOrHeaderOpensTheRecording() throws Exception {
    handle(HttpRequest.GET("/rest/recording/" + mine.uuid() + "?jwt=" + node.token), 200);
    handle(HttpRequest.GET("/rest/recording/" + mine.uuid()).addHeader(RawHeader.create("X-Auth-Token", node.token)),
        200);
  }

  @Test
  void downloadWithoutCredentialsIsRefused() throws Exception {
    JsonNode j = handle(HttpRequest.GET("/rest/recording/" + mine.uuid() + "/download"), 401);
    assertEquals(false, j.path("success").asBoolean(true));
    handle(HttpRequest.GET("/rest/recording/" + mine.uuid() + "/download?bearer=not-a-token"), 401);
  }

  @Test
  void missingRecordingIsTheUsualNotFoundEnvelope() throws Exception {
    JsonNode j = handle(HttpRequest.GET("/rest/recording/" + UUID.randomUUID() + "?bearer=" + apiToken), 404);
    assertEquals("Not found", j.path("message").asText());
    assertEquals(404, j.path("status").asInt());
  }
}
