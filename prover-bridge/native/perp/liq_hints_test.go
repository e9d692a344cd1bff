package perp_test

import (
	"math/big"
	"sort"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	fcs "github.com/consensys/gnark/frontend/cs"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// forgeEveryCall compiles the circuit, checks the honest witness solves, then answers each distinct
// call of each hint wrongly in turn (a comparison bit inverted, a quotient one more or one less
// with the remainder adjusted so that x = q·d + r still holds) and requires the system to be
// unsatisfied. The sign hint of |0| is skipped: both answers give 0 by design.
func forgeEveryCall(t *testing.T, circuit, assignment frontend.Circuit) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuit)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	commit := solver.OverrideHint(solver.GetHintID(fcs.Bsb22CommitmentComputePlaceholder), commitmentChallenge)
	calls := func(h solver.Hint) []string {
		var seen sync.Map
		if err := ccs.IsSolved(w, commit, solver.OverrideHint(solver.GetHintID(h), forgeOn(h, "", &seen, nil))); err != nil {
			t.Fatalf("honest hints: %v", err)
		}
		var out []string
		seen.Range(func(k, _ any) bool {
			out = append(out, k.(string))
			return true
		})
		sort.Strings(out)
		return out
	}
	zeroSign := callKey([]*big.Int{big.NewInt(0), new(big.Int).Sub(ecc.BN254.ScalarField(), big.NewInt(1))})
	forges := []struct {
		name  string
		hint  solver.Hint
		forge func(mod *big.Int, in, out []*big.Int)
	}{
		{"comparison bit inverted", perp.LessOrEqualHint, func(_ *big.Int, _, out []*big.Int) { out[0].SetInt64(1 - out[0].Int64()) }},
		{"quotient one more", perp.DivHint, func(mod *big.Int, in, out []*big.Int) {
			out[0].Add(out[0], big.NewInt(1)).Mod(out[0], mod)
			out[1].Sub(out[1], in[1]).Mod(out[1], mod)
		}},
		{"quotient one less", perp.DivHint, func(mod *big.Int, in, out []*big.Int) {
			out[0].Sub(out[0], big.NewInt(1)).Mod(out[0], mod)
			out[1].Add(out[1], in[1]).Mod(out[1], mod)
		}},
	}
	for _, f := range forges {
		forged := 0
		for _, target := range calls(f.hint) {
			if target == zeroSign && f.name == "comparison bit inverted" {
				continue
			}
			var seen sync.Map
			if err := ccs.IsSolved(w, commit, solver.OverrideHint(solver.GetHintID(f.hint), forgeOn(f.hint, target, &seen, f.forge))); err == nil {
				t.Errorf("%s on inputs (%s): still solves", f.name, target)
			}
			forged++
		}
		if forged < 10 {
			t.Fatalf("%s: only %d distinct calls", f.name, forged)
		}
		t.Logf("%s: each of %d distinct calls forged alone is refused", f.name, forged)
	}
}

// TestLiquidationHintsCannotBeForged: every hint call of a liquidation fill, a takeover and a
// deleveraging (2 positions per account, so the bankruptcy price's share is a real division).
func TestLiquidationHintsCannotBeForged(t *testing.T) {
	const n = 2
	t.Run("liquidation", func(t *testing.T) {
		sc := newLiquidation(t, n)
		res, broken := reference.Liquidate(sc.l)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewLiquidationCircuit(n, nMarkets), assignLiquidation(t, sc.l, res))
	})
	t.Run("takeover", func(t *testing.T) {
		tk := newTakeover(t, n)
		res, broken := reference.InsuranceTakeover(tk)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewTakeoverCircuit(n, nMarkets), assignTakeover(tk, res))
	})
	t.Run("deleverage", func(t *testing.T) {
		d := newDeleverage(t, n)
		res, broken := reference.Deleverage(d)
		if len(broken) != 0 {
			t.Fatal(broken)
		}
		forgeEveryCall(t, perp.NewDeleverageCircuit(n, nMarkets), assignDeleverage(d, res))
	})
}
