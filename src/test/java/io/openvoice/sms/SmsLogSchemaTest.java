package io.openvoice.sms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.openvoice.calllog.CallLogDb;
import io.openvoice.sms.log.SmsLogStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PostgreSQL migration holds every statement of the H2 SMS-log script, and every statement is idempotent. */
class SmsLogSchemaTest {
  static String normalized(String statement) {
    return statement.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll(" ?([(),]) ?", "$1").trim();
  }

  @Test
  void theMigrationHoldsEveryStatementOfTheSmsLogScript() {
    Set<String> migration = CallLogDb.statements(CallLogDb.script("sql/postgres/V1__schema.sql")).stream()
        .map(SmsLogSchemaTest::normalized).collect(Collectors.toSet());
    List<String> sms = CallLogDb.statements(CallLogDb.script(SmsLogStore.SCHEMA_RESOURCE));
    assertTrue(sms.stream().anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS sms_log ")), "parsed: " + sms);
    for (String s : sms) {
      assertTrue(s.matches("(?is)CREATE (UNIQUE )?(TABLE|INDEX) IF NOT EXISTS .*"), s);
      assertTrue(migration.contains(normalized(s)), "missing from the migration: " + s);
    }
  }
}
