package io.openvoice.recording;

import com.typesafe.config.Config;
import io.openvoice.common.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where recordings live: one directory holding {@code <uuid>.wav} and its metadata {@code <uuid>.json} (written
 * to a temporary file and moved into place, so a reader sees all of it or nothing). A recording exists once its
 * metadata is saved; a WAV without metadata is one still being written (or abandoned by a crash).
 *
 * <p>Every method that touches the disk runs on the blocking executor and returns a stage: none of them may be
 * called for their I/O on an actor thread. The store holds no state but the directory, so any number of instances
 * (REST, the SIP edge) may share it.
 */
public final class RecordingStore {
  private static final Logger log = LoggerFactory.getLogger(RecordingStore.class);
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** A stored WAV file and its size in bytes. */
  public record RecordingFile(Path path, long size) {}

  private final Path dir;
  private final String publicUrl;
  private final Executor blocking;

  /**
   * {@code publicUrl}: the scheme://host[:port] clients reach the REST API at, put in front of download links;
   * empty for links that are the path alone.
   */
  public RecordingStore(Path dir, String publicUrl, Executor blocking) {
    this.dir = Objects.requireNonNull(dir, "dir");
    String base = publicUrl == null ? "" : publicUrl.trim();
    this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.blocking = Objects.requireNonNull(blocking, "blocking");
  }

  /** From {@code openvoice.recording.dir} and {@code openvoice.recording.public-url} of the node's config. */
  public static RecordingStore fromConfig(Config config, Executor blocking) {
    Config c = config.getConfig("openvoice.recording");
    return new RecordingStore(Path.of(c.getString("dir")), c.getString("public-url"), blocking);
  }

  public Path dir() {
    return dir;
  }

  /** Whether {@code s} is a UUID in its 36-character form (the only names the store makes paths of). */
  public static boolean isUuid(String s) {
    return s != null && UUID.matcher(s).matches();
  }

  /** The file a recorder writes recording {@code uuid} into (no I/O; the recorder creates the directory). */
  public Path newRecordingFile(String uuid) {
    return wav(requireUuid(uuid));
  }

  /** The link that downloads recording {@code uuid} through the REST API (authenticated as any route is). */
  public String url(String uuid) {
    return publicUrl + "/rest/recording/" + uuid + "/download";
  }

  /** Stores the metadata atomically, making the recording visible. */
  public CompletionStage<RecordingMetadata> save(RecordingMetadata m) {
    requireUuid(m.uuid());
    return io(() -> {
      Files.createDirectories(dir);
      byte[] json = Json.MAPPER.writeValueAsBytes(m);
      Path tmp = Files.createTempFile(dir, "." + m.uuid() + ".", ".tmp");
      try {
        Files.write(tmp, json);
        try {
          Files.move(tmp, meta(m.uuid()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, meta(m.uuid()), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return m;
    });
  }

  /** The metadata of recording {@code uuid}; empty when there is none (or the id is not a UUID). */
  public CompletionStage<Optional<RecordingMetadata>> find(String uuid) {
    if (!isUuid(uuid)) return CompletableFuture.completedFuture(Optional.empty());
    return io(() -> read(meta(uuid)));
  }

  /** The WAV file of recording {@code uuid} and its current size; empty when it is not there. */
  public CompletionStage<Optional<RecordingFile>> open(String uuid) {
    if (!isUuid(uuid)) return CompletableFuture.completedFuture(Optional.empty());
    return io(() -> {
      Path wav = wav(uuid);
      try {
        return Optional.of(new RecordingFile(wav, Files.size(wav)));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
    });
  }

  /**
   * The recordings of call {@code callUuid}, oldest first. Reads every metadata file of the directory: fine for a
   * node's recordings, but a large deployment wants a read-side index instead.
   */
  public CompletionStage<List<RecordingMetadata>> listByCall(String callUuid) {
    Objects.requireNonNull(callUuid, "callUuid");
    return io(() -> {
      List<RecordingMetadata> found = new ArrayList<>();
      if (!Files.isDirectory(dir)) return found;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
        for (Path f : files) {
          read(f).filter(m -> callUuid.equals(m.callUuid())).ifPresent(found::add);
        }
      }
      found.sort(Comparator.comparing(RecordingMetadata::createdOn).thenComparing(RecordingMetadata::uuid));
      return found;
    });
  }

  /** Deletes recording {@code uuid}: metadata first (it is gone for readers at once), then the WAV. */
  public CompletionStage<Boolean> delete(String uuid) {
    if (!isUuid(uuid)) return CompletableFuture.completedFuture(false);
    return io(() -> {
      boolean had = Files.deleteIfExists(meta(uuid));
      return Files.deleteIfExists(wav(uuid)) || had;
    });
  }

  private Optional<RecordingMetadata> read(Path f) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(bytes, RecordingMetadata.class));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("unreadable recording metadata {}: {}", f, e.toString());
      return Optional.empty();
    }
  }

  private Path wav(String uuid) {
    return dir.resolve(uuid.toLowerCase(Locale.ROOT) + ".wav");
  }

  private Path meta(String uuid) {
    return dir.resolve(uuid.toLowerCase(Locale.ROOT) + ".json");
  }

  private static String requireUuid(String uuid) {
    if (!isUuid(uuid)) throw new IllegalArgumentException("recording id must be a UUID, got " + uuid);
    return uuid;
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T call() throws IOException;
  }

  private <T> CompletionStage<T> io(IoCall<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.call();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
