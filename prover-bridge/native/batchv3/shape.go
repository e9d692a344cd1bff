package batchv3

import (
	"errors"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
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
func (s Shape) RecordSize() int { return perpstep.PublicDataSize }

// Check reports ErrShape for a shape this package cannot build: a group of a type not plugged in
// yet (collateral, oracle ticks, funding ticks: their step packages have not landed), no step, N
// outside 1 … 8, K outside 1 … 64, or more than MaxSteps steps.
func (s Shape) Check() error {
	switch {
	case s.Collateral != 0 || s.OracleTicks != 0 || s.FundingTicks != 0 || s.ReportSlots != 0:
		return fmt.Errorf("%w: only trade slots are plugged in (collateral %d, oracle ticks %d, funding ticks %d, report slots %d)",
			ErrShape, s.Collateral, s.OracleTicks, s.FundingTicks, s.ReportSlots)
	case s.Trades < 1 || s.Steps() > MaxSteps:
		return fmt.Errorf("%w: %d steps", ErrShape, s.Steps())
	case s.N < 1 || s.N > layoutv2.MaxPositions:
		return fmt.Errorf("%w: N = %d", ErrShape, s.N)
	case s.K < 1 || s.K > 1<<layoutv2.MarketsDepth:
		return fmt.Errorf("%w: K = %d", ErrShape, s.K)
	}
	return nil
}

func (s Shape) String() string {
	return fmt.Sprintf("trades %d, collateral %d, oracle ticks %d, funding ticks %d, N %d, K %d, report slots %d",
		s.Trades, s.Collateral, s.OracleTicks, s.FundingTicks, s.N, s.K, s.ReportSlots)
}
