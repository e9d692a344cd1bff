#!/usr/bin/env bash
# Node restart benchmark (10M orders: --orders 10000000): restart time with and without a snapshot;
# see docs/benchmarks.md "Restart and history". Builds the benchmarks jar, then runs
# io.zkperp.bench.gateway.RestartBenchmark; extra arguments go to it (--help lists them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -pl benchmarks -am package
fi
exec java -Xms${HEAP:-6g} -Xmx${HEAP:-6g} -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -cp benchmarks/target/benchmarks.jar io.zkperp.bench.gateway.RestartBenchmark "$@"
