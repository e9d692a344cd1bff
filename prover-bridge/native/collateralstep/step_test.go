package collateralstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// stepCase is one valid transaction: its witness and circuit shape, from the reference.
type stepCase struct {
	name    string
	pays0   bool // a forced withdrawal that pays 0: consumed, the state root stays
	witness func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error)
}

func validCases() []stepCase {
	dep := func(d func(testing.TB) Deposit) func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
		return func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := DepositWitness(s, d(t))
			return NewDepositCircuit(), w, next, err
		}
	}
	tr := func(to uint32) func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
		return func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := TransferWitness(s, validTransfer(t, to))
			return NewTransferCircuit(seps), w, next, err
		}
	}
	forced := func(id uint32, owner [20]byte, amount uint64) func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
		return func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := ForcedWithdrawalWitness(s, ForcedWithdrawal{Account: id, L1Owner: owner, Amount: amount})
			return NewForcedWithdrawalCircuit(), w, next, err
		}
	}
	return []stepCase{
		{"deposit into an empty slot", false, dep(newDeposit)},
		{"deposit into an existing account", false, dep(existingDeposit)},
		{"deposit into an account holding a position (margin shape: its funding settled)", false, func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			k := key(t, 6).PublicKey
			w, next, err := DepositWitnessWithMargin(s, Deposit{Account: holder, L1Owner: ownerB, PublicKeyX: k.A.X, PublicKeyY: k.A.Y, Amount: 1}, 4)
			return NewDepositCircuitWithMargin(4), w, next, err
		}},
		{"withdrawal", false, func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := WithdrawalWitness(s, validWithdrawal(t))
			return NewWithdrawalCircuit(seps), w, next, err
		}},
		{"withdrawal of the whole collateral", false, func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := WithdrawalWitness(s, withdrawal(t, 5, demoDomain, withdrawalMessage(sender, ownerA, 10_000, 3)))
			return NewWithdrawalCircuit(seps), w, next, err
		}},
		{"transfer to the sibling leaf (its path after the sender's update)", false, tr(sibling)},
		{"transfer to an account holding a position (margin shape: its funding settled)", false, func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := TransferWitnessWithMargin(s, validTransfer(t, holder), 4)
			return NewTransferCircuitWithMargin(seps, 4), w, next, err
		}},
		{"forced withdrawal covered", false, forced(sender, ownerA, 10_000)},
		{"forced withdrawal above collateral pays 0", true, forced(sender, ownerA, 10_001)},
		{"forced withdrawal from an account holding a position, above its free collateral, pays 0 (margin shape)", true, func(t *testing.T, s *layoutv2.State) (frontend.Circuit, frontend.Circuit, *layoutv2.State, error) {
			w, next, err := ForcedWithdrawalWitnessWithMargin(s, ForcedWithdrawal{Account: holder, L1Owner: ownerB, Amount: 100}, 4)
			return NewForcedWithdrawalCircuitWithMargin(4), w, next, err
		}},
		{"forced withdrawal from a negative collateral pays 0", true, forced(negative, ownerC, 1)},
	}
}

// TestValidStepsSolve: each valid transaction solves its circuit with the roots of the reference's
// old and new state, the reference's public data and priority operation; the old state is
// unchanged.
func TestValidStepsSolve(t *testing.T) {
	for _, c := range validCases() {
		t.Run(c.name, func(t *testing.T) {
			s := newState(t)
			before := s.Root()
			shape, w, next, err := c.witness(t, s)
			if err != nil {
				t.Fatal(err)
			}
			if s.Root() != before {
				t.Fatal("the reference changed the old state")
			}
			if (next.Root() == before) != c.pays0 {
				t.Fatalf("root changed: %v, want %v", next.Root() != before, !c.pays0)
			}
			if err := solve(shape, w); err != nil {
				t.Fatalf("does not solve: %v", err)
			}
		})
	}
}

