#!/usr/bin/env bash
# JMH micro-benchmarks of the call-flow XML parser (io.openvoice.xml) and the flow interpreter (io.openvoice.flow),
# each beside its reference in the same run (ops/bench/jvm.md says what the references are). Prints a table and
# writes target/bench/jmh.json (JMH's own result), target/bench/jmh.txt (the table) and target/bench/jmh.log.
#
# Environment: JMH_FORKS (1), JMH_WARMUP_ITERATIONS (5), JMH_WARMUP_TIME (2s), JMH_ITERATIONS (5), JMH_TIME (2s),
# JMH_INCLUDE (benchmark regex; default all), JMH_JVM_ARGS (-Xms1g -Xmx1g). About 5 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench
mkdir -p "$out"
start=$(date +%s)
cp=$(bash ops/bench/jmh/build.sh)
java -cp "$cp" io.openvoice.bench.JmhMain "$out" 2>&1 | tee "$out/jmh.log"
echo "command: ops/bench/jmh.sh  (wall time $(( $(date +%s) - start )) s including the build; $(nproc) cores," \
  "$(java -version 2>&1 | head -1))"
