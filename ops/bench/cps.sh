#!/usr/bin/env bash
# Call setup rate. SIPp's UAC (ops/sipp/uac_listen.xml: call, listen, wait for the far end's BYE) ramps its call rate
# against (a) a SIPp UAS with no logic (sipp/uas_reference.xml: answer, hold, BYE): what this machine does for SIP at
# all; (b) a node (embedded H2, persistence on) whose number runs Answer, Say (cached), Hangup from hosted XML; (c) the
# same flow fetched from a local webhook (FlowServer.java) on every call. For each: the highest rate sustained over
# CPS_STEP_SECONDS (30) with < 0.1 % failed calls: doubling from CPS_START (50) up to CPS_MAX, then CPS_BISECT (2)
# bisections between the last clean and the first failing rate. Then a JFR profile of the node at 80 % of its best
# rate, top five hot spots. CPU is the node's (the reference UAS's for the reference), in % of one core. Prints the
# table; details under target/bench/cps/.
# Environment: CPS_STEP_SECONDS, CPS_START, CPS_MAX (3200), CPS_BISECT, CPS_HOLD_MS (reference hold, 1000),
# NODE_HEAP (-Xms2g -Xmx2g), CPS_ONLY (a subset of "reference hosted webhook").
source "$(dirname "$0")/lib.sh"
STEP=${CPS_STEP_SECONDS:-30}
START=${CPS_START:-50}
MAX=${CPS_MAX:-3200}
BISECT=${CPS_BISECT:-2}
HOLD=${CPS_HOLD_MS:-1000}
ONLY=${CPS_ONLY:-reference hosted webhook}
TN=12025550100
FLOW='<Response><Answer/><Say>Thank you for calling.</Say><Hangup/></Response>'
D=$OUT/cps
rm -rf "$D" && mkdir -p "$D"
RUN=$(sipp_dir)
UAC=$ROOT/ops/sipp/uac_listen.xml
declare -A BEST

cleanup() { stop_node; [ -n "${UAS_PID:-}" ] && kill "$UAS_PID" 2>/dev/null; [ -n "${WEB_PID:-}" ] && kill "$WEB_PID" 2>/dev/null; true; }
trap cleanup EXIT

# step LABEL TARGET RATE: one SIPp run at RATE calls/s for STEP seconds; 0 when every call succeeded but < 0.1 %
# and SIPp started them all within STEP * 1.05 + 1 s. Appends a row to $D/steps.txt.
step() {
  local label=$1 target=$2 rate=$3
  local total=$((rate * STEP)) stat=$D/$label-$rate.csv cpu0 cpu1 t0 t1
  local limit=$((rate * 8 + 200))
  local pid=${NODE_PID:-${UAS_PID:-}}
  cpu0=$( [ -n "$pid" ] && cpu_ticks "$pid" || echo 0); t0=$(date +%s.%N)
  (cd "$RUN" && timeout $((STEP + 120)) sipp -sf "$UAC" -s $TN "$target" -i 127.0.0.1 -p 5099 -r "$rate" -m "$total" \
    -l "$limit" -nostdin -trace_stat -stf "$stat" -fd 1 >"$D/$label-$rate.out" 2>&1) || true
  t1=$(date +%s.%N); cpu1=$( [ -n "$pid" ] && cpu_ticks "$pid" || echo 0)
  local created ok failed took cpu
  created=$(stat_field "$stat" TotalCallCreated); ok=$(stat_field "$stat" "SuccessfulCall(C)")
  failed=$(stat_field "$stat" "FailedCall(C)"); took=$(first_elapsed_reaching "$stat" "$total")
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v s="$t0" -v e="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (b - a) / hz / (e - s) * 100}')
  local verdict=clean
  if [ -z "$created" ] || [ "$created" -lt "$total" ] || [ -z "$took" ]; then verdict="not sustained (created ${created:-0}/$total)"
  elif [ $((ok + failed)) -lt "$total" ]; then verdict="unfinished ($((ok + failed))/$total)"
  elif [ $((failed * 1000)) -ge "$total" ] && [ "$failed" -gt 0 ]; then verdict="failed $failed/$total"
  elif awk -v t="$took" -v s="$STEP" 'BEGIN {exit !(t > s * 1.05 + 1)}'; then verdict="slow (all started after ${took}s)"
  fi
  printf '%-9s %6s calls/s  created %7s  ok %7s  failed %5s  started in %5ss  CPU %4s%%  %s\n' "$label" "$rate" \
    "${created:-0}" "${ok:-0}" "${failed:-0}" "${took:--}" "$cpu" "$verdict" | tee -a "$D/steps.txt" >&2
  [ "$verdict" = clean ]
}

