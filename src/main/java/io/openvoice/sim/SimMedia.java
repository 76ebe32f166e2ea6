package io.openvoice.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.openvoice.call.CallSpec;
import io.openvoice.call.HttpPort;
import io.openvoice.call.MediaPort;
import io.openvoice.call.OutcomeSink;
import io.openvoice.common.Json;
import io.openvoice.call.Q850;
import io.openvoice.flow.Outcome;
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

  /**
   * This process's instance (its node's media host, once the platform sets it): a session whose handle names
   * another one was started on another node or before a restart.
   */
  private volatile String incarnation = java.util.UUID.randomUUID().toString();

  /** Set once by the platform: the id of this node's media host, which its handles name. */
  public void nodeId(String id) {
    this.incarnation = id;
  }

  /** A handle for a new simulated call starting at {@code t0}, owned by this media instance. */
  public CallSpec.MediaHandle handle(SimScript script, Instant t0) {
    try {
      return new CallSpec.MediaHandle(KIND, incarnation,
          Json.MAPPER.writeValueAsString(new SimSession.HandleData(t0.toEpochMilli(), script)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void execute(String callId, CallSpec.MediaHandle handle, io.openvoice.flow.Action action, Instant startedAt) {
    SimSession session = sessions.get(callId);
    if (session == null) {
      session = SimSession.fromHandle(callId, handle, sink, http, scheduler);
      if (session == null) {
        log.warn("call {}: unreadable simulator handle", callId);
        sink.deliver(callId, new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE, "simulation_interrupted: unreadable media handle"));
        return;
      }
      if (!session.realtime() && !incarnation.equals(handle.node())) {
        // virtual time lives only in the session that ran it: there is no "time left" to resume after a restart
        sink.deliver(callId, new Outcome.CallEnded(Q850.NORMAL_TEMPORARY_FAILURE,
            "simulation_interrupted: a virtual-time simulation does not survive a node restart (use realtime)"));
        return;
      }
      SimSession raced = sessions.putIfAbsent(callId, session);
      if (raced != null) {
        session.close(); // its constructor may have scheduled the caller's hang-up
        session = raced;
      }
    }
    session.execute(action, startedAt);
  }

  @Override
  public void cancel(String callId, CallSpec.MediaHandle handle, int seq) {
    SimSession s = sessions.get(callId);
    if (s != null) s.cancel(seq);
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
