package io.openvoice.media;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@link TtsEngine} backed by the {@code espeak-ng} command line tool.
 *
 * <p>Runs {@code espeak-ng} (binary path configurable) on the given executor (a blocking dispatcher), caches the
 * result in memory (LRU bounded by maxEntries) and on disk under cacheDir keyed by sha256 of (text, voice, lang,
 * gender) so each is rendered once; concurrent requests for the same key share one render. lang default "en-us";
 * gender "female" -> voice variant "+f3", "male" -> "+m3"; voice, if given, overrides (espeak voice name). Text is
 * passed as an argument, never through a shell. Timeout 20 s per render (the process is destroyed).
 *
 * <p>Cache hits in memory return an already completed stage. Failed renders are not cached. The disk cache holds
 * 8 kHz mono WAV files named {@code <sha256>.wav} and is not pruned by this class.
 */
public final class EspeakTts implements TtsEngine {

    static final long TIMEOUT_SECONDS = 20;
    private static final int SPEED_WPM = 160;
    private static final int MAX_TEXT_CHARS = 20_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_+./-]{0,63}");

    private final String binary;
    private final Path cacheDir;
    private final int maxEntries;
    private final Executor blocking;
    private final long timeoutMillis;

    private final LinkedHashMap<String, Audio> memory;
    private final ConcurrentHashMap<String, CompletableFuture<Audio>> inFlight = new ConcurrentHashMap<>();

    /** Number of espeak-ng processes started (for tests and metrics). */
    final AtomicInteger processStarts = new AtomicInteger();

    public EspeakTts(String binary, Path cacheDir, int maxEntries, Executor blocking) {
        this(binary, cacheDir, maxEntries, blocking, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }

    EspeakTts(String binary, Path cacheDir, int maxEntries, Executor blocking, long timeoutMillis) {
        if (binary == null || binary.isBlank()) {
            throw new IllegalArgumentException("espeak-ng binary must be given");
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
        }
        this.binary = binary;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        this.maxEntries = maxEntries;
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.timeoutMillis = timeoutMillis;
        this.memory = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Audio> eldest) {
                return size() > EspeakTts.this.maxEntries;
            }
        };
    }

    @Override
    public CompletionStage<Audio> render(String text, String voice, String lang, String gender) {
        final Request req;
        try {
            req = request(text, voice, lang, gender);
        } catch (TtsException e) {
            return CompletableFuture.failedFuture(e);
        }
        Audio cached = memoryGet(req.key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Audio> mine = new CompletableFuture<>();
        CompletableFuture<Audio> existing = inFlight.putIfAbsent(req.key, mine);
        if (existing != null) {
            return existing.copy(); // share the render; callers cannot complete the shared future
        }
        // a render may have finished between the memory check and registering ours
        cached = memoryGet(req.key);
        if (cached != null) {
            inFlight.remove(req.key, mine);
            mine.complete(cached);
            return mine.copy();
        }
        try {
            blocking.execute(() -> {
                Audio audio = null;
                Throwable failure = null;
                try {
                    audio = loadOrRender(req);
                    memoryPut(req.key, audio);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    // memory first, then unregister, then complete: a new request sees either the entry or us
                    inFlight.remove(req.key, mine);
                }
                if (failure == null) {
                    mine.complete(audio);
                } else {
                    mine.completeExceptionally(failure instanceof TtsException ? failure
                            : new TtsException("espeak-ng render failed: " + failure, failure));
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(req.key, mine);
            mine.completeExceptionally(new TtsException("TTS executor rejected the render", e));
        }
        return mine.copy();
    }

    /** Number of espeak-ng processes started so far. */
    int renderCount() {
        return processStarts.get();
    }

    /** The cache key (hex sha256) for a request, after defaults are applied. */
    static String cacheKey(String text, String voiceSpec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {"espeak-ng/v1", voiceSpec, text}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                md.update(intBytes(bytes.length)); // length-prefixed, so field boundaries are unambiguous
                md.update(bytes);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The espeak-ng {@code -v} argument for the given voice/lang/gender. */
    static String voiceSpec(String voice, String lang, String gender) {
        if (voice != null && !voice.isBlank()) {
            String v = voice.trim();
            if (!NAME.matcher(v).matches()) {
                throw new TtsException("invalid espeak-ng voice name: '" + voice + "'");
            }
            return v;
        }
        String l = lang == null || lang.isBlank() ? "en-us" : lang.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!NAME.matcher(l).matches() || l.contains("+")) {
            throw new TtsException("invalid language: '" + lang + "'");
        }
        String g = gender == null ? "" : gender.trim().toLowerCase(Locale.ROOT);
        return switch (g) {
            case "female", "f", "woman" -> l + "+f3";
            case "male", "m", "man" -> l + "+m3";
            default -> l;
        };
    }

    private record Request(String text, String voiceSpec, String key) {
    }

    private static Request request(String text, String voice, String lang, String gender) {
        if (text == null || text.isBlank()) {
            throw new TtsException("TTS text is empty");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new TtsException("TTS text too long: " + text.length() + " chars (max " + MAX_TEXT_CHARS + ")");
        }
        if (text.indexOf('\0') >= 0) {
            throw new TtsException("TTS text contains a NUL character");
        }
        String spec = voiceSpec(voice, lang, gender);
        return new Request(text, spec, cacheKey(text, spec));
    }

    private Audio loadOrRender(Request req) throws IOException, InterruptedException {
        Path file = cacheDir.resolve(req.key + ".wav");
        if (Files.isRegularFile(file)) {
            try {
                return WavCodec.read(Files.readAllBytes(file));
            } catch (IllegalArgumentException | IOException e) {
                Files.deleteIfExists(file); // corrupt cache entry: render again
            }
        }
        Audio audio = runEspeak(req);
        Path tmp = Files.createTempFile(cacheDir, req.key, ".wav.tmp");
        try {
            Files.write(tmp, WavCodec.write(audio));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return audio;
    }

    private Audio runEspeak(Request req) throws IOException, InterruptedException {
        Files.createDirectories(cacheDir);
        Path wav = Files.createTempFile(cacheDir, "espeak-", ".wav");
        Path err = Files.createTempFile(cacheDir, "espeak-", ".err");
        try {
            List<String> cmd = new ArrayList<>(List.of(binary, "-v", req.voiceSpec, "-s", String.valueOf(SPEED_WPM),
                    "-b", "1", "-w", wav.toString()));
            boolean viaStdin = !argumentSafe(req.text);
            if (viaStdin) {
                cmd.add("--stdin"); // the JVM could not pass this text losslessly as an argument
            } else {
                cmd.add("--"); // text starting with '-' is still text
                cmd.add(req.text);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile());
            if (!viaStdin) {
                pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            }
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new TtsException("cannot start espeak-ng binary '" + binary + "': " + e.getMessage(), e);
            }
            processStarts.incrementAndGet();
            try {
                if (viaStdin) {
                    try (var in = process.getOutputStream()) {
                        in.write(req.text.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new TtsException("espeak-ng timed out after " + timeoutMillis + " ms");
                }
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
            int exit = process.exitValue();
            if (exit != 0) {
                throw new TtsException("espeak-ng exited with status " + exit + ": " + tail(err));
            }
            byte[] bytes = Files.readAllBytes(wav);
            try {
                return WavCodec.read(bytes);
            } catch (IllegalArgumentException e) {
                throw new TtsException("espeak-ng produced unreadable audio: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(wav);
            Files.deleteIfExists(err);
        }
    }

    private static boolean argumentSafe(String text) {
        String enc = System.getProperty("sun.jnu.encoding");
        try {
            return enc != null && Charset.forName(enc).newEncoder().canEncode(text);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static String tail(Path err) {
        try {
            String s = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                return "(no error output)";
            }
            return s.length() > 500 ? s.substring(s.length() - 500) : s;
        } catch (IOException e) {
            return "(error output unavailable)";
        }
    }

    private Audio memoryGet(String key) {
        synchronized (memory) {
            return memory.get(key);
        }
    }

    private void memoryPut(String key, Audio audio) {
        if (maxEntries == 0) {
            return;
        }
        synchronized (memory) {
            memory.put(key, audio);
        }
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
