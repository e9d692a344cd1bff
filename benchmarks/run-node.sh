#!/usr/bin/env bash
# The settling node under load ([node] benchmark acceptance); see docs/benchmarks.md "Node
# settlement under load ([node])". Builds the benchmarks jar, then runs
# io.zkperp.bench.node.NodeSettlementBenchmark: anvil from npm, ZkPerpRollupV3 at the v3-tiny keys'
# address, the format v3 node with its prover worker as a child JVM; phase A at 1,000 orders/s for
# 120 s (settled / proven / committed transactions/s, prover lag), phase B the acknowledgement
# latency at 5,000 orders/s with settlement and on a node without it. Extra arguments go to it
# (--help lists them). The load itself is 120 s + 2 × 80 s; signing the orders beforehand, the
# starts and the drains add minutes, many more on a loaded machine (docs/benchmarks.md). Needs
# the v3-tiny keys in ~/.cache/zkperp/keys (CI sets them up) and l1-contracts built (npm anvil).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -Dzkperp.go.skipTests=true -Dzkperp.sol.skipTests=true \
    -pl benchmarks -am package
fi
exec java -Xms3g -Xmx3g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -Dzkperp.anvil="$ROOT/l1-contracts/tools/anvil" \
  -cp benchmarks/target/benchmarks.jar io.zkperp.bench.node.NodeSettlementBenchmark "$@"
