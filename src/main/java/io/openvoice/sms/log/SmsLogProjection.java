package io.openvoice.sms.log;

import io.openvoice.calllog.CallLogDb;
import io.openvoice.sms.SmsMessage;
import io.openvoice.sms.SmsMessage.Message;
import io.openvoice.sms.SmsMessageEntity;
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
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Feeds {@code sms_log} from the message entities' events (tag {@link SmsMessageEntity#TAG}), once in the cluster
 * (a {@link ShardedDaemonProcess} of one), exactly once per event: {@link JdbcProjection#groupedWithin}, the events
 * that came within 250 ms (at most 200) are written in one transaction with the offset. Events carry
 * changes, not the whole message: the handler keeps recent messages in a bounded cache and rebuilds one from the
 * journal ({@link SmsMessage#apply}) when it is missing.
 */
public final class SmsLogProjection {
  public static final String NAME = "sms-log";
  private static final int CACHE = 10_000;
  /** A group is written when it has this many events, or after {@link #GROUP_WITHIN}, whichever comes first. */
  static final int GROUP_EVENTS = 200;
  static final java.time.Duration GROUP_WITHIN = java.time.Duration.ofMillis(250);

  private SmsLogProjection() {}

  public static void init(ActorSystem<?> system, CallLogDb db) {
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, 1,
        i -> ProjectionBehavior.create(projection(system, db)),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }

  static GroupedProjection<Offset, EventEnvelope<SmsMessage.Event>> projection(ActorSystem<?> system, CallLogDb db) {
    return JdbcProjection.groupedWithin(ProjectionId.of(NAME, SmsMessageEntity.TAG),
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), SmsMessageEntity.TAG), db::session,
        () -> new Handler(system), system).withGroup(GROUP_EVENTS, GROUP_WITHIN);
  }

  /**
   * Runs on the projection's blocking JDBC dispatcher, a group of envelopes per transaction (their rows and the
   * offset committed together); each row write keeps its seq_nr guard ({@link SmsLogStore#write}).
   */
  static final class Handler extends JdbcHandler<List<EventEnvelope<SmsMessage.Event>>, CallLogDb.Session> {
    private record Known(long seqNr, Message message) {}

    private final ActorSystem<?> system;
    private final JdbcReadJournal journal;
    private final Map<String, Known> cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
        return size() > CACHE;
      }
    };

    Handler(ActorSystem<?> system) {
      this.system = system;
      this.journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    }

    @Override
    public void process(CallLogDb.Session session, List<EventEnvelope<SmsMessage.Event>> envelopes) throws Exception {
      for (EventEnvelope<SmsMessage.Event> env : envelopes) process(session, env);
    }

    private void process(CallLogDb.Session session, EventEnvelope<SmsMessage.Event> env) throws Exception {
      String pid = env.persistenceId();
      long seqNr = env.sequenceNr();
      Known k = cache.remove(pid);
      Message before = k != null && k.seqNr() == seqNr - 1 ? k.message() : rebuild(pid, seqNr - 1);
      Message after = SmsMessage.apply(before, env.event());
      if (after.exists() && !(env.event() instanceof SmsMessage.EffectsDone)) { // EffectsDone changes no column
        session.withConnection(c -> {
          SmsLogStore.write(c, seqNr, after);
          return null;
        });
      }
      // cached before the group's transaction commits: if it fails, the retried group's first event of this message
      // finds an entry already past it (seqNr is not the one before) and rebuilds the message from the journal
      cache.put(pid, new Known(seqNr, after));
    }

    private Message rebuild(String pid, long upTo) throws Exception {
      Message m = SmsMessage.empty();
      if (upTo < 1) return m;
      List<org.apache.pekko.persistence.query.EventEnvelope> events = journal.currentEventsByPersistenceId(pid, 1, upTo)
          .runWith(Sink.seq(), Materializer.matFromSystem(system)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (var e : events) {
        if (e.event() instanceof SmsMessage.Event ev) m = SmsMessage.apply(m, ev);
      }
      return m;
    }
  }
}
