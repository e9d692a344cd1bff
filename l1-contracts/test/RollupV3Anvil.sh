#!/usr/bin/env bash
# The real Groth16 proof of the golden format v3 batch (src/generated/v3-tiny-proof.json, written
# by `zkprover fixture -shape v3-tiny` in build.sh) accepted by ZkPerpRollupV3 on a real anvil:
# anvil's account 0 deploys TestUSD (nonce 0), V3TinyBatchVerifier (nonce 1) and the rollup
# (nonce 2, the address the proof's domain names), funds the golden genesis (1,000,000: accounts 5
# and 9 of batchv3/golden.go), the depositor of the fixture deposits on L1, the operator commits
# the batch with the real proof (a copy with one proof byte changed is refused first), and the
# withdrawal's recipient withdraws exactly its amount. Run by check.sh after forge test; needs
# `forge build` output (out/) and src/generated. Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fixture=src/generated/v3-tiny-proof.json
SCRIPT=RollupV3Anvil
# shellcheck source=utils/anvil-drill.sh
source test/utils/anvil-drill.sh
field() { node -p "const f=require('./$fixture'); String($1)"; }
bytecode() { node -p "require('./out/$1.sol/$1.json').bytecode.object"; }

start_anvil

# anvil's account 0 (the default mnemonic): deployer, admin and operator
key=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
deployer=$(tools/cast wallet address --private-key "$key")
send() { tools/cast send --private-key "$key" --json "$@" >/dev/null; }
as() {
  local who=$1
  shift
  tools/cast send --unlocked --from "$who" --json "$@" >/dev/null
}
create() { tools/cast send --private-key "$key" --json --create "$@" | node -p 'JSON.parse(require("fs").readFileSync(0)).contractAddress'; }

[ "$(field f.chainId)" = 31337 ] || fail "the fixture is not for chain 31337"
token=$(create "$(bytecode TestUSD)")
verifier=$(create "$(bytecode V3TinyBatchVerifier)")
genesis_collateral=1000000
depositor=$(field f.deposits[0].owner)
account=$(field "BigInt(f.deposits[0].account)")
amount=$(field "BigInt(f.deposits[0].amount)")
recipient=$(field f.withdrawals[0].recipient)
withdrawn=$(field "BigInt(f.withdrawals[0].amount)")
args=$(tools/cast abi-encode \
  "constructor(address,address,address,address,(uint256,uint256,uint256),uint256,uint256,uint256)" \
  "$token" "$verifier" "$deployer" "$deployer" \
  "($(field f.genesisRoot),$account,$genesis_collateral)" 604800 691200 0)
rollup=$(create "$(bytecode ZkPerpRollupV3)${args#0x}")
want=$(field f.rollup)
[ "${rollup,,}" = "${want,,}" ] || fail "the rollup landed at $rollup, the proof names $want"

send "$token" "faucet(uint256)" "$genesis_collateral"
send "$token" "approve(address,uint256)" "$rollup" "$genesis_collateral"
send "$rollup" "fundGenesis()"

for who in "$depositor" "$recipient"; do
  tools/cast rpc anvil_impersonateAccount "$who" >/dev/null
  tools/cast rpc anvil_setBalance "$who" 0xDE0B6B3A7640000 >/dev/null
done
as "$depositor" "$token" "faucet(uint256)" "$amount"
as "$depositor" "$token" "approve(address,uint256)" "$rollup" "$amount"
as "$depositor" "$rollup" "deposit(uint256,uint256,uint256,uint64)" "$account" \
  "$(field f.deposits[0].publicKeyX)" "$(field f.deposits[0].publicKeyY)" "$amount"

# the batch time must not be after the block's
tools/cast rpc evm_setNextBlockTimestamp "$(($(field f.batchTime) + 60))" >/dev/null
tools/cast rpc evm_mine >/dev/null
header="($(field f.batchNumber),$(field f.genesisRoot),$(field f.newRoot),$(field f.batchTime),$(field f.priorityBefore),$(field f.priorityAfter),$(field f.priorityCount))"
sig="commitBatch((uint64,uint256,uint256,uint64,uint256,uint256,uint32),bytes,bytes)"
records=$(field f.records)
proof=$(field f.proof)
# one proof byte changed: InvalidProof(publicInput), selector and the fixture's input
bad=$(node -p "const p='$proof'; p.slice(0,100)+(p[100]==='0'?'1':'0')+p.slice(101)")
if out=$(tools/cast call --from "$deployer" "$rollup" "$sig" "$header" "$records" "$bad" 2>&1); then
  fail "a changed proof byte was accepted"
fi
pi=$(field f.publicInput)
echo "$out" | grep -qi "${pi#0x}" || fail "a changed proof byte was refused, but not with InvalidProof($pi): $out"

receipt=$(tools/cast send --private-key "$key" --json "$rollup" "$sig" "$header" "$records" "$proof")
status=$(echo "$receipt" | node -p 'JSON.parse(require("fs").readFileSync(0)).status')
gas=$(echo "$receipt" | node -p 'BigInt(JSON.parse(require("fs").readFileSync(0)).gasUsed).toString()')
[ "$status" = 0x1 ] || fail "commitBatch failed: $receipt"
[ "$(tools/cast call "$rollup" "stateRoot()(uint256)" | cut -d' ' -f1)" = "$(node -p "BigInt('$(field f.newRoot)').toString()")" ] ||
  fail "the stored root is not the batch's new root"

as "$recipient" "$rollup" "withdraw()"
paid=$(tools/cast call "$token" "balanceOf(address)(uint256)" "$recipient" | cut -d' ' -f1)
[ "$paid" = "$withdrawn" ] || fail "the recipient holds $paid, not $withdrawn"
vault=$(tools/cast call "$token" "balanceOf(address)(uint256)" "$rollup" | cut -d' ' -f1)
[ "$vault" = $((genesis_collateral + amount - withdrawn)) ] || fail "the vault holds $vault"
echo "RollupV3Anvil: the v3-tiny proof was accepted on anvil ($rpc): commitBatch gasUsed $gas, recipient paid $paid, vault $vault"
