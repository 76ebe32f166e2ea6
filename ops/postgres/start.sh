#!/usr/bin/env bash
# Starts a local PostgreSQL for development and CI, from Debian's postgresql package but without its service:
# its own cluster under $OPENVOICE_PG_DIR, listening on 127.0.0.1:$OPENVOICE_PG_PORT (default 55432) and a Unix
# socket in its own directory; a role and database (calls/calls/calls by default) with the schema migration
# ops/sql/postgres/V1__schema.sql applied. Idempotent: a cluster that exists is reused, a server that runs is left
# running, the role, database and tables are created only when missing. Settings: ops/postgres/env.sh.
#
# Prints the connection for a node on stdout, as shell assignments:
#   eval "$(ops/postgres/start.sh)"   # exports DB_URL, DB_USER, DB_PASSWORD
# and OPENVOICE_PG_STARTED=1 when this run started the server (0 when it was already running).
# Stop it with ops/postgres/stop.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"
migration="$root/ops/sql/postgres/V1__schema.sql"
say() { echo "ops/postgres/start.sh: $*" >&2; }

# 1. The directory, owned by the user the server runs as.
mkdir -p "$PG_DIR"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PG_DIR"
fi
chmod 700 "$PG_DIR"
if ! as_server test -w "$PG_DIR"; then
  say "$PG_OS_USER cannot write $PG_DIR (is a parent directory closed to it?); set OPENVOICE_PG_DIR"
  exit 1
fi
as_server mkdir -p "$PG_SOCKET"

# 2. The port, unless our server already holds it.
if [ -z "$(pg_running_pid)" ] && (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
  say "something else listens on 127.0.0.1:$PG_PORT; choose another port with OPENVOICE_PG_PORT"
  exit 1
fi

# 3. The cluster: created once. Local (socket) connections authenticate by OS user (the superuser is the OS user
#    running the server), TCP connections by password.
version="$(basename "$(dirname "$PG_BIN")")"
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  say "creating a PostgreSQL $version cluster in $PG_DATA"
  as_server "$PG_BIN/initdb" -D "$PG_DATA" -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
  echo "include_if_exists = 'openvoice.conf'" | as_server tee -a "$PG_DATA/postgresql.conf" >/dev/null
elif [ "$(cat "$PG_DATA/PG_VERSION")" != "$version" ]; then
  say "$PG_DATA holds a PostgreSQL $(cat "$PG_DATA/PG_VERSION") cluster but the binaries are $version" \
      "($PG_BIN); set OPENVOICE_PG_BIN or OPENVOICE_PG_DIR"
  exit 1
fi

# 4. The server: reused when running, else started on 127.0.0.1:$PG_PORT.
started=0
pid="$(pg_running_pid)"
if [ -n "$pid" ]; then
  running_port="$(sed -n 4p "$PG_DATA/postmaster.pid")"
  if [ "$running_port" != "$PG_PORT" ]; then
    say "the server on $PG_DATA already runs on port $running_port, not $PG_PORT: using it"
    PG_PORT="$running_port"
  fi
  say "PostgreSQL already running (pid $pid, port $PG_PORT)"
else
  # settings of this run, read through the include added at initdb
  as_server tee "$PG_DATA/openvoice.conf" >/dev/null <<CONF
# written by ops/postgres/start.sh at each start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET'
# tests run several nodes at once, each with its journal pool and its read-side pool
max_connections = 200
CONF
  say "starting PostgreSQL $version on 127.0.0.1:$PG_PORT (log: $PG_LOG)"
  if ! as_server "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
    say "the server did not start; the end of $PG_LOG:"
    tail -n 20 "$PG_LOG" >&2 || true
    exit 1
  fi
  started=1
fi

# 5. Role and database, as the superuser over the socket (peer authentication). The password is (re)set each time
#    so the role always matches OPENVOICE_PG_PASSWORD.
as_server "$PG_BIN/psql" -X -q -h "$PG_SOCKET" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 \
  -v role="$PG_USER" -v pw="$PG_PASSWORD" -v db="$PG_DB" <<'SQL' >/dev/null
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

# 6. The schema, as that role over TCP, exactly as a node connects (every statement is IF NOT EXISTS).
PGPASSWORD="$PG_PASSWORD" PGOPTIONS="-c client_min_messages=warning" \
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1 \
  --single-transaction -f "$migration" >/dev/null

url="jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB"
say "ready: $url (user $PG_USER); run a node on it with"
say "  DB_URL=$url DB_USER=$PG_USER DB_PASSWORD=<password> OPENTACT_CONFIG=cluster-config/postgres.conf ops/run-node.sh"
printf 'export DB_URL=%q DB_USER=%q DB_PASSWORD=%q OPENVOICE_PG_STARTED=%s\n' "$url" "$PG_USER" "$PG_PASSWORD" "$started"
