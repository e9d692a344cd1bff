#!/usr/bin/env bash
# Test gate of the L1 contracts (called by the Maven module in the test phase, after build.sh):
# formatting and the forge tests with their gas report. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

start=$SECONDS
if [ ! -d out ] || [ ! -f src/generated/tiny-proof.json ] || [ ! -f src/generated/v3-tiny-proof.json ]; then
  bash build.sh
fi

echo "==> forge fmt --check"
tools/forge fmt --check

echo "==> forge test (gas report of the library harnesses and the rollup contracts)"
tools/forge test --gas-report

echo "==> the format v3 rollup on anvil (real v3-tiny proof)"
bash test/RollupV3Anvil.sh

echo "==> drill (b): a forced trade ignored past its deadline lets anyone freeze, on anvil"
bash test/ForcedTradeAnvil.sh

echo "==> l1-contracts check passed in $((SECONDS - start)) s"
