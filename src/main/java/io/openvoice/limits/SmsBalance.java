package io.openvoice.limits;

import io.openvoice.calllog.CallLogDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Prepaid SMS balances, in message parts ({@code ops/sql/sms-balance.sql}): one row per account ({@code NULL} or no
 * row: unlimited) and a ledger row per change. A change locks the account's row ({@code SELECT ... FOR UPDATE}) and
 * is keyed in the ledger by (message, op), so a debit, credit or re-debit of one message is applied once however
 * often it is asked: a message entity that restarts asks again. All of it runs on the JDBC dispatcher
 * ({@link CallLogDb#run}); nothing blocks the caller.
 */
public final class SmsBalance {
  /** What a debit did: {@code ok}, or refused for want of parts; {@code balance} after it (null: unlimited). */
  public record Debit(boolean ok, Long balance) {}

  /** {@link #adjust} of an unlimited balance. */
  public static final class Unlimited extends RuntimeException {
    Unlimited() {
      super("the account's SMS balance is unlimited", null, false, false);
    }
  }

  private final CallLogDb db;

  public SmsBalance(CallLogDb db) {
    this.db = db;
  }

  /** The account's balance in parts; null: unlimited. */
  public CompletionStage<Long> balance(String account) {
    return db.run(c -> read(c, account, false).balance);
  }

  /**
   * Takes {@code parts} for {@code message} if that many are left (or the balance is unlimited). A message debited
   * before is answered ok again without taking anything.
   */
  public CompletionStage<Debit> debit(String account, String message, int parts) {
    return db.run(c -> {
      Row row = read(c, account, true);
      if (has(c, message, "debit")) return new Debit(true, row.balance);
      if (row.balance != null && row.balance < parts) return new Debit(false, row.balance);
      Long after = row.balance == null ? null : row.balance - parts;
      if (!entry(c, message, "debit", account, (long) parts, after)) return new Debit(true, read(c, account, false).balance);
      if (after != null) update(c, account, after);
      return new Debit(true, after);
    });
  }

  /**
   * Gives back the parts debited for {@code message} (it failed before the next hop took it): once, and only if it
   * was debited. Completes with whether it gave anything back.
   */
  public CompletionStage<Boolean> credit(String account, String message) {
    return follow(account, message, "debit", "credit", +1);
  }

  /**
   * Takes again the parts credited for {@code message} (a late delivery report proved it sent): once, only after a
   * credit, never refused (the balance may go below zero: the account owes them).
   */
  public CompletionStage<Boolean> redebit(String account, String message) {
    return follow(account, message, "credit", "redebit", -1);
  }

  /**
   * Applies {@code op} to the parts of the message's {@code after} entry ({@code sign}: +1 gives them back, -1 takes
   * them), once and only after that entry; completes with whether it changed anything.
   */
  private CompletionStage<Boolean> follow(String account, String message, String after, String op, int sign) {
    return db.run(c -> {
      Row row = read(c, account, true);
      Long parts = parts(c, message, after);
      if (parts == null || has(c, message, op)) return false;
      Long balance = row.balance == null ? null : row.balance + sign * parts;
      if (!entry(c, message, op, account, parts, balance)) return false;
      if (balance != null) update(c, account, balance);
      return true;
    });
  }

  /** Sets the balance ({@code null}: unlimited), as the operator said; completes with it. */
  public CompletionStage<Long> set(String account, Long balance) {
    return db.run(c -> {
      Row row = read(c, account, true);
      if (row.exists() || !insert(c, account, balance)) {
        if (!row.exists()) read(c, account, true); // a racing set made the row first: wait for it, then overwrite
        update(c, account, balance);
      }
      entry(c, UUID.randomUUID().toString(), "set", account, balance, balance);
      return balance;
    });
  }

  /**
   * Adds {@code delta} parts (negative: takes them) to a limited balance, atomically with the debits; completes with
   * the new balance. An unlimited balance is refused ({@link Unlimited}): set one first.
   */
  public CompletionStage<Long> adjust(String account, long delta) {
    return db.run(c -> {
      Row row = read(c, account, true);
      if (row.balance == null) throw new Unlimited();
      long after = row.balance + delta;
      update(c, account, after);
      entry(c, UUID.randomUUID().toString(), "adjust", account, delta, after);
      return after;
    });
  }

  private record Row(boolean exists, Long balance) {}

  /** The account's row, locked for this transaction when {@code lock}. */
  private static Row read(Connection c, String account, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM sms_balance WHERE account = ?"
        + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, account);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return new Row(false, null);
        long b = rs.getLong(1);
        return new Row(true, rs.wasNull() ? null : b);
      }
    }
  }

  private static boolean has(Connection c, String message, String op) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sms_ledger WHERE message = ? AND op = ?")) {
      ps.setString(1, message);
      ps.setString(2, op);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The parts of the ledger row (message, op); null when there is none. */
  private static Long parts(Connection c, String message, String op) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT parts FROM sms_ledger WHERE message = ? AND op = ?")) {
      ps.setString(1, message);
      ps.setString(2, op);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return null;
        long p = rs.getLong(1);
        return rs.wasNull() ? null : p;
      }
    }
  }

  /**
   * Writes the ledger row; false when (message, op) is there already (a racing transaction wrote it first: the row
   * lock does not cover unlimited accounts, which have no row to lock).
   */
  private static boolean entry(Connection c, String message, String op, String account, Long parts, Long after)
      throws SQLException {
    return insertOnce(c, "INSERT INTO sms_ledger (message, op, account, parts, balance_after, at) VALUES (?, ?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, message);
          ps.setString(2, op);
          ps.setString(3, account);
          setLong(ps, 4, parts);
          setLong(ps, 5, after);
          ps.setObject(6, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
        });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Runs an INSERT; false (and the transaction rolled back) when its key is there already. */
  private static boolean insertOnce(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) throw e;
      c.rollback();
      return false;
    }
  }

  private static void update(Connection c, String account, Long balance) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE sms_balance SET balance = ?, modified_on = ? WHERE account = ?")) {
      setLong(ps, 1, balance);
      ps.setObject(2, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
      ps.setString(3, account);
      ps.executeUpdate();
    }
  }

  /** Creates the account's row; false when a racing transaction created it first. */
  private static boolean insert(Connection c, String account, Long balance) throws SQLException {
    return insertOnce(c, "INSERT INTO sms_balance (account, balance, modified_on) VALUES (?, ?, ?)", ps -> {
      ps.setString(1, account);
      setLong(ps, 2, balance);
      ps.setObject(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
    });
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }
}
