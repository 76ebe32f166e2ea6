# Sourced by ops/postgres/start.sh and stop.sh: where the local development PostgreSQL lives and how to reach it.
# Every value can be overridden from the environment.
#
#   OPENVOICE_PG_DIR       its directory: data/ (the cluster), run/ (the Unix socket), server.log
#                          default $HOME/.openvoice/pg; as root /var/lib/openvoice/pg (owned by the postgres user,
#                          since PostgreSQL refuses to run as root and cannot reach into /root)
#   OPENVOICE_PG_PORT      TCP port on 127.0.0.1 (default 55432: no clash with a system PostgreSQL on 5432)
#   OPENVOICE_PG_DB        database (default calls)
#   OPENVOICE_PG_USER      role owning it (default calls)
#   OPENVOICE_PG_PASSWORD  its password (default calls)
#   OPENVOICE_PG_BIN       directory of initdb/pg_ctl/postgres (default the newest /usr/lib/postgresql/<version>/bin)

if [ "$(id -u)" -eq 0 ]; then
  PG_DIR="${OPENVOICE_PG_DIR:-/var/lib/openvoice/pg}"
else
  PG_DIR="${OPENVOICE_PG_DIR:-$HOME/.openvoice/pg}"
fi
PG_PORT="${OPENVOICE_PG_PORT:-55432}"
PG_DB="${OPENVOICE_PG_DB:-calls}"
PG_USER="${OPENVOICE_PG_USER:-calls}"
PG_PASSWORD="${OPENVOICE_PG_PASSWORD:-calls}"
PG_DATA="$PG_DIR/data"
PG_SOCKET="$PG_DIR/run"
PG_LOG="$PG_DIR/server.log"

if [ -n "${OPENVOICE_PG_BIN:-}" ]; then
  PG_BIN="$OPENVOICE_PG_BIN"
else
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "ops/postgres: no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin" \
       "(install Debian's postgresql package: ops/setup.sh does; or set OPENVOICE_PG_BIN)" >&2
  exit 1
fi

# The server and its tools run as the invoking user, or as the postgres system user when invoked as root.
if [ "$(id -u)" -eq 0 ]; then
  PG_OS_USER=postgres
  getent passwd postgres >/dev/null || { echo "ops/postgres: running as root needs the postgres system user" \
    "(created by Debian's postgresql package)" >&2; exit 1; }
  # from / so the postgres user never starts in a directory closed to it
  as_server() { (cd / && runuser -u postgres -- "$@"); }
else
  PG_OS_USER="$(id -un)"
  as_server() { "$@"; }
fi

# pid of the server running on $PG_DATA, or nothing (pg_ctl status is the authority; postmaster.pid says the pid)
pg_running_pid() {
  if [ -f "$PG_DATA/PG_VERSION" ] && as_server "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    head -n 1 "$PG_DATA/postmaster.pid"
  fi
}
