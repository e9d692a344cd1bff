package perpstep

import (
	"fmt"
	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"testing"

	"github.com/consensys/gnark/frontend"

	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// budgetLines: the step with 1, 4 and 8 list entries read per account (10 markets in the table),
// the same rules without state access (perp.TradeCircuit, measured here again so the difference
// is of one run), and the step with a one-market table.
func budgetLines(t testing.TB) map[string]int {
	sep := Separator(demoDomain)
	out := map[string]int{}
	for _, n := range []int{1, 4, 8} {
		out[fmt.Sprintf("trade step, %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, NewTradeStep(n, nMarkets, sep))
		out[fmt.Sprintf("trade step, every table market opened (NewTradeStepBound), %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, NewTradeStepBound(n, nMarkets, sep))
		out[fmt.Sprintf("trade rules alone (perp.TradeCircuit), %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, perp.NewTradeCircuit(n, nMarkets))
	}
	out["trade step, 8 positions per account, 1 market"] = budget.Count(t, NewTradeStep(8, 1, sep))
	// the step's state access in parts, each with its own range checker and permutation
	out["part: one account's access (identity, leaf before and after with 8 entries, fill leaf before and after, depth-12 and depth-24 updates)"] = budget.Count(t, newPart(96, func(api frontend.API, lay *gadget.Layout, perm *poseidon2perm.Permutation, in []frontend.Variable) {
		var l0, l1 [8]gadget.Entry
		for j := range l0 {
			l0[j] = gadget.Entry{Market: in[j], Size: in[8+j], Snapshot: in[16+j]}
			l1[j] = gadget.Entry{Market: in[24+j], Size: in[32+j], Snapshot: in[40+j]}
		}
		f0, f1 := lay.FillLeaf(in[48], in[49]), lay.FillLeaf(in[48], in[50])
		bits := api.ToBinary(in[48], 64)
		r0, r1 := UpdateRoots(api, perm, bits[:12], in[51:63], f0, f1)
		id := lay.IdentityHash(gadget.Identity{PublicKeyX: in[63], PublicKeyY: in[64], L1Owner: in[65], FeeTier: in[66]})
		a0 := lay.AccountLeaf(id, in[67], in[68], r0, l0)
		a1 := lay.AccountLeaf(id, in[67], in[69], r1, l1)
		abits := api.ToBinary(in[70], 24)
		x, y := UpdateRoots(api, perm, abits, in[71:95], a0, a1)
		api.AssertIsEqual(api.Add(x, y), in[95])
	}))
	out["part: market leaf opening and update (risk hash, leaf before and after, depth-6 update)"] = budget.Count(t, newPart(20, func(api frontend.API, lay *gadget.Layout, perm *poseidon2perm.Permutation, in []frontend.Variable) {
		var r gadget.MarketRisk
		copy(r[:], in[:12])
		h := lay.MarketRiskHash(r)
		m0 := lay.MarketLeaf(in[12], in[13], in[14], in[15], in[16], h)
		m1 := lay.MarketLeaf(in[12], in[13], in[14], in[15], in[17], h)
		x, y := UpdateRoots(api, perm, api.ToBinary(in[18], 6), in[12:18], m0, m1)
		api.AssertIsEqual(api.Add(x, y), in[19])
	}))
	out["part: global leaf and state root, before and after"] = budget.Count(t, newPart(8, func(api frontend.API, lay *gadget.Layout, perm *poseidon2perm.Permutation, in []frontend.Variable) {
		g0 := lay.GlobalLeaf(in[0], in[1], in[2], in[3])
		g1 := lay.GlobalLeaf(api.Add(in[0], in[4]), in[1], in[2], in[3])
		api.AssertIsEqual(lay.StateRoot(in[5], in[6], g0), lay.StateRoot(in[7], in[6], g1))
	}))
	return out
}

// part compiles a piece of the step with its own range checker.
type part struct {
	In []frontend.Variable
	f  func(api frontend.API, lay *gadget.Layout, perm *poseidon2perm.Permutation, in []frontend.Variable)
}

func newPart(n int, f func(api frontend.API, lay *gadget.Layout, perm *poseidon2perm.Permutation, in []frontend.Variable)) *part {
	return &part{In: make([]frontend.Variable, n), f: f}
}

func (c *part) Define(api frontend.API) error {
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return err
	}
	lay, err := gadget.New(api, rangecheck.New(api))
	if err != nil {
		return err
	}
	c.f(api, lay, perm, c.In)
	return nil
}

// TestConstraintBudget compiles the step (R1CS) and compares with constraints.csv: any change
// fails (update the file deliberately, with the reason). The counts are printed with -v.
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
