# Shared by the SIPp-driven benchmarks (cps.sh, media.sh): build the node, start and stop it, provision an app and a
# number over REST, run one SIPp step and read its statistics. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}
JAR=$ROOT/target/voice-platform-0.1.0-SNAPSHOT.jar
ADMIN_EMAIL=bench@example.com
ADMIN_PASSWORD=bench-password-1
mkdir -p "$OUT"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The node's jar and runtime libraries, built when missing or older than the sources (as ops/run-node.sh does).
build_node() {
  bash "$ROOT/ops/setup.sh" >/dev/null
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    log "building the node"
    (cd "$ROOT" && mvn -q -B -DskipTests package dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory=target/lib)
  fi
}

machine() { echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1)"; }

# start_node NAME HTTP_PORT SIP_PORT [extra java options...]: a fresh single node on embedded H2 (persistence on) under
# $OUT/NAME; its log is $OUT/NAME/node.log and its pid $NODE_PID.
start_node() {
  local name=$1 http=$2 sip=$3; shift 3
  local dir=$OUT/$name
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && DATA_DIR="$dir/data" HTTP_PORT=$http SIP_PORT=$sip PEKKO_PORT=$((http + 17000)) \
    MANAGEMENT_PORT=$((http + 500)) OPENTACT_ADMIN_EMAIL=$ADMIN_EMAIL OPENTACT_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    exec java ${NODE_HEAP:--Xms2g -Xmx2g} -XX:+UseG1GC "$@" \
      -Dopenvoice.limits.default-cps=100000 -Dopenvoice.limits.default-concurrent-calls=100000 \
      -Dopenvoice.sip.max-calls=20000 -jar "$JAR" >"$dir/node.log" 2>&1) &
  NODE_PID=$!
  NODE_HTTP=$http
  local i
  for i in $(seq 1 120); do
    if curl -fsS "localhost:$http/health/ready" >/dev/null 2>&1; then log "node $name ready (pid $NODE_PID)"; return 0; fi
    kill -0 "$NODE_PID" 2>/dev/null || { tail -30 "$dir/node.log" >&2; echo "node $name died" >&2; return 1; }
    sleep 1
  done
  echo "node $name not ready after 120 s" >&2; return 1
}

stop_node() {
  [ -n "${NODE_PID:-}" ] || return 0
  kill "$NODE_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 1; done
  kill -9 "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
}

api() { # api METHOD PATH [JSON or @file with content type]
  local m=$1 p=$2 body=${3:-} ctype=${4:-application/json}
  local args=(-fsS -X "$m" -H "X-Auth-Token: $TOKEN" "localhost:$NODE_HTTP$p")
  [ -n "$body" ] && args+=(-H "Content-Type: $ctype" --data-binary "$body")
  curl "${args[@]}"
}

# provision_number TN FLOW_XML|-- [call_flow_url]: an app whose hosted flow is FLOW_XML (or whose flow comes from
# call_flow_url), on number TN.
provision_number() {
  local tn=$1 xml=$2 url=${3:-}
  TOKEN=$(curl -fsS -u "$ADMIN_EMAIL:$ADMIN_PASSWORD" "localhost:$NODE_HTTP/rest/auth" | jq -r .payload.token)
  local app
  if [ -n "$url" ]; then
    app=$(api POST /rest/sip/app "{\"name\":\"bench\",\"call_flow_url\":\"$url\",\"call_flow_method\":\"GET\"}" | jq -r .payload.uuid)
  else
    app=$(api POST /rest/sip/app '{"name":"bench"}' | jq -r .payload.uuid)
    api POST "/rest/sip/app/call/flow/$app" "$xml" application/xml >/dev/null
  fi
  local lease
  lease=$(api POST /rest/order "{\"items\":[{\"tn\":$tn}]}" | jq -r '.payload.tnleases[0].uuid')
  api POST "/rest/sip/app/$app/tnlease" "{\"add\":[\"$lease\"]}" >/dev/null
}

# A directory SIPp runs in: pcap/ points at Debian's sip-tester files.
sipp_dir() {
  local d=$OUT/sipp-run
  mkdir -p "$d" && ln -sfn /usr/share/sip-tester "$d/pcap"
  echo "$d"
}

# stat_field FILE NAME: the value of column NAME in the last row of a SIPp -trace_stat file.
stat_field() {
  awk -F';' -v name="$2" 'NR==1 {for (i = 1; i <= NF; i++) if ($i == name) c = i; next} {v = $c} END {print v}' "$1"
}

# first_elapsed_reaching FILE TOTAL: seconds (ElapsedTime(C)) at the first periodic row where TotalCallCreated >=
# TOTAL: how long SIPp took to start all the calls of a step.
first_elapsed_reaching() {
  awk -F';' -v total="$2" 'NR==1 {for (i = 1; i <= NF; i++) {if ($i == "TotalCallCreated") t = i; if ($i == "ElapsedTime(C)") e = i}; next}
    $t >= total && !done {split($e, hms, ":"); print hms[1]*3600 + hms[2]*60 + hms[3]; done = 1}' "$1"
}

# rss_mib PID and cpu_ticks PID (user+system clock ticks) from /proc.
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
