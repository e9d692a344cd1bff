package perp_test

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// liquidationBudgetLines are the guarded counts of issue #20's circuits (budgetLines adds them):
// the liquidation fill, the insurance takeover and the deleveraging with 1 and 8 positions per
// account, and the bankruptcy price and the shrink rule alone.
func liquidationBudgetLines(t testing.TB) map[string]int {
	out := map[string]int{}
	for _, n := range []int{1, 8} {
		out[fmt.Sprintf("liquidation fill, %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, perp.NewLiquidationCircuit(n, nMarkets))
		out[fmt.Sprintf("insurance takeover, %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, perp.NewTakeoverCircuit(n, nMarkets))
		out[fmt.Sprintf("deleveraging, %d positions per account, %d markets", n, nMarkets)] = budget.Count(t, perp.NewDeleverageCircuit(n, nMarkets))
	}
	out["bankruptcy price (share, division by the closed size, clamp)"] = budget.Count(t, newGadget(11, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
		i := c.In
		f := perp.FillFigures{Equity0: i[0], MMR: i[1], V0: i[2], V1: i[3], MMRSel0: i[4], MMRSel1: i[5], Open: i[6]}
		f.S0, f.S1, f.Abs0, f.Abs1 = i[7], i[8], i[9], i[10]
		perp.BankruptcyPrice(a, f)
	}))
	out["position shrinks toward zero"] = budget.Count(t, newGadget(4, 0, 0, func(api frontend.API, a *perp.Arith, c *gadgetCircuit) {
		perp.AssertShrinks(a, c.In[0], c.In[1], c.In[2], c.In[3])
	}))
	return out
}
