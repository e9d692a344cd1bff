package forcedtrade

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// tagOp is TAG_FORCED_TRADE as a circuit constant.
var tagOp = messages.TagForcedTradeOp.BigInt(new(big.Int))

// entries is the layout's 8-entry list from the n entries the rules read; the others are 0.
func entries(list []perp.PositionVars) [layoutv2.MaxPositions]gadget.Entry {
	var out [layoutv2.MaxPositions]gadget.Entry
	for j := range out {
		out[j] = gadget.Entry{Market: 0, Size: 0, Snapshot: 0}
		if j < len(list) {
			out[j] = gadget.Entry{Market: list[j].Market, Size: list[j].Size, Snapshot: list[j].Snapshot}
		}
	}
	return out
}

// update returns the roots of a sparse Merkle tree (layout §3) with the leaf at the path given
// by bits (from the leaf upward) set to old and to new, over the same siblings.
func update(api frontend.API, perm *poseidon2perm.Permutation, bits, siblings []frontend.Variable, old, new frontend.Variable) (frontend.Variable, frontend.Variable) {
	for h, s := range siblings {
		lo, ro := api.Select(bits[h], s, old), api.Select(bits[h], old, s)
		ln, rn := api.Select(bits[h], s, new), api.Select(bits[h], new, s)
		old, new = perm.Compress(lo, ro), perm.Compress(ln, rn)
	}
	return old, new
}
