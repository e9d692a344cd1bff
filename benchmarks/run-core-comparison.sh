#!/usr/bin/env bash
# zkperp's core against exchange-core's own stages, both on one thread, on the same command stream
# (issue [core-speed]; docs/benchmarks.md "zkperp vs exchange-core, one thread"). Steps:
#   1. builds the benchmarks and, with -Pexchange-core, benchmarks/exchange-core (exchange-core
#      0.5.3 from Maven Central: its code is never in this repository);
#   2. exports SequencerBenchmark's workload (default 2,000,000 measured commands, 1,000 accounts,
#      ~1,000 resting orders, 82% cancel-replace) to a file;
#   3. runs, each in a fresh JVM with the same flags: zkperp with risk, exchange-core (its risk
#      processing FULL_PER_CURRENCY with margin trading: the only mode in which it runs a futures
#      symbol), zkperp without risk; each process does --warmup warm-up and --runs measured runs;
#   4. prints each median and the ratios zkperp / exchange-core (the issue's targets: with risk
#      >= 1.2, without risk >= 1.5).
# Options: --commands N (default 2000000), --runs N (default 5), --warmup N (default 3),
#          --out FILE (also write the summary there). About 10 minutes on the 2-core VM; run it
#          on a quiet machine (no other build or helper running).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
COMMANDS=2000000 RUNS=5 WARMUP=3 OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --commands) COMMANDS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests -Dzkperp.go.skipTests=true -Dzkperp.sol.skipTests=true \
    -Pexchange-core -pl benchmarks,benchmarks/exchange-core -am package
fi
JVM=(java -Xms3g -Xmx3g -XX:+UseParallelGC -XX:+AlwaysPreTouch)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
WL="$WORK/workload.bin"
"${JVM[@]}" -cp benchmarks/target/benchmarks.jar io.zkperp.bench.sequencer.SequencerBenchmark \
  --commands "$COMMANDS" --export-workload "$WL"
EC_CP="benchmarks/exchange-core/target/classes:$(cat benchmarks/exchange-core/target/classpath.txt)"

zkperp() { # $1 = --risk or empty
  "${JVM[@]}" -cp benchmarks/target/benchmarks.jar io.zkperp.bench.sequencer.SequencerBenchmark \
    --workload-file "$WL" --warmup "$WARMUP" --runs "$RUNS" --latency-runs 0 --risk-checks 100000 $1 \
    | tee -a "$WORK/log" | sed -n 's/^| [0-9]* | \*\*\([0-9,]*\)\*\* .*/\1/p' | head -1 | tr -d ,
}
exchange() {
  "${JVM[@]}" -Dlogback.configurationFile=/dev/null -cp "$EC_CP" \
    io.zkperp.bench.exchangecore.ExchangeCoreBenchmark \
    --workload-file "$WL" --warmup "$WARMUP" --runs "$RUNS" 2>/dev/null \
    | tee -a "$WORK/log" | sed -n 's/^exchange-core one thread: median \([0-9,]*\) .*/\1/p' | tr -d ,
}
zr=$(zkperp --risk); ec=$(exchange); zn=$(zkperp "")
summary=$(cat <<EOT
| one thread, median of $RUNS runs after $WARMUP warm-up, same workload file | commands/s | ratio to exchange-core |
|---|---:|---:|
| exchange-core R1 → ME → R2 (FULL_PER_CURRENCY, margin) | $(printf "%'d" "$ec") | 1.00 |
| zkperp SequencerCore with the risk engine | $(printf "%'d" "$zr") | $(awk "BEGIN{printf \"%.2f\", $zr/$ec}") |
| zkperp SequencerCore without risk | $(printf "%'d" "$zn") | $(awk "BEGIN{printf \"%.2f\", $zn/$ec}") |

$COMMANDS measured commands; $(date -u +%Y-%m-%d); $(java -version 2>&1 | head -1); $(nproc) cores.
EOT
)
echo "$summary"
if [ -n "$OUT" ]; then
  { echo "$summary"; echo; echo '```'; cat "$WORK/log"; echo '```'; } > "$OUT"
fi
