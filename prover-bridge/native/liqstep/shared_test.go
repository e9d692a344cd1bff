package liqstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// twoSteps is a liquidation then a takeover in one circuit over one stepenv.Env, as a batch
// composes steps, with one market table built and bound once for both (TransitionWith): the
// takeover's bind asserts that its old markets root is the one the table was opened in.
type twoSteps struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	L                LiquidationStep
	T                TakeoverStep
}

func (c *twoSteps) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	table, bind := OpenTable(c.L.Rules.Markets, c.L.Table)(env)
	var root frontend.Variable
	shared := func(*stepenv.Env) (*perp.MarketTable, func(frontend.Variable)) {
		return table, func(r frontend.Variable) {
			if root == nil {
				root = r
				bind(r)
				return
			}
			api.AssertIsEqual(r, root)
		}
	}
	t1, err := c.L.TransitionWith(env, shared)
	if err != nil {
		return err
	}
	t2, err := c.T.TransitionWith(env, shared)
	if err != nil {
		return err
	}
	api.AssertIsEqual(t1.OldRoot, c.OldRoot)
	api.AssertIsEqual(t1.NewRoot, t2.OldRoot)
	api.AssertIsEqual(t2.NewRoot, c.NewRoot)
	return nil
}

// TestStepsShareOneEnvAndTable: the liquidation fill (open interest unchanged, so the markets root
// too) and then the fund's takeover of 10 more on the state it produced, composed over one Env
// and one table: solves; the takeover built on the state before the liquidation does not chain.
func TestStepsShareOneEnvAndTable(t *testing.T) {
	w := newWorld(t, 1)
	k := shapeK(1)
	lc, s1, err := WitnessLiquidation(w.state, w.liquidation(t), 1, k)
	if err != nil {
		t.Fatal(err)
	}
	shape := func() *twoSteps {
		return &twoSteps{L: NewLiquidationCircuit(1, k, lc.Step.separator, feePpm).Step, T: NewTakeoverCircuit(1, k).Step}
	}
	w0 := &world{n: 1, state: w.state, key: w.key}
	w.state = s1
	tc, s2, err := WitnessTakeover(s1, w.takeover(t), 1, k)
	if err != nil {
		t.Fatalf("the takeover after the fill is refused: %v", err)
	}
	if err := solve(shape(), &twoSteps{OldRoot: lc.OldRoot, NewRoot: rootOf(s2), L: lc.Step, T: tc.Step}); err != nil {
		t.Fatalf("the two steps over one Env and table do not solve: %v", err)
	}
	stale, _, err := WitnessTakeover(w0.state, w0.takeover(t), 1, k)
	if err != nil {
		t.Fatal(err)
	}
	if solve(shape(), &twoSteps{OldRoot: lc.OldRoot, NewRoot: stale.NewRoot, L: lc.Step, T: stale.Step}) == nil {
		t.Fatal("a takeover built on the state before the liquidation chains")
	}
}
