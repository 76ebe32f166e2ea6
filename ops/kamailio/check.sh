#!/usr/bin/env bash
# Checks ops/kamailio/kamailio.cfg on loopback against three SIPp stand-ins for edges: A healthy, B draining (503 to
# OPTIONS and INVITE), C dead (nothing listens). Not part of CI; needs Debian's kamailio and sip-tester packages.
#   1. the config passes `kamailio -c`
#   2. failover: before any probe has run, calls dispatched round robin to B (503) and C (no reply) end up on A
#   3. probing: after a few OPTIONS rounds A is active, B and C inactive, and new calls go straight to A
#   4. recovery: B answers 200 again (its drain ended, a new pod) and is active again after two good probes
# Everything runs on 127.0.0.1 on ports PORT_BASE+80 (proxy), +90 (caller), +160/+260/+360 (edges A, B, C);
# PORT_BASE defaults to 15000. Everything it starts is stopped when it exits; KEEP=1 keeps the logs (kamailio.log,
# the messages each stand-in received). Last line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${PORT_BASE:-15000}"
proxy=$((base + 80)) caller=$((base + 90)) port_a=$((base + 160)) port_b=$((base + 260)) port_c=$((base + 360))

for tool in kamailio kamcmd sipp; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool not found (apt-get install kamailio sip-tester)" >&2; exit 2; }
done
for p in $proxy $caller $port_a $port_b $port_c; do
  if ss -Hlun "sport = :$p" | grep -q . || ss -Hltn "sport = :$p" | grep -q .; then
    echo "check.sh: port $p is in use on this machine; choose another PORT_BASE" >&2; exit 2
  fi
done

work="$(mktemp -d /tmp/openvoice-kamailio-check.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "${KEEP:-0}" = 1 ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

passed=0 failed=0
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
ko() { echo "FAIL: $*"; failed=$((failed + 1)); }

cat >"$work/dispatcher.list" <<EOF
1 sip:127.0.0.1:$port_a 0 0 name=A
1 sip:127.0.0.1:$port_b 0 0 name=B
1 sip:127.0.0.1:$port_c 0 0 name=C
EOF
ctl="unix:$work/ctl"
kam_args=(-f "$here/kamailio.cfg" -A "LISTEN_UDP=udp:127.0.0.1:$proxy" -A "LISTEN_TCP=tcp:127.0.0.1:$proxy"
  -A "DS_LIST=\"$work/dispatcher.list\"" -A "CTL_SOCKET=\"$ctl\"")

# an edge stand-in: sipp UAS on 127.0.0.1:<port>, every message it receives logged to <name>.msg
edge() { # name port scenario
  sipp -sf "$here/sipp/$3" -i 127.0.0.1 -p "$2" -nostdin -trace_msg -message_file "$work/$1.msg" \
    >"$work/$1.out" 2>&1 &
  pids+=($!)
  eval "pid_$1=$!"
}
invites() { grep -c '^INVITE sip:' "$work/$1.msg" 2>/dev/null || echo 0; }
kamailio_start() { # ping interval
  mkdir -p "$work/run"
  kamailio "${kam_args[@]}" -A "DS_PING_INTERVAL=$1" -DD -E -m 32 -M 4 -Y "$work/run" >>"$work/kamailio.log" 2>&1 &
  kam_pid=$!
  pids+=($kam_pid)
  for _ in $(seq 50); do kamcmd -s "$ctl" core.version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "check.sh: kamailio did not start:" >&2; tail -20 "$work/kamailio.log" >&2; return 1
}
kamailio_stop() { kill "$kam_pid" 2>/dev/null; wait "$kam_pid" 2>/dev/null; }
calls() { # count -> exit status of the caller
  timeout 60 sipp -sf "$here/sipp/uac_via_proxy.xml" -s 12025550100 "127.0.0.1:$proxy" -i 127.0.0.1 -p "$caller" \
    -m "$1" -r 5 -timeout 50 -nostdin >>"$work/caller.out" 2>&1
}
flags() { # edge port -> its dispatcher flags (AP active+probing, IP inactive+probing, ...)
  kamcmd -s "$ctl" dispatcher.list | awk -v uri="sip:127.0.0.1:$1" '$1 == "URI:" { u = $2 } $1 == "FLAGS:" && u == uri { print $2 }'
}

# 1. syntax
if kamailio -c "${kam_args[@]}" >"$work/syntax.log" 2>&1; then ok "kamailio -c accepts kamailio.cfg"
else ko "kamailio -c: $(tail -3 "$work/syntax.log")"; fi

edge A "$port_a" edge_ok.xml
edge B "$port_b" edge_draining.xml
sleep 0.5

# 2. failover while every edge still counts as active (probes every 60 s: none yet)
kamailio_start 60 || exit 1
if calls 3; then ok "3 calls placed before any probe all answered"; else ko "calls before any probe failed (caller.out)"; fi
a=$(invites A) b=$(invites B)
[ "$a" -eq 3 ] && ok "edge A answered all 3 calls" || ko "edge A got $a INVITEs, expected 3"
[ "$b" -ge 1 ] && grep -q "answered 503" "$work/kamailio.log" && ok "edge B's 503 made the proxy try the next edge" \
  || ko "no failover after a 503 seen (B got $b INVITEs)"
grep -q "sent no reply" "$work/kamailio.log" && ok "dead edge C timed out and the proxy tried the next edge" \
  || ko "no failover after a timeout seen"
kamailio_stop

# 3. probing: OPTIONS every second
kamailio_start 1 || exit 1
sleep 4
fa=$(flags "$port_a") fb=$(flags "$port_b") fc=$(flags "$port_c")
[[ "$fa" == A* ]] && ok "probing: A active ($fa)" || ko "probing: A is $fa, expected active"
[[ "$fb" == I* ]] && ok "probing: draining B (503 to OPTIONS) inactive ($fb)" || ko "probing: B is $fb, expected inactive"
[[ "$fc" == I* ]] && ok "probing: dead C inactive ($fc)" || ko "probing: C is $fc, expected inactive"
before_a=$(invites A) before_b=$(invites B)
if calls 5; then ok "5 calls after probing all answered"; else ko "calls after probing failed (caller.out)"; fi
[ $(( $(invites A) - before_a )) -eq 5 ] && [ "$(invites B)" -eq "$before_b" ] \
  && ok "all 5 went straight to A, none to the inactive edges" || ko "A got $(( $(invites A) - before_a )) of 5, B $(( $(invites B) - before_b ))"

# 4. B comes back healthy
kill "$pid_B"; wait "$pid_B" 2>/dev/null
edge B2 "$port_b" edge_ok.xml
sleep 4
fb=$(flags "$port_b")
[[ "$fb" == A* ]] && ok "B answers 200 again and is active ($fb)" || ko "B is $fb after answering 200, expected active"
kamailio_stop

echo "probes answered by A: $(grep -c '^OPTIONS sip:' "$work/A.msg" 2>/dev/null || echo 0)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
