#!/usr/bin/env bash
# Times ./zk devnet on a warm machine (built, keys cached) with an empty data directory: start ->
# "devnet is up", then a trader's ./zk devnet faucet + deposit -> the L2 credit (./zk client
# account) -> an IOC buy filled against the market maker (./zk client place-order), then SIGTERM.
# ./zk devnet's defaults: format v3 since the devnet settles v3 (format v2 before).
# Usage: devnet/scripts/time-to-first-fill.sh DATA_DIR PORT L1_PORT LOG_FILE (docs/benchmarks.md, "Devnet")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DATA=$1; PORT=$2; L1=$3; LOG=$4
[ ! -e "$DATA" ] || { echo "usage: $0 DATA_DIR PORT L1_PORT LOG_FILE (DATA_DIR must not exist)" >&2; exit 2; }
: > "$LOG"
S=$(printf '42%.0s' {1..32}); U=http://127.0.0.1:$PORT/
t0=$(date +%s.%N)
(./zk devnet --data-dir "$DATA" --port $PORT --l1-port $L1 > "$LOG" 2>&1; echo "exit=$?" >> "$LOG") &
until grep -q "devnet is up" "$LOG"; do sleep 0.2; done
t1=$(date +%s.%N)
./zk devnet faucet --data-dir "$DATA" --to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --amount 1000000000 >/dev/null
ACC=$(./zk devnet deposit --data-dir "$DATA" --dev-account 2 --key-seed-hex $S --amount 500000000 | sed -n 's/.*to L2 account \([0-9]*\).*/\1/p')
until ./zk client account --url $U --key-seed-hex $S --account $ACC 2>/dev/null | grep -q '"collateral" : 500000000'; do sleep 0.2; done
t2=$(date +%s.%N)
while true; do
  A=$(./zk client book --url $U --market 2 | python3 -c 'import json,sys; a=json.load(sys.stdin)["asks"]; print(a[0]["price"]+2 if a else 0)')
  [ "$A" != 0 ] || { sleep 0.2; continue; }
  if ./zk client place-order --url $U --key-seed-hex $S --account $ACC --market 2 --side BUY --size 3 --price $A --tif IOC | grep -q '"filled" : 3'; then break; fi
done
t3=$(date +%s.%N)
python3 -c "print(f'start->up {($t1-$t0):.1f} s; up->deposit credited {($t2-$t1):.1f} s; credited->fill {($t3-$t2):.1f} s; start->first fill {($t3-$t0):.1f} s')"
P=$(pgrep -f "DevnetMain --data-dir $DATA --port $PORT")
kill -TERM $P
while kill -0 $P 2>/dev/null; do sleep 0.2; done
sleep 0.5; tail -1 "$LOG"
