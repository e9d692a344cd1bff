package batchv3

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Header is what a batch takes besides its steps: the deployment (its order separator is a
// constant of the circuit), the batch number, the batch time T (no step may be later) and the
// priority-operation hash before the batch (the rollup's).
type Header struct {
	Domain                 messages.Domain
	BatchNumber, BatchTime uint64
	PriorityBefore         fr.Element
}

// Sealed is a sealed batch: its witness (Encode writes it), the circuit assignment, the
// commitment bytes, the public input and the state after the batch.
type Sealed struct {
	Witness     *Witness
	Assignment  *Batch
	Commitment  []byte
	PublicInput fr.Element
	NewState    *layoutv2.State
}

// Seal executes steps in order on state with each step package's reference (perpstep.Trade:
// perpstep.WitnessBound; the collateral wrappers Deposit, Withdrawal, Transfer, ForcedWithdrawal:
// collateralstep's …WitnessWithMargin with the shape's K, a deposit or forced withdrawal
// extending the priority chain by Compress(P, its operation hash); the tick wrappers: tickstep's
// WitnessOracle / WitnessFunding; the wrappers Liquidation, Takeover, Deleveraging: liqstep's
// WitnessLiquidation / WitnessTakeover / WitnessDeleverage with the shape's N and K;
// FundingPeriodStart: tickstep.WitnessFundingPeriodStart; ForcedTrade: forcedtrade.Witness with the
// shape's N and K in the batch's deployment, extending the priority chain by Compress(P, its
// operation hash) whether it executes or is proven invalid), pads every slot group with no-ops (at the execution positions after
// the last step) and returns the sealed batch. A refused step is a *StepError naming its index
// and wrapping the step package's typed error; more steps of a type than slots is
// ErrTooManySteps; an unknown type ErrUnsupportedTx. state is never changed. Safe to call from
// several goroutines on states nobody writes meanwhile (the padding witnesses are cached in a
// sync.Map).
func Seal(state *layoutv2.State, shape Shape, steps []Tx, h Header) (*Sealed, error) {
	if err := shape.Check(); err != nil {
		return nil, err
	}
	s := shape.Steps()
	if len(steps) > s {
		return nil, fmt.Errorf("%w: %d steps, %d slots", ErrTooManySteps, len(steps), s)
	}
	if shape.OracleTicks+shape.FundingTicks+shape.PeriodStarts > 0 && h.BatchTime < 1 {
		return nil, fmt.Errorf("%w: T = 0 with tick or period-start slots (the padding ticks and period start need T ≥ 1)", ErrBatchTime)
	}
	w := &Witness{Shape: shape, BatchNumber: h.BatchNumber, BatchTime: h.BatchTime,
		Roots: make([]fr.Element, s+1), Priority: make([]fr.Element, s+1), Records: make([][]byte, s)}
	for i := range w.Records {
		w.Records[i] = make([]byte, shape.RecordSize())
	}
	w.Roots[0], w.Priority[0] = state.Root(), h.PriorityBefore
	cur := state
	for i, tx := range steps {
		var op *fr.Element // the priority operation the step consumes, if any
		switch t := tx.(type) {
		case Deposit, Withdrawal, Transfer, ForcedWithdrawal:
			next, o, err := sealCollateral(w, i, t, cur, h.Domain)
			if err != nil {
				return nil, err
			}
			cur, op = next, o
		case ForcedTrade:
			next, o, err := sealForcedTrade(w, i, t, cur, h.Domain)
			if err != nil {
				return nil, err
			}
			cur, op = next, o
		case Liquidation, Takeover, Deleveraging, FundingPeriodStart:
			next, err := sealLater(w, i, t, cur, h)
			if err != nil {
				return nil, err
			}
			cur = next
		case perpstep.Trade:
			if len(w.Trades) == shape.Trades {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: fmt.Errorf("%w: %d trade slots", ErrTooManySteps, shape.Trades)}
			}
			if t.Domain != h.Domain {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: ErrDomain}
			}
			step, next, err := perpstep.WitnessBound(cur, t, shape.N, shape.K)
			if err != nil {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: err}
			}
			pd := perpstep.PublicData(t)
			copy(w.Records[i], pd[:])
			w.Trades = append(w.Trades, TradeWitness{Index: uint16(i), Step: &step.TradeTransition})
			cur = next
		case OracleTick:
			if len(w.Oracles) == shape.OracleTicks {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: fmt.Errorf("%w: %d oracle-tick slots", ErrTooManySteps, shape.OracleTicks)}
			}
			if t.Domain != h.Domain {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: ErrDomain}
			}
			if t.BatchTime < 0 || uint64(t.BatchTime) != h.BatchTime {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: fmt.Errorf("%w: %d, the batch's %d", ErrBatchTime, t.BatchTime, h.BatchTime)}
			}
			c, next, err := tickstep.WitnessOracle(cur, t.OracleTick, shape.ReportSlots)
			if err != nil {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: err}
			}
			m, _ := next.Market(uint64(t.Market))
			copy(w.Records[i], tickstep.OraclePublicData(t.Market, m.OraclePrice, m.OracleTimestamp, uint64(t.Now)))
			w.Oracles = append(w.Oracles, OracleWitness{Index: uint16(i), Step: &c.Step})
			cur = next
		case FundingTick:
			if len(w.Fundings) == shape.FundingTicks {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: fmt.Errorf("%w: %d funding-tick slots", ErrTooManySteps, shape.FundingTicks)}
			}
			if t.BatchTime < 0 || uint64(t.BatchTime) != h.BatchTime {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: fmt.Errorf("%w: %d, the batch's %d", ErrBatchTime, t.BatchTime, h.BatchTime)}
			}
			c, next, err := tickstep.WitnessFunding(cur, t.FundingTick)
			if err != nil {
				return nil, &StepError{Index: i, Type: t.TxType(), Err: err}
			}
			m, _ := next.Market(uint64(t.Market))
			copy(w.Records[i], tickstep.FundingPublicData(t.Market, m.FundingIndex, uint64(t.Now)))
			w.Fundings = append(w.Fundings, FundingWitness{Index: uint16(i), Step: &c.Step})
			cur = next
		default:
			return nil, &StepError{Index: i, Type: tx.TxType(), Err: ErrUnsupportedTx}
		}
		w.Roots[i+1], w.Priority[i+1] = cur.Root(), w.Priority[i]
		if op != nil {
			w.Priority[i+1] = layout.Compress(w.Priority[i], *op)
			w.PriorityCount++
		}
	}
	// padding: the remaining execution positions, group by group in slot order
	pos := len(steps)
	pad := func() uint16 {
		w.Roots[pos+1], w.Priority[pos+1] = w.Roots[pos], w.Priority[pos]
		pos++
		return uint16(pos - 1)
	}
	for len(w.Trades) < shape.Trades {
		w.Trades = append(w.Trades, TradeWitness{Index: pad(), NoOp: true})
	}
	for len(w.Deposits) < shape.Deposits {
		w.Deposits = append(w.Deposits, CollateralWitness[collateralstep.DepositStep]{Index: pad(), NoOp: true})
	}
	for len(w.Withdrawals) < shape.Withdrawals {
		w.Withdrawals = append(w.Withdrawals, CollateralWitness[collateralstep.WithdrawalStep]{Index: pad(), NoOp: true})
	}
	for len(w.Transfers) < shape.Transfers {
		w.Transfers = append(w.Transfers, CollateralWitness[collateralstep.TransferStep]{Index: pad(), NoOp: true})
	}
	for len(w.ForcedWithdrawals) < shape.ForcedWithdrawals {
		w.ForcedWithdrawals = append(w.ForcedWithdrawals, CollateralWitness[collateralstep.ForcedWithdrawalStep]{Index: pad(), NoOp: true})
	}
	for len(w.Oracles) < shape.OracleTicks {
		w.Oracles = append(w.Oracles, OracleWitness{Index: pad(), NoOp: true})
	}
	for len(w.Fundings) < shape.FundingTicks {
		w.Fundings = append(w.Fundings, FundingWitness{Index: pad(), NoOp: true})
	}
	for len(w.Liquidations) < shape.Liquidations {
		w.Liquidations = append(w.Liquidations, LiquidationWitness{Index: pad(), NoOp: true})
	}
	for len(w.Takeovers) < shape.Takeovers {
		w.Takeovers = append(w.Takeovers, TakeoverWitness{Index: pad(), NoOp: true})
	}
	for len(w.Deleverages) < shape.Deleverages {
		w.Deleverages = append(w.Deleverages, DeleverageWitness{Index: pad(), NoOp: true})
	}
	for len(w.PeriodStarts) < shape.PeriodStarts {
		w.PeriodStarts = append(w.PeriodStarts, FundingPeriodStartWitness{Index: pad(), NoOp: true})
	}
	for len(w.ForcedTrades) < shape.ForcedTrades {
		w.ForcedTrades = append(w.ForcedTrades, ForcedTradeWitness{Index: pad(), NoOp: true})
	}
	a, err := w.Assignment(h.Domain)
	if err != nil {
		return nil, err
	}
	if cur == state {
		cur = state.Clone()
	}
	return &Sealed{Witness: w, Assignment: a, Commitment: w.CommitmentBytes(), PublicInput: w.PublicInput(), NewState: cur}, nil
}

