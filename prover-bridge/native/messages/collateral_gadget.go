package messages

import (
	"github.com/consensys/gnark/frontend"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
)

// WithdrawalHash computes the withdrawal message hash H(D_withdrawal, e1, e2) in a circuit, exactly
// as WithdrawalMessage.Hash does natively: e1 = account (32) ‖ amount (64) ‖ nonce (64),
// e2 = l1Owner. account, amount and nonce are range-checked to their packed widths and l1Owner to
// 160 bits, so the packing is injective in the circuit. separator is D_withdrawal
// (Domain.Separator(Withdrawal)).
//
// Cost: 3 Poseidon2 compressions (the separator's own from IV 0 included; none when the separator
// is a constant of the circuit) plus the bit decompositions of the four fields.
func WithdrawalHash(api frontend.API, separator, account, l1Owner, amount, nonce frontend.Variable) frontend.Variable {
	api.ToBinary(account, 32)
	api.ToBinary(amount, 64)
	api.ToBinary(nonce, 64)
	api.ToBinary(l1Owner, 160)
	e1 := pack(api, []frontend.Variable{account, amount, nonce}, []int{32, 64, 64})
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	return perm.Compress(perm.Compress(perm.Compress(0, separator), e1), l1Owner)
}

// TransferHash computes the transfer message hash H(D_transfer, e1) in a circuit, exactly as
// TransferMessage.Hash does natively: e1 = account (32) ‖ receiver (32) ‖ amount (64) ‖
// nonce (64), each field range-checked to its width. separator is D_transfer
// (Domain.Separator(Transfer)).
//
// Cost: 2 Poseidon2 compressions (the separator's own included) plus the bit decompositions.
func TransferHash(api frontend.API, separator, account, receiver, amount, nonce frontend.Variable) frontend.Variable {
	api.ToBinary(account, 32)
	api.ToBinary(receiver, 32)
	api.ToBinary(amount, 64)
	api.ToBinary(nonce, 64)
	e1 := pack(api, []frontend.Variable{account, receiver, amount, nonce}, []int{32, 32, 64, 64})
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	return perm.Compress(perm.Compress(0, separator), e1)
}
