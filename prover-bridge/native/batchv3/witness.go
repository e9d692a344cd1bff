package batchv3

import (
	"fmt"
	"math/big"
	"reflect"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/schema"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Witness is everything a shape's circuit needs, in the form format v3 encodes (Encode, Decode):
// the header values, the root and priority tables, the records in execution order and the slot
// groups. A no-op slot has no step (nil): Assignment puts the padding trade in.
type Witness struct {
	Shape                  Shape
	BatchNumber, BatchTime uint64
	PriorityCount          uint32
	Roots, Priority        []fr.Element // S + 1 each
	Records                [][]byte     // S × RecordSize, execution order
	Trades                 []TradeWitness
	Deposits               []CollateralWitness[collateralstep.DepositStep]
	Withdrawals            []CollateralWitness[collateralstep.WithdrawalStep]
	Transfers              []CollateralWitness[collateralstep.TransferStep]
	ForcedWithdrawals      []CollateralWitness[collateralstep.ForcedWithdrawalStep]
	Oracles                []OracleWitness
	Fundings               []FundingWitness
	Liquidations           []LiquidationWitness
	Takeovers              []TakeoverWitness
	Deleverages            []DeleverageWitness
	PeriodStarts           []FundingPeriodStartWitness
	ForcedTrades           []ForcedTradeWitness
}

// TradeWitness is one trade slot: σ, the no-op flag and, for a live slot, the trade's witness.
type TradeWitness struct {
	Index uint16
	NoOp  bool
	Step  *perpstep.TradeTransition
}

// OracleWitness is one oracle-tick slot: σ, the no-op flag and, for a live slot, the step.
type OracleWitness struct {
	Index uint16
	NoOp  bool
	Step  *tickstep.OracleStep
}

// FundingWitness is one funding-tick slot: σ, the no-op flag and, for a live slot, the step.
type FundingWitness struct {
	Index uint16
	NoOp  bool
	Step  *tickstep.FundingStep
}

// Assignment is the circuit assignment of w for deployment d (no-op slots get the padding
// step of their type for d).
func (w *Witness) Assignment(d messages.Domain) (*Batch, error) {
	if err := w.Shape.Check(); err != nil {
		return nil, err
	}
	c, err := NewCircuit(w.Shape, d)
	if err != nil {
		return nil, err
	}
	pi := w.PublicInput()
	c.PublicInput = el(pi)
	c.BatchNumber, c.BatchTime, c.PriorityCount = w.BatchNumber, w.BatchTime, w.PriorityCount
	for i := range c.Roots {
		c.Roots[i], c.Priority[i] = el(w.Roots[i]), el(w.Priority[i])
	}
	for i, r := range w.Records {
		for b := range r {
			c.Records[i][b] = r[b]
		}
	}
	if len(w.Trades) != len(c.Trades) || len(w.Oracles) != len(c.Oracles) || len(w.Fundings) != len(c.Fundings) ||
		len(w.Deposits) != len(c.Deposits) || len(w.Withdrawals) != len(c.Withdrawals) || len(w.Transfers) != len(c.Transfers) ||
		len(w.ForcedWithdrawals) != len(c.ForcedWithdrawals) {
		return nil, fmt.Errorf("%w: slot groups do not have the shape's sizes", ErrShape)
	}
	k := w.Shape.K
	if err := assignSlots(c.Deposits, w.Deposits, "deposit", func() (any, error) { return paddingStep(d, k, byte(batch.TxDeposit)) }); err != nil {
		return nil, err
	}
	if err := assignSlots(c.Withdrawals, w.Withdrawals, "withdrawal", func() (any, error) { return paddingStep(d, k, byte(batch.TxWithdrawal)) }); err != nil {
		return nil, err
	}
	if err := assignSlots(c.Transfers, w.Transfers, "transfer", func() (any, error) { return paddingStep(d, k, byte(batch.TxTransfer)) }); err != nil {
		return nil, err
	}
	if err := assignSlots(c.ForcedWithdrawals, w.ForcedWithdrawals, "forced-withdrawal", func() (any, error) {
		return paddingStep(d, k, byte(batch.TxForcedWithdrawal))
	}); err != nil {
		return nil, err
	}
	if err := w.assignLater(c, d); err != nil {
		return nil, err
	}
	for j, t := range w.Oracles {
		slot := &c.Oracles[j]
		slot.Index, slot.NoOp = t.Index, 0
		step := t.Step
		if t.NoOp {
			slot.NoOp = 1
			if step, err = paddingOracle(d, w.Shape.ReportSlots); err != nil {
				return nil, err
			}
		}
		if step == nil {
			return nil, fmt.Errorf("%w: oracle-tick slot %d is live without a step", ErrShape, j)
		}
		slot.Step = *step
	}
	for j, t := range w.Fundings {
		slot := &c.Fundings[j]
		slot.Index, slot.NoOp = t.Index, 0
		step := t.Step
		if t.NoOp {
			slot.NoOp = 1
			if step, err = paddingFundingTick(d); err != nil {
				return nil, err
			}
		}
		if step == nil {
			return nil, fmt.Errorf("%w: funding-tick slot %d is live without a step", ErrShape, j)
		}
		slot.Step = *step
	}
	for j, t := range w.Trades {
		slot := &c.Trades[j]
		slot.Index = t.Index
		slot.NoOp = 0
		step := t.Step
		if t.NoOp {
			slot.NoOp = 1
			if step, err = paddingTrade(d, w.Shape.N, w.Shape.K); err != nil {
				return nil, err
			}
		}
		if step == nil {
			return nil, fmt.Errorf("%w: trade slot %d is live without a step", ErrShape, j)
		}
		slot.Step = *step
	}
	return c, nil
}

// assignLater assigns the later groups (liquidations, takeovers, deleveragings, funding period
// starts, forced trades) of c from w, a no-op slot with its type's padding step.
func (w *Witness) assignLater(c *Batch, d messages.Domain) error {
	padding := func(typ byte) func() (any, error) {
		return func() (any, error) { return paddingLaterStep(d, w.Shape, typ) }
	}
	if err := assignSlots(c.Liquidations, w.Liquidations, "liquidation", padding(liqstep.TypeLiquidation)); err != nil {
		return err
	}
	if err := assignSlots(c.Takeovers, w.Takeovers, "takeover", padding(liqstep.TypeTakeover)); err != nil {
		return err
	}
	if err := assignSlots(c.Deleverages, w.Deleverages, "deleveraging", padding(liqstep.TypeDeleverage)); err != nil {
		return err
	}
	if err := assignSlots(c.PeriodStarts, w.PeriodStarts, "funding-period-start", padding(tickstep.TypeFundingPeriodStart)); err != nil {
		return err
	}
	return assignSlots(c.ForcedTrades, w.ForcedTrades, "forced-trade", padding(forcedtrade.TypeForcedTrade))
}

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

var tVariable = reflect.TypeOf((*frontend.Variable)(nil)).Elem()

// elements lists the field elements of a step's witness in gnark's schema order.
func elements(step any) ([]fr.Element, error) {
	var out []fr.Element
	_, err := schema.Walk(ecc.BN254.ScalarField(), step, tVariable, func(_ schema.LeafInfo, v reflect.Value) error {
		var e fr.Element
		if _, err := e.SetInterface(v.Interface()); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// setElements assigns es to a step's witness leaves in gnark's schema order.
func setElements(step any, es []fr.Element) error {
	i := 0
	_, err := schema.Walk(ecc.BN254.ScalarField(), step, tVariable, func(_ schema.LeafInfo, v reflect.Value) error {
		if i >= len(es) {
			return fmt.Errorf("batchv3: %d elements for more leaves", len(es))
		}
		v.Set(reflect.ValueOf(el(es[i])))
		i++
		return nil
	})
	if err == nil && i != len(es) {
		err = fmt.Errorf("batchv3: %d elements for %d leaves", len(es), i)
	}
	return err
}

// leaves is the number of field elements of an allocated step's witness.
func leaves(step any) int {
	n := 0
	_, err := schema.Walk(ecc.BN254.ScalarField(), step, tVariable, func(schema.LeafInfo, reflect.Value) error { n++; return nil })
	if err != nil {
		panic(err)
	}
	return n
}

// newTrade, newOracle and newFunding allocate an empty step of shape s (for decoding and counts).
func newTrade(s Shape) *perpstep.TradeTransition {
	return &perpstep.NewTradeStepBound(s.N, s.K, big.NewInt(0)).TradeTransition
}

func newOracle(s Shape) *tickstep.OracleStep {
	return tickstep.NewOracleStep(s.ReportSlots, big.NewInt(0))
}

func newFunding(Shape) *tickstep.FundingStep { return &tickstep.FundingStep{} }
