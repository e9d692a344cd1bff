package liqstep

import (
	"fmt"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// budgetMarkets is the table length of the measured shapes.
const budgetMarkets = 8

// TestConstraintBudget: the three steps with 1 and 8 list entries per account and a table of 8
// markets (each opened in the old markets root), and the same rules without state access (perp's
// one-step circuits, measured here again so the difference is of one run), guarded by
// constraints.csv.
func TestConstraintBudget(t *testing.T) {
	sep := perpstep.Separator(demoDomain)
	got := map[string]int{}
	for _, n := range []int{1, 8} {
		k := budgetMarkets
		got[fmt.Sprintf("liquidation step, %d positions per account, %d markets", n, k)] = budget.Count(t, NewLiquidationCircuit(n, k, sep, feePpm))
		got[fmt.Sprintf("takeover step, %d positions per account, %d markets", n, k)] = budget.Count(t, NewTakeoverCircuit(n, k))
		got[fmt.Sprintf("deleverage step, %d positions per account, %d markets", n, k)] = budget.Count(t, NewDeleverageCircuit(n, k))
		got[fmt.Sprintf("liquidation rules alone (perp.LiquidationCircuit), %d positions per account, %d markets", n, k)] = budget.Count(t, perp.NewLiquidationCircuit(n, k))
		got[fmt.Sprintf("takeover rules alone (perp.TakeoverCircuit), %d positions per account, %d markets", n, k)] = budget.Count(t, perp.NewTakeoverCircuit(n, k))
		got[fmt.Sprintf("deleverage rules alone (perp.DeleverageCircuit), %d positions per account, %d markets", n, k)] = budget.Count(t, perp.NewDeleverageCircuit(n, k))
	}
	budget.Check(t, "constraints.csv", got)
}
