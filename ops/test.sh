#!/usr/bin/env bash
# Runs the whole test suite (the README's second command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/setup.sh
exec mvn -B test
