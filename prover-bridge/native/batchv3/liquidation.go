package batchv3

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// The liquidation steps (liqstep: liquidation fill, insurance takeover, deleveraging) and the
// funding period start (tickstep) as batch steps: one slot group per type, after the first seven
// groups. A liquidation, a takeover and a deleveraging read N list entries per account and open
// the K-market table in their own old root (liqstep.OpenTable), as a trade does; the liquidation
// fee rate is the shape's (Shape.LiquidationFeePpm), a constant of the circuit. None of the four
// consumes a priority operation.

// Liquidation is a liqstep.Liquidation (one fill of the engine's liquidation order) as a batch
// step. Its Domain must be the batch's and its FeePpm the shape's LiquidationFeePpm.
type Liquidation struct{ liqstep.Liquidation }

// TxType is liqstep.TypeLiquidation (6).
func (Liquidation) TxType() byte { return liqstep.TypeLiquidation }

// Takeover is a liqstep.Takeover (the insurance fund taking over part of a position) as a batch
// step.
type Takeover struct{ liqstep.Takeover }

// TxType is liqstep.TypeTakeover (7).
func (Takeover) TxType() byte { return liqstep.TypeTakeover }

// Deleveraging is a liqstep.Deleveraging as a batch step.
type Deleveraging struct{ liqstep.Deleveraging }

// TxType is liqstep.TypeDeleverage (0x0B).
func (Deleveraging) TxType() byte { return liqstep.TypeDeleverage }

// FundingPeriodStart is a tickstep.FundingPeriodStart (the start of a market's first funding
// sampling period) as a batch step. Its BatchTime must be the batch's T.
type FundingPeriodStart struct {
	tickstep.FundingPeriodStart
}

// TxType is tickstep.TypeFundingPeriodStart (0x0A).
func (FundingPeriodStart) TxType() byte { return tickstep.TypeFundingPeriodStart }

// Slot is one slot of a later group (liquidations, takeovers, deleveragings, funding period
// starts): σ, the no-op flag and the step's witness (the padding step's for a no-op). S is
// liqstep.LiquidationStep, TakeoverStep, DeleverageStep or tickstep.FundingPeriodStartStep.
type Slot[S any] struct {
	Index, NoOp frontend.Variable
	Step        S
}

// SlotWitness is one slot of a collateral or later group in a Witness: σ, the no-op flag and, for
// a live slot, the step (nil for a no-op: Assignment puts the padding step in).
type SlotWitness[S any] struct {
	Index uint16
	NoOp  bool
	Step  *S
}

// The slot and witness types of the four later groups.
type (
	LiquidationSlot           = Slot[liqstep.LiquidationStep]
	TakeoverSlot              = Slot[liqstep.TakeoverStep]
	DeleverageSlot            = Slot[liqstep.DeleverageStep]
	PeriodStartSlot           = Slot[tickstep.FundingPeriodStartStep]
	LiquidationWitness        = SlotWitness[liqstep.LiquidationStep]
	TakeoverWitness           = SlotWitness[liqstep.TakeoverStep]
	DeleverageWitness         = SlotWitness[liqstep.DeleverageStep]
	FundingPeriodStartWitness = SlotWitness[tickstep.FundingPeriodStartStep]
)

// newLiquidation, newTakeover, newDeleverage and newPeriodStart allocate an empty step of shape s
// (for the circuit, decoding and counts; the liquidation with the order separator of the
// deployment, nil where it is not read).
func newLiquidation(s Shape, separator *big.Int) liqstep.LiquidationStep {
	return liqstep.NewLiquidationCircuit(s.N, s.K, separator, s.LiquidationFeePpm).Step
}

func newTakeover(s Shape) liqstep.TakeoverStep { return liqstep.NewTakeoverCircuit(s.N, s.K).Step }

func newDeleverage(s Shape) liqstep.DeleverageStep {
	return liqstep.NewDeleverageCircuit(s.N, s.K).Step
}

func newPeriodStart(Shape) tickstep.FundingPeriodStartStep {
	return tickstep.FundingPeriodStartStep{}
}

// assignSlots assigns a later group's slots: a live slot's step, a no-op's padding step.
func assignSlots[S any](slots []Slot[S], ws []SlotWitness[S], name string, padding func() (any, error)) error {
	if len(slots) != len(ws) {
		return fmt.Errorf("%w: %d %s slots, the shape %d", ErrShape, len(ws), name, len(slots))
	}
	for j, t := range ws {
		slot := &slots[j]
		slot.Index, slot.NoOp = t.Index, 0
		step := t.Step
		if t.NoOp {
			slot.NoOp = 1
			p, err := padding()
			if err != nil {
				return err
			}
			step = p.(*S)
		}
		if step == nil {
			return fmt.Errorf("%w: %s slot %d is live without a step", ErrShape, name, j)
		}
		slot.Step = *step
	}
	return nil
}
