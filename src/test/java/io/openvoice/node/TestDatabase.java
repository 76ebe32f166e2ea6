package io.openvoice.node;

import io.openvoice.calllog.CallLogDb;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database test nodes run on. By default H2, a file in each node's data directory. With
 * {@code -Dopenvoice.test.db=postgres} (or {@code OPENVOICE_TEST_DB=postgres}) PostgreSQL at
 * {@code openvoice.test.db.url} (default {@code jdbc:postgresql://127.0.0.1:55432/calls}, the server of
 * {@code ops/postgres/start.sh}; user and password {@code openvoice.test.db.user} / {@code .password}, default
 * calls/calls), through {@code cluster-config/postgres.conf}.
 *
 * <p>On PostgreSQL every data directory gets a schema of its own, created empty when a node first starts on that
 * directory (the node then applies the migration itself, {@code openvoice.create-schema = on}), so tests never
 * see each other's rows while a node restarted on the same directory finds its data again, as with H2. The schemas
 * of this JVM are dropped when it exits; ones that a killed JVM left behind are dropped by the next run once they
 * are a day old.
 */
public final class TestDatabase {
  static final String SCHEMA_PREFIX = "ovtest_";
  private static final long STALE_SECONDS = 24 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Path, String> schemas = new ConcurrentHashMap<>();
  private static final List<String> created = new ArrayList<>();
  private static boolean cleanedUp;

  private TestDatabase() {}

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) v = System.getenv(env);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** Whether test nodes run on PostgreSQL. */
  public static boolean postgres() {
    String db = setting("openvoice.test.db", "OPENVOICE_TEST_DB", "h2").toLowerCase(java.util.Locale.ROOT);
    return switch (db) {
      case "postgres", "postgresql" -> true;
      case "h2" -> false;
      default -> throw new IllegalArgumentException("openvoice.test.db=" + db + ": h2 or postgres");
    };
  }

  /** The PostgreSQL database the schemas are made in. */
  public static String url() {
    return setting("openvoice.test.db.url", "OPENVOICE_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:55432/calls");
  }

  public static String user() {
    return setting("openvoice.test.db.user", "OPENVOICE_TEST_DB_USER", "calls");
  }

  public static String password() {
    return setting("openvoice.test.db.password", "OPENVOICE_TEST_DB_PASSWORD", "calls");
  }

  /** The database URL with the schema as the connection's only search path. */
  public static String urlFor(String schema) {
    return url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** A connection to PostgreSQL as the test user (auto-commit on); {@code url} may name a schema. */
  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, user(), password());
  }

  /** The schema of this data directory: the same for every node started on it, created empty the first time. */
  public static String schemaFor(Path dataDir) {
    return schemas.computeIfAbsent(dataDir.toAbsolutePath().normalize(), dir -> newSchema());
  }

  /** A new empty schema, dropped when this JVM exits. */
  public static synchronized String newSchema() {
    String name = SCHEMA_PREFIX + (System.currentTimeMillis() / 1000) + "_" + HexFormat.of().formatHex(bytes(5));
    try (Connection c = connect(url()); Statement st = c.createStatement()) {
      if (!cleanedUp) {
        cleanedUp = true;
        dropStale(st);
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll, "drop-test-schemas"));
      }
      st.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + url() + " (user " + user() + "): " + e.getMessage()
          + " - is it running? ops/postgres/start.sh starts it", e);
    }
    created.add(name);
    return name;
  }

  /** Applies the node's migration (ops/sql/postgres/V1__schema.sql) to a schema, in one transaction. */
  public static void applyMigration(String schema) throws SQLException {
    try (Connection c = connect(urlFor(schema))) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : CallLogDb.statements(CallLogDb.script(NodeSetup.POSTGRES_SCHEMA))) st.execute(sql);
      }
      c.commit();
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Test schemas older than a day: left by a JVM that did not get to drop its own. */
  private static void dropStale(Statement st) throws SQLException {
    long now = System.currentTimeMillis() / 1000;
    List<String> stale = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ovtest\\_%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        String[] parts = name.substring(SCHEMA_PREFIX.length()).split("_");
        try {
          if (now - Long.parseLong(parts[0]) > STALE_SECONDS) stale.add(name);
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    for (String s : stale) st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
  }

  private static synchronized void dropAll() {
    if (created.isEmpty()) return;
    try (Connection c = connect(url()); Statement st = c.createStatement()) {
      st.execute("SET lock_timeout = '5s'");
      for (String s : created) {
        try {
          st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
        } catch (SQLException e) {
          System.err.println("could not drop test schema " + s + ": " + e.getMessage());
        }
      }
    } catch (SQLException e) {
      System.err.println("could not drop the test schemas " + created + ": " + e.getMessage());
    }
  }

  /** HOCON that puts a node on PostgreSQL in this schema (on top of cluster-config/postgres.conf). */
  static String nodeConfig(String schema) {
    return """
        pekko-persistence-jdbc.shared-databases.slick.db.url = "%s"
        pekko-persistence-jdbc.shared-databases.slick.db.user = "%s"
        pekko-persistence-jdbc.shared-databases.slick.db.password = "%s"
        openvoice.create-schema = on
        """.formatted(urlFor(schema), user(), password());
  }
}
