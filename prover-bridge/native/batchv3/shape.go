package batchv3

import (
	"errors"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Shape fixes one batch circuit: the slot count of each step type (one slot group per type), the
// position-list entries a trade, a liquidation, a takeover or a deleveraging reads per account
// (N ≤ 8), the market table's size (K: ids 0 … K − 1; read by those four and by the collateral
// steps, which are built in collateralstep's margin shape), the report slots of an oracle tick and
// the deployment's liquidation fee rate (a constant of the liquidation step, liqstep). One
// verifying key per shape.
//
// The four groups of liquidation (liqstep) and the funding period start (tickstep) came after
// the first seven, and the forced-trade group (forcedtrade) after those; their fields are omitted
// from JSON when 0, and a shape without them encodes, prints and builds exactly as before they
// existed.
type Shape struct {
	Trades                                              int
	Deposits, Withdrawals, Transfers, ForcedWithdrawals int
	OracleTicks, FundingTicks                           int
	// Liquidations (liquidation fills), Takeovers (insurance takeovers), Deleverages
	// (deleveragings) and PeriodStarts (funding period starts) are the slot counts of the four
	// later groups.
	Liquidations int `json:",omitempty"`
	Takeovers    int `json:",omitempty"`
	Deleverages  int `json:",omitempty"`
	PeriodStarts int `json:",omitempty"`
	// ForcedTrades is the slot count of the forced-trade group (forcedtrade.ForcedTradeTransition,
	// which reads N list entries per account and opens the K-market table as a trade does).
	ForcedTrades      int `json:",omitempty"`
	N, K, ReportSlots int
	// LiquidationFeePpm is LiquidationConfig.feePpm of the deployment, 0 … 10^6 with liquidation
	// slots, 0 without: a constant of the circuit (liqstep.NewLiquidationCircuit).
	LiquidationFeePpm int64 `json:",omitempty"`
}

// ShapeFile is how the vector and fixture files spell a shape's first seven groups, N, K and the
// report slots (lower camel case keys); the later groups are not spelled there.
type ShapeFile struct {
	Trades            int `json:"trades"`
	Deposits          int `json:"deposits"`
	Withdrawals       int `json:"withdrawals"`
	Transfers         int `json:"transfers"`
	ForcedWithdrawals int `json:"forcedWithdrawals"`
	OracleTicks       int `json:"oracleTicks"`
	FundingTicks      int `json:"fundingTicks"`
	N                 int `json:"n"`
	K                 int `json:"k"`
	ReportSlots       int `json:"reportSlots"`
}

// File is s as the vector and fixture files spell it.
func (s Shape) File() ShapeFile {
	return ShapeFile{Trades: s.Trades, Deposits: s.Deposits, Withdrawals: s.Withdrawals, Transfers: s.Transfers,
		ForcedWithdrawals: s.ForcedWithdrawals, OracleTicks: s.OracleTicks, FundingTicks: s.FundingTicks, N: s.N, K: s.K,
		ReportSlots: s.ReportSlots}
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

// Liquidation is the number of slots of the liquidation groups that read accounts' positions
// (liquidation fills, takeovers, deleveragings).
func (s Shape) Liquidation() int { return s.Liquidations + s.Takeovers + s.Deleverages }

// Steps is S, the number of steps of the batch in execution order (every slot of every group).
func (s Shape) Steps() int {
	return s.Trades + s.Collateral() + s.OracleTicks + s.FundingTicks + s.Liquidation() + s.PeriodStarts + s.ForcedTrades
}

// HasLaterGroups reports whether the shape has a slot in one of the later groups (liquidations,
// takeovers, deleveragings, funding period starts, forced trades): only such a shape has the
// header extension of the encoding (EncodedHeaderSize).
func (s Shape) HasLaterGroups() bool { return s.Liquidation()+s.PeriodStarts+s.ForcedTrades != 0 }

// RecordSize is the width of one step's public-data record in the commitment: the longest public
// data of the types the shape has slots for (type byte first, zero-padded); a no-op's record is
// all zero.
func (s Shape) RecordSize() int {
	w := 0
	for _, g := range []struct{ slots, size int }{{s.Trades, perpstep.PublicDataSize},
		{s.Deposits, collateralstep.DepositDataBytes}, {s.Withdrawals, collateralstep.WithdrawalDataBytes},
		{s.Transfers, collateralstep.TransferDataBytes}, {s.ForcedWithdrawals, collateralstep.ForcedWithdrawalDataBytes},
		{s.OracleTicks, tickstep.OraclePublicDataBytes}, {s.FundingTicks, tickstep.FundingPublicDataBytes},
		{s.Liquidations, liqstep.LiquidationDataBytes}, {s.Takeovers, liqstep.TakeoverDataBytes},
		{s.Deleverages, liqstep.DeleverageDataBytes}, {s.PeriodStarts, tickstep.FundingPeriodStartPublicDataBytes},
		{s.ForcedTrades, forcedtrade.PublicDataBytes}} {
		if g.slots > 0 {
			w = max(w, g.size)
		}
	}
	return w
}

// Check reports ErrShape for a shape this package cannot build: no step, more than MaxSteps
// steps, a negative group, a group of more than 65,535 slots (its size is encoded in 2 bytes), N
// outside 1 … 8 with trade, liquidation, takeover, deleveraging or forced-trade slots (0
// without), K outside 1 … 64 with those or collateral slots (0 without any), report slots outside
// 1 … 16 with oracle-tick slots (0 without), the liquidation fee rate outside 0 … 10^6 with
// liquidation slots (0 without).
func (s Shape) Check() error {
	for _, g := range append(s.groupSizes(), s.ForcedTrades) {
		if g < 0 || g > 1<<16-1 {
			return fmt.Errorf("%w: a slot group of %d slots (%v)", ErrShape, g, s)
		}
	}
	positions := s.Trades + s.Liquidation() + s.ForcedTrades
	marketTable := positions+s.Collateral() > 0
	switch {
	case s.Steps() < 1 || s.Steps() > MaxSteps:
		return fmt.Errorf("%w: %d steps", ErrShape, s.Steps())
	case positions > 0 && (s.N < 1 || s.N > layoutv2.MaxPositions), positions == 0 && s.N != 0:
		return fmt.Errorf("%w: N = %d with %d trade, %d liquidation, takeover and deleveraging and %d forced-trade slots",
			ErrShape, s.N, s.Trades, s.Liquidation(), s.ForcedTrades)
	case marketTable && (s.K < 1 || s.K > 1<<layoutv2.MarketsDepth), !marketTable && s.K != 0:
		return fmt.Errorf("%w: K = %d with %d trade, %d collateral, %d liquidation, takeover and deleveraging and %d forced-trade slots",
			ErrShape, s.K, s.Trades, s.Collateral(), s.Liquidation(), s.ForcedTrades)
	case s.OracleTicks > 0 && (s.ReportSlots < 1 || s.ReportSlots > perp.SignerSlots),
		s.OracleTicks == 0 && s.ReportSlots != 0:
		return fmt.Errorf("%w: %d report slots with %d oracle-tick slots", ErrShape, s.ReportSlots, s.OracleTicks)
	case s.Liquidations > 0 && (s.LiquidationFeePpm < 0 || s.LiquidationFeePpm > reference.PPM),
		s.Liquidations == 0 && s.LiquidationFeePpm != 0:
		return fmt.Errorf("%w: liquidation fee rate %d ppm with %d liquidation slots", ErrShape, s.LiquidationFeePpm, s.Liquidations)
	}
	return nil
}

// String names every field of the shape (for errors and logs); the four later groups and the
// liquidation fee rate only when the shape has one of those groups (so a shape without them
// prints as before they existed).
func (s Shape) String() string {
	out := fmt.Sprintf("trades %d, deposits %d, withdrawals %d, transfers %d, forced withdrawals %d, oracle ticks %d, funding ticks %d, N %d, K %d, report slots %d",
		s.Trades, s.Deposits, s.Withdrawals, s.Transfers, s.ForcedWithdrawals, s.OracleTicks, s.FundingTicks, s.N, s.K, s.ReportSlots)
	if s.HasLaterGroups() || s.LiquidationFeePpm != 0 {
		out += fmt.Sprintf(", liquidations %d, takeovers %d, deleveragings %d, funding period starts %d, liquidation fee %d ppm",
			s.Liquidations, s.Takeovers, s.Deleverages, s.PeriodStarts, s.LiquidationFeePpm)
	}
	if s.ForcedTrades != 0 {
		out += fmt.Sprintf(", forced trades %d", s.ForcedTrades)
	}
	return out
}
