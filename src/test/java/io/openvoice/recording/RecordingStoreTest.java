package io.openvoice.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import io.openvoice.media.record.RecordingResult;
import io.openvoice.media.record.WavRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingStoreTest {
  private static final String ACCOUNT = "6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";
  private static final Instant T0 = Instant.parse("2025-03-04T05:06:07.890Z");

  @TempDir
  Path dir;

  private final ExecutorService blocking = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    blocking.shutdownNow();
  }

  private RecordingStore store() {
    return new RecordingStore(dir.resolve("recordings"), "", blocking);
  }

  private static <T> T get(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A stored recording of {@code call}: a WAV of {@code ms} of silence and its metadata. */
  private static RecordingMetadata stored(RecordingStore store, String call, String tag, long ms, Instant at)
      throws Exception {
    String id = UUID.randomUUID().toString();
    Path wav = store.newRecordingFile(id);
    Files.createDirectories(wav.getParent());
    Files.write(wav, WavCodec.write(Audio.silence((int) ms)));
    return get(store.save(new RecordingMetadata(id, call, ACCOUNT, tag, "wav", ms, Files.size(wav), at)));
  }

  @Test
  void savedMetadataIsFoundAgainUnchanged() throws Exception {
    RecordingStore store = store();
    String call = UUID.randomUUID().toString();
    RecordingMetadata m = stored(store, call, "voicemail", 1500, T0);

    assertEquals(Optional.of(m), get(store.find(m.uuid())));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("recordings/" + m.uuid() + ".json").toFile());
    assertEquals(m.uuid(), json.get("uuid").asText());
    assertEquals(call, json.get("call_uuid").asText());
    assertEquals(ACCOUNT, json.get("account_uuid").asText());
    assertEquals("voicemail", json.get("tag").asText());
    assertEquals("wav", json.get("format").asText());
    assertEquals(1500, json.get("duration_ms").asLong());
    assertEquals(44 + 1500 * 16, json.get("size").asLong());
    assertEquals("2025-03-04T05:06:07.890Z", json.get("created_on").asText());
    try (Stream<Path> files = Files.list(dir.resolve("recordings"))) {
      assertEquals(List.of(m.uuid() + ".json", m.uuid() + ".wav"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left behind");
    }
  }

  @Test
  void openGivesTheWavFileAndItsSize() throws Exception {
    RecordingStore store = store();
    RecordingMetadata m = stored(store, UUID.randomUUID().toString(), null, 200, T0);

    RecordingStore.RecordingFile f = get(store.open(m.uuid())).orElseThrow();
    assertEquals(store.newRecordingFile(m.uuid()), f.path());
    assertEquals(44 + 200 * 16, f.size());
    assertEquals(Optional.empty(), get(store.open(UUID.randomUUID().toString())));
  }

  @Test
  void listByCallReturnsThatCallsRecordingsOldestFirst() throws Exception {
    RecordingStore store = store();
    String call = UUID.randomUUID().toString();
    RecordingMetadata second = stored(store, call, "b", 100, T0.plusSeconds(30));
    RecordingMetadata first = stored(store, call, "a", 100, T0);
    stored(store, UUID.randomUUID().toString(), "other call", 100, T0);

    assertEquals(List.of(first, second), get(store.listByCall(call)));
    assertEquals(List.of(), get(store.listByCall(UUID.randomUUID().toString())));
  }

  @Test
  void listByCallOnAStoreWithNoDirectoryYetIsEmpty() throws Exception {
    assertEquals(List.of(), get(store().listByCall(UUID.randomUUID().toString())));
  }

  @Test
  void unreadableMetadataFileIsSkipped() throws Exception {
    RecordingStore store = store();
    String call = UUID.randomUUID().toString();
    RecordingMetadata good = stored(store, call, null, 100, T0);
    String broken = UUID.randomUUID().toString();
    Files.writeString(dir.resolve("recordings/" + broken + ".json"), "{not json");

    assertEquals(List.of(good), get(store.listByCall(call)));
    assertEquals(Optional.empty(), get(store.find(broken)));
  }

  @Test
  void deleteRemovesTheWavAndItsMetadata() throws Exception {
    RecordingStore store = store();
    RecordingMetadata m = stored(store, UUID.randomUUID().toString(), null, 100, T0);

    assertTrue(get(store.delete(m.uuid())));
    assertEquals(Optional.empty(), get(store.find(m.uuid())));
    assertFalse(Files.exists(store.newRecordingFile(m.uuid())));
    assertFalse(get(store.delete(m.uuid())), "already gone");
  }

  @Test
  void idsThatAreNotUuidsNeverBecomePaths() throws Exception {
    RecordingStore store = store();
    assertEquals(Optional.empty(), get(store.find("../../etc/passwd")));
    assertEquals(Optional.empty(), get(store.open("..")));
    assertFalse(get(store.delete("../x")));
    assertThrows(IllegalArgumentException.class, () -> store.newRecordingFile("../x"));
    RecordingMetadata bad = new RecordingMetadata("../x", "c", ACCOUNT, null, "wav", 0, 0, T0);
    assertThrows(IllegalArgumentException.class, () -> store.save(bad));
  }

  @Test
  void recordingWrittenByTheRecorderBecomesAStoredRecording() throws Exception {
    RecordingStore store = store();
    String id = UUID.randomUUID().toString();
    String call = UUID.randomUUID().toString();
    long[] clock = {0};
    WavRecorder rec = WavRecorder.start(store.newRecordingFile(id), WavRecorder.Options.mono(0), blocking,
        () -> clock[0]);
    rec.write(WavRecorder.Source.CALLER, new short[Audio.FRAME_SAMPLES]);
    clock[0] = 1_240_000_000L;
    RecordingResult result = get(rec.stop());
    RecordingMetadata m = get(store.save(RecordingMetadata.of(id, call, ACCOUNT, "greeting", result, T0)));

    assertEquals(1240, m.durationMs());
    assertEquals(Files.size(store.newRecordingFile(id)), m.size());
    assertEquals(List.of(m), get(store.listByCall(call)));
  }

  @Test
  void configGivesTheDirectoryAndTheBaseOfDownloadLinks() {
    var config = ConfigFactory.parseString("""
        openvoice.recording.dir = "%s"
        openvoice.recording.public-url = "https://api.example.com/"
        """.formatted(dir.toString().replace("\\", "/")));
    RecordingStore store = RecordingStore.fromConfig(config, blocking);
    String id = "0b6f3c2a-1d4e-4f5a-9b8c-7d6e5f4a3b2c";

    assertEquals(dir, store.dir());
    assertEquals(dir.resolve(id + ".wav"), store.newRecordingFile(id));
    assertEquals("https://api.example.com/rest/recording/" + id + "/download", store.url(id));
    assertEquals("/rest/recording/" + id + "/download", store().url(id));
  }

  @Test
  void defaultConfigKeepsRecordingsUnderTheDataDirectory() {
    var config = ConfigFactory.parseString("openvoice.data-dir = \"/srv/ov\"")
        .withFallback(ConfigFactory.parseResources("application.conf")).resolve();
    assertEquals(Path.of("/srv/ov/recordings"), RecordingStore.fromConfig(config, blocking).dir());
  }
}
