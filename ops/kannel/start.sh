#!/usr/bin/env bash
# Starts Kannel for development and tests: bearerbox + smsbox (and, with --fakesmsc, Kannel's fake SMSC client) on
# loopback, from Debian's kannel/kannel-extras (ops/setup.sh) but with a private runtime directory: the config is
# rendered there from ops/kannel/kannel.conf.template, with logs and pid files. Waits until smsbox takes sendsms
# requests (and the fake SMSC is connected). Stop with ops/kannel/stop.sh --dir <same dir>.
#
# usage: ops/kannel/start.sh --dir DIR [options]
#   --admin-port N      bearerbox admin HTTP (/status)             default 13000
#   --smsbox-port N     bearerbox ↔ smsbox                         default 13001
#   --sendsms-port N    smsbox's /cgi-bin/sendsms                  default 13013
#   --fake-port N       the fake SMSC (fakesmsc connects here)     default 10000
#   --platform-url URL  the platform's base URL (get-url target)   default http://127.0.0.1:8080
#   --username U --password P   the sendsms-user                   default openvoice / openvoice
#   --token T           the callback token (openvoice.sms.kannel.callback-token); default: a random one
#   --fakesmsc          also run fakesmsc (interactive): write "<from> <to> text <message>" or
#                       "<from> <to> ucs2 <url-encoded UTF-16BE>" lines, one at a time, to DIR/fakesmsc.in to
#                       inject inbound messages; what Kannel sends to the network is in DIR/fakesmsc.log
#   --watch-pid PID     stop everything when process PID ends (a test JVM)
#   --max-lifetime S    stop everything after S seconds at the latest (default 0: no bound)
#   --log-level N       Kannel's log level, 0 (debug) .. 4                default 1
# Prints the settings for the platform as shell assignments (KANNEL_SENDSMS_URL, KANNEL_USERNAME, KANNEL_PASSWORD,
# KANNEL_CALLBACK_TOKEN, KANNEL_ADMIN_URL, KANNEL_DIR) on stdout: eval "$(ops/kannel/start.sh --dir /tmp/k)".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
say() { echo "ops/kannel/start.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

dir="" admin_port=13000 smsbox_port=13001 sendsms_port=13013 fake_port=10000
platform_url="http://127.0.0.1:8080" username=openvoice password=openvoice token="" fake=0 watch_pid="" max_life=0
log_level=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --admin-port) admin_port="$2"; shift 2 ;;
    --smsbox-port) smsbox_port="$2"; shift 2 ;;
    --sendsms-port) sendsms_port="$2"; shift 2 ;;
    --fake-port) fake_port="$2"; shift 2 ;;
    --platform-url) platform_url="${2%/}"; shift 2 ;;
    --username) username="$2"; shift 2 ;;
    --password) password="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --fakesmsc) fake=1; shift ;;
    --watch-pid) watch_pid="$2"; shift 2 ;;
    --max-lifetime) max_life="$2"; shift 2 ;;
    --log-level) log_level="$2"; shift 2 ;;
    *) fail "unknown argument $1 (see the comment at the top of $0)" ;;
  esac
done
[ -n "$dir" ] || fail "--dir is required"
bearerbox="$(command -v bearerbox || echo /usr/sbin/bearerbox)"
smsbox="$(command -v smsbox || echo /usr/sbin/smsbox)"
fakesmsc=/usr/lib/kannel/test/fakesmsc
[ -x "$bearerbox" ] && [ -x "$smsbox" ] || fail "bearerbox/smsbox not found: run ops/setup.sh (Debian package kannel)"
[ "$fake" -eq 0 ] || [ -x "$fakesmsc" ] || fail "$fakesmsc not found: run ops/setup.sh (Debian package kannel-extras)"
for p in "$admin_port" "$smsbox_port" "$sendsms_port" "$fake_port" "$max_life" "$log_level"; do
  [[ "$p" =~ ^[0-9]+$ ]] || fail "not a number: $p"
