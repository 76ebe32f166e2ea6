package io.openvoice.media.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.openvoice.http.FlowHttpClient;
import io.openvoice.media.Audio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MusicOnHold}: the configured file (URL through the real cache and HTTP client, or local), else generated. */
class MusicOnHoldTest {
  private static ActorTestKit testKit;
  private static AudioServer server;
  private static ExecutorService pool;
  private static PromptCache cache;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create(PromptCacheTest.config(""));
    server = new AudioServer();
    pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-hold-io"));
    FlowHttpClient client = new FlowHttpClient(testKit.system(), PromptCacheTest.config(""));
    PromptCache.Settings s = PromptCache.Settings.defaults().withFailureTtl(Duration.ZERO);
    cache = new PromptCache(PromptCache.httpFetcher(client, s.maxFileBytes(), s.timeout()), pool, s);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (pool != null) pool.shutdownNow();
    if (testKit != null) testKit.shutdownTestKit();
  }

  private static Audio await(CompletionStage<Audio> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void withoutConfiguredMusicTheGeneratedMusicPlays() throws Exception {
    MusicOnHold hold =
        MusicOnHold.fromConfig(ConfigFactory.parseString("openvoice.media.hold.music = \"\""), cache, pool);
    assertNull(hold.source());
    assertSame(MusicOnHold.generated(), await(hold.audio()));
  }

  @Test
  void generatedMusicIsSixteenQuietSecondsThatLoopWithoutAClick() {
    Audio music = MusicOnHold.generated();
    assertEquals(16 * Audio.RATE, music.samples());
    assertTrue(music.peak() < 32768 / 8, "quiet: peak " + music.peak()); // below -18 dBFS
    assertTrue(music.rms() > 300, "but audible: rms " + music.rms());
    assertTrue(Math.abs(music.sample(0)) < 50 && Math.abs(music.sample(music.samples() - 1)) < 50,
        "starts and ends at silence, so looping it does not click");
    Audio firstChord = music.slice(0, 2 * Audio.RATE); // C major: C5 E5 G5
    assertTrue(Fixtures.power(firstChord, 523) > 20 * Fixtures.power(firstChord, 1000));
    assertTrue(Fixtures.power(firstChord, 784) > 20 * Fixtures.power(firstChord, 1000));
  }

  @Test
  void aLocalWavFileIsReadAndDecodedOnce(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("hold.wav"), Fixtures.wav16kStereo(2500));
    MusicOnHold hold = new MusicOnHold(file.toString(), cache, pool);
    Audio a = await(hold.audio());
    assertEquals(20_000, a.samples(), 2);
    Files.delete(file);
    assertSame(a, await(hold.audio()), "read once, then kept");

    Path mp3 = Files.write(dir.resolve("hold.mp3"), Fixtures.monoMp3());
    assertTrue(await(new MusicOnHold(mp3.toUri().toString(), cache, pool).audio()).samples() >= 8000);
  }

  @Test
  void aHoldMusicUrlIsFetchedThroughTheCacheOnce() throws Exception {
    String url = server.serve("/hold.mp3", "audio/mpeg", Fixtures.stereoMp3());
    MusicOnHold hold = MusicOnHold.fromConfig(
        ConfigFactory.parseString("openvoice.media.hold.music = \"" + url + "\""), cache, pool);
    assertEquals(url, hold.source());
    Audio a = await(hold.audio());
    assertTrue(a.samples() >= 16_000, a.toString());
    assertSame(a, await(hold.audio()));
    assertEquals(1, server.hits("/hold.mp3"));
  }

  @Test
  void musicThatCannotBeHadFallsBackToTheGeneratedMusic(@TempDir Path dir) throws Exception {
    assertSame(MusicOnHold.generated(), await(new MusicOnHold(server.url("/no-such-hold.mp3"), cache, pool).audio()));
    assertSame(MusicOnHold.generated(),
        await(new MusicOnHold(dir.resolve("missing.wav").toString(), cache, pool).audio()));
    Path garbage = Files.writeString(dir.resolve("garbage.wav"), "this is not audio");
    assertSame(MusicOnHold.generated(), await(new MusicOnHold(garbage.toString(), cache, pool).audio()));
  }
}