// sealCollateral executes collateral step i (t: Deposit, Withdrawal, Transfer or ForcedWithdrawal)
// on cur in the margin shape of w's K, appends its slot to its group, writes its record and
// returns the new state and, for a priority operation, its hash.
func sealCollateral(w *Witness, i int, t Tx, cur *layoutv2.State, d messages.Domain) (*layoutv2.State, *fr.Element, error) {
	shape, typ := w.Shape, t.TxType()
	refuse := func(err error) (*layoutv2.State, *fr.Element, error) {
		return nil, nil, &StepError{Index: i, Type: typ, Err: err}
	}
	full := func(slots int) error { return fmt.Errorf("%w: %d slots of type %d", ErrTooManySteps, slots, typ) }
	var (
		pd   []frontend.Variable
		next *layoutv2.State
		op   *fr.Element
		err  error
	)
	switch t := t.(type) {
	case Deposit:
		if len(w.Deposits) == shape.Deposits {
			return refuse(full(shape.Deposits))
		}
		var c *collateralstep.DepositCircuit
		if c, next, err = collateralstep.DepositWitnessWithMargin(cur, t.Deposit, shape.K); err != nil {
			return refuse(err)
		}
		h := batch.DepositHash(t.Account, t.L1Owner, t.PublicKeyX, t.PublicKeyY, t.Amount)
		w.Deposits = append(w.Deposits, CollateralWitness[collateralstep.DepositStep]{Index: uint16(i), Step: &c.Step})
		pd, op = c.PublicData, &h
	case Withdrawal:
		if len(w.Withdrawals) == shape.Withdrawals {
			return refuse(full(shape.Withdrawals))
		}
		if t.Domain != d {
			return refuse(ErrDomain)
		}
		var c *collateralstep.WithdrawalCircuit
		if c, next, err = collateralstep.WithdrawalWitnessWithMargin(cur, t.Withdrawal, shape.K); err != nil {
			return refuse(err)
		}
		w.Withdrawals = append(w.Withdrawals, CollateralWitness[collateralstep.WithdrawalStep]{Index: uint16(i), Step: &c.Step})
		pd = c.PublicData
	case Transfer:
		if len(w.Transfers) == shape.Transfers {
			return refuse(full(shape.Transfers))
		}
		if t.Domain != d {
			return refuse(ErrDomain)
		}
		var c *collateralstep.TransferCircuit
		if c, next, err = collateralstep.TransferWitnessWithMargin(cur, t.Transfer, shape.K); err != nil {
			return refuse(err)
		}
		w.Transfers = append(w.Transfers, CollateralWitness[collateralstep.TransferStep]{Index: uint16(i), Step: &c.Step})
		pd = c.PublicData
	case ForcedWithdrawal:
		if len(w.ForcedWithdrawals) == shape.ForcedWithdrawals {
			return refuse(full(shape.ForcedWithdrawals))
		}
		var c *collateralstep.ForcedWithdrawalCircuit
		if c, next, err = collateralstep.ForcedWithdrawalWitnessWithMargin(cur, t.ForcedWithdrawal, shape.K); err != nil {
			return refuse(err)
		}
		h := batch.ForcedWithdrawalHash(t.Account, t.L1Owner, t.Amount)
		w.ForcedWithdrawals = append(w.ForcedWithdrawals, CollateralWitness[collateralstep.ForcedWithdrawalStep]{Index: uint16(i), Step: &c.Step})
		pd, op = c.PublicData, &h
	default:
		return refuse(ErrUnsupportedTx)
	}
	record, err := recordOf(pd)
	if err != nil {
		return nil, nil, err
	}
	copy(w.Records[i], record)
	return next, op, nil
}
