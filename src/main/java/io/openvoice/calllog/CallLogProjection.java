package io.openvoice.calllog;

import io.openvoice.call.CallEntity;
import io.openvoice.call.CallReplay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@code call_log} and {@code call_flow_log} from the call entities' journal events. One projection per
 * call tag ({@link CallEntity#TAGS}: {@code call-0..call-3}, a call's events all carry the tag of its id's hash),
 * each run once in the cluster by a {@link ShardedDaemonProcess} and reading {@code eventsByTag} from the JDBC
 * read journal. {@link JdbcProjection#groupedWithin}: the events that came within 250 ms (at most 200) are written in
 * one transaction together with the slice's offset, so after a crash or restart an event is applied exactly once.
 *
 * <p>The events carry outcomes, not the call's fields or its flow steps: the handler replays each call through
 * {@link CallReplay} (the entity's own deterministic state), keeping live calls' replays in a bounded cache and
 * rebuilding one from the journal when it is missing (first event seen after a restart, evicted, or a retried
 * event).
 */
public final class CallLogProjection {
  public static final String NAME = "call-log";
  /** A group is written when it has this many events, or after {@link #GROUP_WITHIN}, whichever comes first. */
  static final int GROUP_EVENTS = 200;
  static final java.time.Duration GROUP_WITHIN = java.time.Duration.ofMillis(250);
  private static final Logger log = LoggerFactory.getLogger(CallLogProjection.class);

  private CallLogProjection() {}

  /** Starts the slices on this node's share of the cluster (every node calls it; each slice runs once). */
  public static void init(ActorSystem<?> system, CallLogDb db) {
    int cacheSize = system.settings().config().getInt("openvoice.call-log.replay-cache");
    List<String> tags = CallEntity.TAGS;
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, tags.size(),
        i -> ProjectionBehavior.create(projection(system, db, tags.get(i), cacheSize)),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  static GroupedProjection<Offset, EventEnvelope<CallEntity.Event>> projection(ActorSystem<?> system, CallLogDb db,
                                                                                String tag, int cacheSize) {
    SourceProvider<Offset, EventEnvelope<CallEntity.Event>> source =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(ProjectionId.of(NAME, tag), source, db::session,
        () -> new Handler(system, cacheSize), system).withGroup(GROUP_EVENTS, GROUP_WITHIN);
  }

  /**
   * Runs on the projection's blocking JDBC dispatcher, a group of envelopes per transaction (the rows of every
   * event of the group and the slice's offset are committed together: one offset write per group, not per event).
   */
  static final class Handler extends JdbcHandler<List<EventEnvelope<CallEntity.Event>>, CallLogDb.Session> {
    private final ActorSystem<?> system;
    private final JdbcReadJournal journal;
    private final Map<String, CallReplay> live;

    Handler(ActorSystem<?> system, int cacheSize) {
      this.system = system;
      this.journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class,
          JdbcReadJournal.Identifier());
      this.live = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallReplay> eldest) {
          return size() > cacheSize;
        }
      };
    }

    @Override
    public void process(CallLogDb.Session session, List<EventEnvelope<CallEntity.Event>> envelopes) throws Exception {
      for (EventEnvelope<CallEntity.Event> env : envelopes) process(session, env);
    }

    private void process(CallLogDb.Session session, EventEnvelope<CallEntity.Event> env) throws Exception {
      String pid = env.persistenceId();
      long seqNr = env.sequenceNr();
      CallReplay replay = live.remove(pid);
      if (replay == null || replay.seqNr() != seqNr - 1) replay = rebuild(pid, seqNr - 1);
      CallReplay.Applied applied = replay.apply(env.event(), seqNr);
      session.withConnection(c -> {
        CallLogStore.write(c, seqNr, applied);
        return null;
      });
      // cached before the group's transaction commits: if it fails, the retried group's first event of this call
      // finds a replay already past it (seqNr is not the one before) and rebuilds it from the journal
      if (!replay.ended()) live.put(pid, replay);
    }

    /** The call as of event {@code upTo}, from its journal (blocking: this runs on the JDBC dispatcher). */
    private CallReplay rebuild(String pid, long upTo) throws Exception {
      CallReplay replay = new CallReplay();
      if (upTo < 1) return replay;
      List<org.apache.pekko.persistence.query.EventEnvelope> events = journal
          .currentEventsByPersistenceId(pid, 1, upTo)
          .runWith(Sink.seq(), Materializer.matFromSystem(system))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (var e : events) {
        if (e.event() instanceof CallEntity.Event ev) replay.apply(ev, e.sequenceNr());
      }
      if (replay.seqNr() != upTo) {
        log.warn("call log: journal of {} has events up to {} while {} was expected", pid, replay.seqNr(), upTo);
      }
      return replay;
    }
  }
}
