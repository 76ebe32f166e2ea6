#!/usr/bin/env bash
# Starts a local three-node cluster on this machine (cluster-config/local1..3.conf: HTTP 8081-8083, SIP UDP/TCP
# 50160/50260/50360, Pekko 25521-25523, Pekko Management 8551-8553), all on one local PostgreSQL
# (ops/postgres/start.sh, started here if it is not running). Each node runs in the background; logs and pids go
# to data/cluster/. Returns once every node is ready (GET /health/ready). Stop them with ops/cluster/stop.sh.
# Environment: OPENTACT_ADMIN_EMAIL / OPENTACT_ADMIN_PASSWORD (else node 1 prints a generated password in its log),
# OPENTACT_JWT_SECRET, JAVA_OPTS (default -Xmx1g), and the DB_* of ops/postgres/start.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash ops/setup.sh
eval "$(bash ops/postgres/start.sh)"
export DB_URL DB_USER DB_PASSWORD
jar=target/voice-platform-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -q -B -DskipTests package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
fi
dir=data/cluster
mkdir -p "$dir"
for n in 1 2 3; do
  pidfile="$dir/node$n.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "node $n already running (pid $(cat "$pidfile"))"
    continue
  fi
  # each node gets its own data dir (TTS cache, prompts); the cluster's state is in PostgreSQL
  OPENTACT_CONFIG="cluster-config/local$n.conf" nohup java ${JAVA_OPTS:--Xmx1g} -jar "$jar" \
    > "$dir/node$n.log" 2>&1 &
  echo $! > "$pidfile"
  echo "node $n starting (pid $!, log $dir/node$n.log)"
  if [ "$n" = 1 ]; then # the first seed forms the cluster (and creates the admin); the others then join it
    for _ in $(seq 1 180); do
      curl -fs "http://127.0.0.1:8081/health/ready" >/dev/null 2>&1 && break
      kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "node 1 died; see $dir/node1.log" >&2; exit 1; }
      sleep 1
    done
  fi
done
for n in 1 2 3; do
  port=$((8080 + n))
  for _ in $(seq 1 180); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "node $n ready: http://127.0.0.1:$port/rest (SIP 127.0.0.1:$((50060 + 100 * n)), management http://127.0.0.1:$((8550 + n)))"
      continue 2
    fi
    if ! kill -0 "$(cat "$dir/node$n.pid")" 2>/dev/null; then
      echo "node $n died; see $dir/node$n.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "node $n not ready after 180 s; see $dir/node$n.log" >&2
  exit 1
done
echo "cluster up: curl -s http://127.0.0.1:8551/cluster/members | jq"