// TestApplyWritesTheState checks each reference against hand-computed figures; nothing else moves.
func TestApplyWritesTheState(t *testing.T) {
	s := newState(t)
	unchanged := func(next *layoutv2.State, ids ...uint64) {
		t.Helper()
		skip := map[uint64]bool{}
		for _, id := range ids {
			skip[id] = true
		}
		for _, id := range s.AccountIDs() {
			a, _ := s.Account(id)
			b, ok := next.Account(id)
			if !skip[id] && (!ok || a.Collateral != b.Collateral || a.Nonce != b.Nonce || a.Positions != b.Positions || a.FillsRoot != b.FillsRoot) {
				t.Errorf("account %d changed", id)
			}
		}
		if next.MarketsRoot() != s.MarketsRoot() || next.GlobalLeaf() != s.GlobalLeaf() {
			t.Error("markets or global leaf changed")
		}
	}
	d := newDeposit(t)
	next, err := ApplyDeposit(s, d)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := next.Account(empty)
	if !ok || a.Collateral != 9_000 || a.Nonce != 0 || a.Identity.FeeTier != 0 || a.Identity.L1Owner != ownerB ||
		a.FillsRoot != layout.EmptyRoot(layoutv2.FillsDepth) || a.Positions != (layoutv2.Positions{}) || a.Identity.PublicKeyX != d.PublicKeyX {
		t.Errorf("new account %+v", a)
	}
	unchanged(next, empty)

	next, err = ApplyWithdrawal(s, validWithdrawal(t))
	if err != nil {
		t.Fatal(err)
	}
	a0, _ := s.Account(sender)
	a, _ = next.Account(sender)
	if a.Collateral != 7_500 || a.Nonce != 4 || a.FillsRoot != a0.FillsRoot || a.Identity != a0.Identity {
		t.Errorf("after withdrawal %+v", a)
	}
	unchanged(next, sender)

	next, err = ApplyTransfer(s, validTransfer(t, holder))
	if err != nil {
		t.Fatal(err)
	}
	a, _ = next.Account(sender)
	b, _ := next.Account(holder)
	b0, _ := s.Account(holder)
	// the receiver's funding is settled first: ⌊−(0 − 99) · (−15) / 2^32⌋ = ⌊−1,485 / 2^32⌋ = −1,
	// and its snapshot moves to market 2's index, 0
	if a.Collateral != 7_500 || a.Nonce != 4 || b.Collateral != 2_999 || b.Nonce != 7 || b.Positions[0].Size != b0.Positions[0].Size ||
		b.Positions[0].FundingSnapshot != 0 {
		t.Errorf("after transfer %+v %+v", a, b)
	}
	unchanged(next, sender, holder)

	for _, c := range []struct {
		id     uint32
		owner  [20]byte
		amount uint64
		want   int64
	}{{sender, ownerA, 10_000, 0}, {sender, ownerA, 10_001, 10_000}, {holder, ownerB, 100, 500}, {negative, ownerC, 1, -40}} {
		next, err = ApplyForcedWithdrawal(s, ForcedWithdrawal{Account: c.id, L1Owner: c.owner, Amount: c.amount})
		if err != nil {
			t.Fatal(err)
		}
		a, _ = next.Account(uint64(c.id))
		a0, _ = s.Account(uint64(c.id))
		if a.Collateral != c.want || a.Nonce != a0.Nonce {
			t.Errorf("forced %d from %d: collateral %d, want %d", c.amount, c.id, a.Collateral, c.want)
		}
		unchanged(next, uint64(c.id))
	}
}

// TestPublicDataByHand checks each type's public data (which the circuit asserts equal to the
// bytes it derives) against bytes written out by hand.
func TestPublicDataByHand(t *testing.T) {
	s := newState(t)
	bytesOf := func(pd []frontend.Variable) []byte {
		out := make([]byte, len(pd))
		for i, v := range pd {
			out[i] = v.(byte)
		}
		return out
	}
	d, _, err := DepositWitness(s, newDeposit(t))
	if err != nil {
		t.Fatal(err)
	}
	w, _, err := WithdrawalWitness(s, validWithdrawal(t))
	if err != nil {
		t.Fatal(err)
	}
	tr, _, err := TransferWitness(s, validTransfer(t, receiver))
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := ForcedWithdrawalWitness(s, ForcedWithdrawal{Account: sender, L1Owner: ownerA, Amount: 10_001})
	if err != nil {
		t.Fatal(err)
	}
	owner := ownerA[:]
	for _, c := range []struct {
		name      string
		got, want []byte
	}{
		{"deposit", bytesOf(d.PublicData), []byte{1}},
		{"withdrawal", bytesOf(w.PublicData), append([]byte{2, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0x09, 0xc4}, owner...)},
		{"transfer", bytesOf(tr.PublicData), []byte{3, 0, 0, 5, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0x09, 0xc4}},
		{"forced withdrawal refused", bytesOf(f.PublicData), append([]byte{4, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0}, owner...)},
	} {
		if string(c.got) != string(c.want) {
			t.Errorf("%s: % x, want % x", c.name, c.got, c.want)
		}
	}
}
