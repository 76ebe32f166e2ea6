package io.openvoice.media.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.openvoice.http.FetchException;
import io.openvoice.http.FlowHttpClient;
import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PromptCache} downloading through the real {@link FlowHttpClient} from a real HTTP server on 127.0.0.1. */
class PromptCacheTest {
  private static ActorTestKit testKit;
  private static AudioServer server;
  private static FlowHttpClient client;
  private static ExecutorService pool;
  private static final AtomicInteger decodeTasks = new AtomicInteger();

  static Config config(String extra) {
    return ConfigFactory.parseString(extra)
        .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
        .withFallback(ConfigFactory.load());
  }

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create(config(""));
    server = new AudioServer();
    client = new FlowHttpClient(testKit.system(), config(""));
    pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-decode"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (pool != null) pool.shutdownNow();
    if (testKit != null) testKit.shutdownTestKit();
  }

  /** A cache without disk, whose executor counts its tasks. */
  private static PromptCache cache(PromptCache.Settings settings) {
    return new PromptCache(PromptCache.httpFetcher(client, settings.maxFileBytes(), settings.timeout()),
        task -> {
          decodeTasks.incrementAndGet();
          pool.execute(task);
        }, settings);
  }

  private static PromptCache.Settings noFailureCache() {
    return PromptCache.Settings.defaults().withFailureTtl(Duration.ZERO);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    try {
      Object r = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
      return fail("expected a failure, got " + r);
    } catch (ExecutionException e) {
      assertNotNull(e.getCause());
      return e.getCause();
    }
  }

  /** One second of 16 kHz stereo WAV: 8 000 samples, 16 000 bytes once decoded. */
  private static byte[] oneSecondWav() {
    return Fixtures.wav16kStereo(1000);
  }

  @Test
  void wav16kStereoUrlDecodesToMono8kAndASecondGetDoesNotFetchAgain() throws Exception {
    String url = server.serve("/welcome.wav", "audio/wav", Fixtures.wav16kStereo(1500));
    PromptCache cache = cache(noFailureCache());
    int tasksBefore = decodeTasks.get();

    Audio first = await(cache.get(url));
    assertEquals(12_000, first.samples(), 2);
    assertEquals(1, server.hits("/welcome.wav"));
    assertTrue(decodeTasks.get() > tasksBefore, "decoding ran on the given executor");

    CompletionStage<Audio> second = cache.get(url);
    assertTrue(second.toCompletableFuture().isDone(), "answered from memory at once");
    assertSame(first, await(second));
    assertEquals(1, server.hits("/welcome.wav"));
  }

  @Test
  void mp3IsRecognisedByContentWhateverTheUrlAndTypeSay() throws Exception {
    String url = server.serve("/hello.wav", "application/octet-stream", Fixtures.stereoMp3());
    Audio a = await(cache(noFailureCache()).get(url));
    assertTrue(a.samples() >= 16_000 && a.samples() <= 16_700, a.toString());
  }

  @Test
  void concurrentGetsOfOneUrlShareOneDownload() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    String url = server.serveAfter("/popular.wav", gate, oneSecondWav());
    PromptCache cache = cache(noFailureCache());
    int callers = 8;
    ExecutorService callerPool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<CompletionStage<Audio>>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        calls.add(callerPool.submit(() -> {
          go.await();
          return cache.get(url);
        }));
      }
      go.countDown();
      List<CompletionStage<Audio>> stages = new ArrayList<>();
      for (var c : calls) stages.add(c.get(10, TimeUnit.SECONDS));
      // every caller has its stage while the server still holds the one response back
      for (CompletionStage<Audio> s : stages) assertFalse(s.toCompletableFuture().isDone());
      gate.countDown();
      Audio first = await(stages.get(0));
      for (CompletionStage<Audio> s : stages) assertSame(first, await(s));
      assertEquals(1, server.hits("/popular.wav"));
    } finally {
      gate.countDown();
      callerPool.shutdownNow();
    }
  }

  @Test
  void leastRecentlyUsedAudioIsEvictedPastTheMemoryBound() throws Exception {
    String a = server.serve("/lru-a.wav", "audio/wav", oneSecondWav());
    String b = server.serve("/lru-b.wav", "audio/wav", oneSecondWav());
    String c = server.serve("/lru-c.wav", "audio/wav", oneSecondWav());
    PromptCache cache = cache(noFailureCache().withCacheBytes(80_000)); // room for two clips of 32 000 bytes (PCM + frames)

    await(cache.get(a));
    await(cache.get(b));
    await(cache.get(a)); // a is now more recently used than b
    assertEquals(64_000, cache.memoryBytes());
    await(cache.get(c));

    assertFalse(cache.inMemory(b), "b, the least recently used, is evicted");
    assertTrue(cache.inMemory(a) && cache.inMemory(c));
    assertEquals(2, cache.memoryEntries());
    assertEquals(64_000, cache.memoryBytes());

    await(cache.get(b));
    assertEquals(2, server.hits("/lru-b.wav"), "an evicted URL is downloaded again");
    assertEquals(1, server.hits("/lru-a.wav"));
    assertFalse(cache.inMemory(a), "a is now the least recently used and made room for b");
  }

  @Test
  void aClipLargerThanTheWholeMemoryBoundIsServedButNotKept() throws Exception {
    String url = server.serve("/too-long-to-keep.wav", "audio/wav", oneSecondWav());
    PromptCache cache = cache(noFailureCache().withCacheBytes(10_000));
    assertEquals(8000, await(cache.get(url)).samples(), 2);
    assertEquals(0, cache.memoryEntries());
    assertEquals(0, cache.memoryBytes());
  }

  @Test
  void diskCacheServesARestartedNodeWithoutDownloading(@TempDir Path dir) throws Exception {
    String url = server.serve("/survives-restart.mp3", "audio/mpeg", Fixtures.monoMp3());
    PromptCache.Settings settings = noFailureCache().withDir(dir);
    Audio downloaded = await(cache(settings).get(url));
    assertEquals(1, server.hits("/survives-restart.mp3"));
    Path file = dir.resolve(PromptCache.sha256(url) + ".wav");
    assertEquals(file, cache(settings).diskFile(url));
    assertTrue(Files.exists(file));

    PromptCache afterRestart = cache(settings);
    assertEquals(downloaded, await(afterRestart.get(url)));
    assertEquals(1, server.hits("/survives-restart.mp3"));
  }

  @Test
  void anUnreadableDiskFileIsReplacedByADownload(@TempDir Path dir) throws Exception {
    String url = server.serve("/damaged-on-disk.wav", "audio/wav", oneSecondWav());
    PromptCache.Settings settings = noFailureCache().withDir(dir);
    Files.write(dir.resolve(PromptCache.sha256(url) + ".wav"), "not audio".getBytes());
    assertEquals(8000, await(cache(settings).get(url)).samples(), 2);
    assertEquals(1, server.hits("/damaged-on-disk.wav"));
    assertEquals(8000, WavCodec.read(Files.readAllBytes(cache(settings).diskFile(url))).samples(), 2);
  }

  @Test
  void diskCacheDeletesItsLeastRecentlyUsedFilesPastItsBound(@TempDir Path dir) throws Exception {
    String a = server.serve("/disk-a.wav", "audio/wav", oneSecondWav());
    String b = server.serve("/disk-b.wav", "audio/wav", oneSecondWav());
    String c = server.serve("/disk-c.wav", "audio/wav", oneSecondWav());
    Path foreign = Files.writeString(dir.resolve("notes.txt"), "not ours");
    PromptCache cache = cache(noFailureCache().withDir(dir).withDiskBytes(40_000)); // two files of 16 044 bytes
    await(cache.get(a));
    Files.setLastModifiedTime(cache.diskFile(a), FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    await(cache.get(b));
    await(cache.get(c));

    assertFalse(Files.exists(cache.diskFile(a)), "the oldest file is deleted");
    assertTrue(Files.exists(cache.diskFile(b)) && Files.exists(cache.diskFile(c)));
    assertTrue(Files.exists(foreign), "files the cache did not write are never touched");
  }

  @Test
  void notFoundFailsWithTheStatusAndIsNotCached() throws Exception {
    PromptCache cache = cache(noFailureCache());
    String url = server.url("/missing.mp3");
    FetchException e = FetchException.unwrap(failure(cache.get(url)));
    assertNotNull(e);
    assertEquals(FetchException.Kind.BAD_STATUS, e.kind());
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("/missing.mp3 answered 404"), e.getMessage());

    failure(cache.get(url));
    assertEquals(2, server.hits("/missing.mp3"), "a failure is not cached: the second get asks again");
  }

  @Test
  void withinFailureTtlAFailedUrlFailsAgainWithoutBeingFetched() throws Exception {
    PromptCache cache = cache(PromptCache.Settings.defaults().withFailureTtl(Duration.ofHours(1)));
    String url = server.url("/gone.wav");
    Throwable first = failure(cache.get(url));
    Throwable second = failure(cache.get(url));
    assertEquals(1, server.hits("/gone.wav"));
    assertSame(FetchException.unwrap(first), FetchException.unwrap(second));
  }

  @Test
  void aBodyLargerThanTheFileBoundFailsAsTooLarge() throws Exception {
    String url = server.serve("/huge.wav", "audio/wav", oneSecondWav()); // 64 044 bytes
    PromptCache cache = cache(noFailureCache().withMaxFileBytes(10_000));
    FetchException e = FetchException.unwrap(failure(cache.get(url)));
    assertNotNull(e);
    assertEquals(FetchException.Kind.TOO_LARGE, e.kind());
    assertTrue(e.getMessage().contains("larger than 10000 bytes"), e.getMessage());
    assertEquals(0, cache.memoryEntries());
  }

  @Test
  void garbageFailsWithADecodeErrorNamingTheUrlWithoutItsQuery() throws Exception {
    byte[] garbage = new byte[4000];
    new Random(3).nextBytes(garbage);
    garbage[0] = 0;
    server.serve("/garbage.mp3", "audio/mpeg", garbage);
    Throwable e = failure(cache(noFailureCache()).get(server.url("/garbage.mp3?token=secret")));
    assertInstanceOf(AudioDecodeException.class, e);
    assertTrue(e.getMessage().contains("/garbage.mp3: not a WAV or MP3 file"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void aUrlTheSsrfGuardRefusesFailsWithoutARequest() throws Exception {
    server.serve("/internal.wav", "audio/wav", oneSecondWav());
    FlowHttpClient strict =
        new FlowHttpClient(testKit.system(), config("openvoice.http.outbound.allow-loopback = false"));
    PromptCache.Settings s = noFailureCache();
    PromptCache cache = new PromptCache(PromptCache.httpFetcher(strict, s.maxFileBytes(), s.timeout()), pool, s);
    FetchException e = FetchException.unwrap(failure(cache.get(server.url("/internal.wav"))));
    assertNotNull(e);
    assertEquals(FetchException.Kind.REFUSED_BY_GUARD, e.kind());
    assertEquals(0, server.hits("/internal.wav"));
  }

  @Test
  void settingsComeFromTheMediaPlayBlock(@TempDir Path dir) {
    PromptCache.Settings s = PromptCache.Settings.fromConfig(ConfigFactory.load());
    assertEquals(128L << 20, s.cacheBytes());
    assertEquals(20L << 20, s.maxFileBytes());
    assertEquals(Duration.ofSeconds(15), s.timeout());
    assertEquals(Duration.ofMinutes(10), s.maxDuration());
    assertNotNull(s.dir());
    assertTrue(s.dir().endsWith("prompts"), s.dir().toString());

    Config custom = config("openvoice.media.play { dir = \"\", cache-bytes = 1m }");
    PromptCache fromConfig = PromptCache.fromConfig(custom, client, pool);
    assertNull(fromConfig.settings().dir(), "an empty dir means no disk cache");
    assertEquals(1L << 20, fromConfig.settings().cacheBytes());
    assertNull(fromConfig.diskFile("http://example.invalid/x.wav"));
  }
}
