#!/usr/bin/env bash
# Build and test gate of the L1 contracts (called by the Maven module in the test phase).
#
# Everything comes from the npm registry, pinned by package-lock.json: Foundry's forge (native
# binary in @foundry-rs/forge-<platform>) and solc-js, which forge drives through tools/solc.
# Nothing is downloaded at build time (foundry.toml: offline, no solc auto-detection).
# Exits non-zero on any failure: install, formatting, compilation (warnings included), tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "check.sh: node (20 or newer) and npm are required" >&2
  exit 1
fi

start=$SECONDS
echo "==> npm ci"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error

echo "==> toolchain: $(tools/forge --version | head -n 1), solc $(node -p 'require("solc").version()') (solc-js)"

# The Groth16 verifier of the tiny circuit and a proof for it, exported by the native prover from
# the cached keys (setup runs once if they are missing; see prover-bridge/native/prover).
echo "==> exporting the tiny batch verifier and a proof (zkprover fixture)"
(cd ../prover-bridge/native && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go run ./cmd/zkprover fixture -shape tiny -out ../../l1-contracts/src/generated)

echo "==> forge fmt --check"
tools/forge fmt --check

echo "==> forge build"
tools/forge build

echo "==> forge test (gas report of the library harnesses and the rollup contracts)"
tools/forge test --gas-report

echo "==> l1-contracts check passed in $((SECONDS - start)) s"
