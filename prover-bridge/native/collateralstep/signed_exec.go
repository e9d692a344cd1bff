package collateralstep

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
)

// executeWithdrawal runs a withdrawal on s and, for k ≥ 0, builds the assignment.
func executeWithdrawal(s *layoutv2.State, w Withdrawal, force bool, k int) (*executed[WithdrawalCircuit], error) {
	m := w.Message
	id := uint64(m.Account)
	a, err := existingAccount(s, id)
	if err != nil {
		return nil, err
	}
	var r rules
	if m.L1Owner != a.Identity.L1Owner {
		r.add(RuleOwner)
	}
	st := debit(&r, s, id, a, m.Nonce, m.Amount, w.Signature, m.Hash(w.Domain))
	if len(r) > 0 && (!force || slices.Contains(r, RuleRange) || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	next := s.Clone()
	if err := setDebited(next, id, a, st, m.Amount); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[WithdrawalCircuit]{next: next}, nil
	}
	leaf, margin, err := openedOf(s, id, a, k)
	if err != nil {
		return nil, err
	}
	c := NewWithdrawalCircuit(SeparatorsOf(w.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = WithdrawalStep{Account: m.Account, L1Owner: el(layout.Address(m.L1Owner)), Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(w.Signature), A: leaf, Margin: margin, Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxWithdrawal)}, id3(m.Account), be8(m.Amount), m.L1Owner[:])
	c.PriorityOp = 0
	return refuse(r, force, &executed[WithdrawalCircuit]{next: next, circuit: c})
}

// executeTransfer runs a transfer on s and, for k ≥ 0, builds the assignment (the receiver's path
// taken after the sender's update).
func executeTransfer(s *layoutv2.State, t Transfer, force bool, k int) (*executed[TransferCircuit], error) {
	m := t.Message
	from, to := uint64(m.Account), uint64(m.Receiver)
	if err := checkID(from); err != nil {
		return nil, err
	}
	if err := checkID(to); err != nil {
		return nil, err
	}
	var r rules
	if from == to {
		r.add(RuleSelfTransfer)
	}
	if to == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount) // the engine refuses it (RiskEngine.MAX_ACCOUNTS)
	}
	a, okA := s.Account(from)
	b, okB := s.Account(to)
	if !okA || !okB {
		r.add(RuleNoAccount)
	}
	if !okA || !okB || from == to {
		return nil, r.err() // nothing the circuit could open
	}
	st := debit(&r, s, from, a, m.Nonce, m.Amount, t.Signature, m.Hash(t.Domain))
	stB, errB := settle(s, b) // the engine settles the receiver's funding too
	credited, ok := addCollateral(stB.collateral, m.Amount)
	if errB != nil || !ok {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || slices.Contains(r, RuleRange) || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	next := s.Clone()
	if err := setDebited(next, from, a, st, m.Amount); err != nil {
		return nil, err
	}
	_, pathB, err := next.AccountProof(to) // after the sender's update
	if err != nil {
		return nil, err
	}
	if err := next.SetAccount(to, layoutv2.AccountFields{Identity: b.Identity, Nonce: b.Nonce, Collateral: credited, Positions: stB.positions}); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[TransferCircuit]{next: next}, nil
	}
	leafA, margin, err := openedOf(s, from, a, k)
	if err != nil {
		return nil, err
	}
	if _, err := marginOf(s, b, k); err != nil {
		return nil, fmt.Errorf("receiver: %w", err)
	}
	listB, err := listFor(b, k)
	if err != nil {
		return nil, err
	}
	var entriesB []gadget.Entry
	if k != 0 {
		entriesB = entriesOf(b)
	}
	idB, err := b.Identity.Hash()
	if err != nil {
		return nil, err
	}
	c := NewTransferCircuit(SeparatorsOf(t.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	cb := Credited{Identity: el(idB), Nonce: u(b.Nonce), Collateral: big.NewInt(b.Collateral), FillsRoot: el(b.FillsRoot), List: listB, Entries: entriesB}
	for i := range cb.Path {
		cb.Path[i] = el(pathB[i])
	}
	c.Step = TransferStep{Account: m.Account, Receiver: m.Receiver, Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(t.Signature), A: leafA, Margin: margin, B: cb, Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxTransfer)}, id3(m.Account), id3(m.Receiver), be8(m.Amount))
	c.PriorityOp = 0
	return refuse(r, force, &executed[TransferCircuit]{next: next, circuit: c})
}