done
[ -z "$token" ] && token="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
[[ "$token" =~ ^[A-Za-z0-9._~-]+$ ]] || fail "the token may hold only letters, digits and -._~"
for v in "$username" "$password"; do [[ "$v" =~ ^[A-Za-z0-9._~-]+$ ]] || fail "username/password: letters, digits, -._~ only"; done
[[ "$platform_url" =~ ^https?://[^\"\ ]+$ ]] || fail "--platform-url must be an http(s) URL"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
if [ -f "$dir/bearerbox.pid" ] && kill -0 "$(cat "$dir/bearerbox.pid")" 2>/dev/null; then
  fail "a bearerbox of $dir runs already (pid $(cat "$dir/bearerbox.pid")); stop it with ops/kannel/stop.sh --dir $dir"
fi
for p in "$admin_port" "$smsbox_port" "$sendsms_port" "$fake_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then fail "something listens on 127.0.0.1:$p already"; fi
done
admin_password="$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"

# 1. The config, rendered from the template (all values were checked above: no sed metacharacters but '/' and '&'
#    in the URL, escaped here).
esc() { printf '%s' "$1" | sed -e 's/[\/&|]/\\&/g'; }
sed -e "s|@ADMIN_PORT@|$admin_port|g" -e "s|@SMSBOX_PORT@|$smsbox_port|g" -e "s|@SENDSMS_PORT@|$sendsms_port|g" \
    -e "s|@FAKE_PORT@|$fake_port|g" -e "s|@ADMIN_PASSWORD@|$admin_password|g" -e "s|@RUN_DIR@|$(esc "$dir")|g" \
    -e "s|@LOG_LEVEL@|$log_level|g" -e "s|@USERNAME@|$username|g" -e "s|@PASSWORD@|$password|g" \
    -e "s|@PLATFORM_URL@|$(esc "$platform_url")|g" -e "s|@TOKEN@|$token|g" \
    "$here/kannel.conf.template" > "$dir/kannel.conf"
chmod 600 "$dir/kannel.conf"
if grep -v '^#' "$dir/kannel.conf" | grep -q '@[A-Z_]*@'; then fail "unrendered placeholders left in $dir/kannel.conf"; fi
rm -f "$dir"/*.log "$dir/fakesmsc.in"
printf '%s\n' "$admin_password" > "$dir/admin.password"
chmod 600 "$dir/admin.password"

status() { curl -s -m 2 "http://127.0.0.1:$admin_port/status.txt?password=$admin_password" 2>/dev/null || true; }
bearerbox_up() { grep -q 'Status: running' <<<"$(status)"; }
sendsms_up() { (exec 3<>"/dev/tcp/127.0.0.1/$sendsms_port") 2>/dev/null; }
fake_online() { grep -q "FAKE:$fake_port (online" <<<"$(status)"; }
wait_for() { # what, seconds, test function
  local deadline=$((SECONDS + $2))
  until "$3"; do
    if [ $SECONDS -ge $deadline ]; then
      say "$1 did not happen within $2 s; the end of the logs in $dir:"
      tail -n 15 "$dir"/*.out "$dir"/fakesmsc.log >&2 2>/dev/null || true
      "$here/stop.sh" --dir "$dir" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

# 2. bearerbox, then smsbox once bearerbox's admin port answers, then (optionally) fakesmsc. Each runs in its own
#    session (setsid) so a terminal's or test runner's signals to its process group do not hit it; stop.sh stops
#    them by their pid files.
setsid "$bearerbox" -v "$log_level" "$dir/kannel.conf" >"$dir/bearerbox.out" 2>&1 </dev/null &
echo $! > "$dir/bearerbox.pid"
wait_for "bearerbox start" 20 bearerbox_up
setsid "$smsbox" -v "$log_level" "$dir/kannel.conf" >"$dir/smsbox.out" 2>&1 </dev/null &
echo $! > "$dir/smsbox.pid"
wait_for "smsbox start" 20 sendsms_up
if [ "$fake" -eq 1 ]; then
  mkfifo "$dir/fakesmsc.in"
  # stdin opened read-write: fakesmsc holds a writer itself, so it never sees end-of-file between two writers
  setsid "$fakesmsc" -H 127.0.0.1 -r "$fake_port" -v 0 0<>"$dir/fakesmsc.in" >"$dir/fakesmsc.log" 2>&1 &
  echo $! > "$dir/fakesmsc.pid"
  wait_for "the fake SMSC connection" 20 fake_online
fi

# 3. A watchdog that stops everything when the watched process ends or the lifetime is over.
if [ -n "$watch_pid" ] || [ "$max_life" -gt 0 ]; then
  setsid bash -c '
    watch="$1" life="$2" stop="$3" dir="$4"
    end=$(( $(date +%s) + (life > 0 ? life : 315360000) ))
    while { [ -z "$watch" ] || kill -0 "$watch" 2>/dev/null; } && [ "$(date +%s)" -lt "$end" ] \
          && [ -f "$dir/bearerbox.pid" ]; do sleep 1; done
    "$stop" --dir "$dir"' watchdog "$watch_pid" "$max_life" "$here/stop.sh" "$dir" >"$dir/watchdog.out" 2>&1 </dev/null &
  echo $! > "$dir/watchdog.pid"
fi

say "ready: sendsms http://127.0.0.1:$sendsms_port/cgi-bin/sendsms, admin http://127.0.0.1:$admin_port/status" \
    "(password in $dir/admin.password), callbacks to $platform_url/gateway/kannel/..."
printf 'export KANNEL_SENDSMS_URL=%q KANNEL_USERNAME=%q KANNEL_PASSWORD=%q KANNEL_CALLBACK_TOKEN=%q KANNEL_ADMIN_URL=%q KANNEL_DIR=%q\n' \
  "http://127.0.0.1:$sendsms_port/cgi-bin/sendsms" "$username" "$password" "$token" \
  "http://127.0.0.1:$admin_port" "$dir"
