package io.openvoice.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.openvoice.call.CallSpec;
import io.openvoice.call.HttpPort;
import io.openvoice.call.MediaPort;
import io.openvoice.call.OutcomeSink;
import io.openvoice.common.Json;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's media leg: no audio, but the timing and caller behaviour of a real one. Each call has a
 * {@link SimSession} holding the caller's script; outcomes go back to the call entity through the sink (sharding).
 * The handle carries the whole script and the call's start time, so after a failover a fresh node rebuilds the
 * session and resumes the pending step for the time that is left.
 */
public final class SimMedia implements MediaPort {
  public static final String KIND = "sim";
  private static final Logger log = LoggerFactory.getLogger(SimMedia.class);

  private final Map<String, SimSession> sessions = new ConcurrentHashMap<>();
  private final OutcomeSink sink;
  private final HttpPort http;
  private final ScheduledExecutorService scheduler;

  public SimMedia(OutcomeSink sink, HttpPort http, ScheduledExecutorService scheduler) {
    this.sink = sink;
    this.http = http;
    this.scheduler = scheduler;
  }

  /** A handle for a new simulated call starting now. */
  public static CallSpec.MediaHandle handle(String node, SimScript script, Instant t0) {
    try {
      return new CallSpec.MediaHandle(KIND, node,
          Json.MAPPER.writeValueAsString(new SimSession.HandleData(t0.toEpochMilli(), script)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, io.openvoice.flow.Action action, Instant startedAt) {
    SimSession session = sessions.computeIfAbsent(callId, id -> SimSession.fromHandle(id, handle, sink, http, scheduler));
    if (session == null) {
      log.warn("call {}: unreadable simulator handle", callId);
      return;
    }
    session.execute(action, startedAt);
  }

  @Override
  public void release(String callId, CallSpec.MediaHandle handle) {
    SimSession s = sessions.remove(callId);
    if (s != null) s.close();
  }

  public int activeSessions() {
    return sessions.size();
  }
}
