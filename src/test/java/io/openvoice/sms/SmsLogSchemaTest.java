package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.calllog.CallLogDb;
import io.openvoice.node.NodeSetup;
import io.openvoice.sms.log.SmsLogStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PostgreSQL migration holds every statement of the H2 scripts (SMS log, balances, ...), each idempotent. */
class SmsLogSchemaTest {
  static String normalized(String statement) {
    return statement.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll(" ?([(),]) ?", "$1").trim();
  }

  @Test
  void theMigrationHoldsEveryStatementOfTheSmsLogScript() {
    assertScriptInMigration(SmsLogStore.SCHEMA_RESOURCE, "sms_log");
  }

  @Test
  void theMigrationHoldsEveryStatementOfEveryH2Script() {
    assertTrue(NodeSetup.H2_SCRIPTS.contains(SmsLogStore.SCHEMA_RESOURCE));
    for (String script : NodeSetup.H2_SCRIPTS) assertScriptInMigration(script, null);
  }

  private static void assertScriptInMigration(String script, String table) {
    Set<String> migration = CallLogDb.statements(CallLogDb.script("sql/postgres/V1__schema.sql")).stream()
        .map(SmsLogSchemaTest::normalized).collect(Collectors.toSet());
    List<String> statements = CallLogDb.statements(CallLogDb.script(script));
    assertTrue(!statements.isEmpty(), script);
    if (table != null) {
      assertTrue(statements.stream().anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + table + " ")),
          "parsed: " + statements);
    }
    for (String s : statements) {
      assertTrue(s.matches("(?is)CREATE (UNIQUE )?(TABLE|INDEX) IF NOT EXISTS .*"), script + ": " + s);
      assertTrue(migration.contains(normalized(s)), script + " statement missing from the migration: " + s);
    }
  }
}
