package io.openvoice.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EspeakTtsTest {

    private static boolean espeak;

    @TempDir
    Path cache;
    private ExecutorService pool;

    @BeforeAll
    static void detect() {
        espeak = Signals.espeakAvailable();
    }

    @BeforeEach
    void start() {
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
    }

    private static Audio await(java.util.concurrent.CompletionStage<Audio> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<Audio> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(60, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void rendersRealSpeech() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, pool);
        Audio a = await(tts.render("Hello, thank you for calling. Please hold.", null, null, "female"));
        assertTrue(a.durationMs() > 1000 && a.durationMs() < 10_000, "plausible duration " + a.durationMs());
        assertTrue(a.rms() > 300, "not silent: rms " + a.rms());
        assertTrue(a.peak() > 3000, "not silent: peak " + a.peak());
        assertEquals(1, tts.renderCount());
    }

    @Test
    void secondRenderOfTheSameRequestIsServedFromMemoryWithoutAProcess() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, pool);
        Audio first = await(tts.render("Your call is important to us", null, "en-us", "male"));
        Audio second = await(tts.render("Your call is important to us", null, "en-us", "male"));
        assertEquals(1, tts.renderCount());
        assertSame(first, second);
    }

    @Test
    void diskCacheSurvivesANewEngineInstance() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts one = new EspeakTts("espeak-ng", cache, 16, pool);
        Audio rendered = await(one.render("Goodbye", null, null, null));
        assertEquals(1, one.renderCount());
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.filter(p -> p.toString().endsWith(".wav")).count(), "one cached WAV, no temp files");
        }

        EspeakTts two = new EspeakTts("espeak-ng", cache, 16, pool);
        assertEquals(rendered, await(two.render("Goodbye", null, null, null)));
        assertEquals(0, two.renderCount());
    }

    @Test
    void differentVoiceParametersAreRenderedSeparately() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, pool);
        Audio female = await(tts.render("Press one", null, null, "female"));
        Audio male = await(tts.render("Press one", null, null, "male"));
        assertEquals(2, tts.renderCount());
        assertNotEquals(female, male);
    }

    @Test
    void memoryCacheIsBoundedLeastRecentlyUsed() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 1, pool);
        await(tts.render("alpha", null, null, null));
        await(tts.render("bravo", null, null, null));
        assertEquals(2, tts.renderCount());
        deleteCachedWavs();
        await(tts.render("bravo", null, null, null)); // still in memory
        assertEquals(2, tts.renderCount());
        await(tts.render("alpha", null, null, null)); // evicted and not on disk any more
        assertEquals(3, tts.renderCount());
    }

    @Test
    void concurrentRequestsForTheSameKeyShareOneRender() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        List<Runnable> queued = new ArrayList<>();
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, queued::add);
        List<CompletableFuture<Audio>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(tts.render("Please wait", null, null, null).toCompletableFuture());
        }
        assertEquals(1, queued.size(), "one render task for five requests");
        for (CompletableFuture<Audio> f : futures) {
            assertFalse(f.isDone(), "completes on the blocking executor, not the caller");
        }
        queued.get(0).run();
        Audio first = futures.get(0).get();
        for (CompletableFuture<Audio> f : futures) {
            assertSame(first, f.get());
        }
        assertEquals(1, tts.renderCount());
        assertTrue(first.rms() > 300);
    }

    @Test
    void textStartingWithADashIsSpokenNotParsedAsAnOption() throws Exception {
        assumeTrue(espeak, "espeak-ng not installed");
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, pool);
        Audio a = await(tts.render("-v is not an option", null, null, null));
        assertTrue(a.durationMs() > 500 && a.rms() > 300);
    }

    @Test
    void missingBinaryFailsCleanly() {
        EspeakTts tts = new EspeakTts(cache.resolve("no-such-espeak").toString(), cache, 16, pool);
        Throwable t = failure(tts.render("hello", null, null, null));
        assertInstanceOf(TtsException.class, t);
        assertTrue(t.getMessage().contains("no-such-espeak"), t.getMessage());
        assertEquals(0, tts.renderCount());
        // failures are not cached: a later request tries again (and fails again)
        assertInstanceOf(TtsException.class, failure(tts.render("hello", null, null, null)));
    }

    @Test
    void engineErrorsAreReportedWithTheirStderr(@TempDir Path bin) throws Exception {
        Path fake = script(bin, "fail.sh", "#!/bin/sh\necho 'voice exploded' >&2\nexit 3\n");
        EspeakTts tts = new EspeakTts(fake.toString(), cache, 16, pool);
        Throwable t = failure(tts.render("hello", null, null, null));
        assertInstanceOf(TtsException.class, t);
        assertTrue(t.getMessage().contains("status 3") && t.getMessage().contains("voice exploded"), t.getMessage());
        assertEquals(1, tts.renderCount());
    }

    @Test
    void hungEngineIsKilledAfterTheTimeout(@TempDir Path bin) throws Exception {
        Path fake = script(bin, "hang.sh", "#!/bin/sh\nexec sleep 60\n");
        EspeakTts tts = new EspeakTts(fake.toString(), cache, 16, pool, 300);
        Throwable t = failure(tts.render("hello", null, null, null));
        assertInstanceOf(TtsException.class, t);
        assertTrue(t.getMessage().contains("timed out"), t.getMessage());
    }

    @Test
    void invalidRequestsFailWithoutStartingAProcess() {
        EspeakTts tts = new EspeakTts("espeak-ng", cache, 16, pool);
        assertInstanceOf(TtsException.class, failure(tts.render("  ", null, null, null)));
        assertInstanceOf(TtsException.class, failure(tts.render(null, null, null, null)));
        assertInstanceOf(TtsException.class, failure(tts.render("hi", "-x", null, null)));
        assertInstanceOf(TtsException.class, failure(tts.render("hi", null, "en us; rm", null)));
        assertEquals(0, tts.renderCount());
    }

    @Test
    void mapsLanguageGenderAndVoiceToTheEspeakVoiceArgument() {
        assertEquals("en-us", EspeakTts.voiceSpec(null, null, null));
        assertEquals("en-us+f3", EspeakTts.voiceSpec(null, null, "female"));
        assertEquals("en-us+m3", EspeakTts.voiceSpec("", "", "MALE"));
        assertEquals("fr+f3", EspeakTts.voiceSpec(null, "fr", "female"));
        assertEquals("en-gb", EspeakTts.voiceSpec(null, "en_GB", "neutral"));
        assertEquals("de+klatt", EspeakTts.voiceSpec("de+klatt", "fr", "female"));
        assertNotEquals(EspeakTts.cacheKey("a", "en-us"), EspeakTts.cacheKey("a", "en-us+f3"));
        assertEquals(64, EspeakTts.cacheKey("a", "en-us").length());
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private void deleteCachedWavs() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
    }
}
