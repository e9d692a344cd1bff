package tickstep

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// The compiled R1CS (what a Groth16 setup would take; the range checker becomes gnark's
// log-derivative argument with its commitment, the hints run in the real solver) is satisfied by
// the honest witnesses of both steps and refuses one with a changed public-data byte.
func TestCompiledStepsSolve(t *testing.T) {
	w := newWorld(t)
	ow, s1, err := WitnessOracle(w.state, w.oracleTick(t, 3), k)
	if err != nil {
		t.Fatal(err)
	}
	fw, _, err := WitnessFunding(s1, fundingTick())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name            string
		shape, assigned frontend.Circuit
		tamper          func()
	}{
		{"oracle tick, 3 report slots", NewOracleCircuit(k, OracleSeparator(demoDomain)), ow, func() { ow.PublicData[9] = ow.PublicData[9].(byte) ^ 1 }},
		{"funding tick", NewFundingCircuit(), fw, func() { fw.PublicData[17] = fw.PublicData[17].(byte) ^ 1 }},
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
				t.Fatal("a changed public-data byte satisfies the R1CS")
			}
		})
	}
}
