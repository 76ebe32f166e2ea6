#!/usr/bin/env bash
# Concurrent calls with media. SIPp callers (sipp/uac_media.xml) talk (G.711 A-law pcap) for the whole call while the
# far end plays to them, so RTP flows both ways; the number of calls up at once steps through MEDIA_LEVELS.
# (a) reference: the far end is a SIPp UAS playing the same pcap (sipp/uas_media_reference.xml), no platform;
# (b) ours: a node (embedded H2, persistence on) whose flow is Answer, Say loop="0" (the prompt never ends).
# At each level, once every call is up: MEDIA_WINDOW_SECONDS (20) of node CPU and RSS, a 5 s tcpdump of the far end's
# RTP on loopback (PcapPacing.java: p99 of |interval - 20 ms| between consecutive packets of a stream) and the RTP
# engine's own pacing figure (/metrics). A level is clean when every call succeeded and the wire p99 stays under
# MEDIA_PACING_LIMIT_US (10000: half a frame); the ramp stops at the first level that is not.
# Environment: MEDIA_LEVELS ("500 1000 2000 3000"), MEDIA_RATE (calls/s while ramping up, 25),
# MEDIA_WINDOW_SECONDS, MEDIA_PACING_LIMIT_US, MEDIA_ONLY ("reference ours"), NODE_HEAP.
source "$(dirname "$0")/lib.sh"
LEVELS=${MEDIA_LEVELS:-500 1000 2000 3000}
RATE=${MEDIA_RATE:-25}
WINDOW=${MEDIA_WINDOW_SECONDS:-20}
LIMIT=${MEDIA_PACING_LIMIT_US:-10000}
ONLY=${MEDIA_ONLY:-reference ours}
TN=12025550100
FLOW='<Response><Answer/><Say loop="0">This is the platform speaking while you talk. It goes on and on, one frame every twenty milliseconds, for as long as the call lasts.</Say></Response>'
D=$OUT/media
rm -rf "$D" && mkdir -p "$D"
RUN=$(sipp_dir)
declare -A BEST BEST_ROW
command -v tcpdump >/dev/null || { echo "tcpdump is missing: run ops/setup.sh" >&2; exit 1; }

cleanup() { stop_node; [ -n "${UAS_PID:-}" ] && kill "$UAS_PID" 2>/dev/null; [ -n "${UAC_PID:-}" ] && kill "$UAC_PID" 2>/dev/null; true; }
trap cleanup EXIT

metric() { curl -fsS "localhost:$NODE_HTTP/metrics" | awk -v m="$1" '$1 == m {printf "%.0f", $2}'; }

