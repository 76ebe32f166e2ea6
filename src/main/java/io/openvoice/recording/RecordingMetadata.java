package io.openvoice.recording;

import io.openvoice.media.record.RecordingResult;
import java.time.Instant;
import java.util.Objects;

/**
 * What the store keeps next to a recording's WAV file, as snake_case JSON: {@code uuid, call_uuid, account_uuid,
 * tag, format, duration_ms, size, created_on} (ISO-8601 UTC). {@code tag} is the {@code <Record tag>}, may be null.
 */
public record RecordingMetadata(String uuid, String callUuid, String accountUuid, String tag, String format,
                                long durationMs, long size, Instant createdOn) {
  public static final String WAV = "wav";

  public RecordingMetadata {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(callUuid, "callUuid");
    Objects.requireNonNull(accountUuid, "accountUuid");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(createdOn, "createdOn");
  }

  /** The metadata of a finished WAV recording; {@code startedOn} is when it began. */
  public static RecordingMetadata of(String uuid, String callUuid, String accountUuid, String tag,
                                     RecordingResult result, Instant startedOn) {
    return new RecordingMetadata(uuid, callUuid, accountUuid, tag, WAV, result.durationMs(), result.bytes(),
        startedOn);
  }
}
