package batchv3

import (
	"fmt"
	"os"
	"testing"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/uints"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// oneOfEachCollateral is the guarded collateral shape: one slot of each type, K = 1, no trade.
var oneOfEachCollateral = Shape{Deposits: 1, Withdrawals: 1, Transfers: 1, ForcedWithdrawals: 1, K: 1}

// shaCircuit hashes In (bytes) with SHA-256 and asserts the first digest byte: the commitment's
// cost per byte.
type shaCircuit struct{ In []frontend.Variable }

func (c *shaCircuit) Define(api frontend.API) error {
	bapi, err := uints.NewBytes(api)
	if err != nil {
		return err
	}
	in := make([]uints.U8, len(c.In))
	for i, b := range c.In {
		in[i] = bapi.ValueOf(b)
	}
	h, err := sha2.New(api)
	if err != nil {
		return err
	}
	h.Write(in)
	d := h.Sum()
	api.AssertIsDifferent(bapi.Value(d[0]), 256)
	return nil
}

func batchLine(t testing.TB, s Shape) (string, int) {
	name := fmt.Sprintf("batch, %d trade slots, N = %d, K = %d", s.Trades, s.N, s.K)
	if s.Trades == 0 {
		name = fmt.Sprintf("batch, K = %d", s.K)
	}
	for _, g := range []struct {
		n    int
		name string
	}{{s.Deposits, "deposit"}, {s.Withdrawals, "withdrawal"}, {s.Transfers, "transfer"}, {s.ForcedWithdrawals, "forced-withdrawal"}} {
		if g.n > 0 {
			name += fmt.Sprintf(", %d %s slots", g.n, g.name)
		}
	}
	if s.OracleTicks > 0 {
		name += fmt.Sprintf(", %d oracle-tick slots with %d report slots", s.OracleTicks, s.ReportSlots)
	}
	if s.FundingTicks > 0 {
		name += fmt.Sprintf(", %d funding-tick slots", s.FundingTicks)
	}
	for _, g := range []struct {
		n    int
		name string
	}{{s.Liquidations, "liquidation"}, {s.Takeovers, "takeover"}, {s.Deleverages, "deleveraging"}, {s.PeriodStarts, "funding-period-start"}} {
		if g.n > 0 {
			name += fmt.Sprintf(", %d %s slots", g.n, g.name)
		}
	}
	if s.Liquidations > 0 {
		name += fmt.Sprintf(" (fee rate %d ppm)", s.LiquidationFeePpm)
	}
	if s.ForcedTrades > 0 {
		name += fmt.Sprintf(", %d forced-trade slots (N = %d)", s.ForcedTrades, s.N)
	}
	return name, budget.Count(t, circuitOf(t, s))
}

// budgetLines: batches of 1 and 2 trade slots (N = 1, K = 1; their difference is the marginal
// cost of a trade slot, and a no-op slot is the same slot), the mixed shape of the tests, one slot
// of each collateral type (K = 1), one forced-trade slot (N = 1, K = 1), and SHA-256 over 128
// and 192 bytes (one 64-byte block apart: the commitment's cost per byte). With
// PERP_MEASURE=collateral (printed, not checked) the collateral rows only: 1 trade slot (N = 1, K = 1) plus 1 and plus 2 slots of each collateral
// type, and the collateral batch of the tests. With PERP_MEASURE=1 (printed, not
// checked) also batches of 2 and 3 slots with N = 2, K = 2 and of 1 and 2 slots with N = 8, K = 8,
// batches with tick slots (1 trade plus 1 oracle tick or 1 funding tick; 1 and 2 of each tick
// alone), the standalone trade step of N = 8, K = 8 with the market table free and bound (the
// market-table choice), and SHA-256 over 640 and 1,280 bytes.
func budgetLines(t testing.TB) map[string]int {
	out := map[string]int{}
	shapes := []Shape{{Trades: 1, N: 1, K: 1}, {Trades: 2, N: 1, K: 1}, mixed, oneOfEachCollateral, {ForcedTrades: 1, N: 1, K: 1}}
	shaSizes := []int{128, 192}
	measure := os.Getenv("PERP_MEASURE") == "1"
	if os.Getenv("PERP_MEASURE") == "liquidation" {
		shapes, shaSizes = []Shape{liqShape, laterOnly}, nil
		for _, n := range []int{1, 2} {
			shapes = append(shapes, Shape{Liquidations: n, N: 1, K: 1, LiquidationFeePpm: liqFeePpm}, Shape{Takeovers: n, N: 1, K: 1},
				Shape{Deleverages: n, N: 1, K: 1}, Shape{PeriodStarts: n},
				Shape{Trades: 1, Liquidations: n, N: 1, K: 1, LiquidationFeePpm: liqFeePpm}, Shape{Trades: 1, Takeovers: n, N: 1, K: 1},
				Shape{Trades: 1, Deleverages: n, N: 1, K: 1}, Shape{Trades: 1, PeriodStarts: n, N: 1, K: 1})
		}
	}
	if os.Getenv("PERP_MEASURE") == "collateral" {
		shapes, shaSizes = []Shape{{Trades: 1, N: 1, K: 1}, collShape}, nil
		for _, n := range []int{1, 2} {
			shapes = append(shapes, Shape{Trades: 1, Deposits: n, N: 1, K: 1}, Shape{Trades: 1, Withdrawals: n, N: 1, K: 1},
				Shape{Trades: 1, Transfers: n, N: 1, K: 1}, Shape{Trades: 1, ForcedWithdrawals: n, N: 1, K: 1})
		}
	}
	if measure {
		shapes = append(shapes, Shape{Trades: 2, N: 2, K: 2}, Shape{Trades: 3, N: 2, K: 2}, Shape{Trades: 1, N: 8, K: 8}, Shape{Trades: 2, N: 8, K: 8},
			Shape{Trades: 1, OracleTicks: 1, N: 1, K: 1, ReportSlots: 3}, Shape{Trades: 1, FundingTicks: 1, N: 1, K: 1},
			Shape{OracleTicks: 1, ReportSlots: 3}, Shape{OracleTicks: 2, ReportSlots: 3}, Shape{FundingTicks: 1}, Shape{FundingTicks: 2})
		shaSizes = append(shaSizes, 640, 1280)
		sep := perpstep.Separator(demoDomain)
		out["trade step alone, table free (perpstep.NewTradeStep), N = 8, K = 8"] = budget.Count(t, perpstep.NewTradeStep(8, 8, sep))
		out["trade step alone, table bound (perpstep.NewTradeStepBound), N = 8, K = 8"] = budget.Count(t, perpstep.NewTradeStepBound(8, 8, sep))
	}
	for _, s := range shapes {
		k, v := batchLine(t, s)
		out[k] = v
	}
	for _, n := range shaSizes {
		out[fmt.Sprintf("SHA-256 over %d bytes", n)] = budget.Count(t, &shaCircuit{In: make([]frontend.Variable, n)})
	}
	return out
}

// TestConstraintBudget compiles the shapes (R1CS) and compares with constraints.csv: any change
// fails (update the file deliberately, with the reason). The counts are printed with -v; with
// PERP_MEASURE=1 the larger shapes are only printed.
func TestConstraintBudget(t *testing.T) {
	lines := budgetLines(t)
	if os.Getenv("PERP_MEASURE") != "" {
		for k, v := range lines {
			t.Logf("%8d  %s", v, k)
		}
		return
	}
	budget.Check(t, "constraints.csv", lines)
}