# ramp LABEL TARGET: the highest clean rate, in BEST[LABEL].
# After a failed step the node is replaced by a fresh one (FRESH: the function that starts it) before the next:
# an overloaded node may not come back by itself (see RESULTS.md), and each step should measure its own rate.
ramp() {
  local label=$1 target=$2 good=0 bad=0 rate=$START i mid
  while [ "$rate" -le "$MAX" ]; do
    if step "$label" "$target" "$rate"; then good=$rate; rate=$((rate * 2)); else bad=$rate; break; fi
  done
  for ((i = 0; i < BISECT && bad > 0; i++)); do
    mid=$(((good + bad) / 2)); [ "$mid" -le "$good" ] && break
    [ -n "${FRESH:-}" ] && $FRESH
    if step "$label" "$target" "$mid"; then good=$mid; else bad=$mid; fi
  done
  BEST[$label]=$good
  log "$label: best sustained rate $good calls/s"
}

build_node
log "machine: $(machine)"

if [[ " $ONLY " == *" reference "* ]]; then
  (cd "$RUN" && exec sipp -sf "$BENCH_DIR/sipp/uas_reference.xml" -i 127.0.0.1 -p 5098 -d "$HOLD" -nostdin \
    >"$D/reference-uas.out" 2>&1) &
  UAS_PID=$!
  sleep 1
  ramp reference 127.0.0.1:5098
  kill "$UAS_PID" 2>/dev/null || true; wait "$UAS_PID" 2>/dev/null || true; UAS_PID=
fi

if [[ " $ONLY " == *" hosted "* ]]; then
  hosted_node() {
    stop_node
    start_node cps-hosted 8180 5070
    provision_number $TN "$FLOW"
    step warmup 127.0.0.1:5070 "$START" >/dev/null 2>&1 || true   # JIT and the TTS cache
  }
  FRESH=hosted_node
  hosted_node
  ramp hosted 127.0.0.1:5070
  if [ "${BEST[hosted]}" -gt 0 ]; then
    prof=$(( BEST[hosted] * 8 / 10 )); [ "$prof" -lt 1 ] && prof=1
    hosted_node
    jcmd "$NODE_PID" JFR.start name=cps settings=profile filename="$D/hosted.jfr" >/dev/null
    step profile 127.0.0.1:5070 "$prof" || true
    jcmd "$NODE_PID" JFR.stop name=cps >/dev/null
    java "$BENCH_DIR/JfrTop.java" "$D/hosted.jfr" 5 >"$D/profile.md"
  fi
  stop_node
fi

if [[ " $ONLY " == *" webhook "* ]]; then
  echo "$FLOW" >"$D/flow.xml"
  java "$BENCH_DIR/FlowServer.java" 8199 "$D/flow.xml" >"$D/flowserver.log" 2>&1 &
  WEB_PID=$!
  webhook_node() {
    stop_node
    start_node cps-webhook 8180 5070
    provision_number $TN "" "http://127.0.0.1:8199/flow"
    step warmup 127.0.0.1:5070 "$START" >/dev/null 2>&1 || true
  }
  FRESH=webhook_node
  webhook_node
  ramp webhook 127.0.0.1:5070
  FRESH=
  stop_node
  kill "$WEB_PID" 2>/dev/null; wait "$WEB_PID" 2>/dev/null || true; WEB_PID=
fi

ref=${BEST[reference]:-0}
{
  echo "## Call setup rate ($(date -u +%Y-%m-%d), $(machine))"
  echo
  echo "Command: \`ops/bench/cps.sh\` (steps of ${STEP} s, < 0.1 % failed; reference hold ${HOLD} ms)"
  echo
  echo "| flow | reference (SIPp UAS) calls/s | ours calls/s | ratio |"
  echo "|---|---:|---:|---:|"
  for l in hosted webhook; do
    [ -n "${BEST[$l]:-}" ] || continue
    ratio=$(awk -v a="${BEST[$l]}" -v b="$ref" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}')
    echo "| Answer, Say (cached), Hangup: $l | $ref | ${BEST[$l]} | $ratio |"
  done
  echo
  echo "Steps:"
  echo '```'
  cat "$D/steps.txt"
  echo '```'
  if [ -f "$D/profile.md" ]; then echo; echo "Profile of the hosted flow at 80 % of its best rate (JFR):"; echo; cat "$D/profile.md"; fi
} | tee "$D/result.md"
