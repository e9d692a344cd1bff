package perp_test

import (
	"crypto/sha256"
	"math/big"
	"sort"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
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

// hintForger is a compiled system with an honest witness, on which one hint call at a time is
// answered wrongly.
type hintForger struct {
	t      *testing.T
	ccs    constraint.ConstraintSystem
	w      witness.Witness
	commit solver.Option
}

// newHintForger compiles circuit and builds the witness of assignment.
func newHintForger(t *testing.T, circuit, assignment frontend.Circuit) *hintForger {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuit)
	if err != nil {
		t.Fatal(err)
	}
	w, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	commit := solver.OverrideHint(solver.GetHintID(fcs.Bsb22CommitmentComputePlaceholder), commitmentChallenge)
	return &hintForger{t: t, ccs: ccs, w: w, commit: commit}
}

// calls solves with honest hints (failing the test if that does not solve) and returns the
// distinct inputs of h's calls, sorted.
func (g *hintForger) calls(h solver.Hint) []string {
	var seen sync.Map
	if err := g.solve(h, "", &seen, nil); err != nil {
		g.t.Fatalf("honest hints: %v", err)
	}
	var out []string
	seen.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	sort.Strings(out)
	return out
}

// solve solves with h's call on inputs target answered by forge (forgeOn).
func (g *hintForger) solve(h solver.Hint, target string, seen *sync.Map, forge func(mod *big.Int, in, out []*big.Int)) error {
	return g.ccs.IsSolved(g.w, g.commit, solver.OverrideHint(solver.GetHintID(h), forgeOn(h, target, seen, forge)))
}

// hintForge is one wrong answer to a hint call.
type hintForge struct {
	name  string
	hint  solver.Hint
	forge func(mod *big.Int, in, out []*big.Int)
}

// arithForges are the wrong answers the arithmetic gadgets must refuse: a comparison bit
// inverted, a quotient one more or one less with the remainder adjusted so x = q·d + r still holds.
var arithForges = []hintForge{
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

// zeroSign is the call LessOrEqualHint(0, −1) by which Abs asks for the sign of 0: both answers
// give |0| = 0, which is harmless by design, so it is not forged.
var zeroSign = callKey([]*big.Int{big.NewInt(0), new(big.Int).Sub(ecc.BN254.ScalarField(), big.NewInt(1))})

// forgeEach answers each of calls wrongly with f alone (the sign of 0 skipped for the comparison
// bit), reports every forged call that still solves, and returns how many calls it forged.
func (g *hintForger) forgeEach(f hintForge, calls []string) int {
	forged := 0
	for _, target := range calls {
		if target == zeroSign && f.name == "comparison bit inverted" {
			continue
		}
		var seen sync.Map
		if err := g.solve(f.hint, target, &seen, f.forge); err == nil {
			g.t.Errorf("%s on inputs (%s): still solves", f.name, target)
		}
		forged++
	}
	return forged
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
	g := newHintForger(t, perp.NewTradeCircuit(4, nMarkets), assign(t, sc.t, res))
	for _, f := range arithForges {
		calls := g.calls(f.hint)
		if len(calls) < 20 {
			t.Fatalf("%s: only %d distinct calls", f.name, len(calls))
		}
		forged := g.forgeEach(f, calls)
		t.Logf("%s: each of %d distinct calls forged alone is refused", f.name, forged)
	}
}
