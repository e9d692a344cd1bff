package liqstep

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// TestCompiledStepsSolve: the compiled R1CS of each step (N = 1, 4 markets; what a Groth16 setup
// would take: the range checker becomes gnark's log-derivative argument with its commitment, the
// hints run in the real solver) is satisfied by the honest witness and not by one with the
// liquidated (deleveraged) account's nonce + 1, a field the rules do not read: only the opening
// against the old root refuses it.
func TestCompiledStepsSolve(t *testing.T) {
	w := newWorld(t, 1)
	lc, _, err := WitnessLiquidation(w.state, w.liquidation(t), 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	tc, _, err := WitnessTakeover(w.state, w.takeover(t), 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	dw := newWorld(t, 1)
	dc, _, err := WitnessDeleverage(dw.state, dw.deleveraging(t), 1, shapeK(1))
	if err != nil {
		t.Fatal(err)
	}
	shift := func(v *frontend.Variable) func() { return func() { *v = plusOne(*v) } }
	for _, c := range []struct {
		name            string
		shape, assigned frontend.Circuit
		tamper          func()
	}{
		{"liquidation", w.liqCircuit(), lc, shift(&lc.Step.Liquidated.Nonce)},
		{"takeover", NewTakeoverCircuit(1, shapeK(1)), tc, shift(&tc.Step.Account.Nonce)},
		{"deleverage", NewDeleverageCircuit(1, shapeK(1)), dc, shift(&dc.Step.Deleveraged.Nonce)},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, c.shape)
			if err != nil {
				t.Fatal(err)
			}
			full, err := frontend.NewWitness(c.assigned, ecc.BN254.ScalarField())
			if err != nil {
				t.Fatal(err)
			}
			if err := cs.IsSolved(full); err != nil {
				t.Fatalf("the honest witness does not satisfy the R1CS: %v", err)
			}
			c.tamper()
			bad, err := frontend.NewWitness(c.assigned, ecc.BN254.ScalarField())
			if err != nil {
				t.Fatal(err)
			}
			if cs.IsSolved(bad) == nil {
				t.Fatal("a nonce outside the old root satisfies the R1CS")
			}
		})
	}
}
