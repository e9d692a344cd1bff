#!/usr/bin/env bash
# Builds the JNI library libzkprover.so (go build -buildmode=c-shared) into the file named by $1.
# Run by the Maven build of prover-bridge (phase generate-resources), so the library lands in
# target/classes/native/<platform>/ and inside the jar. Skips the build when the library is newer
# than every Go source, go.mod and go.sum of the module (Go's build cache makes a real rebuild
# after a change take seconds, not minutes, once gnark is compiled).
#
#   JNI_JAVA_HOME (or JAVA_HOME): the JDK whose include/ and include/linux/ hold jni.h
set -euo pipefail
out=${1:?usage: build.sh OUTPUT.so}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export GOTOOLCHAIN=local GOFLAGS=${GOFLAGS:--mod=readonly}
jdk=${JNI_JAVA_HOME:-${JAVA_HOME:-}}
if [ -z "$jdk" ]; then
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
[ -f "$jdk/include/jni.h" ] || { echo "build.sh: no jni.h under $jdk/include (set JAVA_HOME to a JDK)" >&2; exit 1; }
export CGO_ENABLED=1 CGO_CFLAGS="-O2 -I$jdk/include -I$jdk/include/linux"

if [ -f "$out" ] && [ -z "$(find . \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$out" -print -quit)" ]; then
  echo "build.sh: $out is up to date"
  exit 0
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$(dirname "$out")/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
go build -buildmode=c-shared -trimpath -o "$tmp/libzkprover.so" ./jni # also writes libzkprover.h
mv -f "$tmp/libzkprover.so" "$out"
echo "build.sh: built $out ($(($(date +%s) - start)) s, $(stat -c %s "$out") bytes)"
