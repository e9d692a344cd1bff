package messages

import (
	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
)

// ForcedTradeVars are a forced trade's message fields as circuit variables (ForcedTradeMessage).
type ForcedTradeVars struct {
	AccountA, AccountB, Market, ABuys, Size, Amount, Nonce frontend.Variable
}

// ForcedTradePacked returns the message's packed elements (e1, e2) exactly as
// ForcedTradeMessage.Packed does natively. Every field is range-checked to its packed width and
// ABuys is boolean, so the packing is injective in the circuit.
func ForcedTradePacked(api frontend.API, m ForcedTradeVars) (e1, e2 frontend.Variable) {
	api.ToBinary(m.AccountA, 32)
	api.ToBinary(m.AccountB, 32)
	api.ToBinary(m.Market, 16)
	api.AssertIsBoolean(m.ABuys)
	api.ToBinary(m.Nonce, 64)
	api.ToBinary(m.Size, 64)
	api.ToBinary(m.Amount, 64)
	e1 = pack(api, []frontend.Variable{m.AccountA, m.AccountB, m.Market, m.ABuys, m.Nonce}, []int{32, 32, 16, 8, 64})
	e2 = pack(api, []frontend.Variable{m.Size, m.Amount}, []int{64, 64})
	return e1, e2
}

// ForcedTradeHash computes H(D_forced_trade, e1, e2) in a circuit from the packed elements of
// ForcedTradePacked, as ForcedTradeMessage.Hash does natively. separator is
// Domain.Separator(ForcedTrade). Cost: 3 Poseidon2 compressions.
func ForcedTradeHash(api frontend.API, separator, e1, e2 frontend.Variable) frontend.Variable {
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	return perm.Compress(perm.Compress(perm.Compress(0, separator), e1), e2)
}
