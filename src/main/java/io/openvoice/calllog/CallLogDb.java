package io.openvoice.calllog;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.projection.jdbc.JdbcSession;

/**
 * The read-side database of calls (one per actor system): a small HikariCP pool over the same database as the
 * journal (the URL, user and password of {@code pekko-persistence-jdbc.shared-databases.slick.db}), the schema
 * ({@code ops/sql/call-log.sql}; on PostgreSQL part of {@code ops/sql/postgres/V1__schema.sql}), the projection's
 * {@link JdbcSession}s and the blocking executor its queries run on. The pool is closed when the actor system
 * terminates. A node also runs its schema scripts through it at start ({@code NodeSetup.createSchema}).
 */
public final class CallLogDb implements Extension {
  public static final String SCHEMA_RESOURCE = "sql/call-log.sql";

  private final HikariDataSource pool;
  /** The projection's blocking dispatcher: every JDBC call of the read side runs there. */
  public final Executor blocking;

  private CallLogDb(ActorSystem<?> system) {
    Config db = system.settings().config().getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    Config own = system.settings().config().getConfig("openvoice.call-log");
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("call-log");
    hc.setJdbcUrl(db.getString("url"));
    hc.setUsername(db.getString("user"));
    hc.setPassword(db.getString("password"));
    hc.setDriverClassName(db.getString("driver"));
    hc.setMaximumPoolSize(own.getInt("pool-size"));
    hc.setMinimumIdle(1);
    hc.setAutoCommit(false);
    this.pool = new HikariDataSource(hc);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(
        system.settings().config().getString("pekko.projection.jdbc.use-dispatcher")));
    system.getWhenTerminated().thenRun(pool::close);
  }

  public static CallLogDb get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  private static final class Id extends ExtensionId<CallLogDb> {
    static final Id INSTANCE = new Id();

    @Override
    public CallLogDb createExtension(ActorSystem<?> system) {
      return new CallLogDb(system);
    }
  }

  /** A connection of the pool (auto-commit off); the caller closes it. */
  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** A session of the projection: one transaction that holds the envelope's rows and its offset. */
  public Session session() {
    try {
      return new Session(pool.getConnection());
    } catch (SQLException e) {
      throw new IllegalStateException("call log: no database connection: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on a connection on the blocking dispatcher, committing after it (read-only work too). */
  public <T> CompletionStage<T> run(SqlWork<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        try {
          T out = work.apply(c);
          c.commit();
          return out;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("call log query failed: " + e.getMessage(), e);
      }
    }, blocking);
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Creates the tables and indexes if missing: the statements of {@code ops/sql/call-log.sql}, in order. */
  public CompletionStage<Void> createSchema() {
    return applyScript(SCHEMA_RESOURCE);
  }

  /**
   * Runs the statements of a class-path SQL script ({@link #statements} splits it) in one transaction, e.g. the
   * PostgreSQL migration {@code sql/postgres/V1__schema.sql}.
   */
  public CompletionStage<Void> applyScript(String resource) {
    String script = script(resource);
    return run(c -> {
      try (Statement st = c.createStatement()) {
        for (String sql : statements(script)) st.execute(sql);
      }
      return null;
    });
  }

  /** Of these tables, those PostgreSQL does not find on the connection's search path (in the order given). */
  public CompletionStage<List<String>> missingPostgresTables(List<String> tables) {
    return run(c -> {
      List<String> missing = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NULL")) {
        for (String t : tables) {
          ps.setString(1, t);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) missing.add(t);
          }
        }
      }
      return missing;
    });
  }

  /** A class-path script's text. */
  public static String script(String resource) {
    try (InputStream in = CallLogDb.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** The script's statements: {@code --} comments dropped, split at the {@code ;} that ends a line. */
  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n")) {
      int comment = line.indexOf("--");
      String code = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (code.isEmpty()) continue;
      if (code.endsWith(";")) {
        cur.append(code, 0, code.length() - 1);
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(code).append('\n');
      }
    }
    if (!cur.toString().isBlank()) out.add(cur.toString().strip());
    return out;
  }

  /** A JDBC session over one pooled connection: the projection commits the rows and the offset together. */
  public static final class Session implements JdbcSession {
    private final Connection connection;

    Session(Connection connection) {
      this.connection = connection;
    }

    @Override
    public <R> R withConnection(org.apache.pekko.japi.function.Function<Connection, R> func) throws Exception {
      return func.apply(connection);
    }

    @Override
    public void commit() throws SQLException {
      connection.commit();
    }

    @Override
    public void rollback() throws SQLException {
      connection.rollback();
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
