package circuit

import (
	"math/big"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func u64(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

func addr(a [20]byte) *big.Int { return new(big.Int).SetBytes(a[:]) }

func assignLeaf(l *batch.AccountLeaf) AccountLeaf {
	a := &l.Account
	exists := 0
	if l.Exists {
		exists = 1
	}
	return AccountLeaf{Exists: exists, PublicKeyX: toBig(a.PublicKeyX), PublicKeyY: toBig(a.PublicKeyY),
		L1Owner: addr(a.L1Owner), Nonce: u64(a.Nonce), Collateral: toBig(layout.I64(a.Collateral)),
		PositionsRoot: toBig(a.PositionsRoot), FillsRoot: toBig(a.FillsRoot)}
}

func assignUpdate(u *batch.Update) Update {
	out := Update{Before: assignLeaf(&u.Before)}
	for i := range u.Siblings {
		out.Siblings[i] = toBig(u.Siblings[i])
	}
	return out
}

// Assign returns the full assignment of the circuit for a witness and the public input it should
// prove (batch.PublicInput of the checked or traced result).
func Assign(w *batch.Witness, publicInput [32]byte) *Batch {
	c := &Batch{
		PublicInput:        new(big.Int).SetBytes(publicInput[:]),
		BatchNumber:        u64(w.BatchNumber),
		AccountsRoot:       toBig(w.AccountsRoot),
		MarketsRoot:        toBig(w.MarketsRoot),
		GlobalLeaf:         toBig(w.GlobalLeaf),
		PriorityHashBefore: toBig(w.PriorityHashBefore),
		Slots:              make([]Slot, len(w.Slots)),
	}
	for i := range w.Slots {
		s := &w.Slots[i]
		c.Slots[i] = Slot{Type: int(s.Type), AccountA: u64(uint64(s.AccountA)), AccountB: u64(uint64(s.AccountB)),
			Amount: u64(s.Amount), Nonce: u64(s.Nonce), L1Owner: addr(s.L1Owner),
			PubKeyX: toBig(s.PubKeyX), PubKeyY: toBig(s.PubKeyY),
			SigRX: toBig(s.SigRX), SigRY: toBig(s.SigRY), SigS: toBig(s.SigS),
			A: assignUpdate(&s.A), B: assignUpdate(&s.B)}
	}
	return c
}
