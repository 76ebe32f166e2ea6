#!/usr/bin/env bash
# Installs what the node and the tests need on Debian (idempotent): a JDK 17 and Maven are assumed present.
# sip-tester (SIPp) drives the SIP tests; espeak-ng is the default text-to-speech engine of the SIP edge;
# postgresql gives the server binaries ops/postgres/start.sh runs (PostgreSQL persistence and its tests).
# tcpdump lets ops/bench/media.sh measure the pacing of the RTP the node sends, on loopback.
set -euo pipefail
need=()
for pkg in ca-certificates curl jq sip-tester espeak-ng postgresql tcpdump; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v java >/dev/null || { echo "ops/setup.sh: a JDK 17 is required (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "ops/setup.sh: Maven is required (apt-get install maven)" >&2; exit 1; }
