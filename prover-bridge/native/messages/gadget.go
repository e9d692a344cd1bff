package messages

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
)

// OrderVars are an order's fields as circuit variables; enums by their codes (see OrderMessage).
type OrderVars struct {
	Account, Market, Side, Type, TimeInForce, ReduceOnly, ClientOrderID frontend.Variable
	Size, Price, FeeCap, Expiry, Nonce, Trigger, TriggerPrice           frontend.Variable
}

// OrderHash computes the order message hash H(separator, e1, e2) in a circuit, exactly as
// OrderMessage.Hash does natively. It range-checks every field to the width it is packed into
// (and the enum codes to their values), so the packing is injective in the circuit too: a prover
// cannot move bits between fields. separator is the deployment's order separator, D_order.
//
// Cost: 2 Poseidon2 compressions after the separator (3 in all: the separator's own compression
// from IV 0 included) plus the bit decompositions of the fields (about 450 constraints).
func OrderHash(api frontend.API, separator frontend.Variable, o OrderVars) frontend.Variable {
	widths := []struct {
		v frontend.Variable
		n int
	}{
		{o.Account, 32}, {o.Market, 16}, {o.ClientOrderID, 32}, {o.Size, 64}, {o.Price, 64},
		{o.FeeCap, 32}, {o.Expiry, 64}, {o.Nonce, 64}, {o.TriggerPrice, 64},
		{o.TimeInForce, 2}, {o.Trigger, 2},
	}
	for _, w := range widths {
		api.ToBinary(w.v, w.n)
	}
	api.AssertIsBoolean(o.Side)
	api.AssertIsBoolean(o.Type)
	api.AssertIsBoolean(o.ReduceOnly)
	api.AssertIsDifferent(o.Trigger, 3) // NONE, STOP_LOSS or TAKE_PROFIT

	flags := api.Add(o.Side, api.Mul(o.Type, 2), api.Mul(o.TimeInForce, 8), api.Mul(o.ReduceOnly, 32), api.Mul(o.Trigger, 64))
	e1 := pack(api, []frontend.Variable{o.Account, o.Market, flags, o.ClientOrderID, o.Nonce, o.Expiry}, []int{32, 16, 16, 32, 64, 64})
	e2 := pack(api, []frontend.Variable{o.Size, o.Price, o.TriggerPrice, o.FeeCap}, []int{64, 64, 64, 32})

	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	s := perm.Compress(0, separator)
	s = perm.Compress(s, e1)
	return perm.Compress(s, e2)
}

// pack is Σ fields[i] · 2^(bits after field i): the first field in the highest bits.
func pack(api frontend.API, fields []frontend.Variable, widths []int) frontend.Variable {
	var acc frontend.Variable = 0
	shift := 0
	for i := len(fields) - 1; i >= 0; i-- {
		acc = api.Add(acc, api.Mul(fields[i], new(big.Int).Lsh(big.NewInt(1), uint(shift))))
		shift += widths[i]
	}
	return acc
}
