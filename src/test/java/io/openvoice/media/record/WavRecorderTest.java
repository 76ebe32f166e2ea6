package io.openvoice.media.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import io.openvoice.media.record.WavRecorder.Options;
import io.openvoice.media.record.WavRecorder.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavRecorderTest {
    private static final long MS = 1_000_000L;
    private static final int N = Audio.FRAME_SAMPLES;

    @TempDir
    Path dir;

    /** The test's clock, starting far from zero: the recorder must count from its own start. */
    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    /** Runs the writer's tasks only when the test says so. */
    private final ManualExecutor writer = new ManualExecutor();

    private static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            tasks.add(r);
        }

        void runAll() {
            while (true) {
                Runnable r;
                synchronized (this) {
                    r = tasks.poll();
                }
                if (r == null) {
                    return;
                }
                r.run();
            }
        }
    }

    /** A decoded WAV: channel count and the interleaved samples, after checking the header describes them. */
    private record Pcm(int channels, short[] samples) {
        int frames() {
            return samples.length / channels;
        }

        short at(int frame, int channel) {
            return samples[frame * channels + channel];
        }
    }

    private WavRecorder start(Options options) {
        return WavRecorder.start(dir.resolve("rec.wav"), options, writer, now::get);
    }

    private void advanceMs(long ms) {
        now.addAndGet(ms * MS);
    }

    private static short[] frame(int value) {
        short[] f = new short[N];
        Arrays.fill(f, (short) value);
        return f;
    }

    private RecordingResult stop(WavRecorder r) throws Exception {
        CompletableFuture<RecordingResult> f = r.stop().toCompletableFuture();
        writer.runAll();
        return f.get(10, TimeUnit.SECONDS);
    }

    private static Pcm read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(b, 0, 4, "US-ASCII"));
        assertEquals(b.length - 8, h.getInt(4), "RIFF size");
        assertEquals("WAVEfmt ", new String(b, 8, 8, "US-ASCII"));
        assertEquals(1, h.getShort(20), "PCM");
        int channels = h.getShort(22);
        assertEquals(8000, h.getInt(24));
        assertEquals(8000 * 2 * channels, h.getInt(28));
        assertEquals(2 * channels, h.getShort(32));
        assertEquals(16, h.getShort(34));
        assertEquals("data", new String(b, 36, 4, "US-ASCII"));
        assertEquals(b.length - 44, h.getInt(40), "data size");
        short[] s = new short[(b.length - 44) / 2];
        ByteBuffer.wrap(b, 44, b.length - 44).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return new Pcm(channels, s);
    }

    private static void assertSlot(Pcm pcm, int slot, int channel, int value) {
        for (int i = 0; i < N; i++) {
            assertEquals(value, pcm.at(slot * N + i, channel), "slot " + slot + " sample " + i + " channel " + channel);
        }
    }

    @Test
    void framesOfBothSourcesInTheSameSlotAreAddedWithSaturation() throws Exception {
        WavRecorder r = start(Options.mono(0));
        r.write(Source.CALLER, frame(1000));
        r.write(Source.OTHER, frame(2000));
        advanceMs(20);
        r.write(Source.CALLER, frame(30000));
        r.write(Source.OTHER, frame(10000));
        advanceMs(20);
        r.write(Source.CALLER, frame(-30000));
        r.write(Source.OTHER, frame(-10000));
        advanceMs(20);
        stop(r);

        Pcm pcm = read(dir.resolve("rec.wav"));
        assertEquals(1, pcm.channels());
        assertEquals(3 * N, pcm.frames());
        assertSlot(pcm, 0, 0, 3000);
        assertSlot(pcm, 1, 0, Short.MAX_VALUE);
        assertSlot(pcm, 2, 0, Short.MIN_VALUE);
    }

    @Test
    void slotsNobodySentAudioForAreSilence() throws Exception {
        WavRecorder r = start(Options.mono(0));
        for (int i = 0; i < 5; i++) {
            r.write(Source.CALLER, frame(500));
            advanceMs(20);
        }
        advanceMs(1000); // hold / silence suppression: nothing arrives
        r.write(Source.CALLER, frame(700));
        advanceMs(20);
        RecordingResult res = stop(r);

        Pcm pcm = read(res.file());
        assertEquals(56 * N, pcm.frames());
        for (int s = 0; s < 5; s++) {
            assertSlot(pcm, s, 0, 500);
        }
        for (int s = 5; s < 55; s++) {
            assertSlot(pcm, s, 0, 0);
        }
        assertSlot(pcm, 55, 0, 700);
    }

    @Test
    void fileLastsAsLongAsTheClockRanEvenWithoutAnyAudio() throws Exception {
        WavRecorder r = start(Options.mono(0));
        advanceMs(3000);
        RecordingResult res = stop(r);

        assertEquals(3000, res.durationMs());
        assertEquals(44 + 3000 * 8 * 2, res.bytes());
        assertEquals(res.bytes(), Files.size(res.file()));
        assertEquals(24_000, read(res.file()).frames());
    }

    @Test
    void stopPadsSilenceUpToTheStopTimeAndKeepsTheFrameOfTheCurrentSlot() throws Exception {
        WavRecorder r = start(Options.mono(0));
        for (int i = 0; i < 10; i++) {
            r.write(Source.CALLER, frame(100 + i));
            advanceMs(20);
        }
        advanceMs(390); // 590 ms
        r.write(Source.OTHER, frame(-5));
        advanceMs(5); // stop 5 ms into the slot of that last frame
        RecordingResult res = stop(r);

        assertEquals(600, res.durationMs());
        Pcm pcm = read(res.file());
        assertEquals(30 * N, pcm.frames());
        assertSlot(pcm, 9, 0, 109);
        assertSlot(pcm, 28, 0, 0);
        assertSlot(pcm, 29, 0, -5);
    }

    @Test
    void stereoPutsTheCallerLeftAndTheOtherPartyRight() throws Exception {
        WavRecorder r = start(Options.stereo(0));
        r.write(Source.CALLER, frame(1111));
        r.write(Source.OTHER, frame(-2222));
        advanceMs(20);
        r.write(Source.OTHER, frame(333));
        advanceMs(20);
        r.write(Source.CALLER, frame(444));
        advanceMs(20);
        RecordingResult res = stop(r);

        Pcm pcm = read(res.file());
        assertEquals(2, pcm.channels());
        assertEquals(3 * N, pcm.frames());
        assertEquals(60, res.durationMs());
        assertEquals(44 + 3 * N * 4, res.bytes());
        assertSlot(pcm, 0, 0, 1111);
        assertSlot(pcm, 0, 1, -2222);
        assertSlot(pcm, 1, 0, 0);
        assertSlot(pcm, 1, 1, 333);
        assertSlot(pcm, 2, 0, 444);
        assertSlot(pcm, 2, 1, 0);
    }

    @Test
    void framesThatArriveTogetherAfterJitterKeepTheirOrderInsteadOfMixing() throws Exception {
        WavRecorder r = start(Options.mono(0));
        r.write(Source.CALLER, frame(1));
        r.write(Source.CALLER, frame(2)); // same arrival slot: the next slot of this source
        advanceMs(40);
        r.write(Source.CALLER, frame(3));
        advanceMs(20);
        RecordingResult res = stop(r);

        Pcm pcm = read(res.file());
        assertEquals(3 * N, pcm.frames());
        assertSlot(pcm, 0, 0, 1);
        assertSlot(pcm, 1, 0, 2);
        assertSlot(pcm, 2, 0, 3);
    }

    @Test
    void sourceFarAheadOfTheClockHasItsExtraFramesDropped() throws Exception {
        WavRecorder r = start(Options.mono(0));
        for (int i = 0; i < 15; i++) {
            r.write(Source.CALLER, frame(i + 1)); // 15 frames in one instant: 300 ms of audio
        }
        advanceMs(400);
        RecordingResult res = stop(r);

        Pcm pcm = read(res.file());
        assertEquals(20 * N, pcm.frames());
        for (int s = 0; s <= WavRecorder.EARLY_SLOTS; s++) {
            assertSlot(pcm, s, 0, s + 1);
        }
        for (int s = WavRecorder.EARLY_SLOTS + 1; s < 20; s++) {
            assertSlot(pcm, s, 0, 0);
        }
    }

    @Test
    void maximumLengthStopsTheRecordingByItself() throws Exception {
        WavRecorder r = start(Options.mono(1000));
        int accepted = 0;
        for (int i = 0; i < 75; i++) { // 1.5 s of frames
            if (r.write(Source.CALLER, frame(10))) {
                accepted++;
            }
            advanceMs(20);
        }
        writer.runAll();

        assertEquals(50, accepted);
        assertTrue(r.isStopped());
        RecordingResult res = r.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1000, res.durationMs());
        Pcm pcm = read(res.file());
        assertEquals(8000, pcm.frames());
        assertSlot(pcm, 49, 0, 10);
        assertEquals(res, stop(r), "a stop after the maximum changes nothing");
    }

    @Test
    void tickEndsAtItsMaximumLengthARecordingThatReceivesNoAudio() throws Exception {
        WavRecorder r = start(Options.mono(500));
        advanceMs(300);
        r.tick();
        assertFalse(r.isStopped());
        advanceMs(500);
        r.tick();
        writer.runAll();

        assertTrue(r.isStopped());
        RecordingResult res = r.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(500, res.durationMs());
        assertEquals(4000, read(res.file()).frames());
    }

    @Test
    void stopLaterThanTheMaximumLengthIsCutAtTheMaximum() throws Exception {
        WavRecorder r = start(Options.mono(400));
        advanceMs(900);
        assertEquals(400, stop(r).durationMs());
    }

    @Test
    void stopIsIdempotentAndFramesAfterItAreDropped() throws Exception {
        WavRecorder r = start(Options.mono(0));
        r.write(Source.CALLER, frame(9));
        advanceMs(200);
        CompletableFuture<RecordingResult> first = r.stop().toCompletableFuture();
        advanceMs(500);
        assertFalse(r.write(Source.CALLER, frame(9)));
        CompletableFuture<RecordingResult> second = r.stop().toCompletableFuture();
        writer.runAll();

        RecordingResult res = first.get(10, TimeUnit.SECONDS);
        assertSame(res, second.get(10, TimeUnit.SECONDS));
        assertEquals(200, res.durationMs());
        assertEquals(1600, read(res.file()).frames());
    }

    @Test
    void recordingReadsBackWithWavCodecAtTheExpectedSampleCount() throws Exception {
        for (Options options : new Options[] {Options.mono(0), Options.stereo(0)}) {
            WavRecorder r = WavRecorder.start(dir.resolve(options.stereo() + ".wav"), options, writer, now::get);
            for (int i = 0; i < 100; i++) {
                if (i % 3 != 0) {
                    r.write(Source.CALLER, frame(i * 10));
                }
                if (i % 2 == 0) {
                    r.write(Source.OTHER, frame(-i));
                }
                advanceMs(20);
            }
            RecordingResult res = stop(r);
            assertEquals(2000, res.durationMs());
            Audio back = WavCodec.read(Files.readAllBytes(res.file()));
            assertEquals(16_000, back.samples(), options.toString());
        }
    }

    @Test
    void nothingTouchesTheFileUntilTheWriterRuns() throws Exception {
        WavRecorder r = start(Options.mono(0));
        for (int i = 0; i < 60; i++) {
            r.write(Source.CALLER, frame(1));
            advanceMs(20);
        }
        r.stop();
        assertFalse(Files.exists(dir.resolve("rec.wav")), "the caller's thread did no I/O");
        writer.runAll();
        assertEquals(60 * N, read(dir.resolve("rec.wav")).frames());
    }

    @Test
    void fullQueueDropsFramesInsteadOfBlockingTheCaller() throws Exception {
        WavRecorder r = start(new Options(false, 0, 5));
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (r.write(Source.CALLER, frame(3))) {
                accepted++;
            }
            advanceMs(20);
        }
        assertEquals(5, accepted);
        RecordingResult res = stop(r);
        Pcm pcm = read(res.file());
        assertEquals(10 * N, pcm.frames());
        assertSlot(pcm, 4, 0, 3);
        assertSlot(pcm, 5, 0, 0);
    }

    @Test
    void frameOfTheWrongSizeIsRefused() {
        WavRecorder r = start(Options.mono(0));
        assertThrows(IllegalArgumentException.class, () -> r.write(Source.CALLER, new short[240]));
    }

    @Test
    void ioErrorFailsTheResultAndDeletesThePartialFile() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs Linux /dev/full");
        Path link = Files.createSymbolicLink(dir.resolve("broken.wav"), full);
        WavRecorder r = WavRecorder.start(link, Options.mono(0), writer, now::get);
        r.write(Source.CALLER, frame(1));
        advanceMs(100);
        CompletableFuture<RecordingResult> f = r.stop().toCompletableFuture();
        writer.runAll();

        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "partial file deleted");
        assertTrue(r.isStopped());
        assertFalse(r.write(Source.CALLER, frame(1)));
    }

    @Test
    void framesFromSeveralThreadsEndUpInOneValidFile() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            WavRecorder r = WavRecorder.start(dir.resolve("threads.wav"), Options.stereo(0), pool, now::get);
            CountDownLatch go = new CountDownLatch(1);
            Thread[] senders = new Thread[2];
            for (int t = 0; t < 2; t++) {
                Source source = Source.values()[t];
                senders[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 500; i++) {
                        r.write(source, frame(source == Source.CALLER ? 1 : -1));
                        now.addAndGet(2 * MS); // both move the clock; each source runs faster than real time
                    }
                });
                senders[t].start();
            }
            go.countDown();
            for (Thread t : senders) {
                t.join();
            }
            RecordingResult res = r.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertEquals(2000, res.durationMs());
            Pcm pcm = read(res.file());
            assertEquals(16_000, pcm.frames());
            for (int i = 0; i < pcm.frames(); i++) {
                assertTrue(pcm.at(i, 0) == 0 || pcm.at(i, 0) == 1, "left holds caller audio or silence");
                assertTrue(pcm.at(i, 1) == 0 || pcm.at(i, 1) == -1, "right holds the other side or silence");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
