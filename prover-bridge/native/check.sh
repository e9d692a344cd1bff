#!/usr/bin/env bash
# Formatting, lint and tests of the Go module; run by the Maven build (prover-bridge/pom.xml)
# and therefore by ./zk test. Fails on unformatted files, vet findings, test failures and on
# test-vectors/ drifting from what gnark-crypto generates.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export GOTOOLCHAIN=local GOFLAGS=${GOFLAGS:--mod=readonly}
# The JNI package (jni/) needs the JDK's headers; Maven passes them, this default serves manual runs.
if [ -z "${CGO_CFLAGS:-}" ] && [ -n "${JAVA_HOME:-}" ]; then
  export CGO_CFLAGS="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux"
fi
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files are not formatted (run: gofmt -w prover-bridge/native):" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go test -count=1 ./...
