package io.openvoice.media.record;

import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a call's audio in real time into an 8 kHz 16-bit PCM WAV file, mono (both sources mixed) or stereo
 * (caller left, other right).
 *
 * <p>Time is cut into 20 ms slots counted from the start. Each 160-sample frame goes into the slot of its arrival
 * time, or, when frames of a source come bunched (RTP jitter), into the slot after that source's previous frame, so
 * a burst keeps its order instead of piling up in one slot. A source that ran ahead that way catches up at its next
 * pause; one more than {@value #EARLY_SLOTS} slots ahead of the clock has its frames dropped. Frames of different
 * sources in the same slot are added with saturation; a slot nobody filled is silence. The file is as long as the
 * recording lasted by the clock, whatever arrived.
 *
 * <p>{@link #write} only stamps the frame with the time and puts a copy in a bounded queue (a full queue drops the
 * frame, leaving silence); a writer task on the given executor drains it in batches, mixes, and appends to the
 * file. No file I/O ever happens on the calling thread, and no thread is held between batches, so one blocking pool
 * serves every recording. {@link #stop} pads silence up to the stop time, writes the final sizes into the header
 * and completes the result. A maximum length stops the recording at that length by itself when a frame or a
 * {@link #tick} comes after it. An I/O error fails the result and deletes the file.
 *
 * <p>Thread-safe: any thread may write, tick and stop.
 */
public final class WavRecorder {
    private static final Logger log = LoggerFactory.getLogger(WavRecorder.class);

    /** Where a frame comes from: received from the caller, or the other side (bridged party, our prompts). */
    public enum Source {
        CALLER,
        OTHER
    }

    /**
     * {@code stereo}: caller left, other right (else one mixed channel). {@code maxLengthMs}: the recording stops by
     * itself at this length (rounded down to 20 ms); 0 for no limit but the WAV format's 4 GiB. {@code queueFrames}:
     * frames that may wait for the writer before new ones are dropped.
     */
    public record Options(boolean stereo, long maxLengthMs, int queueFrames) {
        /** Room for 10 s of frames from both sources. */
        public static final int DEFAULT_QUEUE_FRAMES = 1000;

        public Options {
            if (maxLengthMs < 0) {
                throw new IllegalArgumentException("maxLengthMs must be >= 0 (0: no limit), got " + maxLengthMs);
            }
            if (queueFrames < 1) {
                throw new IllegalArgumentException("queueFrames must be >= 1, got " + queueFrames);
            }
        }

        public static Options mono(long maxLengthMs) {
            return new Options(false, maxLengthMs, DEFAULT_QUEUE_FRAMES);
        }

        public static Options stereo(long maxLengthMs) {
            return new Options(true, maxLengthMs, DEFAULT_QUEUE_FRAMES);
        }
    }

    static final long SLOT_NANOS = 20_000_000L;
    private static final int SAMPLES = Audio.FRAME_SAMPLES;
    /** How far ahead of the clock a source's frames may be placed (jitter bursts); beyond, they are dropped. */
    static final int EARLY_SLOTS = 10;
    /** Slots before the current one still open for frames (one frame may be timestamped before a drain reads the
     * clock and queued after it polled the queue). */
    private static final int OPEN_SLOTS = 2;
    /** Slots held in memory before they are written; more than EARLY + OPEN. */
    private static final int WINDOW = 16;
    /** Queued frames that make {@link #write} start the writer. */
    static final int BATCH = 25;

    private final Path file;
    private final boolean stereo;
    private final int channels;
    private final Executor executor;
    private final LongSupplier clock;
    private final long startNanos;
    /** Length limit in slots and in nanoseconds from the start. */
    private final long maxSlots;
    private final long maxNanos;
    private final int capacity;

    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Nanoseconds from the start at which the recording stops; -1 while it runs. Set once. */
    private final AtomicLong stopElapsed = new AtomicLong(-1);
    private final CompletableFuture<RecordingResult> result = new CompletableFuture<>();
    private volatile boolean finished;

    // Writer state: touched by one drain at a time (drainScheduled orders them).
    private FileChannel channel;
    private long written;
    private final long[] nextSlot = new long[Source.values().length];
    private final short[][] window;
    private long droppedOutOfTime;

    private record Frame(int source, long nanos, short[] samples) {}

    private WavRecorder(Path file, Options options, Executor executor, LongSupplier clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
        this.stereo = options.stereo();
        this.channels = stereo ? 2 : 1;
        this.capacity = options.queueFrames();
        long fits = WavCodec.MAX_DATA_BYTES / slotBytes();
        long wanted = options.maxLengthMs() == 0 ? fits : options.maxLengthMs() * 1_000_000L / SLOT_NANOS;
        this.maxSlots = Math.min(wanted, fits);
        this.maxNanos = maxSlots * SLOT_NANOS;
        this.window = new short[channels][WINDOW * SAMPLES];
        this.startNanos = clock.getAsLong();
    }

    /** Starts recording into {@code file} now (by {@code System.nanoTime}); the writer runs on {@code writer}. */
    public static WavRecorder start(Path file, Options options, Executor writer) {
        return start(file, options, writer, System::nanoTime);
    }

    /**
     * Starts recording into {@code file} (created with its directories, replaced if it exists) at the time
     * {@code nanoClock} tells now. {@code writer} is a blocking-I/O executor; the file is opened there at once.
     */
    public static WavRecorder start(Path file, Options options, Executor writer, LongSupplier nanoClock) {
        WavRecorder r = new WavRecorder(file, options, writer, nanoClock);
        r.schedule();
        return r;
    }

    public Path file() {
        return file;
    }

    /** Whether the recording no longer takes frames (stopped, at its maximum length, or failed). */
    public boolean isStopped() {
        return stopElapsed.get() >= 0 || finished;
    }

    /**
     * Records one 20 ms frame ({@value io.openvoice.media.Audio#FRAME_SAMPLES} samples, copied) of {@code source}
     * as heard now. Never blocks and never does I/O. Returns false when the frame was dropped: the recording has
     * stopped, has reached its maximum length (which stops it), or the writer is too far behind.
     */
    public boolean write(Source source, short[] frame) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(frame, "frame");
        if (frame.length != SAMPLES) {
            throw new IllegalArgumentException("a frame is " + SAMPLES + " samples, got " + frame.length);
        }
        if (isStopped()) {
            return false;
        }
        long now = clock.getAsLong();
        if (now - startNanos >= maxNanos) {
            stopAtElapsed(maxNanos);
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            overflow.incrementAndGet();
            return false;
        }
        queue.add(new Frame(source.ordinal(), now, frame.clone()));
        if (queued.get() >= BATCH) {
            schedule();
        }
        return true;
    }

    /**
     * Stops the recording if its maximum length has passed. Frames do this too; call it from a periodic timer (the
     * media pacer) so a recording with no incoming audio also ends on time.
     */
    public void tick() {
        if (!isStopped() && clock.getAsLong() - startNanos >= maxNanos) {
            stopAtElapsed(maxNanos);
        }
    }

    /**
     * Stops now (at the maximum length if that came first): silence is padded up to the stop time and the file
     * closed. Idempotent: every call returns the same outcome. Frames written after stop are dropped.
     */
    public CompletionStage<RecordingResult> stop() {
        stopAtElapsed(Math.min(clock.getAsLong() - startNanos, maxNanos));
        return result();
    }

    /** Completes when the recording has ended (stop, maximum length) and the file is complete, or failed. */
    public CompletionStage<RecordingResult> result() {
        return result.minimalCompletionStage();
    }

    private void stopAtElapsed(long elapsed) {
        if (stopElapsed.compareAndSet(-1, Math.max(0, elapsed))) {
            schedule();
        }
    }

    private void schedule() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drainScheduled.set(false);
            finished = true;
            log.warn("recording {}: writer executor refused work; recording abandoned", file);
            result.completeExceptionally(new IOException("recording writer executor refused work", e));
        }
    }

    private void drain() {
        try {
            if (!finished) {
                long stopAt = stopElapsed.get(); // before polling: frames queued before the stop are all drained
                long limit = stopAt < 0 ? maxSlots : Math.min(ceilDiv(stopAt, SLOT_NANOS), maxSlots);
                ByteBuffer out = ByteBuffer.allocate(16 * slotBytes()).order(ByteOrder.LITTLE_ENDIAN);
                open();
                Frame f;
                while ((f = queue.poll()) != null) {
                    queued.decrementAndGet();
                    place(f, limit, out);
                }
                if (stopAt >= 0) {
                    finish(limit, out);
                } else {
                    long now = (clock.getAsLong() - startNanos) / SLOT_NANOS;
                    writeUpTo(Math.min(now - OPEN_SLOTS, limit), out);
                    flush(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            if (finished) {
                queue.clear();
            }
            drainScheduled.set(false);
        }
        if (!finished && (queued.get() >= BATCH || stopElapsed.get() >= 0)) {
            schedule();
        }
    }

    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        writeFully(ByteBuffer.wrap(WavCodec.header(channels, 0)));
    }

    /** Puts a frame in its slot (see the class comment), writing out slots that leave the window. */
    private void place(Frame f, long limit, ByteBuffer out) throws IOException {
        long arrival = Math.max(0, f.nanos() - startNanos) / SLOT_NANOS;
        long slot = Math.max(arrival, nextSlot[f.source()]);
        slot = Math.max(slot, written); // a slot already on disk: take the next open one
        if (slot > arrival + EARLY_SLOTS || slot >= limit) {
            droppedOutOfTime++;
            return;
        }
        while (slot >= written + WINDOW) {
            writeSlot(out);
        }
        short[] mix = window[stereo ? f.source() : 0];
        int base = (int) (slot % WINDOW) * SAMPLES;
        short[] in = f.samples();
        for (int i = 0; i < SAMPLES; i++) {
            int v = mix[base + i] + in[i];
            mix[base + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        nextSlot[f.source()] = slot + 1;
    }

    private void writeUpTo(long slots, ByteBuffer out) throws IOException {
        while (written < slots) {
            writeSlot(out);
        }
    }

    private void writeSlot(ByteBuffer out) throws IOException {
        if (out.remaining() < slotBytes()) {
            flush(out);
        }
        int base = (int) (written % WINDOW) * SAMPLES;
        short[] left = window[0];
        if (stereo) {
            short[] right = window[1];
            for (int i = 0; i < SAMPLES; i++) {
                out.putShort(left[base + i]);
                out.putShort(right[base + i]);
            }
            Arrays.fill(right, base, base + SAMPLES, (short) 0);
        } else {
            for (int i = 0; i < SAMPLES; i++) {
                out.putShort(left[base + i]);
            }
        }
        Arrays.fill(left, base, base + SAMPLES, (short) 0);
        written++;
    }

    private void flush(ByteBuffer out) throws IOException {
        out.flip();
        writeFully(out);
        out.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void finish(long slots, ByteBuffer out) throws IOException {
        writeUpTo(slots, out);
        flush(out);
        long dataBytes = written * slotBytes();
        ByteBuffer header = ByteBuffer.wrap(WavCodec.header(channels, dataBytes));
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        channel.force(true);
        channel.close();
        finished = true;
        long dropped = overflow.get() + droppedOutOfTime;
        if (dropped > 0) {
            log.debug("recording {}: {} frames dropped (writer behind: {}, out of time: {})", file, dropped,
                    overflow.get(), droppedOutOfTime);
        }
        result.complete(new RecordingResult(file, written * SLOT_NANOS / 1_000_000L,
                WavCodec.HEADER_BYTES + dataBytes));
    }

    private void fail(Throwable e) {
        finished = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException d) {
            e.addSuppressed(d);
        }
        log.warn("recording {} failed: {}", file, e.toString());
        result.completeExceptionally(e);
    }

    private int slotBytes() {
        return SAMPLES * 2 * channels;
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
