package prover

import (
	"fmt"
	"sort"
	"strings"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
)

// Batch formats a shape's circuit proves.
const (
	// FormatV2 is the collateral batch circuit of package circuit (docs/batch-format.md, format v2).
	FormatV2 = 2
	// FormatV3 is the format v3 batch circuit of package batchv3 over state layout v2. Its
	// deployment domain (chain id, rollup address) is a constant of the circuit, so its keys
	// belong to a (shape, domain) pair: open it with OpenV3.
	FormatV3 = 3
)

// Shape is a circuit size fixed at setup. Format v2: every batch has exactly BatchSize slots
// (padded with no-ops). Format v3: V3 fixes the slot groups, and BatchSize is its step count S.
type Shape struct {
	Name      string
	Format    int
	BatchSize int
	V3        batchv3.Shape // format v3 only
}

// v3Shape names a format v3 shape; BatchSize is its step count.
func v3Shape(name string, s batchv3.Shape) Shape {
	return Shape{Name: name, Format: FormatV3, BatchSize: s.Steps(), V3: s}
}

// V3TinyLiquidationFeePpm is v3-tiny's liquidation fee rate, ppm of the fill notional: the
// sequencer's LiquidationConfig.DEFAULT.feePpm (1 %), which the node's settler uses.
const V3TinyLiquidationFeePpm = 10_000

// Shapes are the circuit shapes zkperp sets up: "tiny" for tests and CI, "devnet" for the devnet
// (format v2); "v3-tiny" for CI and "v3-devnet" for the devnet (format v3).
//
// v3-tiny holds one step of each type the golden batch needs (batchv3.GoldenBatch: 2 trades, a
// deposit, a withdrawal, an oracle tick, a funding tick) and one transfer, one forced-withdrawal
// and one funding-period-start slot, and one liquidation-fill, one insurance-takeover and one
// deleveraging slot at the engine's liquidation fee rate (LiquidationConfig.DEFAULT.feePpm, 1 %)
// (all no-ops in the golden batch), so that a node settling on v3-tiny serves every collateral,
// funding and liquidation command the devnet produces. N = 2 and K = 3: the devnet's two markets have ids 1 and 2 (the market table holds ids
// 0 … K − 1), so an account holds at most 2 positions. 3 report slots: a tick carries at least
// quorum and at most ReportSlots reports, so 3 slots serve the devnet's 2-of-3 quorum and a 3-of-3
// one; 2 would serve only the first. v3-devnet has room for a devnet batch: 8 trades, 2 of each
// collateral type but 1 forced withdrawal, and a tick of each kind per market.
//
// v3-check is for checking only (OpenForCheck: no keys are ever set up for it, nothing is proven
// or verified with it): the node's differential run (three markets, ids 1 … 3, an account holding
// up to 3 positions, funding period starts) sealed into batches whose witnesses the solver checks
// over JNI needs K = 4, N = 3 and a period-start slot, which no proven shape has.
var Shapes = map[string]Shape{
	"tiny":   {Name: "tiny", Format: FormatV2, BatchSize: 2},
	"devnet": {Name: "devnet", Format: FormatV2, BatchSize: 8},
	"v3-tiny": v3Shape("v3-tiny", batchv3.Shape{Trades: 2, Deposits: 1, Withdrawals: 1, Transfers: 1, ForcedWithdrawals: 1,
		OracleTicks: 1, FundingTicks: 1, Liquidations: 1, Takeovers: 1, Deleverages: 1, PeriodStarts: 1, N: 2, K: 3, ReportSlots: 3,
		LiquidationFeePpm: V3TinyLiquidationFeePpm}),
	"v3-devnet": v3Shape("v3-devnet", batchv3.Shape{Trades: 8, Deposits: 2, Withdrawals: 2, Transfers: 2, ForcedWithdrawals: 1,
		OracleTicks: 2, FundingTicks: 2, N: 2, K: 3, ReportSlots: 3}),
	"v3-check": v3Shape("v3-check", batchv3.Shape{Trades: 4, Deposits: 2, Withdrawals: 1, Transfers: 1, ForcedWithdrawals: 1,
		OracleTicks: 1, FundingTicks: 2, Liquidations: 1, Takeovers: 1, Deleverages: 1, PeriodStarts: 1, N: 3, K: 4, ReportSlots: 3, LiquidationFeePpm: 10_000}), // the liquidation groups and the engine's default fee rate (LiquidationConfig.DEFAULT) for the node's price-crash runs
}

// ShapeByName returns a known shape or an error listing the known ones.
func ShapeByName(name string) (Shape, error) {
	if s, ok := Shapes[name]; ok {
		return s, nil
	}
	names := make([]string, 0, len(Shapes))
	for n := range Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	return Shape{}, fmt.Errorf("prover: unknown circuit shape %q (known: %s)", name, strings.Join(names, ", "))
}

// WitnessSize is the exact byte length of a witness of the shape (format v2: batch.WitnessSize;
// format v3: batchv3.EncodedSize).
func (s Shape) WitnessSize() int {
	if s.Format == FormatV3 {
		return batchv3.EncodedSize(s.V3)
	}
	return batch.WitnessSize(s.BatchSize)
}

// check reports a shape this prover cannot build.
func (s Shape) check() error {
	switch s.Format {
	case FormatV2:
		if s.BatchSize < 1 || s.BatchSize > batch.MaxBatchSize {
			return fmt.Errorf("prover: batch size %d out of range", s.BatchSize)
		}
	case FormatV3:
		if err := s.V3.Check(); err != nil {
			return err
		}
		if s.BatchSize != s.V3.Steps() {
			return fmt.Errorf("prover: shape %s: batch size %d, the v3 shape has %d steps", s.Name, s.BatchSize, s.V3.Steps())
		}
	default:
		return fmt.Errorf("prover: shape %s: unknown batch format %d", s.Name, s.Format)
	}
	return nil
}
