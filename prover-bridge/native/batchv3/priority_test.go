package batchv3

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/lookup/logderivlookup"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// slotCircuit is one slot at position 0 of a one-step batch with a step whose IsPriority is a
// witness: the priority-chain rule of a type that may consume a priority operation (collateral's
// deposit and forced withdrawal, once plugged in), tested before such a type exists.
type slotCircuit struct {
	Roots, Priority           [2]frontend.Variable
	Record, Data              [4]frontend.Variable
	NoOp, IsPriority, Op      frontend.Variable
	Old, New, IsPriorityCount frontend.Variable
}

func (c *slotCircuit) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	roots, prio, records := logderivlookup.New(api), logderivlookup.New(api), logderivlookup.New(api)
	for i := range c.Roots {
		roots.Insert(c.Roots[i])
		prio.Insert(c.Priority[i])
	}
	records.Insert(pack(api, c.Record[:])[0])
	tr := stepenv.Transition{OldRoot: c.Old, NewRoot: c.New, PublicData: c.Data[:], IsPriority: c.IsPriority, PriorityOp: c.Op}
	n := (&Batch{}).slot(api, env, 0, c.NoOp, tr, 4, roots, prio, []logderivlookup.Table{records})
	api.AssertIsEqual(n, c.IsPriorityCount)
	return nil
}

// TestPriorityChainFollowsTheSlot: a live priority step must extend P by Compress(P[σ], op) and
// counts 1; a live step that is not a priority operation and a no-op (even one whose step claims
// a priority operation) must leave P unchanged and count 0.
func TestPriorityChainFollowsTheSlot(t *testing.T) {
	var p0, op fr.Element
	p0.SetUint64(1234)
	op.SetUint64(99)
	p1 := layout.Compress(p0, op)
	mk := func(noop, isPri int, after fr.Element, count int) *slotCircuit {
		c := &slotCircuit{Roots: [2]frontend.Variable{10, 11}, Priority: [2]frontend.Variable{el(p0), el(after)},
			NoOp: noop, IsPriority: isPri, Op: el(op), Old: 10, New: 11, IsPriorityCount: count}
		for i := range c.Data {
			c.Data[i], c.Record[i] = i+1, (i+1)*(1-noop)
		}
		if noop == 1 {
			c.Roots[1] = 10
		}
		return c
	}
	for _, x := range []struct {
		name  string
		c     *slotCircuit
		solve bool
	}{
		{"live priority step extends the chain", mk(0, 1, p1, 1), true},
		{"live priority step leaves the chain", mk(0, 1, p0, 1), false},
		{"live priority step counted 0", mk(0, 1, p1, 0), false},
		{"live step without priority leaves the chain", mk(0, 0, p0, 0), true},
		{"live step without priority extends the chain", mk(0, 0, p1, 0), false},
		{"no-op whose step claims a priority op leaves the chain", mk(1, 1, p0, 0), true},
		{"no-op whose step claims a priority op extends the chain", mk(1, 1, p1, 1), false},
	} {
		err := test.IsSolved(&slotCircuit{}, x.c, ecc.BN254.ScalarField())
		if (err == nil) != x.solve {
			t.Errorf("%s: solved = %v, want %v (%v)", x.name, err == nil, x.solve, err)
		}
	}
}
