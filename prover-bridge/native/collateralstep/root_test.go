package collateralstep

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// mutation changes one value of an honest assignment.
type mutation struct {
	name string
	f    func(c frontend.Circuit)
}

func bump(v frontend.Variable) frontend.Variable {
	return new(big.Int).Add(v.(*big.Int), big.NewInt(1))
}

func leafMutations(l func(c frontend.Circuit) *Leaf) []mutation {
	return []mutation{
		{"a sibling of the account path", func(c frontend.Circuit) { l(c).Path[5] = bump(l(c).Path[5]) }},
		{"the opened collateral", func(c frontend.Circuit) { l(c).Collateral = bump(l(c).Collateral) }},
		{"the opened nonce", func(c frontend.Circuit) { l(c).Nonce = bump(l(c).Nonce) }},
		{"the opened fills root", func(c frontend.Circuit) { l(c).FillsRoot = bump(l(c).FillsRoot) }},
		{"the opened fee tier", func(c frontend.Circuit) { l(c).FeeTier = 3 }},
	}
}

// TestWrongRootsAndOpeningsAreUnsatisfiable: each honest witness with one value changed — the new
// root (the root of another outcome), the old root, a path sibling, an opened leaf field, the part
// of the state the step does not touch, a public-data byte, the priority operation — does not
// solve.
func TestWrongRootsAndOpeningsAreUnsatisfiable(t *testing.T) {
	s := newState(t)
	other := func(next *layoutv2.State, err error) *big.Int {
		if err != nil {
			t.Fatal(err)
		}
		return el(next.Root())
	}
	d := newDeposit(t)
	d.Amount++
	depOther := other(ApplyDeposit(s, d))
	w := validWithdrawal(t)
	w.Message.Amount = 2_499
	w.Signature = sign(t, 5, w.Message.Hash(demoDomain))
	wOther := other(ApplyWithdrawal(s, w))
	tr := validTransfer(t, sibling)
	tr.Message.Amount = 2_499
	tr.Signature = sign(t, 5, tr.Message.Hash(demoDomain))
	tOther := other(ApplyTransfer(s, tr))
	fOther := other(ApplyForcedWithdrawal(s, ForcedWithdrawal{Account: sender, L1Owner: ownerA, Amount: 9_999}))

	type typ struct {
		name     string
		build    func() (frontend.Circuit, frontend.Circuit)
		common   func(c frontend.Circuit) (*frontend.Variable, *frontend.Variable, *Rest, []frontend.Variable, *frontend.Variable)
		otherNew *big.Int
		extra    []mutation
	}
	types := []typ{
		{"deposit", func() (frontend.Circuit, frontend.Circuit) {
			c, _, err := DepositWitness(s, existingDeposit(t))
			if err != nil {
				t.Fatal(err)
			}
			return NewDepositCircuit(), c
		}, func(c frontend.Circuit) (*frontend.Variable, *frontend.Variable, *Rest, []frontend.Variable, *frontend.Variable) {
			x := c.(*DepositCircuit)
			return &x.OldRoot, &x.NewRoot, &x.Step.Rest, x.PublicData, &x.PriorityOp
		}, depOther, append(leafMutations(func(c frontend.Circuit) *Leaf { return &c.(*DepositCircuit).Step.A }),
			mutation{"an existing account claimed new", func(c frontend.Circuit) { c.(*DepositCircuit).Step.Exists = 0 }},
			mutation{"the opened list", func(c frontend.Circuit) { c.(*DepositCircuit).Step.List[1] = 1 }},
			mutation{"the deposit amount", func(c frontend.Circuit) {
				x := c.(*DepositCircuit)
				x.Step.Amount = bump(x.Step.Amount)
			}})},
		{"withdrawal", func() (frontend.Circuit, frontend.Circuit) {
			c, _, err := WithdrawalWitness(s, validWithdrawal(t))
			if err != nil {
				t.Fatal(err)
			}
			return NewWithdrawalCircuit(seps), c
		}, func(c frontend.Circuit) (*frontend.Variable, *frontend.Variable, *Rest, []frontend.Variable, *frontend.Variable) {
			x := c.(*WithdrawalCircuit)
			return &x.OldRoot, &x.NewRoot, &x.Step.Rest, x.PublicData, nil
		}, wOther, leafMutations(func(c frontend.Circuit) *Leaf { return &c.(*WithdrawalCircuit).Step.A })},
		{"transfer", func() (frontend.Circuit, frontend.Circuit) {
			c, _, err := TransferWitness(s, validTransfer(t, sibling))
			if err != nil {
				t.Fatal(err)
			}
			return NewTransferCircuit(seps), c
		}, func(c frontend.Circuit) (*frontend.Variable, *frontend.Variable, *Rest, []frontend.Variable, *frontend.Variable) {
			x := c.(*TransferCircuit)
			return &x.OldRoot, &x.NewRoot, &x.Step.Rest, x.PublicData, nil
		}, tOther, append(leafMutations(func(c frontend.Circuit) *Leaf { return &c.(*TransferCircuit).Step.A }),
			mutation{"a sibling of the receiver's path", func(c frontend.Circuit) {
				b := &c.(*TransferCircuit).Step.B
				b.Path[9] = bump(b.Path[9])
			}},
			mutation{"the receiver's path taken in the old tree", func(c frontend.Circuit) {
				_, sib, err := s.AccountProof(sibling)
				if err != nil {
					t.Fatal(err)
				}
				c.(*TransferCircuit).Step.B.Path[0] = el(sib[0])
			}},
			mutation{"the receiver's collateral", func(c frontend.Circuit) {
				b := &c.(*TransferCircuit).Step.B
				b.Collateral = bump(b.Collateral)
			}},
			mutation{"the receiver's list", func(c frontend.Circuit) { c.(*TransferCircuit).Step.B.List[3] = 5 }})},
		{"forced withdrawal", func() (frontend.Circuit, frontend.Circuit) {
			c, _, err := ForcedWithdrawalWitness(s, ForcedWithdrawal{Account: sender, L1Owner: ownerA, Amount: 10_000})
			if err != nil {
				t.Fatal(err)
			}
			return NewForcedWithdrawalCircuit(), c
		}, func(c frontend.Circuit) (*frontend.Variable, *frontend.Variable, *Rest, []frontend.Variable, *frontend.Variable) {
			x := c.(*ForcedWithdrawalCircuit)
			return &x.OldRoot, &x.NewRoot, &x.Step.Rest, x.PublicData, &x.PriorityOp
		}, fOther, leafMutations(func(c frontend.Circuit) *Leaf { return &c.(*ForcedWithdrawalCircuit).Step.A })},
	}
	for _, ty := range types {
		muts := append([]mutation{
			{"the new root of another outcome", func(c frontend.Circuit) { _, n, _, _, _ := ty.common(c); *n = ty.otherNew }},
			{"the old root of another state", func(c frontend.Circuit) { o, _, _, _, _ := ty.common(c); *o = ty.otherNew }},
			{"the markets root", func(c frontend.Circuit) { _, _, r, _, _ := ty.common(c); r.MarketsRoot = bump(r.MarketsRoot) }},
			{"the global leaf", func(c frontend.Circuit) { _, _, r, _, _ := ty.common(c); r.GlobalLeaf = bump(r.GlobalLeaf) }},
			{"the last public-data byte", func(c frontend.Circuit) {
				_, _, _, pd, _ := ty.common(c)
				pd[len(pd)-1] = 1 ^ pd[len(pd)-1].(uint8)
			}},
		}, ty.extra...)
		if _, _, _, _, op := ty.common(must(ty.build())); op != nil {
			muts = append(muts, mutation{"the priority operation", func(c frontend.Circuit) {
				_, _, _, _, op := ty.common(c)
				*op = bump(*op)
			}})
		}
		for _, m := range muts {
			t.Run(ty.name+": "+m.name, func(t *testing.T) {
				shape, w := ty.build()
				if err := solve(shape, w); err != nil {
					t.Fatalf("the honest witness does not solve: %v", err)
				}
				m.f(w)
				if err := solve(shape, w); err == nil {
					t.Fatal("solves")
				}
			})
		}
	}
}

