#!/usr/bin/env bash
# Parked calls at scale: one node in one JVM (embedded H2, persistence on, -Xmx4g: the design's "100,000 parked
# calls within 4 GiB of heap"), N simulated calls created over REST that park (no flow, no media), measured at each
# step of a ramp (10k, 50k, N): creation time and rate, heap after full GC against the same node with 0 calls,
# RSS, and the node's own live-call count; then all are hung up. Reference in the same JVM: heap per idle Pekko
# actor. Prints a table; writes target/bench/parked.txt, parked-histogram.txt (class histogram at the peak) and
# parked.log; the node's database goes to target/bench/parked-data (wiped at each run).
#
# Environment: N (100000), RAMP (comma-separated steps below N; default 10000,50000), CONCURRENCY (32 requests in
# flight), WARMUP (2000), HEAP (4g), JFR=1 (record target/bench/parked.jfr), JAVA_OPTS (more JVM options).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench
mkdir -p "$out"
start=$(date +%s)
rm -f "$out/parked.jfr"
cp=$(bash ops/bench/jmh/build.sh)
jfr=()
[ "${JFR:-0}" = "1" ] && jfr=("-XX:StartFlightRecording=filename=$out/parked.jfr,settings=profile")
java -Xmx"${HEAP:-4g}" -XX:+UseG1GC -Dlogback.configurationFile=ops/bench/jmh/logback-bench.xml "${jfr[@]}" \
  ${JAVA_OPTS:-} -cp "$cp" io.openvoice.bench.ParkedCalls "$out" 2>&1 | tee "$out/parked.log"
echo "command: N=${N:-100000} ops/bench/parked.sh  (wall time $(( $(date +%s) - start )) s including the build;" \
  "$(nproc) cores, $(java -version 2>&1 | head -1))"
