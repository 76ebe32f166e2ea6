package io.openvoice.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.openvoice.common.Json;
import io.openvoice.media.Audio;
import io.openvoice.media.Tones;
import io.openvoice.media.WavCodec;
import io.openvoice.recording.RecordingMetadata;
import io.openvoice.recording.RecordingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handlers of {@link RecordingApi}, called through the route table as ApiServer calls them after auth. */
class RecordingApiTest {
  private static final Principal ALICE = new Principal(UUID.randomUUID().toString(),
      UUID.randomUUID().toString(), "Admin", "alice@example.com", false);
  private static final Principal MALLORY = new Principal(UUID.randomUUID().toString(),
      UUID.randomUUID().toString(), "Admin", "mallory@example.com", false);
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");

  private static ActorSystem system;

  @TempDir
  Path dir;

  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  private RecordingStore store;
  private Router router;

  @BeforeAll
  static void startSystem() {
    system = ActorSystem.create("recording-api-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopSystem() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void setUp() {
    store = new RecordingStore(dir, "https://api.example.com", blocking);
    router = new Router();
    new RecordingApi(store).register(router);
  }

  @AfterEach
  void tearDown() {
    blocking.shutdownNow();
  }

  /** A recording of {@code who}'s account for {@code call}: a 1.5 s tone. */
  private RecordingMetadata recording(Principal who, String call, String tag) throws Exception {
    String id = UUID.randomUUID().toString();
    Path wav = store.newRecordingFile(id);
    Files.write(wav, WavCodec.write(Tones.tone(new int[] {440}, 1500, 0, 1, -6)));
    return store.save(new RecordingMetadata(id, call, who.accountId(), tag, "wav", 1500, Files.size(wav), AT))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Router.Match route(String method, String path) {
    Router.Match m = router.match(method, path.replaceAll("\\?.*", ""), new boolean[1]);
    assertNotNull(m, method + " " + path);
    return m;
  }

  private Reply call(Principal who, String method, String path) throws Exception {
    Router.Match m = route(method, path);
    Map<String, String> query = path.contains("?")
        ? Map.of(path.replaceAll(".*\\?|=.*", ""), path.replaceAll(".*=", "")) : Map.of();
    Req req = new Req(HttpRequest.create(path), m.vars(), query, new byte[0], "application/octet-stream", who);
    return m.route().handler().handle(req).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ApiException failure(Principal who, String method, String path) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> call(who, method, path));
    return assertInstanceOf(ApiException.class, e.getCause());
  }

  private static JsonNode payload(Reply r) {
    return Json.MAPPER.valueToTree(r.payload());
  }

  @Test
  void metadataShowsDurationInSecondsAndTheDownloadLink() throws Exception {
    String call = UUID.randomUUID().toString();
    RecordingMetadata m = recording(ALICE, call, "voicemail");

    Reply r = call(ALICE, "GET", "/rest/recording/" + m.uuid());
    assertEquals(200, r.status());
    JsonNode p = payload(r);
    assertEquals(m.uuid(), p.get("uuid").asText());
    assertEquals(call, p.get("call").get("uuid").asText());
    assertEquals("voicemail", p.get("tag").asText());
    assertEquals("https://api.example.com/rest/recording/" + m.uuid() + "/download", p.get("url").asText());
    assertTrue(p.get("duration").isNumber());
    assertEquals(1.5, p.get("duration").asDouble(), 1e-9);
    assertEquals(1500, p.get("duration_ms").asLong());
    assertEquals("wav", p.get("format").asText());
    assertEquals("2025-01-02T03:04:05.678Z", p.get("created_on").asText());
  }

  @Test
  void downloadStreamsTheWavFileWithItsTypeAndLength() throws Exception {
    RecordingMetadata m = recording(ALICE, UUID.randomUUID().toString(), null);
    byte[] onDisk = Files.readAllBytes(store.newRecordingFile(m.uuid()));

    Reply r = call(ALICE, "GET", "/rest/recording/" + m.uuid() + "/download?bearer=some-api-token");
    HttpResponse res = assertInstanceOf(HttpResponse.class, r.payload(), "a finished response, not JSON");
    assertEquals(200, res.status().intValue());
    assertEquals("audio/wav", res.entity().getContentType().mediaType().toString());
    assertEquals(onDisk.length, res.entity().getContentLengthOption().getAsLong());
    assertFalse(res.entity().isStrict(), "streamed from the file, not loaded into the heap");
    assertTrue(res.getHeader("Content-Disposition").orElseThrow().value().contains(m.uuid() + ".wav"));
    byte[] body = res.entity().toStrict(10_000, Materializer.matFromSystem(system))
        .toCompletableFuture().get(10, TimeUnit.SECONDS).getData().toArray();
    assertArrayEquals(onDisk, body);
    Audio audio = WavCodec.read(body);
    assertEquals(12_000, audio.samples());
  }

  @Test
  void everyRecordingRouteRequiresAuthenticationSoQueryTokensWork() {
    assertEquals(4, router.routes().size());
    for (Router.Route r : router.routes()) {
      assertTrue(r.auth(), r.method() + " " + r.pattern());
    }
    assertEquals("/rest/recording/{uuid}/download", route("GET", "/rest/recording/x/download").route().pattern());
  }

  @Test
  void recordingOfAnotherAccountIsNotFoundExactlyLikeAMissingOne() throws Exception {
    RecordingMetadata m = recording(ALICE, UUID.randomUUID().toString(), null);
    String missing = UUID.randomUUID().toString();

    for (String suffix : List.of("", "/download")) {
      ApiException foreign = failure(MALLORY, "GET", "/rest/recording/" + m.uuid() + suffix);
      ApiException absent = failure(MALLORY, "GET", "/rest/recording/" + missing + suffix);
      assertEquals(404, foreign.status);
      assertEquals(absent.status, foreign.status);
      assertEquals(absent.getMessage(), foreign.getMessage());
      assertEquals(absent.fields, foreign.fields);
    }
    ApiException delete = failure(MALLORY, "DELETE", "/rest/recording/" + m.uuid());
    assertEquals(404, delete.status);
    assertTrue(Files.exists(store.newRecordingFile(m.uuid())), "another account cannot delete it");
    assertEquals(200, call(ALICE, "GET", "/rest/recording/" + m.uuid()).status());
  }

  @Test
  void idThatIsNotAUuidIsNotFound() {
    assertEquals(404, failure(ALICE, "GET", "/rest/recording/..%2F..%2Fetc%2Fpasswd").status);
    assertEquals(404, failure(ALICE, "GET", "/rest/recording/nope/download").status);
    assertEquals(404, failure(ALICE, "GET", "/rest/call/nope/recording").status);
  }

  @Test
  void callRecordingListShowsOnlyTheCallersRecordingsOfThatCall() throws Exception {
    String call = UUID.randomUUID().toString();
    RecordingMetadata a = recording(ALICE, call, "a");
    recording(MALLORY, call, "not alice's");
    recording(ALICE, UUID.randomUUID().toString(), "another call");

    JsonNode list = payload(call(ALICE, "GET", "/rest/call/" + call + "/recording"));
    assertEquals(1, list.size());
    assertEquals(a.uuid(), list.get(0).get("uuid").asText());
    assertEquals("a", list.get(0).get("tag").asText());
    assertEquals(0, payload(call(ALICE, "GET", "/rest/call/" + UUID.randomUUID() + "/recording")).size());
  }

  @Test
  void deleteRemovesTheRecordingAndAnswersWhatWasDeleted() throws Exception {
    RecordingMetadata m = recording(ALICE, UUID.randomUUID().toString(), "gone");

    Reply r = call(ALICE, "DELETE", "/rest/recording/" + m.uuid());
    assertEquals(200, r.status());
    assertEquals(m.uuid(), payload(r).get("uuid").asText());
    assertFalse(Files.exists(store.newRecordingFile(m.uuid())));
    assertEquals(404, failure(ALICE, "GET", "/rest/recording/" + m.uuid()).status);
    assertEquals(404, failure(ALICE, "DELETE", "/rest/recording/" + m.uuid()).status);
  }
}
