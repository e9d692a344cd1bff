package batchv3

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// The forced trade (forcedtrade, docs/perp-circuit.md §12) as a batch step: one slot group after
// the four later groups. A forced-trade slot reads N list entries per account and opens the
// K-market table in its own old root, as a trade and a liquidation do; it consumes one priority
// operation (the request L1 queued, messages.ForcedTradeOp.Hash) whether the trade executes or
// is proven invalid, so it extends the priority chain in execution order as a forced withdrawal
// does, and writes forcedtrade.PublicData (with the reason) as its record.

// ForcedTrade is a forced-trade request as L1 queued it (messages.ForcedTradeOp) as a batch step.
// Seal decides it with forcedtrade's reference in the batch's deployment.
type ForcedTrade struct{ messages.ForcedTradeOp }

// TxType is forcedtrade.TypeForcedTrade (0x0C).
func (ForcedTrade) TxType() byte { return forcedtrade.TypeForcedTrade }

// ForcedTradeStep is forcedtrade.ForcedTradeTransition with its public-data record: the step of
// a forced-trade slot.
type ForcedTradeStep struct {
	forcedtrade.ForcedTradeTransition
}

// Transition is the embedded transition's (roots, IsPriority = 1, the operation) with the record
// forcedtrade.ForcedTradeTransition.PublicDataVars as its public data. Called while the circuit is
// defined, on the compiling goroutine.
func (s *ForcedTradeStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	tr, err := s.ForcedTradeTransition.Transition(env)
	if err != nil {
		return tr, err
	}
	tr.PublicData = s.PublicDataVars(env.API)
	return tr, nil
}

// The slot and witness types of the forced-trade group.
type (
	ForcedTradeSlot    = Slot[ForcedTradeStep]
	ForcedTradeWitness = SlotWitness[ForcedTradeStep]
)

// newForcedTrade allocates an empty forced-trade step of shape s for the deployment whose
// forced-trade separator is separator (nil where it is not read: decoding and counts).
func newForcedTrade(s Shape, separator *big.Int) ForcedTradeStep {
	if separator == nil {
		separator = big.NewInt(0)
	}
	return ForcedTradeStep{forcedtrade.NewStep(s.N, s.K, separator).ForcedTradeTransition}
}

// sealForcedTrade decides forced trade i on cur with forcedtrade.Witness in the shape's (N, K),
// appends its slot, writes its record and returns the new state (cur itself for an invalid
// request) and the operation hash. A refusal is a *StepError: a full group ErrTooManySteps, else
// the reference's typed error (a request it cannot serve) or forcedtrade.ErrShape.
func sealForcedTrade(w *Witness, i int, t ForcedTrade, cur *layoutv2.State, d messages.Domain) (*layoutv2.State, *fr.Element, error) {
	refuse := func(err error) (*layoutv2.State, *fr.Element, error) {
		return nil, nil, &StepError{Index: i, Type: t.TxType(), Err: err}
	}
	if len(w.ForcedTrades) == w.Shape.ForcedTrades {
		return refuse(fmt.Errorf("%w: %d forced-trade slots", ErrTooManySteps, w.Shape.ForcedTrades))
	}
	c, out, err := forcedtrade.Witness(cur, d, t.ForcedTradeOp, w.Shape.N, w.Shape.K)
	if err != nil {
		return refuse(err)
	}
	w.ForcedTrades = append(w.ForcedTrades, ForcedTradeWitness{Index: uint16(i), Step: &ForcedTradeStep{c.ForcedTradeTransition}})
	copy(w.Records[i], forcedtrade.PublicData(t.Message, out.Reason))
	op := t.Hash()
	return out.Next, &op, nil
}

// Padding forced trade: on a fixed state of two accounts and no market (paddingForcedTradeState),
// account 1 (owner 0x01…) asks to buy 1 of market 0 for 1 from account 2 (key from a public
// seed), nonce 1, with no signature (R = (0, 0), S = 0): market 0 is not listed, so the step
// proves reason 4 (unknown market) and changes nothing, for every N and every K (the table is all
// unlisted). Its roots are not bound to the batch's table (the no-op flag forces the table's roots
// equal instead).
const padForcedA, padForcedB = 1, 2

var padForcedOwner = [20]byte{0x01}

// paddingForcedTradeState is the padding forced trade's state.
func paddingForcedTradeState() (*layoutv2.State, error) {
	s := layoutv2.NewState()
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{0xf7}, 32)))
	if err != nil {
		return nil, err
	}
	if err := s.SetAccount(padForcedA, layoutv2.AccountFields{Identity: layoutv2.Identity{L1Owner: padForcedOwner}}); err != nil {
		return nil, err
	}
	ident := layoutv2.Identity{PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y}
	if err := s.SetAccount(padForcedB, layoutv2.AccountFields{Identity: ident}); err != nil {
		return nil, err
	}
	return s, nil
}

// buildPaddingForcedTrade builds the padding forced trade of shape s in deployment d.
func buildPaddingForcedTrade(d messages.Domain, s Shape) (*ForcedTradeStep, error) {
	st, err := paddingForcedTradeState()
	if err != nil {
		return nil, err
	}
	op := messages.ForcedTradeOp{OwnerA: padForcedOwner, Message: messages.ForcedTradeMessage{AccountA: padForcedA,
		AccountB: padForcedB, Market: 0, ABuys: true, Size: 1, Amount: 1, Nonce: 1}}
	c, _, err := forcedtrade.Witness(st, d, op, s.N, s.K)
	if err != nil {
		return nil, err
	}
	return &ForcedTradeStep{c.ForcedTradeTransition}, nil
}