func must(_ frontend.Circuit, w frontend.Circuit) frontend.Circuit { return w }

// TestForcedWithdrawalFlagCannotBeForged: the prover's "collateral covers the amount" claim is
// pinned either way: claiming it for an amount above the collateral (to pay), or denying it for a
// covered amount (to pay nothing), does not solve, whatever new root goes with it.
func TestForcedWithdrawalFlagCannotBeForged(t *testing.T) {
	s := newState(t)
	for _, c := range []struct {
		amount uint64
		paidIf uint64 // what the forged claim would pay
	}{{10_001, 10_001}, {10_000, 0}, {1, 0}} {
		w, _, err := ForcedWithdrawalWitness(s, ForcedWithdrawal{Account: sender, L1Owner: ownerA, Amount: c.amount})
		if err != nil {
			t.Fatal(err)
		}
		if err := solve(NewForcedWithdrawalCircuit(), w); err != nil {
			t.Fatalf("honest %d: %v", c.amount, err)
		}
		w.Step.Covers = 1 - w.Step.Covers.(int)
		// the root and public data of the forged outcome, so only the claim can fail
		a, _ := s.Account(sender)
		forged := s.Clone()
		if err := setCollateral(forged, sender, a, a.Collateral-int64(c.paidIf), a.Nonce); err != nil {
			t.Fatal(err)
		}
		w.NewRoot = el(forged.Root())
		paid := be8(c.paidIf)
		for i := range paid {
			w.PublicData[4+i] = paid[i]
		}
		if err := solve(NewForcedWithdrawalCircuit(), w); err == nil {
			t.Fatalf("a forged claim for %d solves", c.amount)
		}
	}
}

