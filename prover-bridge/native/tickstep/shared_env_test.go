package tickstep

import (
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// twoTicks is what a batch does with two steps: one Env (range checker, permutation, curve, T)
// shared by both Transitions, the first step's new root the second's old root, the public data
// concatenated in execution order.
type twoTicks struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	BatchTime        frontend.Variable
	PublicData       []frontend.Variable
	Oracle           OracleStep
	Funding          FundingStep
}

func (c *twoTicks) Define(api frontend.API) error {
	env, err := stepenv.New(api, c.BatchTime)
	if err != nil {
		return err
	}
	a, err := c.Oracle.Transition(env)
	if err != nil {
		return err
	}
	b, err := c.Funding.Transition(env)
	if err != nil {
		return err
	}
	api.AssertIsEqual(a.OldRoot, c.OldRoot)
	api.AssertIsEqual(a.NewRoot, b.OldRoot)
	api.AssertIsEqual(b.NewRoot, c.NewRoot)
	for i, v := range append(a.PublicData, b.PublicData...) {
		api.AssertIsEqual(v, c.PublicData[i])
	}
	return nil
}

// Both steps in one circuit over one Env solve in execution order (oracle tick, then funding tick
// on its state); the funding witness built on the state before the oracle tick does not (its old
// root is not the oracle step's new root).
func TestTwoStepsShareOneEnv(t *testing.T) {
	w := newWorld(t)
	ow, s1, err := WitnessOracle(w.state, w.oracleTick(t, 3), k)
	if err != nil {
		t.Fatal(err)
	}
	fw, s2, err := WitnessFunding(s1, fundingTick())
	if err != nil {
		t.Fatal(err)
	}
	build := func(f *FundingCircuit, newRoot *big.Int) *twoTicks {
		c := &twoTicks{OldRoot: ow.OldRoot, NewRoot: newRoot, BatchTime: batchT, Oracle: ow.Step, Funding: f.Step}
		c.PublicData = append(append([]frontend.Variable(nil), ow.PublicData...), f.PublicData...)
		return c
	}
	shape := func() *twoTicks {
		return &twoTicks{Oracle: *NewOracleStep(k, OracleSeparator(demoDomain)),
			PublicData: make([]frontend.Variable, OraclePublicDataBytes+FundingPublicDataBytes)}
	}
	if err := solved(shape(), build(fw, el(s2.Root()))); err != nil {
		t.Fatalf("oracle then funding in one circuit: %v", err)
	}
	stale, s2b, err := WitnessFunding(w.state, fundingTick())
	if err != nil {
		t.Fatal(err)
	}
	if solved(shape(), build(stale, el(s2b.Root()))) == nil {
		t.Fatal("a funding step on the state before the oracle tick chains after it")
	}
}

// A report naming an empty signer slot inside the signer list (slot 2 emptied; its former key
// signs) is refused as UNKNOWN_SIGNER and the step is unsatisfiable.
func TestEmptySignerSlotIsUnknown(t *testing.T) {
	w := newWorld(t)
	g := w.state.Global()
	g.OracleSigners[2] = layoutv2.OracleSigner{}
	if err := w.state.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	tk := w.oracleTick(t, 3) // signers 5, 0, 2
	_, err := ApplyOracleTick(w.state, tk)
	var re *RuleError
	if !errors.As(err, &re) || !re.Has(reference.RuleUnknownSigner) {
		t.Fatalf("got %v, want UNKNOWN_SIGNER", err)
	}
	ex, err := executeOracle(w.state, tk, k, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ex.assign(k)
	if err != nil {
		t.Fatal(err)
	}
	// the witness carries the key that signed (slot 2 is the second used slot, sorted)
	c.Step.Reports[1].Key.A.X, c.Step.Reports[1].Key.A.Y = el(w.signers[2].PublicKey.A.X), el(w.signers[2].PublicKey.A.Y)
	if solveOracle(c) == nil {
		t.Fatal("a report of an empty slot solves")
	}
}
