#!/usr/bin/env bash
# Snapshot pause benchmark: what a snapshot costs the acknowledgement path, pausing vs replica;
# see docs/benchmarks.md "Snapshots without pausing intake". Builds the benchmarks jar, then runs
# io.zkperp.bench.gateway.SnapshotPauseBenchmark; extra arguments go to it (--help lists them).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -pl benchmarks -am package
fi
exec java -Xms${HEAP:-4g} -Xmx${HEAP:-4g} -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -cp benchmarks/target/benchmarks.jar io.zkperp.bench.gateway.SnapshotPauseBenchmark "$@"
