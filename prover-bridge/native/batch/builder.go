package batch

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Builder executes transactions on an in-memory layout-v1 state and records the slots of a batch
// with their witnesses. It is the Go reference of the Java batcher: tests and the golden-witness
// generator use it. A Builder is not safe for concurrent use.
type Builder struct {
	state    *layout.State
	priority fr.Element
	start    Witness
	slots    []Slot
}

// NewBuilder starts batch number batchNumber on state, with the L1 priority hash so far.
func NewBuilder(state *layout.State, batchNumber uint64, priorityHash fr.Element) *Builder {
	return &Builder{state: state, priority: priorityHash, start: Witness{BatchNumber: batchNumber,
		AccountsRoot: state.AccountsRoot(), MarketsRoot: state.MarketsRoot(), GlobalLeaf: state.GlobalLeaf(),
		PriorityHashBefore: priorityHash}}
}

// State is the state with every added transaction applied.
func (b *Builder) State() *layout.State { return b.state }

// PriorityHash is the priority hash after every deposit added so far.
func (b *Builder) PriorityHash() fr.Element { return b.priority }

// Len is the number of transactions added.
func (b *Builder) Len() int { return len(b.slots) }

func (b *Builder) update(id uint32) (Update, error) {
	var u Update
	p, err := b.state.AccountProof(uint64(id))
	if err != nil {
		return u, err
	}
	copy(u.Siblings[:], p.Siblings)
	if a, ok := b.state.Account(uint64(id)); ok {
		u.Before = AccountLeaf{Exists: true, Account: a}
	}
	return u, nil
}

func (b *Builder) set(id uint32, l AccountLeaf) error {
	if !l.Exists {
		return nil // v1 transactions never empty a slot
	}
	a := l.Account
	return b.state.SetAccount(uint64(id), layout.AccountFields{PublicKeyX: a.PublicKeyX, PublicKeyY: a.PublicKeyY,
		L1Owner: a.L1Owner, Nonce: a.Nonce, Collateral: a.Collateral})
}

// Add applies a slot whose transaction fields are filled in (its updates are filled in here),
// checking it by the circuit's rules first. An invalid transaction is refused with a *RuleError
// and changes nothing.
func (b *Builder) Add(s Slot) error {
	var err error
	if s.A, err = b.update(s.AccountA); err != nil {
		return err
	}
	i := len(b.slots)
	t, err := ApplyA(i, &s, b.state.AccountsRoot(), b.priority)
	if err != nil {
		return err
	}
	if err := b.set(s.AccountA, t.LeafAfterA); err != nil {
		return err
	}
	if s.B, err = b.update(s.AccountB); err != nil {
		return err
	}
	if err := ApplyB(i, &s, t); err != nil {
		if s.A.Before.Exists {
			_ = b.set(s.AccountA, s.A.Before) // undo A (a refused transaction changes nothing)
		}
		return err
	}
	if err := b.set(s.AccountB, t.LeafAfterB); err != nil {
		return err
	}
	b.priority = t.PriorityHash
	b.slots = append(b.slots, s)
	return nil
}

// Deposit adds a deposit of amount to account id, bound to owner and the key of pub.
func (b *Builder) Deposit(id uint32, owner [20]byte, pub eddsa.PublicKey, amount uint64) error {
	return b.Add(Slot{Type: TxDeposit, AccountA: id, Amount: amount, L1Owner: owner, PubKeyX: pub.A.X, PubKeyY: pub.A.Y})
}

// Withdraw adds a withdrawal of amount from account id, signed with key.
func (b *Builder) Withdraw(id uint32, amount uint64, key *eddsa.PrivateKey) error {
	a, ok := b.state.Account(uint64(id))
	if !ok {
		return &RuleError{TxIndex: len(b.slots), Rule: RuleNoAccount, Detail: fmt.Sprintf("account %d does not exist", id)}
	}
	s := Slot{Type: TxWithdrawal, AccountA: id, Amount: amount, Nonce: a.Nonce}
	var err error
	if s.SigRX, s.SigRY, s.SigS, err = SignMessage(key, WithdrawalMessage(id, a.L1Owner, amount, a.Nonce)); err != nil {
		return err
	}
	return b.Add(s)
}

// Transfer adds a transfer of amount from account from to account to, signed with key.
func (b *Builder) Transfer(from, to uint32, amount uint64, key *eddsa.PrivateKey) error {
	a, ok := b.state.Account(uint64(from))
	if !ok {
		return &RuleError{TxIndex: len(b.slots), Rule: RuleNoAccount, Detail: fmt.Sprintf("account %d does not exist", from)}
	}
	s := Slot{Type: TxTransfer, AccountA: from, AccountB: to, Amount: amount, Nonce: a.Nonce}
	var err error
	if s.SigRX, s.SigRY, s.SigS, err = SignMessage(key, TransferMessage(from, to, amount, a.Nonce)); err != nil {
		return err
	}
	return b.Add(s)
}

// ForcedWithdraw adds the service of a forced withdrawal of amount from account id requested on L1
// by owner (paid if the account holds it, refused otherwise).
func (b *Builder) ForcedWithdraw(id uint32, owner [20]byte, amount uint64) error {
	return b.Add(Slot{Type: TxForcedWithdrawal, AccountA: id, Amount: amount, L1Owner: owner})
}

// Finish pads the batch with no-ops on account 0 up to batchSize slots and returns its witness.
// The builder then starts the next batch number on the resulting state.
func (b *Builder) Finish(batchSize int) (*Witness, error) {
	if len(b.slots) > batchSize {
		return nil, fmt.Errorf("batch: %d transactions do not fit a batch of %d", len(b.slots), batchSize)
	}
	for len(b.slots) < batchSize {
		if err := b.Add(Slot{Type: TxNoop}); err != nil {
			return nil, err
		}
	}
	w := b.start
	w.Slots = b.slots
	next := b.start.BatchNumber + 1
	*b = *NewBuilder(b.state, next, b.priority)
	return &w, nil
}
