#!/usr/bin/env bash
# Sequencer core benchmark (throughput + latency, exchange-core workload shape); see
# docs/benchmarks.md "Sequencer core". Builds the benchmarks jar, then runs
# io.zkperp.bench.sequencer.SequencerBenchmark (core alone). Extra arguments go to it (--help
# lists them). About 2 minutes with the defaults on the 2-core VM.
#   benchmarks/run-sequencer.sh pipeline [options]   runs PipelineBenchmark instead: the whole
#   pipeline (EdDSA intake + core + fsynced journal), about 30 s.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -pl benchmarks -am package
fi
MAIN=io.zkperp.bench.sequencer.SequencerBenchmark
if [ "${1:-}" = pipeline ]; then
  shift
  MAIN=io.zkperp.bench.sequencer.PipelineBenchmark
fi
exec java -Xms3g -Xmx3g -XX:+UseParallelGC -XX:+AlwaysPreTouch \
  -cp benchmarks/target/benchmarks.jar "$MAIN" "$@"
