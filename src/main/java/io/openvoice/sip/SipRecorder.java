package io.openvoice.sip;

import io.openvoice.flow.Action;
import io.openvoice.media.record.RecordingResult;
import io.openvoice.media.record.WavRecorder;
import io.openvoice.media.rtp.RtpSession;
import io.openvoice.recording.RecordingMetadata;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The recordings of one call (RecordStart/Stop/Wait and {@code <Record>}): each taps the call's RTP session (what
 * the caller says, and what the caller hears: prompts or the bridged party) into a {@link WavRecorder}; when it
 * stops (by RecordStop, its maximum length, or the end of the call) it is saved and announced. Guarded by the
 * call's monitor.
 */
final class SipRecorder {
  private final String callId;
  private final String accountId;
  private final SipMediaServices services;
  private final Map<String, Active> active = new LinkedHashMap<>();
  /** Finished recordings by tag, for {@code <Play record="tag">}. */
  private final Map<String, Path> done = new LinkedHashMap<>();

  private final class Active {
    final String uuid = UUID.randomUUID().toString();
    final String tag;
    final Instant startedOn = Instant.now();
    final WavRecorder recorder;
    final RtpSession.Tap tap;
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    Active(String tag, RtpSession rtp, Action.RecordStart a) {
      this.tag = tag;
      Path file = services.recordings.newRecordingFile(uuid);
      WavRecorder.Options o = a.stereo() ? WavRecorder.Options.stereo(Math.max(0, a.maxMs()))
          : WavRecorder.Options.mono(Math.max(0, a.maxMs()));
      this.recorder = WavRecorder.start(file, o, services.blocking);
      String leg = a.leg() == null ? "both" : a.leg();
      Reframer caller = new Reframer(recorder, WavRecorder.Source.CALLER);
      Reframer other = new Reframer(recorder, WavRecorder.Source.OTHER);
      this.tap = rtp.tap(
          leg.equals("other") ? null : f -> {
            caller.write(f);
            if (recorder.isStopped()) stopped(this);
          },
          leg.equals("caller") ? null : other::write);
    }
  }

  /**
   * Cuts what a source sends (its packets need not be 20 ms: 10, 30 ms...) into the recorder's 20 ms frames.
   * Called by one engine thread per source.
   */
  private static final class Reframer {
    private final WavRecorder recorder;
    private final WavRecorder.Source source;
    private final short[] frame = new short[io.openvoice.media.Audio.FRAME_SAMPLES];
    private int filled;

    Reframer(WavRecorder recorder, WavRecorder.Source source) {
      this.recorder = recorder;
      this.source = source;
    }

    synchronized void write(short[] samples) {
      int i = 0;
      while (i < samples.length) {
        int n = Math.min(frame.length - filled, samples.length - i);
        System.arraycopy(samples, i, frame, filled, n);
        filled += n;
        i += n;
        if (filled == frame.length) {
          recorder.write(source, frame); // the recorder copies the frame
          filled = 0;
        }
      }
    }
  }

  SipRecorder(String callId, String accountId, SipMediaServices services) {
    this.callId = callId;
    this.accountId = accountId;
    this.services = services;
  }

  synchronized void start(Action.RecordStart a, RtpSession rtp) {
    String tag = a.tag() == null || a.tag().isBlank() ? "record-" + a.seq() : a.tag();
    Active old = active.remove(tag);
    if (old != null) finish(old);
    active.put(tag, new Active(tag, rtp, a));
  }

  /** Stop one recording by tag, or all when {@code tag} is null. */
  synchronized void stop(String tag) {
    List<Active> which = new ArrayList<>();
    for (Active a : active.values()) if (tag == null || tag.equals(a.tag)) which.add(a);
    for (Active a : which) {
      active.remove(a.tag);
      finish(a);
    }
  }

  /** Completes when the recording with this tag is over (at once when there is none). */
  synchronized CompletionStage<Void> whenDone(String tag) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Active a : active.values()) if (tag == null || tag.equals(a.tag)) all.add(a.finished);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Recordings stopped by their own maximum length are noticed here (called every second by the call). */
  synchronized void tick() {
    for (Active a : List.copyOf(active.values())) {
      a.recorder.tick();
      if (a.recorder.isStopped()) stopped(a);
    }
  }

  synchronized Path fileOf(String tag) {
    return done.get(tag);
  }

  private void stopped(Active a) {
    synchronized (this) {
      if (active.get(a.tag) != a) return;
      active.remove(a.tag);
    }
    finish(a);
  }

  private void finish(Active a) {
    a.tap.close();
    a.recorder.stop().whenComplete((RecordingResult r, Throwable err) -> {
      if (err == null) {
        synchronized (this) {
          done.put(a.tag, r.file());
        }
        services.recorded(RecordingMetadata.of(a.uuid, callId, accountId, a.tag, r, a.startedOn));
      }
      a.finished.complete(null);
    });
  }
}