// TestReceiverPathIsTakenAfterTheSendersUpdate: a transfer to the sender's sibling leaf whose
// receiver path is taken in the old tree, with the new root that path gives (the receiver
// credited, the sender not debited: collateral created), does not solve; the honest witness does.
func TestReceiverPathIsTakenAfterTheSendersUpdate(t *testing.T) {
	s := newState(t)
	w, _, err := TransferWitness(s, validTransfer(t, sibling))
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewTransferCircuit(seps), w); err != nil {
		t.Fatal(err)
	}
	_, old, err := s.AccountProof(sibling)
	if err != nil {
		t.Fatal(err)
	}
	for i := range w.Step.B.Path {
		w.Step.B.Path[i] = el(old[i])
	}
	credited := s.Clone()
	b, _ := s.Account(sibling)
	if err := setCollateral(credited, sibling, b, b.Collateral+2_500, b.Nonce); err != nil {
		t.Fatal(err)
	}
	w.NewRoot = el(credited.Root())
	if err := solve(NewTransferCircuit(seps), w); err == nil {
		t.Fatal("a receiver path in the old tree solves")
	}
}

// TestUnrepresentableRefusalsAreUnsatisfiable covers the refusals the witness builder cannot
// produce (TestRuleBrokenAloneIsRefused checks the reference's side): a transfer to an empty slot,
// opened with the fields a prover would have to claim, and a transfer to oneself with the sender's
// leaf after its own debit as the receiver (the old format allowed it), each with the new root of
// its own formulas.
func TestUnrepresentableRefusalsAreUnsatisfiable(t *testing.T) {
	t.Run("transfer to a missing account", func(t *testing.T) {
		s := newState(t)
		w, next, err := TransferWitness(s, validTransfer(t, receiver))
		if err != nil {
			t.Fatal(err)
		}
		m := tm(sender, empty, 2_500, 3)
		w.Step.Receiver = uint32(empty)
		w.Step.Signature = signatureOf(sign(t, 5, m.Hash(demoDomain)))
		mid := s.Clone()
		a, _ := s.Account(sender)
		if err := setCollateral(mid, sender, a, a.Collateral-2_500, a.Nonce+1); err != nil {
			t.Fatal(err)
		}
		_, path, err := mid.AccountProof(empty)
		if err != nil {
			t.Fatal(err)
		}
		w.Step.B = Credited{Identity: 0, Nonce: 0, Collateral: 0, FillsRoot: 0, List: List{0, 0, 0, 0}}
		for i := range path {
			w.Step.B.Path[i] = el(path[i])
		}
		w.NewRoot = el(next.Root())
		w.PublicData[6] = byte(empty)
		if err := solve(NewTransferCircuit(seps), w); err == nil {
			t.Fatal("a transfer to an empty slot solves")
		}
	})
	t.Run("transfer to oneself", func(t *testing.T) {
		s := newState(t)
		w, _, err := TransferWitness(s, validTransfer(t, receiver))
		if err != nil {
			t.Fatal(err)
		}
		m := tm(sender, sender, 2_500, 3)
		w.Step.Receiver = uint32(sender)
		w.Step.Signature = signatureOf(sign(t, 5, m.Hash(demoDomain)))
		a, _ := s.Account(sender)
		next := s.Clone()
		if err := setCollateral(next, sender, a, a.Collateral-2_500, a.Nonce+1); err != nil {
			t.Fatal(err)
		}
		_, path, err := next.AccountProof(sender)
		if err != nil {
			t.Fatal(err)
		}
		debited, _ := next.Account(sender)
		id, err := a.Identity.Hash()
		if err != nil {
			t.Fatal(err)
		}
		w.Step.B = Credited{Identity: el(id), Nonce: u(debited.Nonce), Collateral: big.NewInt(debited.Collateral),
			FillsRoot: el(debited.FillsRoot), List: List{0, 0, 0, 0}}
		for i := range path {
			w.Step.B.Path[i] = el(path[i])
		}
		if err := setCollateral(next, sender, a, a.Collateral, a.Nonce+1); err != nil {
			t.Fatal(err)
		}
		w.NewRoot = el(next.Root())
		w.PublicData[6] = byte(sender)
		if err := solve(NewTransferCircuit(seps), w); err == nil {
			t.Fatal("a transfer to oneself solves")
		}
	})
}
