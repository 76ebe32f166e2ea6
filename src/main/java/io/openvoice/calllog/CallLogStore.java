package io.openvoice.calllog;

import io.openvoice.call.CallReplay;
import io.openvoice.call.CallView;
import io.openvoice.flow.FlowEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of the call log and the call-flow log: the projection's writes and the search queries. Column names in
 * {@link Sort} and {@link Cond} come from the API's fixed lists, never from a request; values are always bound.
 */
public final class CallLogStore {
  private CallLogStore() {}

  static final String CALL_COLUMNS = "uuid, account, app, app_name, tn, from_number, to_number, direction, parent, "
      + "state, last_state, created_on, modified_on, ring_on, answer_on, hangup_on, destroy_on, duration, q850_cause, "
      + "hangup_reason, seq_nr";
  static final String FLOW_COLUMNS = "uuid, call_uuid, account, app, tn, from_number, seq_nr, idx, path, command, "
      + "phase, success, reason, tag, created_on";

  // ---- writes (the projection, inside its transaction) -----------------------------------------------------

  /**
   * Writes what event {@code seqNr} of a call did: the call's row (inserted with its first event, then updated)
   * and one call-flow row per step. An event whose sequence number the row already has is skipped, so a
   * replayed event never writes twice even outside the projection's exactly-once transaction.
   */
  static void write(Connection c, long seqNr, CallReplay.Applied applied) throws SQLException {
    CallView v = applied.call();
    if (v == null) return; // an event before the call's start: nothing to show
    Long have = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT seq_nr FROM call_log WHERE uuid = ?")) {
      ps.setString(1, v.uuid());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) have = rs.getLong(1);
      }
    }
    if (have != null && have >= seqNr) return;
    if (have == null) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_log (" + CALL_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = 1;
        ps.setString(i++, v.uuid());
        ps.setString(i++, v.account().uuid());
        ps.setString(i++, v.sipControlApp() == null ? null : v.sipControlApp().uuid());
        ps.setString(i++, v.sipControlApp() == null ? null : cut(v.sipControlApp().name(), 255));
        ps.setString(i++, v.tn() == null ? null : cut(v.tn().tn(), 64));
        ps.setString(i++, cut(v.from(), 255));
        ps.setString(i++, cut(v.to(), 255));
        ps.setString(i++, v.direction());
        ps.setString(i++, v.parent());
        i = setProgress(ps, i, v, seqNr);
        ps.executeUpdate();
      }
    } else {
      try (PreparedStatement ps = c.prepareStatement("UPDATE call_log SET state = ?, last_state = ?, created_on = ?, "
          + "modified_on = ?, ring_on = ?, answer_on = ?, hangup_on = ?, destroy_on = ?, duration = ?, q850_cause = ?, "
          + "hangup_reason = ?, seq_nr = ? WHERE uuid = ?")) {
        int i = setProgress(ps, 1, v, seqNr);
        ps.setString(i, v.uuid());
        ps.executeUpdate();
      }
    }
    List<FlowEvent> steps = applied.steps();
    if (steps.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_flow_log (" + FLOW_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int n = 0; n < steps.size(); n++) {
        FlowEvent fe = steps.get(n);
        int i = 1;
        ps.setString(i++, stepId(v.uuid(), seqNr, n));
        ps.setString(i++, v.uuid());
        ps.setString(i++, v.account().uuid());
        ps.setString(i++, v.sipControlApp() == null ? null : v.sipControlApp().uuid());
        ps.setString(i++, v.tn() == null ? null : cut(v.tn().tn(), 64));
        ps.setString(i++, cut(v.from(), 255));
        ps.setLong(i++, seqNr);
        ps.setInt(i++, n);
        ps.setString(i++, cut(fe.path() == null ? "" : fe.path(), 1024));
        ps.setString(i++, cut(fe.command() == null ? "" : fe.command(), 64));
        ps.setString(i++, fe.phase().name().toLowerCase(Locale.ROOT));
        ps.setBoolean(i++, fe.success());
        ps.setString(i++, cut(fe.reason(), 1024));
        ps.setString(i++, cut(fe.tag(), 255));
        setTime(ps, i, applied.at());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** state .. seq_nr of a call row, from parameter {@code i}; returns the next parameter index. */
  private static int setProgress(PreparedStatement ps, int i, CallView v, long seqNr) throws SQLException {
    ps.setString(i++, v.online() ? "online" : "offline");
    ps.setString(i++, v.state());
    setTime(ps, i++, v.createdOn());
    setTime(ps, i++, v.modifiedOn());
    setTime(ps, i++, v.ringOn());
    setTime(ps, i++, v.answerOn());
    setTime(ps, i++, v.hangupOn());
    setTime(ps, i++, v.destroyOn());
    ps.setLong(i++, v.duration());
    if (v.q850Cause() == null) ps.setNull(i++, Types.INTEGER); else ps.setInt(i++, v.q850Cause());
    ps.setString(i++, cut(v.hangupReason(), 1024));
    ps.setLong(i++, seqNr);
    return i;
  }

  /** A step's id: the same for the same event and place, so a row can only ever exist once. */
  static String stepId(String callId, long seqNr, int idx) {
    return UUID.nameUUIDFromBytes((callId + "/" + seqNr + "/" + idx).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    else ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  // ---- reads -----------------------------------------------------------------------------------------------

  /** A condition on a row: SQL with {@code ?} placeholders and their values. */
  public record Cond(String sql, List<Object> params) {
    public static Cond of(String sql, Object... params) {
      return new Cond(sql, List.of(params));
    }
  }

  /** An ORDER BY term: a column of the table and its direction. */
  public record Sort(String column, boolean descending) {}

  /** One page of rows (column name → value; timestamps as {@link Instant}) and how many rows match in all. */
  public record Page(long total, List<Map<String, Object>> rows) {}

  /** Calls of the account. */
  public static Page calls(Connection c, String account, List<Cond> filters, boolean anyOf, List<Sort> order,
                           int take, int skip) throws SQLException {
    return page(c, "call_log", CALL_COLUMNS, Cond.of("account = ?", account), filters, anyOf, order, take, skip);
  }

  /** Call-flow steps of one app of the account. */
  public static Page flowSteps(Connection c, String account, String app, List<Cond> filters, boolean anyOf,
                               List<Sort> order, int take, int skip) throws SQLException {
    return page(c, "call_flow_log", FLOW_COLUMNS, Cond.of("account = ? AND app = ?", account, app), filters, anyOf,
        order, take, skip);
  }

  /** A page of {@code table} (its rows within {@code scope}, filtered, ordered); the SMS log uses it too. */
  public static Page page(Connection c, String table, String columns, Cond scope, List<Cond> filters,
                           boolean anyOf, List<Sort> order, int take, int skip) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE ").append(scope.sql());
    List<Object> params = new ArrayList<>(scope.params());
    if (!filters.isEmpty()) {
      where.append(" AND (");
      for (int i = 0; i < filters.size(); i++) {
        if (i > 0) where.append(anyOf ? " OR " : " AND ");
        where.append('(').append(filters.get(i).sql()).append(')');
        params.addAll(filters.get(i).params());
      }
      where.append(')');
    }
    long total;
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + where)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table).append(where)
        .append(" ORDER BY ");
    for (int i = 0; i < order.size(); i++) {
      if (i > 0) sql.append(", ");
      sql.append(order.get(i).column()).append(order.get(i).descending() ? " DESC" : " ASC");
    }
    sql.append(" LIMIT ? OFFSET ?");
    List<Map<String, Object>> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      List<Object> all = new ArrayList<>(params);
      all.add(take);
      all.add(skip);
      bind(ps, all);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            int type = md.getColumnType(i);
            Object value;
            if (type == Types.TIMESTAMP_WITH_TIMEZONE || type == Types.TIMESTAMP) {
              OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
              value = t == null ? null : t.toInstant();
            } else {
              value = rs.getObject(i);
            }
            row.put(name, value);
          }
          rows.add(row);
        }
      }
    }
    return new Page(total, rows);
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object v = params.get(i);
      if (v instanceof Instant t) ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      else ps.setObject(i + 1, v);
    }
  }
}
