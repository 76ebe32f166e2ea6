#!/usr/bin/env bash
# Builds the node if needed and starts it in the foreground (embedded H2 under $DATA_DIR, default ./data).
# Environment: HTTP_PORT (8080), SIP_PORT (5060), DATA_DIR (./data), OPENTACT_ADMIN_EMAIL / OPENTACT_ADMIN_PASSWORD,
# OPENTACT_CONFIG (a file from cluster-config/ instead of the single-node default).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
jar=target/voice-platform-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -q -B -DskipTests package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib
fi
exec java ${JAVA_OPTS:--Xmx2g} -jar "$jar"
