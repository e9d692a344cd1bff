#!/usr/bin/env bash
# Build step of the dashboard (called by the gateway's Maven build in the generate-resources phase,
# also when tests are skipped): installs the pinned npm packages (package-lock.json) and bundles
# the page with esbuild into target/classes/io/zkperp/gateway/dashboard, inside the gateway jar.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  # the node runs without its dashboard (/dashboard/ answers 404), so that './zk node' needs only
  # a JDK and Maven; CI and './zk test' need Node.js anyway
  if [ "${CI:-}" = "true" ]; then
    echo "dashboard/build.sh: node (20 or newer) and npm are required (CI=true)" >&2
    exit 1
  fi
  echo "dashboard/build.sh: node and npm not found: building the gateway WITHOUT the dashboard (install Node.js 20+ for /dashboard/)" >&2
  exit 0
fi
# npm ci reinstalls node_modules from the lock file; skip it when the lock file is unchanged since
# the last install (node_modules/.package-lock.json is npm's own record of what it installed)
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s <(node -e 'const l=require("./package-lock.json");delete l.name;delete l.version;delete l.lockfileVersion;delete l.requires;console.log(JSON.stringify(Object.keys(l.packages).filter(k=>k).sort().map(k=>[k,l.packages[k].version])))') <(node -e 'const l=require("./node_modules/.package-lock.json");console.log(JSON.stringify(Object.keys(l.packages).filter(k=>k).sort().map(k=>[k,l.packages[k].version])))'); then
  echo "==> dashboard: npm ci"
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
fi
node build.mjs "${1:-../target/classes/io/zkperp/gateway/dashboard}"
