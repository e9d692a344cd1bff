package layoutv2

import (
	"slices"
	"testing"
)

// cloneFixture is a state with two accounts (one with two fills and a position), a market and a
// non-zero global leaf.
func cloneFixture(t *testing.T) *State {
	t.Helper()
	s := NewState()
	steps := []error{
		s.SetAccount(7, AccountFields{Nonce: 3, Collateral: 900, Positions: Positions{{Market: 2, Size: -4, FundingSnapshot: 1}}}),
		s.SetAccount(9, AccountFields{Collateral: 11}),
		s.SetFill(7, Fill{OrderNonce: 5, FilledAmount: 2}),
		s.SetFill(7, Fill{OrderNonce: 4100, FilledAmount: 1}),
		s.SetMarket(2, Market{OraclePrice: 1 << 32, FundingIndex: -6, OpenInterest: 4}),
		s.SetGlobal(Global{FeeBalance: 17, OracleQuorum: 1}),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestCloneHoldsTheSameState(t *testing.T) {
	s := cloneFixture(t)
	c := s.Clone()
	if c.Root() != s.Root() || c.AccountsRoot() != s.AccountsRoot() || c.MarketsRoot() != s.MarketsRoot() || c.GlobalLeaf() != s.GlobalLeaf() {
		t.Fatal("the clone's roots differ")
	}
	if !slices.Equal(c.AccountIDs(), s.AccountIDs()) || !slices.Equal(c.MarketIDs(), s.MarketIDs()) || !slices.Equal(c.FillSlots(7), s.FillSlots(7)) {
		t.Fatal("the clone lists other accounts, markets or fill slots")
	}
	for _, slot := range s.FillSlots(7) {
		want, _ := s.Fill(7, slot)
		if got, ok := c.Fill(7, slot); !ok || got != want {
			t.Fatalf("fill slot %d: %+v, want %+v", slot, got, want)
		}
	}
	leaf, sib, err := c.FillProof(7, 5)
	wantLeaf, wantSib, _ := s.FillProof(7, 5)
	if err != nil || leaf != wantLeaf || !slices.Equal(sib, wantSib) {
		t.Fatal("the clone's fill proof differs")
	}
}

func TestCloneIsIndependent(t *testing.T) {
	s := cloneFixture(t)
	before := s.Root()
	c := s.Clone()
	writes := []error{
		c.SetAccount(7, AccountFields{Nonce: 4, Collateral: 1}),
		c.SetAccount(12, AccountFields{}),
		c.SetFill(7, Fill{OrderNonce: 6, FilledAmount: 1}),
		c.SetFill(9, Fill{OrderNonce: 1, FilledAmount: 1}),
		c.SetMarket(3, Market{OraclePrice: 2}),
		c.SetGlobal(Global{FeeBalance: 1}),
	}
	for _, err := range writes {
		if err != nil {
			t.Fatal(err)
		}
	}
	if s.Root() != before || len(s.FillSlots(7)) != 2 || len(s.FillSlots(9)) != 0 || len(s.AccountIDs()) != 3 || len(s.MarketIDs()) != 1 {
		t.Fatal("writing the clone changed the original")
	}
	// and the reverse: the original's writes do not reach an earlier clone
	c2 := s.Clone()
	if err := s.SetFill(9, Fill{OrderNonce: 2, FilledAmount: 3}); err != nil {
		t.Fatal(err)
	}
	if c2.Root() != before || len(c2.FillSlots(9)) != 0 {
		t.Fatal("writing the original changed the clone")
	}
}
