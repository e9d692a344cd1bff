package forcedtrade

import (
	"fmt"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
)

// budgetLines: the step in the tests' shape and in the trade step's reference shape (8 entries per
// account, 10 markets, every one opened, as perpstep's NewTradeStepBound line).
func budgetLines(t testing.TB) map[string]int {
	sep := Separator(demoDomain)
	out := map[string]int{}
	for _, s := range [][2]int{{nEntries, nMarkets}, {8, 10}} {
		out[fmt.Sprintf("forced trade step, %d positions per account, %d markets (every one opened)", s[0], s[1])] =
			budget.Count(t, NewStep(s[0], s[1], sep))
	}
	return out
}

// TestConstraintBudget compiles the step (R1CS) and compares with constraints.csv: any change
// fails (update the file deliberately, with the reason). The counts are printed with -v.
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
