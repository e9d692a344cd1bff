package batchv3

import (
	"errors"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Shape fixes one batch circuit: the slot count of each step type (one slot group per type), the
// position-list entries a trade reads per account (N ≤ 8), the market table's size (K: ids
// 0 … K − 1) and the report slots of an oracle tick. One verifying key per shape.
type Shape struct {
	Trades, Collateral, OracleTicks, FundingTicks int
	N, K, ReportSlots                             int
}

// MaxSteps bounds a shape's step count S: σ is encoded in 2 bytes.
const MaxSteps = 1 << 16

// ErrShape: the shape is not one this package can build (see Shape.Check).
var ErrShape = errors.New("batchv3: shape not supported")

// Steps is S, the number of steps of the batch in execution order (every slot of every group).
func (s Shape) Steps() int { return s.Trades + s.Collateral + s.OracleTicks + s.FundingTicks }

// RecordSize is the width of one step's public-data record in the commitment: the longest public
// data of the types the shape has slots for (type byte first, zero-padded); a no-op's record is
// all zero.
func (s Shape) RecordSize() int {
	w := 0
	for _, g := range []struct{ slots, size int }{{s.Trades, perpstep.PublicDataSize},
		{s.OracleTicks, tickstep.OraclePublicDataBytes}, {s.FundingTicks, tickstep.FundingPublicDataBytes}} {
		if g.slots > 0 {
			w = max(w, g.size)
		}
	}
	return w
}

// Check reports ErrShape for a shape this package cannot build: collateral slots (collateralstep
// is not plugged in yet), no step, more than MaxSteps steps, a negative group, N outside 1 … 8 or
// K outside 1 … 64 with trade slots (both 0 without), report slots outside 1 … 16 with oracle-tick
// slots (0 without).
func (s Shape) Check() error {
	switch {
	case s.Collateral != 0:
		return fmt.Errorf("%w: collateral slots are not plugged in yet (%d)", ErrShape, s.Collateral)
	case s.Trades < 0 || s.OracleTicks < 0 || s.FundingTicks < 0 || s.Steps() < 1 || s.Steps() > MaxSteps:
		return fmt.Errorf("%w: %d steps", ErrShape, s.Steps())
	case s.Trades > 0 && (s.N < 1 || s.N > layoutv2.MaxPositions || s.K < 1 || s.K > 1<<layoutv2.MarketsDepth),
		s.Trades == 0 && (s.N != 0 || s.K != 0):
		return fmt.Errorf("%w: N = %d, K = %d with %d trade slots", ErrShape, s.N, s.K, s.Trades)
	case s.OracleTicks > 0 && (s.ReportSlots < 1 || s.ReportSlots > perp.SignerSlots),
		s.OracleTicks == 0 && s.ReportSlots != 0:
		return fmt.Errorf("%w: %d report slots with %d oracle-tick slots", ErrShape, s.ReportSlots, s.OracleTicks)
	}
	return nil
}

// String names every field of the shape (for errors and logs).
func (s Shape) String() string {
	return fmt.Sprintf("trades %d, collateral %d, oracle ticks %d, funding ticks %d, N %d, K %d, report slots %d",
		s.Trades, s.Collateral, s.OracleTicks, s.FundingTicks, s.N, s.K, s.ReportSlots)
}
