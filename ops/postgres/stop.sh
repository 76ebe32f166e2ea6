#!/usr/bin/env bash
# Stops the local development PostgreSQL started by ops/postgres/start.sh (same settings: ops/postgres/env.sh).
# Its data stay in $OPENVOICE_PG_DIR for the next start; --purge also deletes them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"
say() { echo "ops/postgres/stop.sh: $*" >&2; }
purge=0
case "${1:-}" in
  --purge) purge=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

pid="$(pg_running_pid)"
if [ -n "$pid" ]; then
  say "stopping PostgreSQL (pid $pid) on $PG_DATA"
  as_server "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
else
  say "no PostgreSQL running on $PG_DATA"
fi
if [ "$purge" -eq 1 ] && [ -d "$PG_DIR" ]; then
  # only what start.sh makes there: data/ (a cluster or nothing), run/, server.log, initdb.log
  for entry in "$PG_DIR"/* "$PG_DIR"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "$(basename "$entry")" in
      data|run|server.log|initdb.log) ;;
      *) say "$PG_DIR holds $(basename "$entry"), which start.sh does not make; not deleting it"; exit 1 ;;
    esac
  done
  if [ -d "$PG_DATA" ] && [ -n "$(ls -A "$PG_DATA")" ] && [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "$PG_DATA is not a PostgreSQL cluster; not deleting it"
    exit 1
  fi
  say "deleting $PG_DIR"
  rm -rf -- "$PG_DIR"
fi
