package io.openvoice.sms;

import io.openvoice.calllog.CallLogDb;
import io.openvoice.common.CborSerializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sticky senders of messaging-profile pools: table {@code sms_sticky_sender} ({@code ops/sql/sms-sticky.sql}),
 * one row per (profile, recipient). Every method runs on {@link CallLogDb}'s blocking JDBC dispatcher and answers
 * with a future, so actors use them through {@code pipeToSelf}. Portable SQL (H2 2.x and PostgreSQL 15).
 *
 * <p>Concurrent first sends to one recipient agree: a new pair is an INSERT, and the one that loses on the primary
 * key (SQLState 23505) reads the winner's row instead; a pair is replaced only by a compare-and-set on the row it
 * was read as (sender and {@code used_on}), and the one that loses reads the row again.
 */
public final class StickySenders {
  private static final Logger log = LoggerFactory.getLogger(StickySenders.class);

  public static final String SCHEMA_RESOURCE = "sql/sms-sticky.sql";

  /** Rows one clean-up statement deletes (each batch its own transaction, so no long locks). */
  static final int DELETE_BATCH = 1000;

  /** Rounds of insert / compare-and-set / read a claim makes before it gives up (the row kept changing). */
  static final int CLAIM_ROUNDS = 4;

  /** A stored pair: the sender, and when it was stored or last refreshed. */
  public record Row(String sender, Instant usedOn) implements CborSerializable {
    /** Unused for longer than {@code ttl}: to be ignored and replaced. */
    public boolean expired(Instant now, Duration ttl) {
      return usedOn.isBefore(now.minus(ttl));
    }

    /** Last refreshed more than {@code refresh} ago: its {@code used_on} is to be set to now. */
    public boolean due(Instant now, Duration refresh) {
      return usedOn.isBefore(now.minus(refresh));
    }
  }

  /** What a claim left in the table: the recipient's row, and whether it is the one asked for ({@code ours}). */
  public record Claim(Row row, boolean ours) {}

  private final CallLogDb db;

  public StickySenders(CallLogDb db) {
    this.db = db;
  }

  /** The recipient's stored pair, if any (expired or not). */
  public CompletionStage<Optional<Row>> find(String profile, String recipient) {
    return db.run(c -> Optional.ofNullable(find(c, profile, recipient)));
  }

  /**
   * Stores {@code sender} for the recipient where the table still holds {@code expected} (null: no row): an insert,
   * or a compare-and-set on {@code expected}. When another writer got there first, the answer is the row it left
   * ({@code ours} false), for the caller to use or to claim over again.
   */
  public CompletionStage<Claim> claim(String profile, String recipient, Row expected, String sender, Instant now) {
    return db.run(c -> claim(c, profile, recipient, expected, sender, now));
  }

  /**
   * Sets the pair's {@code used_on} to {@code now} if it still has {@code sender} and was last refreshed before
   * {@code before}; false when no row was changed (gone, replaced, or refreshed meanwhile).
   */
  public CompletionStage<Boolean> touch(String profile, String recipient, String sender, Instant now, Instant before) {
    return db.run(c -> touch(c, profile, recipient, sender, now, before));
  }

  /** Deletes the pairs last used before {@code before}, in batches; the number deleted. */
  public CompletionStage<Integer> deleteUnusedSince(Instant before) {
    return db.run(c -> deleteUnusedSince(c, before));
  }