# level LABEL TARGET CALLS PORT_MIN PORT_MAX: CALLS calls at once against TARGET; the far end's RTP leaves from UDP
# ports PORT_MIN..PORT_MAX. 0 when clean. Appends a row to $D/levels.txt.
level() {
  local label=$1 target=$2 calls=$3 pmin=$4 pmax=$5
  local ramp=$(((calls + RATE - 1) / RATE)) stat=$D/$label-$calls.csv cap=$D/$label-$calls.pcap
  local talk=$(((ramp + 15 + WINDOW + 10) * 1000))
  sed "s/\[talk_ms\]/$talk/" "$BENCH_DIR/sipp/uac_media.xml" >"$RUN/uac_media.xml"
  (cd "$RUN" && exec timeout $((talk / 1000 + ramp + 120)) sipp -sf uac_media.xml -s $TN "$target" -i 127.0.0.1 \
    -p 5099 -mp 6000 -r "$RATE" -m "$calls" -l "$calls" -nostdin -trace_stat -stf "$stat" -fd 1 \
    >"$D/$label-$calls.out" 2>&1) &
  UAC_PID=$!
  # every call up: the node's live SIP calls (ours) or SIPp's current calls (reference), at most ramp + 30 s
  local i up=0
  for i in $(seq 1 $((ramp + 30))); do
    sleep 1
    if [ "$label" = ours ]; then up=$(metric openvoice_sip_active_calls); else up=$(stat_field "$stat" CurrentCall 2>/dev/null); fi
    [ "${up:-0}" -ge "$calls" ] && break
  done
  sleep 3
  local pid=${NODE_PID:-$UAS_PID} cpu0 t0 cpu1 t1 rss internal=-
  cpu0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
  [ "$label" = ours ] && timeout 5 tcpdump -i lo -s 64 -B 131072 -w "$cap" "udp and src portrange $pmin-$pmax" >"$D/$label-$calls.tcpdump" 2>&1 || true
  sleep $((WINDOW > 5 ? WINDOW - 5 : 0))
  cpu1=$(cpu_ticks "$pid"); t1=$(date +%s.%N); rss=$(rss_mib "$pid")
  [ "$label" = ours ] && internal=$(metric openvoice_rtp_pacing_p99_microseconds)
  local wire
  if [ "$label" = ours ]; then wire=$(java "$BENCH_DIR/PcapPacing.java" "$cap" "$pmin" "$pmax")
  else wire="n/a (SIPp sends every call's pcap from one port with one SSRC)"; fi
  rm -f "$cap"
  wait "$UAC_PID" || true; UAC_PID=
  local created ok failed cpu p99
  created=$(stat_field "$stat" TotalCallCreated); ok=$(stat_field "$stat" "SuccessfulCall(C)")
  failed=$(stat_field "$stat" "FailedCall(C)")
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v s="$t0" -v e="$t1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (b - a) / hz / (e - s) * 100}')
  p99=-; [ "$label" = ours ] && p99=$(sed 's/.*p99_us=\([0-9]*\).*/\1/' <<<"$wire")
  local verdict=clean
  if ! kill -0 "$pid" 2>/dev/null; then verdict="died (see $OUT/media-node/node.log or the UAS output)"
  elif [ "${up:-0}" -lt "$calls" ]; then verdict="only ${up:-0} up"
  elif [ "${ok:-0}" -lt "$calls" ] || [ "${failed:-0}" -gt 0 ]; then verdict="failed ${failed:-?}, ok ${ok:-0}/$calls"
  elif [ "$label" = ours ] && [ "${p99:-999999}" -ge "$LIMIT" ]; then verdict="pacing p99 ${p99} us"
  fi
  local row
  row=$(printf '%-9s %5s calls  up %5s  ok %5s  failed %3s  CPU %4s%%  RSS %5s MiB  wire: %s  engine p99 %s us  %s' \
    "$label" "$calls" "${up:-0}" "${ok:-0}" "${failed:-0}" "$cpu" "$rss" "$wire" "$internal" "$verdict")
  echo "$row" | tee -a "$D/levels.txt" >&2
  if [ "$verdict" = clean ]; then BEST[$label]=$calls; BEST_ROW[$label]="$cpu|$rss|$p99|$internal"; return 0; fi
  return 1
}

ladder() {
  local label=$1 target=$2 pmin=$3 pmax=$4 c
  BEST[$label]=0; BEST_ROW[$label]="-|-|-|-"
  for c in $LEVELS; do level "$label" "$target" "$c" "$pmin" "$pmax" || break; sleep 5; done
  log "$label: highest clean level ${BEST[$label]} calls"
}

build_node
log "machine: $(machine)"

if [[ " $ONLY " == *" reference "* ]]; then
  (cd "$RUN" && exec sipp -sf "$BENCH_DIR/sipp/uas_media_reference.xml" -i 127.0.0.1 -p 5098 -mp 40000 -nostdin \
    >"$D/reference-uas.out" 2>&1) &
  UAS_PID=$!
  sleep 1
  ladder reference 127.0.0.1:5098 40000 49999
  kill "$UAS_PID" 2>/dev/null || true; wait "$UAS_PID" 2>/dev/null || true; UAS_PID=
fi

if [[ " $ONLY " == *" ours "* ]]; then
  start_node media-node 8180 5070
  provision_number $TN "$FLOW"
  ladder ours 127.0.0.1:5070 20000 30000
  stop_node
fi

{
  echo "## Concurrent calls with media ($(date -u +%Y-%m-%d), $(machine))"
  echo
  echo "Command: \`ops/bench/media.sh\` (levels: $LEVELS; ramp ${RATE} calls/s; clean: no failed call and wire p99 < ${LIMIT} us)"
  echo
  echo "| | reference (SIPp UAS) | ours (node) | ratio |"
  echo "|---|---:|---:|---:|"
  ref=${BEST[reference]:-0}; ours=${BEST[ours]:-0}
  echo "| highest clean concurrent calls | $ref | $ours | $(awk -v a="$ours" -v b="$ref" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}') |"
  IFS='|' read -r rc rr rp _ <<<"${BEST_ROW[reference]:--|-|-|-}"; IFS='|' read -r oc or op oi <<<"${BEST_ROW[ours]:--|-|-|-}"
  echo "| CPU at that level (% of one core) | $rc | $oc | |"
  echo "| RSS at that level (MiB) | $rr | $or | |"
  echo "| sent RTP pacing, wire p99 of abs(interval - 20 ms) (us) | $rp | $op | |"
  echo "| RTP engine's own pacing p99 (us) | | $oi | |"
  echo
  echo "Levels:"
  echo '```'
  cat "$D/levels.txt"
  echo '```'
} | tee "$D/result.md"
