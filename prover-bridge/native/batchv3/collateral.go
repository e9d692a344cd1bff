package batchv3

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// The collateral steps (collateralstep) as batch steps: one slot group per type, every step in
// collateralstep's margin shape with the shape's K-market table (the no-position shape would let
// an operator pay 0 to an account with positions whose free collateral covers a forced
// withdrawal, docs/batch-format.md "Format v3"). Deposit and ForcedWithdrawal consume the next L1
// priority operation.

// Deposit is a collateralstep.Deposit (an L1 priority operation) as a batch step.
type Deposit struct{ collateralstep.Deposit }

// TxType is batch.TxDeposit (1).
func (Deposit) TxType() byte { return byte(batch.TxDeposit) }

// Withdrawal is a signed collateralstep.Withdrawal as a batch step; its Domain must be the batch's.
type Withdrawal struct{ collateralstep.Withdrawal }

// TxType is batch.TxWithdrawal (2).
func (Withdrawal) TxType() byte { return byte(batch.TxWithdrawal) }

// Transfer is a signed collateralstep.Transfer as a batch step; its Domain must be the batch's.
type Transfer struct{ collateralstep.Transfer }

// TxType is batch.TxTransfer (3).
func (Transfer) TxType() byte { return byte(batch.TxTransfer) }

// ForcedWithdrawal is a collateralstep.ForcedWithdrawal (an L1 priority operation) as a batch step.
type ForcedWithdrawal struct {
	collateralstep.ForcedWithdrawal
}

// TxType is batch.TxForcedWithdrawal (4).
func (ForcedWithdrawal) TxType() byte { return byte(batch.TxForcedWithdrawal) }

// CollateralSlot is one slot of a collateral group (a Slot): σ, the no-op flag and the step's witness (the
// padding step's for a no-op). S is one of collateralstep's step types.
type CollateralSlot[S any] = Slot[S]

// CollateralWitness is one collateral slot of a Witness (a SlotWitness).
type CollateralWitness[S any] = SlotWitness[S]

// The collateral steps allocated in the margin shape of k markets (sep: the deployment's
// separators; nil for decoding and counts, where they are not read).
func newDeposit(k int) collateralstep.DepositStep {
	return collateralstep.NewDepositCircuitWithMargin(k).Step
}

func newWithdrawal(sep collateralstep.Separators, k int) collateralstep.WithdrawalStep {
	return collateralstep.NewWithdrawalCircuitWithMargin(sep, k).Step
}

func newTransfer(sep collateralstep.Separators, k int) collateralstep.TransferStep {
	return collateralstep.NewTransferCircuitWithMargin(sep, k).Step
}

func newForced(k int) collateralstep.ForcedWithdrawalStep {
	return collateralstep.NewForcedWithdrawalCircuitWithMargin(k).Step
}

// Padding collateral steps (see noop.go for the trade): on a fixed state of two accounts (1 and 2,
// keys from public seeds, collateral 10^6, no position, no market), a deposit of 1 into the empty
// slot 3, a withdrawal of 1 by account 1, a transfer of 1 from account 1 to 2 (both signed for the
// batch's deployment) and a forced withdrawal of 1 from account 1, each in the margin shape of the
// batch's K (every table market an empty slot). Their roots are not bound to the batch's table; a
// no-op deposit or forced withdrawal does not extend the priority chain (the slot rule counts
// IsPriority only when live).

type collateralKey struct {
	domain messages.Domain
	k      int
	typ    byte
}

var paddingCollateral sync.Map // collateralKey → *S (the step type of typ)

var paddingOwner = [20]byte{0xd0}

func paddingCollateralState() (*layoutv2.State, []*eddsa.PrivateKey, error) {
	s := layoutv2.NewState()
	var keys []*eddsa.PrivateKey
	for i := range 2 {
		k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{byte(0xd0 + i)}, 32)))
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
		ident := layoutv2.Identity{PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y, L1Owner: paddingOwner}
		if err := s.SetAccount(uint64(i+1), layoutv2.AccountFields{Identity: ident, Collateral: 1_000_000}); err != nil {
			return nil, nil, err
		}
	}
	return s, keys, nil
}

func signHash(k *eddsa.PrivateKey, h fr.Element) ([]byte, error) {
	b := h.Bytes()
	return k.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
}

// paddingStep returns the padding step of type typ (batch.TxDeposit … TxForcedWithdrawal) for the
// margin shape of k markets in deployment d: a *collateralstep.DepositStep, *WithdrawalStep,
// *TransferStep or *ForcedWithdrawalStep.
func paddingStep(d messages.Domain, k int, typ byte) (any, error) {
	key := collateralKey{d, k, typ}
	if w, ok := paddingCollateral.Load(key); ok {
		return w, nil
	}
	s, keys, err := paddingCollateralState()
	if err != nil {
		return nil, err
	}
	var step any
	switch batch.TxType(typ) {
	case batch.TxDeposit:
		dep := collateralstep.Deposit{Account: 3, L1Owner: paddingOwner, PublicKeyX: keys[0].PublicKey.A.X, PublicKeyY: keys[0].PublicKey.A.Y, Amount: 1}
		c, _, e := collateralstep.DepositWitnessWithMargin(s, dep, k)
		if err = e; e == nil {
			step = &c.Step
		}
	case batch.TxWithdrawal:
		w := collateralstep.Withdrawal{Domain: d, Message: messages.WithdrawalMessage{Account: 1, L1Owner: paddingOwner, Amount: 1}}
		if w.Signature, err = signHash(keys[0], w.Message.Hash(d)); err != nil {
			return nil, err
		}
		c, _, e := collateralstep.WithdrawalWitnessWithMargin(s, w, k)
		if err = e; e == nil {
			step = &c.Step
		}
	case batch.TxTransfer:
		t := collateralstep.Transfer{Domain: d, Message: messages.TransferMessage{Account: 1, Receiver: 2, Amount: 1}}
		if t.Signature, err = signHash(keys[0], t.Message.Hash(d)); err != nil {
			return nil, err
		}
		c, _, e := collateralstep.TransferWitnessWithMargin(s, t, k)
		if err = e; e == nil {
			step = &c.Step
		}
	case batch.TxForcedWithdrawal:
		f := collateralstep.ForcedWithdrawal{Account: 1, L1Owner: paddingOwner, Amount: 1}
		c, _, e := collateralstep.ForcedWithdrawalWitnessWithMargin(s, f, k)
		if err = e; e == nil {
			step = &c.Step
		}
	default:
		return nil, fmt.Errorf("%w: no padding step of type %d", ErrUnsupportedTx, typ)
	}
	if err != nil {
		return nil, fmt.Errorf("batchv3: padding step of type %d: %w", typ, err)
	}
	paddingCollateral.Store(key, step)
	return step, nil
}

// recordOf is a collateral step's public data (collateralstep assigns it as byte values).
func recordOf(pd []frontend.Variable) ([]byte, error) {
	out := make([]byte, len(pd))
	for i, v := range pd {
		b, ok := v.(byte)
		if !ok {
			return nil, fmt.Errorf("batchv3: public-data byte %d is a %T", i, v)
		}
		out[i] = b
	}
	return out, nil
}