  static Row find(Connection c, String profile, String recipient) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT sender, used_on FROM sms_sticky_sender WHERE profile = ? AND recipient = ?")) {
      ps.setString(1, profile);
      ps.setString(2, recipient);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()) : null;
      }
    }
  }

  static Claim claim(Connection c, String profile, String recipient, Row expected, String sender, Instant now)
      throws SQLException {
    Row want = new Row(sender, now.truncatedTo(ChronoUnit.MILLIS));
    for (int round = 0; round < CLAIM_ROUNDS; round++) {
      boolean stored = expected == null ? insert(c, profile, recipient, want)
          : replace(c, profile, recipient, expected, want);
      if (stored) return new Claim(want, true);
      Row there = find(c, profile, recipient);
      if (there != null) return new Claim(there, false);
      expected = null; // deleted meanwhile (the clean-up): insert it
    }
    throw new SQLException("sticky sender of " + recipient + " (profile " + profile + "): the row kept changing");
  }

  /** Inserts the pair; false when the recipient already has one (another writer won), the transaction then clean. */
  private static boolean insert(Connection c, String profile, String recipient, Row row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO sms_sticky_sender (profile, recipient, sender, used_on) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, profile);
      ps.setString(2, recipient);
      ps.setString(3, row.sender());
      ps.setObject(4, time(row.usedOn()));
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (!lostRace(e)) throw e;
      c.rollback(); // PostgreSQL aborts the transaction on the violation; start a clean one for the read
      return false;
    }
  }

  /** A unique violation, or H2's concurrent update of the same key: someone else stored the row first. */
  static boolean lostRace(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && ("23505".equals(s.getSQLState()) || "90131".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean replace(Connection c, String profile, String recipient, Row expected, Row row)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE sms_sticky_sender SET sender = ?, used_on = ? "
        + "WHERE profile = ? AND recipient = ? AND sender = ? AND used_on = ?")) {
      ps.setString(1, row.sender());
      ps.setObject(2, time(row.usedOn()));
      ps.setString(3, profile);
      ps.setString(4, recipient);
      ps.setString(5, expected.sender());
      ps.setObject(6, time(expected.usedOn()));
      return ps.executeUpdate() > 0;
    }
  }

  static boolean touch(Connection c, String profile, String recipient, String sender, Instant now, Instant before)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE sms_sticky_sender SET used_on = ? "
        + "WHERE profile = ? AND recipient = ? AND sender = ? AND used_on < ?")) {
      ps.setObject(1, time(now.truncatedTo(ChronoUnit.MILLIS)));
      ps.setString(2, profile);
      ps.setString(3, recipient);
      ps.setString(4, sender);
      ps.setObject(5, time(before));
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Batches of at most {@link #DELETE_BATCH} rows, each its own transaction: the keys of unused pairs (through the
   * index on {@code used_on}), then a delete by key of each that is still unused (a pair refreshed meanwhile stays).
   */
  static int deleteUnusedSince(Connection c, Instant before) throws SQLException {
    int total = 0;
    try (PreparedStatement find = c.prepareStatement("SELECT profile, recipient FROM sms_sticky_sender "
        + "WHERE used_on < ? FETCH FIRST " + DELETE_BATCH + " ROWS ONLY");
         PreparedStatement delete = c.prepareStatement("DELETE FROM sms_sticky_sender "
             + "WHERE profile = ? AND recipient = ? AND used_on < ?")) {
      while (true) {
        int found = 0;
        find.setObject(1, time(before));
        try (ResultSet rs = find.executeQuery()) {
          while (rs.next()) {
            delete.setString(1, rs.getString(1));
            delete.setString(2, rs.getString(2));
            delete.setObject(3, time(before));
            delete.addBatch();
            found++;
          }
        }
        if (found == 0) return total;
        for (int n : delete.executeBatch()) total += Math.max(n, 0);
        c.commit();
        if (found < DELETE_BATCH) return total;
      }
    }
  }

  private static OffsetDateTime time(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  /**
   * Deletes the pairs unused for {@code settings.stickyTtl()} every {@code settings.stickyCleanUpEvery()} (first
   * after a random part of it, so nodes started together do not run together), one run at a time. Runs on every
   * node; several nodes deleting at once only find fewer rows. Never blocks the scheduler: the deletes are a future
   * on the JDBC dispatcher.
   */
  public Cancellable scheduleCleanUp(ActorSystem<?> system, SmsPoolSettings settings) {
    AtomicBoolean running = new AtomicBoolean();
    Duration every = settings.stickyCleanUpEvery();
    Duration first = Duration.ofMillis((long) (every.toMillis() * ThreadLocalRandom.current().nextDouble(0.1, 1.0)));
    return system.scheduler().scheduleAtFixedRate(first, every, () -> {
      if (!running.compareAndSet(false, true)) return;
      deleteUnusedSince(Instant.now().minus(settings.stickyTtl())).whenComplete((n, err) -> {
        running.set(false);
        if (err != null) log.warn("sticky senders: the clean-up of unused pairs failed: {}", err.toString());
        else if (n > 0) log.info("sticky senders: deleted {} pairs unused for {}", n, settings.stickyTtl());
      });
    }, system.executionContext());
  }
}
