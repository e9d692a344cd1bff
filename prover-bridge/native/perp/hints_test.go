package perp_test

import (
	"crypto/sha256"
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

// commitmentChallenge stands in for the Groth16 commitment when only solving (as the prover
// package does): the lookup arguments need a challenge, here a hash of the committed wires.
func commitmentChallenge(field *big.Int, in []*big.Int, out []*big.Int) error {
	h := sha256.New()
	for _, v := range in {
		var b [32]byte
		v.FillBytes(b[:])
		h.Write(b[:])
	}
	out[0].SetBytes(h.Sum(nil))
	out[0].Mod(out[0], field)
	return nil
}

// callKey is a hint call's inputs as text.
func callKey(in []*big.Int) string {
	s := ""
	for _, v := range in {
		s += v.String() + ","
	}
	return s
}

// forgeOn returns a hint that answers like h except for calls with the given inputs, where forge
// changes the outputs; seen records every call's inputs. (The solver runs hints in parallel, so
// calls are told apart by their inputs, not their order.)
func forgeOn(h solver.Hint, target string, seen *sync.Map, forge func(mod *big.Int, in, out []*big.Int)) solver.Hint {
	return func(mod *big.Int, in, out []*big.Int) error {
		if err := h(mod, in, out); err != nil {
			return err
		}
		k := callKey(in)
		seen.Store(k, true)
		if k == target {
			forge(mod, in, out)
		}
		return nil
	}
}

// TestHintsCannotBeForged: the gadgets take comparison bits, signs and quotients from hints and
// pin each with range checks. A prover answering any single hint call wrongly — a comparison bit
// inverted, a quotient off by one (remainder adjusted so x = q·d + r still holds) — leaves the
// compiled system unsatisfied. Every call of both hints in a trade with 4 positions is forged in
// turn.
func TestHintsCannotBeForged(t *testing.T) {
	sc := newScenario(t, 4)
	res, broken := reference.Apply(sc.t)
	if len(broken) != 0 {
		t.Fatal(broken)
	}
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, perp.NewTradeCircuit(4, nMarkets))
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assign(t, sc.t, res), ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	commit := solver.OverrideHint(solver.GetHintID(fcs.Bsb22CommitmentComputePlaceholder), commitmentChallenge)
	inputs := func(h solver.Hint) []string {
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
	// Abs asks LessOrEqualHint(s, −1) for the sign of s: for s = 0 both answers give |s| = 0,
	// which is harmless by design.
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
		calls := inputs(f.hint)
		if len(calls) < 20 {
			t.Fatalf("%s: only %d distinct calls", f.name, len(calls))
		}
		forged := 0
		for _, target := range calls {
			if target == zeroSign && f.name == "comparison bit inverted" {
				continue
			}
			var seen sync.Map
			err := ccs.IsSolved(w, commit, solver.OverrideHint(solver.GetHintID(f.hint), forgeOn(f.hint, target, &seen, f.forge)))
			if err == nil {
				t.Errorf("%s on inputs (%s): still solves", f.name, target)
			}
			forged++
		}
		t.Logf("%s: each of %d distinct calls forged alone is refused", f.name, forged)
	}
}
