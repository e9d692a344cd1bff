package batchv3

import (
	"errors"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Shape fixes one batch circuit: the slot count of each step type (one slot group per type), the
// position-list entries a trade reads per account (N ≤ 8), the market table's size (K: ids
// 0 … K − 1; read by trades and by the collateral steps, which are built in collateralstep's
// margin shape) and the report slots of an oracle tick. One verifying key per shape.
type Shape struct {
	Trades                                              int
	Deposits, Withdrawals, Transfers, ForcedWithdrawals int
	OracleTicks, FundingTicks                           int
	N, K, ReportSlots                                   int
}

// MaxSteps bounds a shape's step count S: σ is encoded in 2 bytes.
const MaxSteps = 1 << 16

// ErrShape: the shape is not one this package can build (see Shape.Check).
var ErrShape = errors.New("batchv3: shape not supported")

// Collateral is the number of collateral slots (deposits, withdrawals, transfers, forced
// withdrawals).
func (s Shape) Collateral() int {
	return s.Deposits + s.Withdrawals + s.Transfers + s.ForcedWithdrawals
}

// Steps is S, the number of steps of the batch in execution order (every slot of every group).
func (s Shape) Steps() int { return s.Trades + s.Collateral() + s.OracleTicks + s.FundingTicks }

// RecordSize is the width of one step's public-data record in the commitment: the longest public
// data of the types the shape has slots for (type byte first, zero-padded); a no-op's record is
// all zero.
func (s Shape) RecordSize() int {
	w := 0
	for _, g := range []struct{ slots, size int }{{s.Trades, perpstep.PublicDataSize},
		{s.Deposits, collateralstep.DepositDataBytes}, {s.Withdrawals, collateralstep.WithdrawalDataBytes},
		{s.Transfers, collateralstep.TransferDataBytes}, {s.ForcedWithdrawals, collateralstep.ForcedWithdrawalDataBytes},
		{s.OracleTicks, tickstep.OraclePublicDataBytes}, {s.FundingTicks, tickstep.FundingPublicDataBytes}} {
		if g.slots > 0 {
			w = max(w, g.size)
		}
	}
	return w
}

// Check reports ErrShape for a shape this package cannot build: no step, more than MaxSteps
// steps, a negative group, N outside 1 … 8 with trade slots (0 without), K outside 1 … 64 with
// trade or collateral slots (0 without either), report slots outside 1 … 16 with oracle-tick
// slots (0 without).
func (s Shape) Check() error {
	groups := []int{s.Trades, s.Deposits, s.Withdrawals, s.Transfers, s.ForcedWithdrawals, s.OracleTicks, s.FundingTicks}
	for _, g := range groups {
		if g < 0 {
			return fmt.Errorf("%w: a negative slot group (%v)", ErrShape, s)
		}
	}
	marketTable := s.Trades+s.Collateral() > 0
	switch {
	case s.Steps() < 1 || s.Steps() > MaxSteps:
		return fmt.Errorf("%w: %d steps", ErrShape, s.Steps())
	case s.Trades > 0 && (s.N < 1 || s.N > layoutv2.MaxPositions), s.Trades == 0 && s.N != 0:
		return fmt.Errorf("%w: N = %d with %d trade slots", ErrShape, s.N, s.Trades)
	case marketTable && (s.K < 1 || s.K > 1<<layoutv2.MarketsDepth), !marketTable && s.K != 0:
		return fmt.Errorf("%w: K = %d with %d trade and %d collateral slots", ErrShape, s.K, s.Trades, s.Collateral())
	case s.OracleTicks > 0 && (s.ReportSlots < 1 || s.ReportSlots > perp.SignerSlots),
		s.OracleTicks == 0 && s.ReportSlots != 0:
		return fmt.Errorf("%w: %d report slots with %d oracle-tick slots", ErrShape, s.ReportSlots, s.OracleTicks)
	}
	return nil
}

// String names every field of the shape (for errors and logs).
func (s Shape) String() string {
	return fmt.Sprintf("trades %d, deposits %d, withdrawals %d, transfers %d, forced withdrawals %d, oracle ticks %d, funding ticks %d, N %d, K %d, report slots %d",
		s.Trades, s.Deposits, s.Withdrawals, s.Transfers, s.ForcedWithdrawals, s.OracleTicks, s.FundingTicks, s.N, s.K, s.ReportSlots)
}
