package io.openvoice.sip;

import io.openvoice.call.CallEntity;
import io.openvoice.media.source.MusicOnHold;
import io.openvoice.media.source.PromptCache;
import io.openvoice.node.Platform;
import io.openvoice.recording.RecordingEvents;
import io.openvoice.recording.RecordingMetadata;
import io.openvoice.recording.RecordingStore;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the edge's calls share for media beyond TTS and tones: audio from URLs (cached), music on hold, where
 * recordings are written, the blocking executor for file work, and the publication of {@code call_record}.
 */
public final class SipMediaServices {
  private static final Logger log = LoggerFactory.getLogger(SipMediaServices.class);

  final PromptCache prompts;
  final MusicOnHold hold;
  final RecordingStore recordings;
  final Executor blocking;
  private final Platform platform;

  public SipMediaServices(PromptCache prompts, MusicOnHold hold, RecordingStore recordings, Executor blocking,
                   Platform platform) {
    this.prompts = prompts;
    this.hold = hold;
    this.recordings = recordings;
    this.blocking = blocking;
    this.platform = platform;
  }

  /** Saves a finished recording's metadata and announces it ({@code call_record}) with the call as it is now. */
  void recorded(RecordingMetadata m) {
    recordings.save(m).thenCompose(saved -> platform.sharding.entityRefFor(CallEntity.TYPE_KEY, m.callUuid())
            .<CallEntity.CallDetails>askWithStatus(CallEntity.Get::new, platform.askTimeout)
            .thenAccept(d -> platform.bus.publish(RecordingEvents.callRecord(d.call(), saved,
                recordings.url(saved.uuid())))))
        .whenComplete((x, err) -> {
          if (err != null) log.warn("recording {} of call {}: {}", m.uuid(), m.callUuid(), err.toString());
        });
  }
}
