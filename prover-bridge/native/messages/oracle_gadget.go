package messages

import (
	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
)

// OraclePriceHash computes the oracle price report hash H(D_oracle-price, e1) in a circuit, exactly
// as OraclePriceMessage.Hash does natively: e1 = market (32) ‖ price (64) ‖ timestamp (64). Each
// field is range-checked to its packed width, so the packing is injective in the circuit: a prover
// cannot move bits between market, price and timestamp. separator is the deployment's oracle price
// separator, D_oracle-price (Domain.Separator(OraclePrice)).
//
// Cost: 2 Poseidon2 compressions (the separator's own from IV 0 included) plus the bit
// decompositions of the three fields.
func OraclePriceHash(api frontend.API, separator, market, price, timestamp frontend.Variable) frontend.Variable {
	api.ToBinary(market, 32)
	api.ToBinary(price, 64)
	api.ToBinary(timestamp, 64)
	e1 := pack(api, []frontend.Variable{market, price, timestamp}, []int{32, 64, 64})
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	return perm.Compress(perm.Compress(0, separator), e1)
}
