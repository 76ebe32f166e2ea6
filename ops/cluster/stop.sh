#!/usr/bin/env bash
# Stops the local three-node cluster of ops/cluster/start.sh: SIGTERM to each node, which drains it (no new calls,
# live calls run to their end, at most openvoice.drain.max-wait) and leaves the cluster; after WAIT seconds
# (default 60) a node still running is killed. --kill N kills node N at once (kill -9: a crash, for failover trials).
# PostgreSQL keeps running (ops/postgres/stop.sh stops it).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=data/cluster
if [ "${1:-}" = "--kill" ]; then
  n="${2:?usage: stop.sh --kill <1|2|3>}"
  kill -9 "$(cat "$dir/node$n.pid")" && echo "node $n killed (kill -9)"
  rm -f "$dir/node$n.pid"
  exit 0
fi
wait_s="${WAIT:-60}"
pids=()
for n in 1 2 3; do
  f="$dir/node$n.pid"
  [ -f "$f" ] || continue
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" && echo "node $n draining (pid $pid)"
    pids+=("$n:$pid")
  fi
done
for entry in "${pids[@]}"; do
  n="${entry%%:*}"; pid="${entry#*:}"
  for _ in $(seq 1 "$wait_s"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" && echo "node $n still up after ${wait_s} s: killed"
  else
    echo "node $n stopped"
  fi
  rm -f "$dir/node$n.pid"
done
