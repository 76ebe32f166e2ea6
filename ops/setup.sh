#!/usr/bin/env bash
# Installs what the node and the tests need on Debian (idempotent): a JDK 17 and Maven are assumed present.
# sip-tester (SIPp) drives the SIP tests; espeak-ng is the default text-to-speech engine of the SIP edge;
# postgresql gives the server binaries ops/postgres/start.sh runs (PostgreSQL persistence and its tests);
# kannel (bearerbox, smsbox) and kannel-extras (fakesmsc) are the SMS gateway ops/kannel/start.sh runs (SMS tests);
# tcpdump lets ops/bench/media.sh measure the pacing of the RTP the node sends, on loopback.
set -euo pipefail
need=()
for pkg in ca-certificates curl jq sip-tester espeak-ng postgresql kannel kannel-extras tcpdump; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
# Debian's kannel package ships a system service (/etc/init.d/kannel: a bearerbox on 13000 plus a wapbox on 13002)
# that its postinst may start. ops/kannel/start.sh runs its own boxes on private ports, so keep the system one
# stopped and out of the boot sequence (every step is a no-op when already done).
if [ -x /etc/init.d/kannel ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    $SUDO systemctl disable --now kannel >/dev/null 2>&1 || true
  else
    if ls /var/run/kannel/*.pid >/dev/null 2>&1; then $SUDO /etc/init.d/kannel stop >/dev/null 2>&1 || true; fi
    command -v update-rc.d >/dev/null && { $SUDO update-rc.d kannel disable >/dev/null 2>&1 || true; }
  fi
  # and no wapbox should it ever be started by hand
  if grep -q '^START_WAPBOX=' /etc/default/kannel 2>/dev/null; then
    $SUDO sed -i 's/^START_WAPBOX=/#START_WAPBOX=/' /etc/default/kannel
  fi
fi
command -v java >/dev/null || { echo "ops/setup.sh: a JDK 17 is required (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "ops/setup.sh: Maven is required (apt-get install maven)" >&2; exit 1; }
