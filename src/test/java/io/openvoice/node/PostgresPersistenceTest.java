package io.openvoice.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run with {@code -Dopenvoice.test.db=postgres} (ops/test.sh does, against ops/postgres/start.sh's server; skipped
 * on H2): proves that test nodes really persist in PostgreSQL, by reading PostgreSQL directly, that each node's
 * schema is its own, and that a node on a database with the migration applied starts without creating anything
 * while one on an empty database refuses to start and says what to do.
 */
class PostgresPersistenceTest {
  static final String FLOW = "<Response><Answer/><Say>hello</Say><Hangup/></Response>";

  @BeforeEach
  void onlyOnPostgres() {
    assumeTrue(TestDatabase.postgres(), "test nodes run on H2; -Dopenvoice.test.db=postgres runs this");
  }

  @Test
  void journalDurableStateAndCallLogLandInThePostgresSchemaOfTheNode() throws Exception {
    Path data = Files.createTempDirectory("openvoice-pg");
    Path other = Files.createTempDirectory("openvoice-pg-other");
    try (TestNode node = TestNode.start(data, "")) {
      Config db = node.node.system().settings().config();
      assertEquals("slick.jdbc.PostgresProfile$", db.getString("pekko-persistence-jdbc.shared-databases.slick.profile"));
      assertEquals("postgres-dialect", db.getString("pekko.projection.jdbc.dialect"));
      String url = db.getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
      assertEquals(TestDatabase.urlFor(TestDatabase.schemaFor(data)), url);
      assertFalse(Files.exists(data.resolve("h2")), "no H2 database next to a node on PostgreSQL");

      String app = node.hostedApp("pg", FLOW);
      JsonNode call = node.call("POST", "/rest/sip/app/" + app + "/simulate",
          "{\"from\":\"+12015550123\",\"to\":\"12025550100\",\"realtime\":false,\"wait\":true}", 200).path("payload");
      String callId = call.path("call").path("uuid").asText();
      assertFalse(callId.isEmpty(), call.toString());

      try (Connection c = TestDatabase.connect(url)) {
        assertEquals(TestDatabase.schemaFor(data), scalar(c, "SELECT current_schema()"));
        // the call entity's events, with their tags for the read journal
        long events = count(c, "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Call|" + callId);
        assertTrue(events >= 2, "the call's events are in PostgreSQL's event_journal: " + events);
        assertTrue(count(c, "SELECT count(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
            + " WHERE j.persistence_id = ?", "Call|" + callId) >= events, "every event of the call is tagged");
        // the app is a durable-state entity
        assertEquals(1, count(c, "SELECT count(*) FROM durable_state WHERE persistence_id = ?", "App|" + app));
        // the call-log projection wrote its row and its offsets in the same database
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count(c, "SELECT count(*) FROM call_log WHERE uuid = ? AND state = 'offline'", callId) == 0) {
          assertTrue(Instant.now().isBefore(deadline), "the call reached call_log in PostgreSQL");
          Thread.sleep(100);
        }
        assertTrue(count(c, "SELECT count(*) FROM call_flow_log WHERE call_uuid = ?", callId) > 0);
        assertTrue(count(c, "SELECT count(*) FROM pekko_projection_offset_store") > 0);
      }
      // another data directory is another schema: it holds none of this node's rows
      String otherSchema = TestDatabase.schemaFor(other);
      assertFalse(otherSchema.equals(TestDatabase.schemaFor(data)));
      TestDatabase.applyMigration(otherSchema);
      try (Connection c = TestDatabase.connect(TestDatabase.urlFor(otherSchema))) {
        assertEquals(0, count(c, "SELECT count(*) FROM event_journal"));
        assertEquals(0, count(c, "SELECT count(*) FROM durable_state"));
      }
    }
  }

  @Test
  void aNodeStartsOnAMigratedDatabaseWithoutCreatingTablesAndRefusesAnEmptyOne() throws Exception {
    Path migrated = Files.createTempDirectory("openvoice-pg-migrated");
    TestDatabase.applyMigration(TestDatabase.schemaFor(migrated)); // what ops/postgres/start.sh does with psql
    try (TestNode node = TestNode.start(migrated, "openvoice.create-schema = off")) {
      node.hostedApp("migrated", FLOW);
      try (Connection c = TestDatabase.connect(TestDatabase.urlFor(TestDatabase.schemaFor(migrated)))) {
        assertTrue(count(c, "SELECT count(*) FROM durable_state WHERE persistence_id LIKE 'App|%'") == 1);
      }
    }

    Path empty = Files.createTempDirectory("openvoice-pg-empty");
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> TestNode.start(empty, "openvoice.create-schema = off").close());
    assertTrue(String.valueOf(failed.getCause().getMessage()).contains("ops/sql/postgres/V1__schema.sql"),
        "the start fails naming the migration: " + failed.getCause());
    assertTrue(String.valueOf(failed.getCause().getMessage()).contains("event_journal"), failed.getCause().toString());
  }

  static long count(Connection c, String sql, Object... args) throws SQLException {
    return Long.parseLong(scalar(c, sql, args));
  }

  static String scalar(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), sql);
        return rs.getString(1);
      }
    }
  }
}
