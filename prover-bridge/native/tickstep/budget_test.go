package tickstep

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// stepOnly is a step's Transition with nothing else (no public data check), so the count is
// what a batch slot of that type adds besides the batch's own gadgets.
type stepOnly struct {
	BatchTime, OldRoot, NewRoot frontend.Variable
	Step                        stepenv.Step
}

func (c *stepOnly) Define(api frontend.API) error {
	return define(api, c.BatchTime, c.Step, c.OldRoot, c.NewRoot, nil)
}

// budgetLines: each step alone (K = 3, 5 and 16 report slots for the oracle tick), the same rules without state access
// (perp's gadget circuits, measured here again so the difference is of one run).
func budgetLines(t testing.TB) map[string]int {
	sep := OracleSeparator(demoDomain)
	out := map[string]int{}
	for _, n := range []int{3, 5, 16} {
		out[fmt.Sprintf("oracle tick step, %d report slots", n)] = budget.Count(t, &stepOnly{Step: NewOracleStep(n, sep)})
		out[fmt.Sprintf("oracle tick rules alone (perp.OracleTickCircuit), %d report slots", n)] = budget.Count(t, perp.NewOracleTickCircuit(n))
	}
	out["funding tick step"] = budget.Count(t, &stepOnly{Step: &FundingStep{}})
	out["funding period start step"] = budget.Count(t, &stepOnly{Step: &FundingPeriodStartStep{}})
	out["funding tick rules alone (perp.FundingTickCircuit)"] = budget.Count(t, &perp.FundingTickCircuit{})
	// the state access and public data in parts, each with its own Env
	out["part: market leaf opened and rewritten (risk hash, leaf before and after, depth-6 update)"] = budget.Count(t, newPart(20, func(env *stepenv.Env, in []frontend.Variable) {
		var l MarketLeafOpening
		copy(l.Risk[:], in[:12])
		copy(l.Path[:], in[12:18])
		h := env.Layout.MarketRiskHash(gadgetRisk(l.Risk))
		m0 := env.Layout.MarketLeaf(in[0], in[1], in[2], in[3], in[4], h)
		m1 := env.Layout.MarketLeaf(in[5], in[6], in[2], in[3], in[4], h)
		x, y := marketRoots(env, in[18], l.Path, m0, m1)
		env.API.AssertIsEqual(env.API.Add(x, y), in[19])
	}))
	out["part: global leaf opened, state root before and after (oracle tick)"] = budget.Count(t, newPart(7, func(env *stepenv.Env, in []frontend.Variable) {
		g := env.Layout.GlobalLeaf(in[0], in[1], in[2], in[3])
		env.API.AssertIsEqual(env.Layout.StateRoot(in[4], in[5], g), env.Layout.StateRoot(in[4], in[6], g))
	}))
	out["part: state root before and after, global leaf as its hash (funding tick)"] = budget.Count(t, newPart(4, func(env *stepenv.Env, in []frontend.Variable) {
		env.API.AssertIsEqual(env.Layout.StateRoot(in[0], in[1], in[3]), env.Layout.StateRoot(in[0], in[2], in[3]))
	}))
	out["part: public data bytes, oracle tick (3 × 8 bytes decomposed)"] = budget.Count(t, newPart(4, func(env *stepenv.Env, in []frontend.Variable) {
		var sum frontend.Variable = 0
		for i := 0; i < 3; i++ {
			for _, b := range unsignedBytes(env, in[i], 8) {
				sum = env.API.Add(sum, b)
			}
		}
		env.API.AssertIsEqual(sum, in[3])
	}))
	out["part: public data bytes, funding tick (signed index and time, 2 × 8 bytes)"] = budget.Count(t, newPart(3, func(env *stepenv.Env, in []frontend.Variable) {
		var sum frontend.Variable = 0
		for _, b := range append(signed64Bytes(env, in[0]), unsignedBytes(env, in[1], 8)...) {
			sum = env.API.Add(sum, b)
		}
		env.API.AssertIsEqual(sum, in[2])
	}))
	return out
}

// part compiles a piece of a step with its own Env.
type part struct {
	In []frontend.Variable
	f  func(env *stepenv.Env, in []frontend.Variable)
}

func newPart(n int, f func(env *stepenv.Env, in []frontend.Variable)) *part {
	return &part{In: make([]frontend.Variable, n), f: f}
}

func (c *part) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	c.f(env, c.In)
	return nil
}

func gadgetRisk(r [12]frontend.Variable) gadget.MarketRisk { return gadget.MarketRisk(r) }

// TestConstraintBudget compiles the steps (R1CS) and compares with constraints.csv: any change
// fails (update the file deliberately, with the reason). The counts are printed with -v.
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
