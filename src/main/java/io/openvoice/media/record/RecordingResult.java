package io.openvoice.media.record;

import java.nio.file.Path;

/**
 * A finished recording: the WAV file, its length in milliseconds (whole 20 ms frames, the wall-clock time from start
 * to stop or to the maximum length) and its size in bytes, header included.
 */
public record RecordingResult(Path file, long durationMs, long bytes) {}
