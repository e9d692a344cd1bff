#!/usr/bin/env bash
# Build step of the L1 contracts (called by the Maven module in the compile phase, also when tests
# are skipped): installs the npm toolchain, exports the Groth16 verifiers of the batch circuit from
# the native prover, compiles with forge and writes each deployable contract's ABI and bytecode
# to target/abi/ for the web3j wrappers (module l1-bindings).
#
# Everything comes from the npm registry, pinned by package-lock.json: Foundry's forge (native
# binary in @foundry-rs/forge-<platform>) and solc-js, which forge drives through tools/solc.
# Nothing is downloaded at build time (foundry.toml: offline, no solc auto-detection).
# Exits non-zero on any failure: install, compilation (warnings included), export.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "build.sh: node (20 or newer) and npm are required" >&2
  exit 1
fi

start=$SECONDS
# npm ci only when node_modules was not installed from this package-lock.json (a marker holds its
# hash): npm ci empties node_modules first, so running it on every build costs time and breaks a
# node_modules shared by several checkouts while another build is using it.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
marker=node_modules/.zkperp-package-lock.sha256
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$lock_hash" ] && [ -x node_modules/.bin/forge ]; then
  echo "==> npm ci skipped: node_modules matches package-lock.json"
else
  echo "==> npm ci"
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
  echo "$lock_hash" >"$marker"
fi

echo "==> toolchain: $(tools/forge --version | head -n 1), solc $(node -p 'require("solc").version()') (solc-js)"

# The Groth16 verifiers, exported by the native prover from the cached keys (setup runs once per
# shape if they are missing; see prover-bridge/native/prover): the tiny one with a proof for the
# forge tests, the devnet one for the devnet and the anvil tests; the format v3 v3-tiny one
# (V3TinyBatchVerifier) with v3-tiny-proof.json, a proof of the golden v3 batch for the fixture
# domain (chain id 31337, rollup 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0), for the forge tests
# of the v3 rollup. Its setup runs once per machine (docs/benchmarks.md, "Batch v3 proving").
echo "==> exporting the batch verifiers (zkprover fixture tiny and v3-tiny, zkprover verifier devnet)"
(
  cd ../prover-bridge/native
  export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
  go run ./cmd/zkprover fixture -shape tiny -out ../../l1-contracts/src/generated
  go run ./cmd/zkprover verifier -shape devnet -out ../../l1-contracts/src/generated
  go run ./cmd/zkprover fixture -shape v3-tiny -out ../../l1-contracts/src/generated
)

echo "==> forge build"
tools/forge build

echo "==> ABIs and bytecode for web3j (target/abi)"
node tools/export-abi.js out target/abi ZkPerpRollup ZkPerpRollupV3 TestUSD TinyBatchVerifier DevnetBatchVerifier V3TinyBatchVerifier

echo "==> l1-contracts build done in $((SECONDS - start)) s"
