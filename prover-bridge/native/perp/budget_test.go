package perp_test

import (
	"fmt"
	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"testing"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/rangecheck"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// gadgetCircuit compiles one gadget alone, with its own range checker (so each count includes the
// range checker's share for that gadget alone; the trade's total amortises one checker).
type gadgetCircuit struct {
	In  []frontend.Variable
	Pos []perp.PositionVars
	Sel []frontend.Variable
	Mk  []perp.MarketVars
	O   messages.OrderVars
	K   geddsa.PublicKey
	S   geddsa.Signature
	f   func(api frontend.API, a *perp.Arith, c *gadgetCircuit)
}

func (c *gadgetCircuit) Define(api frontend.API) error {
	c.f(api, &perp.Arith{API: api, RC: rangecheck.New(api)}, c)
	return nil
}

func newGadget(in, positions, markets int, f func(api frontend.API, a *perp.Arith, c *gadgetCircuit)) *gadgetCircuit {
	return &gadgetCircuit{In: make([]frontend.Variable, in), Pos: make([]perp.PositionVars, positions),
		Sel: make([]frontend.Variable, positions), Mk: make([]perp.MarketVars, markets), f: f}
}

// budgetLines are the guarded counts: the trade with 1, 4 and 8 positions per account, each
// gadget alone, the oracle price tick with 3, 5 and 16 report slots and the funding tick.
func budgetLines(t testing.TB) map[string]int {
	out := map[string]int{}
	for _, n := range []int{1, 4, 8} {
		out[fmt.Sprintf("trade, %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, perp.NewTradeCircuit(n, nMarkets))
	}
	gadgets := map[string]*gadgetCircuit{
		"order signature (order hash + EdDSA)": newGadget(1, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
			if err != nil {
				panic(err)
			}
			perp.OrderSignature(api, curve, c.In[0], c.O, c.K, c.S)
		}),
		"limit price": newGadget(2, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.LimitPrice(a, c.In[0], c.In[1], true)
		}),
		"fill slot (nonce window)": newGadget(5, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.FillSlot(a, c.In[0], c.In[1], c.In[2], c.In[3], c.In[4])
		}),
		"fee (rate ≤ cap, engine rounding)": newGadget(3, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.Fee(a, c.In[0], c.In[1], c.In[2])
		}),
		"funding credit (one position)": newGadget(3, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.FundingCredit(a, c.In[0], c.In[1], c.In[2])
		}),
		"position risk (value, IMR with size-dependent IMF, MMR; one position)": newGadget(1, 0, 1, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.PositionRisk(a, c.In[0], c.Mk[0])
		}),
		"margin rule (initial or reduce)": newGadget(9, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			i := c.In
			perp.MarginOK(a, i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7], i[8])
		}),
		"position size limit": newGadget(3, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.PositionLimit(a, c.In[0], c.In[1], c.In[2])
		}),
		"open interest (update + cap)": newGadget(10, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			i := c.In
			perp.OpenInterest(a, i[0], i[1], [2]frontend.Variable{i[2], i[3]}, [2]frontend.Variable{i[4], i[5]}, [2]frontend.Variable{i[6], i[7]}, [2]frontend.Variable{i[8], i[9]})
		}),
		fmt.Sprintf("market vector (%d markets, range checks + tables, no lookup)", nMarkets): newGadget(0, 0, nMarkets, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.NewMarketTable(a, c.Mk)
		}),
	}
	for _, n := range []int{1, 8} {
		gadgets[fmt.Sprintf("one account settled and checked, %d positions (incl. market vector)", n)] = newGadget(6, n, nMarkets, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			tbl := perp.NewMarketTable(a, c.Mk)
			i := c.In
			perp.SettleAndCheck(a, tbl, i[0], c.Pos, c.Sel, i[1], tbl.Get(i[1]), i[2], i[3], i[4])
		})
	}
	for name, g := range gadgets {
		out[name] = budget.Count(t, g)
	}
	for _, k := range []int{3, 5, 16} {
		out[fmt.Sprintf("oracle price tick, %d report slots", k)] = budget.Count(t, perp.NewOracleTickCircuit(k))
	}
	out["funding tick"] = budget.Count(t, &perp.FundingTickCircuit{})
	for k, v := range liquidationBudgetLines(t) {
		out[k] = v
	}
	tickParts := map[string]*gadgetCircuit{
		"oracle report signature (price hash + EdDSA)": newGadget(4, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
			if err != nil {
				panic(err)
			}
			api.AssertIsEqual(perp.ReportSignatureValid(api, curve, c.In[0], c.In[1], c.In[2], c.In[3], c.K, c.S), 1)
		}),
		"oracle signer opening (leaf + depth-4 path)": newGadget(2+perp.SignerTreeDepth, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			var path [perp.SignerTreeDepth]frontend.Variable
			copy(path[:], c.In[2:])
			api.AssertIsEqual(perp.SignerRoot(api, c.K, c.In[0], path), c.In[1])
		}),
		"lower median, 5 reports": newGadget(11, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.LowerMedian(a, c.In[0:5], c.In[5:10], c.In[10])
		}),
		"oldest timestamp, 5 reports": newGadget(11, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
			perp.Oldest(a, c.In[0:5], c.In[5:10], c.In[10])
		}),
	}
	for name, g := range tickParts {
		out[name] = budget.Count(t, g)
	}
	return out
}

// TestConstraintBudget compiles the trade and each gadget and compares with constraints.csv: a
// count that grows fails (update the file deliberately, with the reason); one that shrinks asks
// for the file to be updated. The breakdown is printed (go test -v).
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
