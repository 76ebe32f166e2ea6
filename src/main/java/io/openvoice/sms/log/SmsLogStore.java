package io.openvoice.sms.log;

import io.openvoice.sms.SmsJson;
import io.openvoice.sms.SmsMessage.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The {@code sms_log} table ({@code ops/sql/sms-log.sql}): one row per message, as of its latest event. */
public final class SmsLogStore {
  private SmsLogStore() {}

  public static final String SCHEMA_RESOURCE = "sql/sms-log.sql";
  public static final String COLUMNS = "uuid, account, direction, tn, from_number, to_number, thread, message, state, "
      + "delivered, reason, detail, parts, encoding, gateway, reference_id, messaging_profile, created_on, modified_on";

  /** Writes the message as of journal event {@code seqNr}; an event already applied (or older) changes nothing. */
  public static void write(Connection c, long seqNr, Message m) throws SQLException {
    Long have = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT seq_nr FROM sms_log WHERE uuid = ?")) {
      ps.setString(1, m.uuid());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) have = rs.getLong(1);
      }
    }
    if (have != null && have >= seqNr) return;
    String sql = have == null
        ? "INSERT INTO sms_log (account, direction, tn, from_number, to_number, thread, message, state, delivered, "
          + "reason, detail, parts, encoding, gateway, reference_id, messaging_profile, created_on, modified_on, seq_nr, "
          + "uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        : "UPDATE sms_log SET account = ?, direction = ?, tn = ?, from_number = ?, to_number = ?, thread = ?, "
          + "message = ?, state = ?, delivered = ?, reason = ?, detail = ?, parts = ?, encoding = ?, gateway = ?, "
          + "reference_id = ?, messaging_profile = ?, created_on = ?, modified_on = ?, seq_nr = ? WHERE uuid = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, m.accountId());
      ps.setString(i++, m.direction());
      ps.setString(i++, m.tn());
      ps.setString(i++, cut(m.from(), 255));
      ps.setString(i++, cut(m.to(), 255));
      ps.setString(i++, m.thread());
      ps.setString(i++, cut(m.text(), 4096));
      ps.setString(i++, m.state());
      ps.setBoolean(i++, m.delivered());
      ps.setString(i++, cut(m.reason(), 64));
      ps.setString(i++, cut(m.detail(), 1024));
      ps.setInt(i++, m.parts());
      ps.setString(i++, SmsJson.encoding(m.coding()));
      ps.setString(i++, cut(m.gateway(), 64));
      ps.setString(i++, cut(m.reference(), 255));
      ps.setString(i++, m.messagingProfile());
      setTime(ps, i++, m.createdOn());
      setTime(ps, i++, m.modifiedOn() == null ? m.createdOn() : m.modifiedOn());
      ps.setLong(i++, seqNr);
      ps.setString(i, m.uuid());
      ps.executeUpdate();
    }
  }

  private static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    else ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
