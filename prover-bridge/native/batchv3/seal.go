package batchv3

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
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
// perpstep.WitnessBound), pads every slot group with no-ops (at the execution positions after
// the last step) and returns the sealed batch. A refused step is a *StepError naming its index
// and wrapping the step package's typed error; more steps of a type than slots is
// ErrTooManySteps; an unknown type ErrUnsupportedTx. state is never changed.
func Seal(state *layoutv2.State, shape Shape, steps []Tx, h Header) (*Sealed, error) {
	if err := shape.Check(); err != nil {
		return nil, err
	}
	s := shape.Steps()
	if len(steps) > s {
		return nil, fmt.Errorf("%w: %d steps, %d slots", ErrTooManySteps, len(steps), s)
	}
	w := &Witness{Shape: shape, BatchNumber: h.BatchNumber, BatchTime: h.BatchTime,
		Roots: make([]fr.Element, s+1), Priority: make([]fr.Element, s+1), Records: make([][]byte, s)}
	for i := range w.Records {
		w.Records[i] = make([]byte, shape.RecordSize())
	}
	w.Roots[0], w.Priority[0] = state.Root(), h.PriorityBefore
	cur := state
	for i, tx := range steps {
		switch t := tx.(type) {
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
		default:
			return nil, &StepError{Index: i, Type: tx.TxType(), Err: ErrUnsupportedTx}
		}
		w.Roots[i+1], w.Priority[i+1] = cur.Root(), w.Priority[i]
	}
	// padding: the remaining execution positions, in slot order
	pos := len(steps)
	for len(w.Trades) < shape.Trades {
		w.Trades = append(w.Trades, TradeWitness{Index: uint16(pos), NoOp: true})
		w.Roots[pos+1], w.Priority[pos+1] = w.Roots[pos], w.Priority[pos]
		pos++
	}
	a, err := w.Assignment(h.Domain)
	if err != nil {
		return nil, err
	}
	if cur == state {
		if cur, err = clone(state); err != nil {
			return nil, err
		}
	}
	return &Sealed{Witness: w, Assignment: a, Commitment: w.CommitmentBytes(), PublicInput: w.PublicInput(), NewState: cur}, nil
}

// clone returns a state with the same content (ApplyTrade's copies are new states already; an
// empty batch returns a copy too, so the caller never shares the old state).
func clone(s *layoutv2.State) (*layoutv2.State, error) {
	n := layoutv2.NewState()
	for _, id := range s.AccountIDs() {
		a, _ := s.Account(id)
		if err := n.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral, Positions: a.Positions}); err != nil {
			return nil, err
		}
		for slot := uint64(0); slot < 1<<layoutv2.FillsDepth; slot++ {
			if f, ok := s.Fill(id, slot); ok {
				if err := n.SetFill(id, f); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, id := range s.MarketIDs() {
		m, _ := s.Market(id)
		if err := n.SetMarket(id, m); err != nil {
			return nil, err
		}
	}
	if err := n.SetGlobal(s.Global()); err != nil {
		return nil, err
	}
	return n, nil
}
