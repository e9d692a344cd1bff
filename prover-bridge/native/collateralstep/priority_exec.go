package collateralstep

import (
	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// executeDeposit runs a deposit on s (ApplyDeposit's rules) and, for k ≥ 0, builds the circuit's
// assignment of that shape (see executed).
func executeDeposit(s *layoutv2.State, d Deposit, force bool, k int) (*executed[DepositCircuit], error) {
	id := uint64(d.Account)
	if err := checkID(id); err != nil {
		return nil, err
	}
	var r rules
	if id == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount)
	}
	a, exists := s.Account(id)
	if exists {
		if a.Identity.L1Owner != d.L1Owner || !a.Identity.PublicKeyX.Equal(&d.PublicKeyX) || !a.Identity.PublicKeyY.Equal(&d.PublicKeyY) {
			r.add(RuleBinding)
		}
	} else {
		a = layoutv2.Account{Identity: layoutv2.Identity{PublicKeyX: d.PublicKeyX, PublicKeyY: d.PublicKeyY, L1Owner: d.L1Owner},
			FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth)}
	}
	// the engine credits after settling funding (Settlement.credit)
	st, err := settle(s, a)
	after, ok := addCollateral(st.collateral, d.Amount)
	if err != nil || !ok {
		r.add(RuleRange)
		ok = false
	}
	if len(r) > 0 && (!force || !ok) {
		return nil, r.err()
	}
	next := s.Clone()
	if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: after, Positions: st.positions}); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[DepositCircuit]{next: next}, nil
	}
	leaf, list, margin, err := openedWithList(s, id, a, k)
	if err != nil {
		return nil, err
	}
	c := NewDepositCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = DepositStep{Account: d.Account, L1Owner: el(layout.Address(d.L1Owner)), PublicKeyX: el(d.PublicKeyX),
		PublicKeyY: el(d.PublicKeyY), Amount: u(d.Amount), Exists: 0, A: leaf, List: list, Margin: margin, Rest: restOf(s)}
	if exists {
		c.Step.Exists = 1
	}
	c.PublicData = data([]byte{byte(batch.TxDeposit)})
	c.PriorityOp = el(batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount))
	return refuse(r, force, &executed[DepositCircuit]{next: next, circuit: c})
}

// executeForced runs a forced withdrawal on s and, for k ≥ 0, builds the assignment.
func executeForced(s *layoutv2.State, f ForcedWithdrawal, force bool, k int) (*executed[ForcedWithdrawalCircuit], error) {
	id := uint64(f.Account)
	a, err := existingAccount(s, id)
	if err != nil {
		return nil, err
	}
	var r rules
	if id == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount)
	}
	if f.L1Owner != a.Identity.L1Owner {
		r.add(RuleOwner)
	}
	if f.Amount > batch.MaxAmount {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || f.Amount > batch.MaxAmount) {
		return nil, r.err()
	}
	st, err := settle(s, a)
	if err != nil {
		return nil, rules{RuleRange}.err()
	}
	covers := st.free >= 0 && f.Amount <= uint64(st.free)
	var paid uint64
	next := s.Clone()
	if covers {
		paid = f.Amount
		if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce,
			Collateral: st.collateral - int64(paid), Positions: st.positions}); err != nil {
			return nil, err
		}
	}
	if k == noCircuit {
		return &executed[ForcedWithdrawalCircuit]{next: next}, nil
	}
	leaf, list, margin, err := openedWithList(s, id, a, k)
	if err != nil {
		return nil, err
	}
	c := NewForcedWithdrawalCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = ForcedWithdrawalStep{Account: f.Account, L1Owner: el(layout.Address(f.L1Owner)), Amount: u(f.Amount), Covers: 0,
		A: leaf, List: list, Margin: margin, Rest: restOf(s)}
	if covers {
		c.Step.Covers = 1
	}
	c.PublicData = data([]byte{byte(batch.TxForcedWithdrawal)}, id3(f.Account), be8(paid), f.L1Owner[:])
	c.PriorityOp = el(batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	return refuse(r, force, &executed[ForcedWithdrawalCircuit]{next: next, circuit: c})
}
