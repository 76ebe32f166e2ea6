#!/usr/bin/env bash
# Stops what ops/kannel/start.sh started in DIR (fakesmsc, smsbox, bearerbox and the watchdog), by the pid files
# there, each only if that pid still runs the program start.sh started: SIGTERM, then SIGKILL after 10 s.
# Idempotent; the runtime directory (config, logs) stays for inspection, --purge deletes it.
# usage: ops/kannel/stop.sh --dir DIR [--purge]
set -euo pipefail
say() { echo "ops/kannel/stop.sh: $*" >&2; }
dir="" purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --purge) purge=1; shift ;;
    *) say "unknown argument $1; usage: $0 --dir DIR [--purge]"; exit 2 ;;
  esac
done
[ -n "$dir" ] || { say "--dir is required"; exit 2; }
[ -d "$dir" ] || { say "no directory $dir: nothing to stop"; exit 0; }

# alive PID: runs and is not a zombie (an orphan's zombie stays until PID 1 reaps it, which some containers' init
# never does)
alive() { local st; st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"; [ -n "$st" ] && [ "$st" != Z ]; }

# stop NAME EXPECTED: the process in DIR/NAME.pid, if its command line holds EXPECTED
stop() {
  local file="$dir/$1.pid" pid cmd
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$cmd" == *"$2"* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then
      say "$1 (pid $pid) did not stop on SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $1 (pid $pid)"
  fi
  rm -f "$file"
}

stop fakesmsc fakesmsc
stop smsbox "smsbox -v"
stop bearerbox "bearerbox -v"
# the watchdog runs this script itself when its watched process ends: it must not kill its own caller
if [ -f "$dir/watchdog.pid" ] && [ "$(cat "$dir/watchdog.pid")" != "$PPID" ]; then
  stop watchdog watchdog
fi
rm -f "$dir/watchdog.pid" "$dir/fakesmsc.in"
if [ "$purge" -eq 1 ]; then
  for f in "$dir"/*; do
    [ -e "$f" ] || continue
    case "$(basename "$f")" in
      kannel.conf|admin.password|*.log|*.out) ;;
      *) say "$dir holds $(basename "$f"), which start.sh does not make; not deleting it"; exit 1 ;;
    esac
  done
  rm -rf -- "$dir"
fi
