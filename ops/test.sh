#!/usr/bin/env bash
# Runs the whole test suite (the README's second command; .ci/run calls it): every test on H2, then the tests that
# persist once more on PostgreSQL, against the local server of ops/postgres/start.sh (started first, so a machine
# that cannot run it fails at once; stopped at the end when this run started it). Each PostgreSQL test node gets a
# schema of its own (io.openvoice.node.TestDatabase). OPENVOICE_TEST_POSTGRES=off leaves PostgreSQL out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh

# What persists and recovers (about 2.5 minutes on 2 cores): node restarts (remembered call entities, journal
# recovery, the flow resumed), the call-log projection (exactly-once offsets, searches on its tables, across a
# restart), calls driven over REST, durable-state entities (accounts, users, apps, numbers, connections, profiles,
# invites, limits, event subscriptions, bulk-call batches), SMS (the balance ledger's row locks, messages across a
# node restart, the SMS log projection and searches) and the proof that the rows are in PostgreSQL
# (PostgresPersistenceTest, skipped on H2), and the failover of a five-process cluster with kill -9 of a control
# node and of an edge under 200 live SIPp calls (ClusterFailoverTest, about 4 minutes; skipped on H2; its figures
# go to target/failover/). The whole suite also passes on PostgreSQL:
#   mvn test -Dopenvoice.test.db=postgres
PG_TESTS="PostgresPersistenceTest,SmsBalanceTest,MessagingApiTest,SmsRestartTest,NodeRestartTest,CallLogRestartTest,CallLogApiTest,NodeScenarioTest,\
TenancyAndAccountsTest,CallControlTest,CallLimitsTest,SipConnectionApiTest,OutboundVoiceProfileApiTest,\
SipInviteApiTest,EventsOverWebSocketTest,SipBulkCallTest,WebhookRestartTest,ClusterFailoverTest"

postgres="${OPENVOICE_TEST_POSTGRES:-on}"
if [ "$postgres" != off ]; then
  pg_env="$(bash ops/postgres/start.sh)"
  pg() { (eval "$pg_env"; printf '%s' "${!1}"); }
  if [ "$(pg OPENVOICE_PG_STARTED)" = 1 ]; then
    trap 'bash ops/postgres/stop.sh || true' EXIT
  fi
fi

status=0
# the H2 run never sees a DB_URL meant for a node on PostgreSQL
env -u DB_URL -u DB_USER -u DB_PASSWORD mvn -B test || status=$?

if [ "$postgres" != off ]; then
  echo "ops/test.sh: the persistence tests again, on PostgreSQL at $(pg DB_URL)"
  env -u DB_URL -u DB_USER -u DB_PASSWORD mvn -B test -Dopenvoice.test.db=postgres \
    -Dopenvoice.test.db.url="$(pg DB_URL)" -Dopenvoice.test.db.user="$(pg DB_USER)" \
    -Dopenvoice.test.db.password="$(pg DB_PASSWORD)" \
    -Dtest="$PG_TESTS" -Dsurefire.reportNameSuffix=postgres || status=$?
fi
exit "$status"
