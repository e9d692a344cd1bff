#!/usr/bin/env bash
# Order-to-L1-final latency on a format v3 devnet (./zk devnet's defaults; built, v3-tiny keys
# cached, an empty data directory). Starts ./zk devnet, funds and deposits a trader (./zk devnet
# faucet + deposit), then places ORDERS IOC buys of 3 against the market maker one after another
# (./zk client place-order). For each fill it polls perp_getSettlement of the fill's journalSeq
# over HTTP every 0.2 s, from place-order's reply until FINAL, and prints when each state was first
# seen (seconds after the reply) and the fill's batch. The first order waits behind the start's
# batches (the market maker's and the trader's deposits, the first prices); the later ones show the
# steady state, with the feeder's prices still sealing batches of their own. Then SIGTERM.
# Usage: devnet/scripts/order-to-l1-final.sh DATA_DIR PORT L1_PORT LOG_FILE [ORDERS, default 4]
# (docs/benchmarks.md, "Devnet")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DATA=$1; PORT=$2; L1=$3; LOG=$4; N=${5:-4}
[ ! -e "$DATA" ] || { echo "usage: $0 DATA_DIR PORT L1_PORT LOG_FILE [ORDERS] (DATA_DIR must not exist)" >&2; exit 2; }
: > "$LOG"
S=$(printf '42%.0s' {1..32}); U=http://127.0.0.1:$PORT/
(./zk devnet --data-dir "$DATA" --port $PORT --l1-port $L1 > "$LOG" 2>&1; echo "exit=$?" >> "$LOG") &
until grep -q "devnet is up" "$LOG"; do sleep 0.2; done
./zk devnet faucet --data-dir "$DATA" --to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --amount 1000000000 >/dev/null
ACC=$(./zk devnet deposit --data-dir "$DATA" --dev-account 2 --key-seed-hex $S --amount 500000000 | sed -n 's/.*to L2 account \([0-9]*\).*/\1/p')
until ./zk client account --url $U --key-seed-hex $S --account $ACC 2>/dev/null | grep -q '"collateral" : 500000000'; do sleep 0.2; done
settlement() {
  curl -s $U -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"perp_getSettlement\",\"params\":{\"journalSeq\":$1}}" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; print(r["status"], r.get("batch", 0))'
}
for i in $(seq 1 $N); do
  while true; do
    A=$(./zk client book --url $U --market 2 | python3 -c 'import json,sys; a=json.load(sys.stdin)["asks"]; print(a[0]["price"]+2 if a else 0)')
    [ "$A" != 0 ] || { sleep 0.2; continue; }
    SEQ=$(./zk client place-order --url $U --key-seed-hex $S --account $ACC --market 2 --side BUY --size 3 --price $A --tif IOC \
      | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["journalSeq"] if o.get("filled", 0) > 0 else 0)')
    [ "$SEQ" = 0 ] || break
  done
  t0=$(date +%s.%N); last=""; line="order $i: journalSeq $SEQ:"
  while true; do
    read -r ST B < <(settlement $SEQ)
    if [ "$ST" != "$last" ]; then
      line="$line $ST +$(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s"; last=$ST
    fi
    [ "$ST" != FINAL ] && [ "$ST" != paused ] && [ "$ST" != FAILED ] || break
    sleep 0.2
  done
  echo "$line (batch $B)"
done
P=$(pgrep -f "DevnetMain --data-dir $DATA --port $PORT")
kill -TERM $P
while kill -0 $P 2>/dev/null; do sleep 0.2; done
sleep 0.5; tail -1 "$LOG"
