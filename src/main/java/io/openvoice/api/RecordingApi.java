package io.openvoice.api;

import io.openvoice.recording.RecordingEvents;
import io.openvoice.recording.RecordingMetadata;
import io.openvoice.recording.RecordingStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.stream.javadsl.FileIO;

/**
 * Call recordings: metadata, download, list by call, delete. A recording of another account answers 404, exactly
 * as a missing one does. The download is a plain authenticated route, so the link of a {@code call_record} event
 * can be fetched with {@code ?bearer=<api token>} or {@code ?jwt=<jwt>}; the file is streamed from disk.
 *
 * <p>The download handler's reply carries the finished {@link HttpResponse} as its payload: {@code ApiServer}
 * sends such a payload as it is instead of wrapping it in the JSON envelope.
 */
public final class RecordingApi {
  static final ContentType WAV = ContentTypes.create(MediaTypes.AUDIO_WAV);

  private final RecordingStore store;

  public RecordingApi(RecordingStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  public void register(Router r) {
    r.add("GET", "/rest/recording/{uuid}", req -> owned(req).thenApply(m -> Reply.ok(json(m))));
    r.add("GET", "/rest/recording/{uuid}/download", this::download);
    r.add("DELETE", "/rest/recording/{uuid}", this::delete);
    r.add("GET", "/rest/call/{uuid}/recording", this::listByCall);
  }

  /** The caller's recording {@code {uuid}}; 404 when it is missing or another account's. */
  private CompletionStage<RecordingMetadata> owned(Req req) {
    String account = req.principal().accountId();
    return store.find(req.var("uuid")).thenApply(found -> found
        .filter(m -> m.accountUuid().equals(account))
        .orElseThrow(ApiException::notFound));
  }

  private CompletionStage<Reply> download(Req req) {
    return owned(req)
        .thenCompose(m -> store.open(m.uuid()))
        .thenApply(file -> {
          RecordingStore.RecordingFile f = file.orElseThrow(ApiException::notFound);
          String name = f.path().getFileName().toString();
          HttpResponse res = HttpResponse.create()
              .withStatus(200)
              .addHeader(ContentDisposition.create(ContentDispositionTypes.INLINE, Map.of("filename", name)))
              .withEntity(HttpEntities.create(WAV, f.size(), FileIO.fromPath(f.path())));
          return new Reply(200, res, Map.of());
        });
  }

  private CompletionStage<Reply> delete(Req req) {
    return owned(req).thenCompose(m -> store.delete(m.uuid()).thenApply(x -> Reply.ok(json(m))));
  }

  private CompletionStage<Reply> listByCall(Req req) {
    String call = req.var("uuid");
    if (!RecordingStore.isUuid(call)) return CompletableFuture.failedFuture(ApiException.notFound());
    String account = req.principal().accountId();
    return store.listByCall(call).thenApply(all -> Reply.ok(all.stream()
        .filter(m -> m.accountUuid().equals(account))
        .map(this::json)
        .toList()));
  }

  private Object json(RecordingMetadata m) {
    return RecordingEvents.json(m, store.url(m.uuid()), null);
  }
}
