#!/usr/bin/env bash
# Runs the benchmark report (called by ./zk bench, which selects the JDK). Long: see docs/benchmarks.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
mvn -B -ntp -q -DskipTests -Dzkperp.go.skipTests=true package
exec java -Xmx12g -Dzkperp.root="$ROOT" -jar benchmarks/target/benchmarks.jar --root "$ROOT" "$@"
