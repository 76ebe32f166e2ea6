package io.openvoice.calllog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL migration (ops/sql/postgres/V1__schema.sql) against its sources: every statement of the H2
 * call-log script is in it unchanged, and every table and index of pekko-persistence-jdbc's own PostgreSQL schema
 * is in it with the same shape (only the schema prefix, IF NOT EXISTS and CONCURRENTLY may differ).
 */
class CallLogSchemaTest {
  static final String MIGRATION = "sql/postgres/V1__schema.sql";
  static final String PLUGIN_SCHEMA = "schema/postgres/postgres-create-schema.sql";

  static String normalized(String statement) {
    return statement.toLowerCase(Locale.ROOT)
        .replace("public.", "")
        .replace(" concurrently ", " ")
        .replace(" if not exists ", " ")
        .replaceAll("\\s+", " ")
        .replaceAll(" ?([(),]) ?", "$1")
        .trim();
  }

  static Set<String> statementsOf(String resource) {
    return CallLogDb.statements(CallLogDb.script(resource)).stream()
        .map(CallLogSchemaTest::normalized).collect(Collectors.toSet());
  }

  @Test
  void theMigrationHoldsEveryStatementOfTheCallLogScript() {
    Set<String> migration = statementsOf(MIGRATION);
    List<String> callLog = CallLogDb.statements(CallLogDb.script(CallLogDb.SCHEMA_RESOURCE));
    assertTrue(callLog.stream().anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS call_log ")), "parsed: " + callLog);
    for (String s : callLog) {
      assertTrue(migration.contains(normalized(s)), "missing from " + MIGRATION + ": " + s);
    }
  }

  @Test
  void theMigrationHoldsThePersistencePluginsPostgresSchema() {
    Set<String> migration = statementsOf(MIGRATION);
    List<String> plugin = CallLogDb.statements(CallLogDb.script(PLUGIN_SCHEMA));
    assertEquals(7, plugin.size(), "4 tables and 3 indexes in " + PLUGIN_SCHEMA + ": " + plugin);
    for (String s : plugin) {
      assertTrue(migration.contains(normalized(s)), "missing from " + MIGRATION + ": " + s);
    }
  }

  @Test
  void everyStatementOfTheMigrationIsIdempotent() {
    for (String s : CallLogDb.statements(CallLogDb.script(MIGRATION))) {
      assertTrue(s.matches("(?is)CREATE (UNIQUE )?(TABLE|INDEX) IF NOT EXISTS .*"), s);
    }
  }
}
