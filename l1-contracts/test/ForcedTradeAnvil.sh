#!/usr/bin/env bash
# Drill (b) of issue #20 scope 3 on a real anvil: a forced trade ignored past its deadline lets
# anyone freeze the format v3 rollup. anvil's account 0 deploys TestUSD, the accept-all verifier
# double (test/utils/RollupMocks.sol: the drill is about the queue, not proofs) and
# ZkPerpRollupV3 (deadline 1 hour, forced-request fee 0.01 ether); traders A and B (anvil
# accounts 1 and 2) bind accounts 10 and 11 by depositing, a batch consumes both deposits; A's
# owner requests a forced trade with B on the rollup's desk; a freeze before the deadline is
# refused; the operator ignores the request; after the deadline a third party (account 3) freezes;
# no batch is accepted any more, and the request's fee is refunded to A. Needs `forge build`
# output (out/). Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCRIPT=ForcedTradeAnvil
# shellcheck source=utils/anvil-drill.sh
source test/utils/anvil-drill.sh
bytecode() { node -p "require('./out/$1.sol/$2.json').bytecode.object"; }
num() { cut -d' ' -f1; }
# refused: the call reverts with the custom error whose signature is $1 (its selector in cast's output)
refused() {
  local err=$1 out
  shift
  if out=$(tools/cast send --json "$@" 2>&1); then fail "accepted, expected $err"; fi
  echo "$out" | grep -qi "$(tools/cast sig "$err" | cut -c3-)" || fail "refused, but not with $err: $out"
}

start_anvil

# anvil's default mnemonic: account 0 deploys and operates; 1 and 2 trade; 3 freezes
key0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
keyA=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
keyB=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
keyC=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
operator=$(tools/cast wallet address --private-key "$key0")
ownerA=$(tools/cast wallet address --private-key "$keyA")
ownerC=$(tools/cast wallet address --private-key "$keyC")
send() {
  local k=$1
  shift
  tools/cast send --private-key "$k" --json "$@" >/dev/null
}
create() { tools/cast send --private-key "$key0" --json --create "$@" | node -p 'JSON.parse(require("fs").readFileSync(0)).contractAddress'; }

deadline=3600
fee=10000000000000000
token=$(create "$(bytecode TestUSD TestUSD)")
verifier=$(create "$(bytecode RollupMocks AcceptAllVerifier)")
args=$(tools/cast abi-encode \
  "constructor(address,address,address,address,(uint256,uint256,uint256),uint256,uint256,uint256)" \
  "$token" "$verifier" "$operator" "$operator" "(0x1234,10,0)" "$deadline" $((deadline + 86400)) "$fee")
rollup=$(create "$(bytecode ZkPerpRollupV3 ZkPerpRollupV3)${args#0x}")
desk=$(tools/cast call "$rollup" "FORCED_TRADE_DESK()(address)")

# two accounts bound by their first deposits (keys: points of the BN254 twisted Edwards curve)
deposit() {
  local k=$1 id=$2 x=$3 y=$4
  send "$k" "$token" "faucet(uint256)" 1000
  send "$k" "$token" "approve(address,uint256)" "$rollup" 1000
  send "$k" "$rollup" "deposit(uint256,uint256,uint256,uint64)" "$id" "$x" "$y" 1000
}
deposit "$keyA" 10 0x2cd2f2defa4fe4b3c59d8390ea31f0816854d16d15b9bf771ec0ddc687a6e107 0x054be65d0192c1390ab7db955bc7fac1ffb871e72c19dea631e316955bdaf199
deposit "$keyB" 11 0x12f1c64c48e891932357e9914f04cccfbbed5ded6c035d3db3a8bdcff98edd7e 0x254ff12ba521a7bdecff004ee3a6a7187c8488dc0c9454fbb7d32dbee4dc4d77

sig="commitBatch((uint64,uint256,uint256,uint64,uint256,uint256,uint32),bytes,bytes)"
record="01$(printf '0%.0s' $(seq 1 68))"
now=$(tools/cast block latest --field timestamp)
p2=$(tools/cast call "$rollup" "priorityHashAt(uint256)(uint256)" 2 | num)
send "$key0" "$rollup" "$sig" "(1,0x1234,0x42,$now,0,$p2,2)" "0x$record$record" 0x
[ "$(tools/cast call "$rollup" "consumedPriorityOps()(uint256)" | num)" = 2 ] || fail "the deposits were not consumed"

# A's owner requests a forced trade with B (L1 does not verify B's signature: the circuit does);
# a closed desk refuses it, the admin (here the operator's key) opens it
trade="(10,11,3,true,5,500,7,11,12,13)"
reqsig="requestForcedTrade((uint32,uint32,uint16,bool,uint64,uint64,uint64,uint256,uint256,uint256))"
refused "ForcedTradesNotServed()" --private-key "$keyA" --value "$fee" "$desk" "$reqsig" "$trade"
send "$key0" "$desk" "serveForcedTrades()"
receipt=$(tools/cast send --private-key "$keyA" --json --value "$fee" "$desk" "$reqsig" "$trade")
gas=$(echo "$receipt" | node -p 'BigInt(JSON.parse(require("fs").readFileSync(0)).gasUsed).toString()')
[ "$(tools/cast call "$rollup" "priorityOpCount()(uint256)" | num)" = 3 ] || fail "the request was not queued"
# its kind (2 = ForcedTrade) and owner (A's, not the desk's)
op=$(tools/cast call "$rollup" "priorityOps(uint256)(uint8,address,uint64,uint32,uint64,bool)" 2)
[ "$(echo "$op" | sed -n 1p)" = 2 ] || fail "queued kind: $op"
[ "$(echo "$op" | sed -n 2p)" = "$ownerA" ] || fail "queued owner: $op"
# only A's owner may request
refused "NotAccountOwner(uint256,address)" --private-key "$keyC" --value "$fee" "$desk" "$reqsig" "$trade"

# before the deadline nobody can freeze; the operator ignores the request
refused "DeadlineNotReached(uint256)" --private-key "$keyC" "$rollup" "freeze()"
tools/cast rpc evm_increaseTime $((deadline + 1)) >/dev/null
tools/cast rpc evm_mine >/dev/null
send "$keyC" "$rollup" "freeze()"
[ "$(tools/cast call "$rollup" "frozen()(bool)")" = true ] || fail "not frozen"
now=$(tools/cast block latest --field timestamp)
p3=$(tools/cast call "$rollup" "priorityHashAt(uint256)(uint256)" 3 | num)
refused "RollupFrozen()" --private-key "$key0" "$rollup" "$sig" "(2,0x42,0x43,$now,$p2,$p3,1)" "0x$record" 0x
send "$keyC" "$rollup" "refundForcedRequestFee(uint256)" 2
refund=$(tools/cast call "$rollup" "feeBalance(address)(uint256)" "$ownerA" | num)
[ "$refund" = "$fee" ] || fail "A's refund is $refund"
echo "ForcedTradeAnvil: a forced trade ignored past its deadline let $ownerC freeze the rollup on anvil ($rpc); request gasUsed $gas; A's fee refunded"
