#!/usr/bin/env bash
# Failover timing, from the cluster's failover test (src/test/java/io/openvoice/sip/ClusterFailoverTest.java: five
# node JVMs on PostgreSQL, three control and two edges, 200 live SIPp calls, kill -9 of the control node running the
# most call entities, then of an edge). Run twice: with the test's settings (split-brain resolver stable-after 5 s,
# Pekko's default failure detector: heartbeat pause 3 s), and with a tuned detector (FAILOVER_TUNED, default
# stable-after 2 s and acceptable-heartbeat-pause 1.5 s). The reference is the cluster itself, measured in the same
# run: when the survivors saw the killed node unreachable and removed it (entities cannot move earlier); ours is
# when every call entity ran again on the survivors and when every call made progress again, with the calls that
# did not finish their flow (must be 0). Prints the table; the reports and node logs are under target/failover/.
# Environment: FAILOVER_CALLS (200), FAILOVER_TUNED ("split-brain-resolver stable-after;heartbeat pause" config,
# see below), FAILOVER_ONLY ("default tuned").
source "$(dirname "$0")/lib.sh"
CALLS=${FAILOVER_CALLS:-200}
TUNED=${FAILOVER_TUNED:-pekko.cluster.split-brain-resolver.stable-after = 2s;pekko.cluster.failure-detector.acceptable-heartbeat-pause = 1.5s}
ONLY=${FAILOVER_ONLY:-default tuned}
D=$OUT/failover
rm -rf "$D" && mkdir -p "$D"
bash "$ROOT/ops/setup.sh" >/dev/null
pg_env="$(bash "$ROOT/ops/postgres/start.sh")"
pg() { (eval "$pg_env"; printf '%s' "${!1}"); }
[ "$(pg OPENVOICE_PG_STARTED)" = 1 ] && trap 'bash "$ROOT/ops/postgres/stop.sh" >/dev/null || true' EXIT
log "machine: $(machine)"

run() { # run NAME NODE_CONFIG
  local name=$1 conf=$2
  log "failover test ($name${conf:+: $conf})"
  (cd "$ROOT" && env -u DB_URL -u DB_USER -u DB_PASSWORD mvn -B -q test -Dopenvoice.test.db=postgres \
    -Dopenvoice.test.db.url="$(pg DB_URL)" -Dopenvoice.test.db.user="$(pg DB_USER)" \
    -Dopenvoice.test.db.password="$(pg DB_PASSWORD)" -Dtest=ClusterFailoverTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dopenvoice.failover.calls="$CALLS" -Dopenvoice.failover.node-config="$conf" >"$D/$name.out" 2>&1) \
    || { tail -40 "$D/$name.out" >&2; echo "the failover test failed ($name): $D/$name.out" >&2; return 1; }
  cp "$ROOT/target/failover/control-failover.txt" "$D/$name-control.txt"
  cp "$ROOT/target/failover/edge-failover.txt" "$D/$name-edge.txt"
}

num() { sed -n "s/.*$2 \([0-9-]*\) ms.*/\1/p" "$1"; }

row() { # row NAME SETTINGS
  local c=$D/$1-control.txt e=$D/$1-edge.txt
  local unreach removed running progress lost edge
  unreach=$(num "$c" "unreachable"); removed=$(num "$c" "removed it")
  running=$(num "$c" "every call entity running again on the survivors")
  progress=$(num "$c" "every call made progress again within")
  lost=$(sed -n 's/.*calls that did not finish their flow: \([0-9]*\).*/\1/p' "$c")
  edge=$(sed -n 's/.*the last \([0-9]*\) ms after the kill.*/\1/p' "$e")
  local ratio
  ratio=$(awk -v a="$running" -v b="$removed" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}')
  echo "| $2 | $unreach / $removed | $running | $ratio | $progress | $lost | $edge |"
}

[[ " $ONLY " == *" default "* ]] && run default ""
[[ " $ONLY " == *" tuned "* ]] && run tuned "$TUNED"

{
  echo "## Failover ($(date -u +%Y-%m-%d), $(machine))"
  echo
  echo "Command: \`ops/bench/failover.sh\` ($CALLS live calls; kill -9 of the control node running the most call entities)"
  echo
  echo "| settings | reference: killed node unreachable / removed (ms after kill -9) | ours: every call entity running again (ms) | ratio | every call progressed again (ms, incl. calls waiting for their caller's digit) | calls that did not finish their flow | edge killed: its calls ended media_node_lost within (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  [ -f "$D/default-control.txt" ] && row default "SBR stable-after 5 s, heartbeat pause 3 s (the test's)"
  [ -f "$D/tuned-control.txt" ] && row tuned "$(sed 's/pekko.cluster.//g' <<<"$TUNED")"
  echo
  for f in "$D"/*-control.txt "$D"/*-edge.txt; do [ -f "$f" ] && echo "- $(basename "$f" .txt): $(cat "$f")"; done
} | tee "$D/result.md"
