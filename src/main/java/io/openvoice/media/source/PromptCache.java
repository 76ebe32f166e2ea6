package io.openvoice.media.source;

import com.typesafe.config.Config;
import io.openvoice.http.FetchException;
import io.openvoice.http.FlowHttpClient;
import io.openvoice.media.Audio;
import io.openvoice.media.WavCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audio for {@code <Play>} by URL: downloaded once, decoded once, kept.
 *
 * <p>{@link #get} answers from, in order:
 * <ol>
 *   <li>memory: decoded {@link Audio} of recently used URLs, bounded by {@code cache-bytes} of decoded audio (4 bytes
 *       a sample: the PCM and the G.711 frames it keeps once played), least recently used evicted first. A clip larger than the whole bound is returned but not kept in
 *       memory;
 *   <li>a download already under way for the same URL: concurrent requests share it (no thundering herd);
 *   <li>the disk directory, when one is configured: the decoded audio as an 8 kHz WAV named by the SHA-256 of the URL,
 *       so that a restarted node does not download again. The directory is bounded by {@code disk-bytes}, least
 *       recently used files deleted first (only files this cache named are ever touched);
 *   <li>a download through the {@link Fetcher} (for the platform: {@link FlowHttpClient#fetchBytes}, with its SSRF
 *       guard), bounded by {@code max-file-bytes} and {@code timeout}, then decoded by {@link AudioFiles} on the
 *       executor, never on the caller's thread.
 * </ol>
 * A failed download or decoding is not cached, except that for {@code failure-ttl} (if positive) further requests
 * for that URL fail at once with the same error, so that a broken URL played by many calls is not fetched by each.
 *
 * <p>A URL is taken to name fixed content: a changed file needs a new URL (for example a version in its query) to be
 * fetched again, or a restart with the disk directory cleared. HTTP caching headers are not consulted.
 *
 * <p>Failures: the stage fails with a {@link FetchException} (download: refused by the guard, connect, timeout, a
 * non-2xx status, too large) or an {@link AudioDecodeException} (the bytes are not playable audio); both messages
 * name the URL without its query. Thread-safe; one per node.
 */
public final class PromptCache {
  private static final Logger log = LoggerFactory.getLogger(PromptCache.class);
  private static final int MAX_REMEMBERED_FAILURES = 1000;
  /** Extra time a fetcher gets beyond {@code timeout} before the cache gives up on it (its own deadline should win). */
  private static final Duration FETCH_GRACE = Duration.ofSeconds(5);

  /** Downloads the bytes of a URL; the stage completes on any thread. Must honour its own size and time bounds. */
  @FunctionalInterface
  public interface Fetcher {
    CompletionStage<byte[]> fetch(String url);
  }

  /**
   * The bounds of a cache.
   *
   * @param cacheBytes decoded audio kept in memory, in bytes (4 per sample: PCM and its G.711 frames)
   * @param maxFileBytes the largest file downloaded
   * @param timeout a download's deadline
   * @param maxDuration the longest decoded clip
   * @param failureTtl how long a failure is answered without fetching again; zero for never
   * @param dir the disk cache directory, or null for none
   * @param diskBytes the disk cache's bound in bytes
   */
  public record Settings(long cacheBytes, long maxFileBytes, Duration timeout, Duration maxDuration,
      Duration failureTtl, Path dir, long diskBytes) {
    public Settings {
      if (cacheBytes < 0) throw new IllegalArgumentException("cache-bytes must be >= 0: " + cacheBytes);
      if (maxFileBytes <= 0) throw new IllegalArgumentException("max-file-bytes must be positive: " + maxFileBytes);
      if (diskBytes < 0) throw new IllegalArgumentException("disk-bytes must be >= 0: " + diskBytes);
      requirePositive(timeout, "timeout");
      requirePositive(maxDuration, "max-duration");
      Objects.requireNonNull(failureTtl, "failureTtl");
      if (failureTtl.isNegative()) throw new IllegalArgumentException("failure-ttl must be >= 0: " + failureTtl);
    }

    /** The defaults of {@code application.conf} without a disk directory. */
    public static Settings defaults() {
      return new Settings(64L << 20, 20L << 20, Duration.ofSeconds(15), AudioFiles.DEFAULT_MAX_DURATION,
          Duration.ofSeconds(5), null, 1L << 30);
    }

    /**
     * From {@code openvoice.media.play} in {@code config}, or from {@code config} itself when it is that block. An
     * empty {@code dir} means no disk cache.
     */
    public static Settings fromConfig(Config config) {
      Config c = config.hasPath("openvoice.media.play") ? config.getConfig("openvoice.media.play") : config;
      String dir = c.getString("dir").trim();
      return new Settings(c.getBytes("cache-bytes"), c.getBytes("max-file-bytes"), c.getDuration("timeout"),
          c.getDuration("max-duration"), c.getDuration("failure-ttl"), dir.isEmpty() ? null : Path.of(dir),
          c.getBytes("disk-bytes"));
    }

    public Settings withDir(Path newDir) {
      return new Settings(cacheBytes, maxFileBytes, timeout, maxDuration, failureTtl, newDir, diskBytes);
    }

    public Settings withCacheBytes(long newCacheBytes) {
      return new Settings(newCacheBytes, maxFileBytes, timeout, maxDuration, failureTtl, dir, diskBytes);
    }

    public Settings withMaxFileBytes(long newMaxFileBytes) {
      return new Settings(cacheBytes, newMaxFileBytes, timeout, maxDuration, failureTtl, dir, diskBytes);
    }

    public Settings withFailureTtl(Duration newFailureTtl) {
      return new Settings(cacheBytes, maxFileBytes, timeout, maxDuration, newFailureTtl, dir, diskBytes);
    }

    public Settings withDiskBytes(long newDiskBytes) {
      return new Settings(cacheBytes, maxFileBytes, timeout, maxDuration, failureTtl, dir, newDiskBytes);
    }

    private static void requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  private record Failure(Throwable error, long untilNanos) {
  }

  private final Fetcher fetcher;
  private final Executor executor;
  private final Settings settings;
  /** Access-ordered: the eldest entry is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<String, Audio> memory = new LinkedHashMap<>(64, 0.75f, true);
  private long memoryBytes; // guarded by this
  private final ConcurrentHashMap<String, CompletableFuture<Audio>> inFlight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Failure> failures = new ConcurrentHashMap<>();
  private final Object diskLock = new Object();

  /**
   * @param fetcher downloads a URL's bytes
   * @param executor runs decoding and disk I/O (blocking work); never an actor's dispatcher
   */
  public PromptCache(Fetcher fetcher, Executor executor, Settings settings) {
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * A cache configured by {@code openvoice.media.play} that downloads through {@code client} (its SSRF guard, IP
   * pinning and TLS checks) and decodes and touches the disk on {@code executor}.
   */
  public static PromptCache fromConfig(Config config, FlowHttpClient client, Executor executor) {
    Settings s = Settings.fromConfig(config);
    return new PromptCache(httpFetcher(client, s.maxFileBytes(), s.timeout()), executor, s);
  }

  /** A fetcher that GETs with {@link FlowHttpClient#fetchBytes} (non-2xx fails with BAD_STATUS). */
  public static Fetcher httpFetcher(FlowHttpClient client, long maxBytes, Duration timeout) {
    Objects.requireNonNull(client, "client");
    return url -> client.fetchBytes(url, maxBytes, timeout).thenApply(r -> r.body());
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The decoded audio of {@code url} (an absolute http(s) URL). Completes at once from memory; otherwise on the
   * executor or the fetcher's thread: callers inside actors use {@code pipeToSelf}. Never blocks.
   */
  public CompletionStage<Audio> get(String url) {
    Objects.requireNonNull(url, "url");
    Audio hit = fromMemory(url);
    if (hit != null) return CompletableFuture.completedFuture(hit);
    CompletableFuture<Audio> failed = recentFailure(url);
    if (failed != null) return failed;

    CompletableFuture<Audio> created = new CompletableFuture<>();
    CompletableFuture<Audio> shared = inFlight.putIfAbsent(url, created);
    if (shared != null) return shared.copy();
    // this caller starts the load; look again, a load may have finished between the checks above and putIfAbsent
    hit = fromMemory(url);
    if (hit != null) {
      inFlight.remove(url, created);
      created.complete(hit);
      return created.copy();
    }
    CompletableFuture<Audio> loading;
    try {
      loading = load(url);
    } catch (RuntimeException e) { // e.g. the executor refused the task
      loading = CompletableFuture.failedFuture(e);
    }
    // the bookkeeping is done before anyone sees the result: a get() after it is answered from memory
    loading.whenComplete((audio, err) -> {
      Throwable cause = err == null ? null : unwrap(err);
      if (cause == null) {
        remember(url, audio);
      } else {
        rememberFailure(url, cause);
      }
      inFlight.remove(url, created);
      if (cause == null) {
        created.complete(audio);
      } else {
        created.completeExceptionally(cause);
      }
    });
    return created.copy();
  }

  /** Whether the decoded audio of {@code url} is in memory now. */
  public synchronized boolean inMemory(String url) {
    return memory.containsKey(url);
  }

  /** Decoded audio held in memory, in bytes. */
  public synchronized long memoryBytes() {
    return memoryBytes;
  }

  /** URLs held in memory. */
  public synchronized int memoryEntries() {
    return memory.size();
  }

  /** The disk file that holds (or would hold) the audio of {@code url}, or null when there is no disk cache. */
  public Path diskFile(String url) {
    return settings.dir() == null ? null : settings.dir().resolve(sha256(url) + ".wav");
  }

  // ---- loading ----

  private CompletableFuture<Audio> load(String url) {
    if (settings.dir() == null) return download(url);
    return CompletableFuture.supplyAsync(() -> readDisk(url), executor)
        .thenCompose(audio -> audio != null ? CompletableFuture.completedFuture(audio) : download(url));
  }

  private CompletableFuture<Audio> download(String url) {
    CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    try {
      fetcher.fetch(url).whenComplete((b, err) -> {
        if (err != null) {
          bytes.completeExceptionally(unwrap(err));
        } else if (b == null) {
          bytes.completeExceptionally(new FetchException(FetchException.Kind.OTHER, describe(url) + " gave no body"));
        } else {
          bytes.complete(b);
        }
      });
    } catch (RuntimeException e) {
      bytes.completeExceptionally(e);
    }
    Duration limit = settings.timeout().plus(FETCH_GRACE);
    bytes.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
    return bytes.handle((b, err) -> {
      if (err == null) return b;
      Throwable cause = unwrap(err);
      if (cause instanceof TimeoutException) {
        throw new FetchException(FetchException.Kind.TIMEOUT, "no complete response from " + describe(url)
            + " within " + limit.toMillis() + " ms", cause);
      }
      throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
    }).thenApplyAsync(b -> decodeAndStore(url, b), executor);
  }

  private Audio decodeAndStore(String url, byte[] bytes) {
    if (bytes.length > settings.maxFileBytes()) {
      throw new FetchException(FetchException.Kind.TOO_LARGE,
          "response from " + describe(url) + " is larger than " + settings.maxFileBytes() + " bytes");
    }
    Audio audio;
    try {
      audio = AudioFiles.decode(bytes, settings.maxDuration());
    } catch (AudioDecodeException e) {
      throw new AudioDecodeException(describe(url) + ": " + e.getMessage(), e);
    }
    writeDisk(url, audio);
    log.debug("decoded {} ({} bytes) to {}", describe(url), bytes.length, audio);
    return audio;
  }

  // ---- memory ----

  private synchronized Audio fromMemory(String url) {
    return memory.get(url);
  }

  private synchronized void remember(String url, Audio audio) {
    long weight = weight(audio);
    if (weight > settings.cacheBytes()) return; // larger than the whole cache: served, not kept
    Audio old = memory.put(url, audio);
    if (old != null) memoryBytes -= weight(old);
    memoryBytes += weight;
    Iterator<Map.Entry<String, Audio>> eldest = memory.entrySet().iterator();
    while (memoryBytes > settings.cacheBytes() && eldest.hasNext()) {
      Map.Entry<String, Audio> e = eldest.next();
      memoryBytes -= weight(e.getValue());
      eldest.remove();
      log.debug("evicted {} from memory", describe(e.getKey()));
    }
  }

  private static long weight(Audio audio) {
    return 4L * audio.samples(); // the PCM (2 bytes a sample) and, once played, its G.711 frames in each codec (1 + 1)
  }

  // ---- failures ----

  private CompletableFuture<Audio> recentFailure(String url) {
    Failure f = failures.get(url);
    if (f == null) return null;
    if (System.nanoTime() - f.untilNanos() >= 0) {
      failures.remove(url, f);
      return null;
    }
    return CompletableFuture.failedFuture(f.error());
  }

  private void rememberFailure(String url, Throwable err) {
    log.debug("loading {} failed: {}", describe(url), err.getMessage());
    long ttl = settings.failureTtl().toNanos();
    if (ttl <= 0) return;
    if (failures.size() >= MAX_REMEMBERED_FAILURES) {
      long now = System.nanoTime();
      failures.values().removeIf(f -> now - f.untilNanos() >= 0);
      if (failures.size() >= MAX_REMEMBERED_FAILURES) failures.clear();
    }
    failures.put(url, new Failure(err, System.nanoTime() + ttl));
  }

  // ---- disk ----

  /** The audio stored for {@code url}, or null. A file that cannot be read or decoded is deleted. */
  private Audio readDisk(String url) {
    Path file = diskFile(url);
    try {
      byte[] bytes = Files.readAllBytes(file);
      Audio audio = AudioFiles.decode(bytes, settings.maxDuration());
      try {
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // LRU order on disk
      } catch (IOException e) {
        // deleted meanwhile by another node's eviction: the audio is read already
      }
      log.debug("read {} from {}", describe(url), file);
      return audio;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable cached audio {} ({}): {}", file, describe(url), e.getMessage());
      deleteQuietly(file);
      return null;
    }
  }

  private void writeDisk(String url, Audio audio) {
    Path dir = settings.dir();
    if (dir == null || settings.diskBytes() == 0) return;
    Path file = diskFile(url);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "incoming-", ".tmp");
      Files.write(tmp, WavCodec.write(audio));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      trimDisk(file);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot store audio of {} in {}: {}", describe(url), dir, e.getMessage());
    } finally {
      if (tmp != null) deleteQuietly(tmp);
    }
  }

  /** Deletes this cache's least recently used files until the directory is within {@code disk-bytes}. */
  private void trimDisk(Path keep) throws IOException {
    synchronized (diskLock) {
      record Entry(Path path, long size, long modified) {
      }
      List<Entry> entries = new ArrayList<>();
      long total = 0;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.dir(), PromptCache::isCacheFile)) {
        for (Path p : files) {
          try {
            long size = Files.size(p);
            entries.add(new Entry(p, size, Files.getLastModifiedTime(p).toMillis()));
            total += size;
          } catch (IOException e) {
            // gone meanwhile
          }
        }
      }
      if (total <= settings.diskBytes()) return;
      entries.sort(Comparator.comparingLong(Entry::modified));
      for (Entry e : entries) {
        if (total <= settings.diskBytes()) break;
        if (e.path().equals(keep)) continue;
        deleteQuietly(e.path());
        total -= e.size();
        log.debug("evicted {} from the disk cache", e.path().getFileName());
      }
    }
  }

  private static boolean isCacheFile(Path p) {
    String name = p.getFileName().toString();
    return name.length() == 68 && name.endsWith(".wav") && name.substring(0, 64).matches("[0-9a-f]{64}");
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", p, e.getMessage());
    }
  }

  // ---- helpers ----

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  /** The URL for messages and logs: without user info, query or fragment, which may carry secrets. */
  static String describe(String url) {
    String s = url;
    int cut = s.length();
    for (char c : new char[] {'?', '#'}) {
      int i = s.indexOf(c);
      if (i >= 0) cut = Math.min(cut, i);
    }
    s = s.substring(0, cut);
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      int slash = s.indexOf('/', scheme + 3);
      int at = s.lastIndexOf('@', slash < 0 ? s.length() : slash);
      if (at > scheme) s = s.substring(0, scheme + 3) + s.substring(at + 1);
    }
    return s;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }
}
