#!/usr/bin/env bash
# Gateway end-to-end benchmark (signed perp_placeOrder over HTTP against the demo node in its own
# JVM); see docs/benchmarks.md "Gateway". Builds the benchmarks jar, then runs
# io.zkperp.bench.gateway.GatewayBenchmark; extra arguments go to it (--help lists them). About
# 11 minutes with the defaults on the 2-core VM, plus the build (signing the orders beforehand takes
# a quarter). Do not run it next to builds: it measures latency.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -pl benchmarks -am package
fi
exec java -Xms2g -Xmx2g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -cp benchmarks/target/benchmarks.jar io.zkperp.bench.gateway.GatewayBenchmark "$@"
