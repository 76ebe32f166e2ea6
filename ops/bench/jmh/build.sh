#!/usr/bin/env bash
# Builds the main project and the benchmarks (ops/bench/jmh) in one Maven reactor, without running or compiling
# the tests and without installing anything, then prints the class path for `java -cp`: the benchmarks jar, JMH,
# the main jar (target/voice-platform-*.jar) and the main project's runtime dependencies as the main project itself
# resolves them. Used by ops/bench/jmh.sh and ops/bench/parked.sh.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bench=ops/bench/jmh
mvn -B -q -Dstyle.color=never -f "$bench/reactor/pom.xml" -Dmaven.test.skip=true package >&2
mvn -B -q -Dstyle.color=never -f pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$bench/target/main-classpath.txt" >&2
echo "$PWD/$bench/target/voice-platform-bench-0.1.0-SNAPSHOT.jar:$(cat "$bench/target/jmh-classpath.txt"):$PWD/target/voice-platform-0.1.0-SNAPSHOT.jar:$(cat "$bench/target/main-classpath.txt")"
