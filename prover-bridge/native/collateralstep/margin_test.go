package collateralstep

import (
	"errors"
	"math/big"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

const trader, tableK = 12, 4

// marginState is the scenario with two more markets and account 12 holding a long 40 in market
// 0 (price 100, funding index 3, snapshot 1: funding −80 pending) and a short 25 in market 1 in
// entry 2, entry 1 empty (price 50, index −2, snapshot 0: funding −50 pending), collateral 5,000.
// By hand: values 4,000 and −1,250; IMR ⌈4,000 · 10%⌉ = 400 and ⌈1,250 · 5%⌉ = 63; equity
// 5,000 − 130 + 2,750 = 7,620; free collateral 7,620 − 463 = 7,157.
func marginState(t testing.TB) *layoutv2.State {
	s := newState(t)
	for id, m := range []layoutv2.Market{
		{OraclePrice: 100 << 32, FundingIndex: 3 << 32, OpenInterest: 40, OracleTimestamp: 1_800_000_000, FundingTimestamp: 1_799_000_000,
			Risk: layoutv2.MarketRisk{InitialMarginPpm: 100_000, MaintenanceMarginPpm: 60_000, BaselinePositionSize: 1_000_000,
				IncrementalPositionSize: 1, MaxPositionSize: 1 << 40, OpenInterestCap: 1 << 40, OracleMaxAgeSeconds: 60, FundingMaxRatePpm: 1_000}},
		{OraclePrice: 50 << 32, FundingIndex: -2 << 32, OpenInterest: 0,
			Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 1_000_000,
				IncrementalPositionSize: 1, MaxPositionSize: 1 << 40, OpenInterestCap: 1 << 40}},
	} {
		if err := s.SetMarket(uint64(id), m); err != nil {
			t.Fatal(err)
		}
	}
	var list layoutv2.Positions
	list[0] = layoutv2.PositionEntry{Market: 0, Size: 40, FundingSnapshot: 1 << 32}
	list[2] = layoutv2.PositionEntry{Market: 1, Size: -25, FundingSnapshot: 0}
	if err := s.SetAccount(trader, layoutv2.AccountFields{Identity: identityOf(t, 12, ownerA, 3), Nonce: 9, Collateral: 5_000, Positions: list}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMarginDebitAtTheBoundary: a withdrawal and a transfer of exactly the free collateral
// (7,157, by hand) solve the margin shape with the reference's new root, settling funding
// (snapshots at the indices, collateral 5,000 − 130 − 7,157 = −2,287: unrealized profit
// withdrawn, as the engine allows); one quantum more is refused for free collateral alone and
// does not solve.
func TestMarginDebitAtTheBoundary(t *testing.T) {
	s := marginState(t)
	w := withdrawal(t, 12, demoDomain, wm(trader, ownerA, 7_157, 9))
	c, next, err := WithdrawalWitnessWithMargin(s, w, tableK)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := next.Account(trader)
	if a.Collateral != -2_287 || a.Nonce != 10 || a.Positions[0].FundingSnapshot != 3<<32 || a.Positions[2].FundingSnapshot != -2<<32 ||
		a.Positions[0].Size != 40 || a.Positions[2].Size != -25 || !a.Positions[1].Empty() {
		t.Fatalf("after the withdrawal: %+v", a)
	}
	if err := solve(NewWithdrawalCircuitWithMargin(seps, tableK), c); err != nil {
		t.Fatalf("the boundary withdrawal does not solve: %v", err)
	}
	tr := transfer(t, 12, demoDomain, tm(trader, receiver, 7_157, 9))
	ct, _, err := TransferWitnessWithMargin(s, tr, tableK)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewTransferCircuitWithMargin(seps, tableK), ct); err != nil {
		t.Fatalf("the boundary transfer does not solve: %v", err)
	}

	w = withdrawal(t, 12, demoDomain, wm(trader, ownerA, 7_158, 9))
	if _, err := ApplyWithdrawal(s, w); !refusedFor(err, RuleCollateral) {
		t.Fatalf("one quantum above free collateral: %v", err)
	}
	e, err := executeWithdrawal(s, w, true, tableK)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewWithdrawalCircuitWithMargin(seps, tableK), e.circuit); err == nil {
		t.Fatal("a withdrawal above free collateral solves")
	}
	tr = transfer(t, 12, demoDomain, tm(trader, receiver, 7_158, 9))
	if _, err := ApplyTransfer(s, tr); !refusedFor(err, RuleCollateral) {
		t.Fatalf("transfer one quantum above free collateral: %v", err)
	}
	et, err := executeTransfer(s, tr, true, tableK)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewTransferCircuitWithMargin(seps, tableK), et.circuit); err == nil {
		t.Fatal("a transfer above free collateral solves")
	}
}

func refusedFor(err error, r Rule) bool {
	var re *RuleError
	return errors.As(err, &re) && len(re.Rules) == 1 && re.Rules[0] == r
}

// TestMarginShapeWithoutPositions: the margin shape also proves a debit from an account without
// positions (free collateral = collateral), with the same new state as the no-position shape.
func TestMarginShapeWithoutPositions(t *testing.T) {
	s := marginState(t)
	c, next, err := WithdrawalWitnessWithMargin(s, validWithdrawal(t), tableK)
	if err != nil {
		t.Fatal(err)
	}
	_, next0, err := WithdrawalWitness(s, validWithdrawal(t))
	if err != nil {
		t.Fatal(err)
	}
	if next.Root() != next0.Root() {
		t.Fatal("the two shapes write different states")
	}
	if err := solve(NewWithdrawalCircuitWithMargin(seps, tableK), c); err != nil {
		t.Fatal(err)
	}
}

// TestShapesRefuseWhatTheyCannotProve: the no-position shape refuses a debit from an account
// holding positions, the margin shape one with a position beyond its table (ErrShape); the
// reference itself accepts both.
func TestShapesRefuseWhatTheyCannotProve(t *testing.T) {
	s := marginState(t)
	w := withdrawal(t, 12, demoDomain, wm(trader, ownerA, 100, 9))
	if _, err := ApplyWithdrawal(s, w); err != nil {
		t.Fatal(err)
	}
	if _, _, err := WithdrawalWitness(s, w); !errors.Is(err, ErrShape) {
		t.Fatalf("no-position shape: %v", err)
	}
	if _, _, err := WithdrawalWitnessWithMargin(s, w, 1); !errors.Is(err, ErrShape) {
		t.Fatalf("a one-market table: %v", err)
	}
	if _, _, err := TransferWitness(s, transfer(t, 12, demoDomain, tm(trader, receiver, 100, 9))); !errors.Is(err, ErrShape) {
		t.Fatalf("transfer, no-position shape: %v", err)
	}
}

// TestMarginTableIsBound: a table market's price, funding index or risk parameter changed by one
// unit (a market the account holds, or one it does not), or an empty slot claimed listed, does
// not solve: every table entry is opened in the old markets root.
func TestMarginTableIsBound(t *testing.T) {
	s := marginState(t)
	w := withdrawal(t, 12, demoDomain, wm(trader, ownerA, 7_000, 9))
	for _, m := range []struct {
		name string
		f    func(c *WithdrawalCircuit)
	}{
		{"the price of a held market", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].Markets[0].Price = bump(c.Step.Margin[0].Markets[0].Price)
		}},
		{"the funding index of a held market", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].Markets[1].FundingIndex = bump(c.Step.Margin[0].Markets[1].FundingIndex)
		}},
		{"the initial margin of a held market", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].Markets[0].IMF = bump(c.Step.Margin[0].Markets[0].IMF)
		}},
		{"the price of a market not held", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].Markets[2].Price = bump(c.Step.Margin[0].Markets[2].Price)
		}},
		{"an empty slot claimed listed", func(c *WithdrawalCircuit) { c.Step.Margin[0].Table[3].Listed = 1 }},
		{"a snapshot of the list", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].List[0].Snapshot = bump(c.Step.Margin[0].List[0].Snapshot)
		}},
		{"a size of the list", func(c *WithdrawalCircuit) {
			c.Step.Margin[0].List[2].Size = big.NewInt(-24)
		}},
	} {
		t.Run(m.name, func(t *testing.T) {
			c, _, err := WithdrawalWitnessWithMargin(s, w, tableK)
			if err != nil {
				t.Fatal(err)
			}
			if err := solve(NewWithdrawalCircuitWithMargin(seps, tableK), c); err != nil {
				t.Fatalf("honest: %v", err)
			}
			m.f(c)
			if err := solve(NewWithdrawalCircuitWithMargin(seps, tableK), c); err == nil {
				t.Fatal("solves")
			}
		})
	}
}

// TestMarginForcedWithdrawal: in the margin shape a forced withdrawal of exactly the free
// collateral pays it (funding settled, nonce unchanged) and one quantum more pays 0 and changes
// nothing, as the engine serves it; both solve, and the "covers" claim flipped (with the forged
// outcome's root and public data) does not.
func TestMarginForcedWithdrawal(t *testing.T) {
	s := marginState(t)
	for _, c := range []struct {
		amount, paid uint64
		collateral   int64
	}{{7_157, 7_157, -2_287}, {7_158, 0, 5_000}} {
		f := ForcedWithdrawal{Account: trader, L1Owner: ownerA, Amount: c.amount}
		w, next, err := ForcedWithdrawalWitnessWithMargin(s, f, tableK)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := next.Account(trader)
		a0, _ := s.Account(trader)
		if a.Collateral != c.collateral || a.Nonce != 9 || (c.paid > 0) != (a.Positions != a0.Positions) {
			t.Fatalf("forced %d: %+v", c.amount, a)
		}
		if err := solve(NewForcedWithdrawalCircuitWithMargin(tableK), w); err != nil {
			t.Fatalf("forced %d: %v", c.amount, err)
		}
		// the forged claim: pay what is not covered, or refuse what is
		forged := s.Clone()
		var forgedPaid uint64
		if c.paid == 0 {
			forgedPaid = c.amount
			st, err := settle(s, a0)
			if err != nil {
				t.Fatal(err)
			}
			if err := forged.SetAccount(trader, layoutv2.AccountFields{Identity: a0.Identity, Nonce: a0.Nonce,
				Collateral: st.collateral - int64(c.amount), Positions: st.positions}); err != nil {
				t.Fatal(err)
			}
		}
		w.Step.Covers = 1 - w.Step.Covers.(int)
		w.NewRoot = el(forged.Root())
		for i, b := range be8(forgedPaid) {
			w.PublicData[4+i] = b
		}
		if err := solve(NewForcedWithdrawalCircuitWithMargin(tableK), w); err == nil {
			t.Fatalf("a forged claim for %d solves", c.amount)
		}
	}
}

// TestMarginCredits: in the margin shape a deposit into account 12 and a transfer to it settle
// its funding first, as the engine credits (Settlement.credit, transfer): collateral
// 5,000 − 130 + 1,000 = 5,870, snapshots at the indices; both solve. The receiver's entries are
// bound to its leaf: a changed snapshot does not solve.
func TestMarginCredits(t *testing.T) {
	s := marginState(t)
	k := key(t, 12).PublicKey
	d := Deposit{Account: trader, L1Owner: ownerA, PublicKeyX: k.A.X, PublicKeyY: k.A.Y, Amount: 1_000}
	cd, next, err := DepositWitnessWithMargin(s, d, tableK)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, next *layoutv2.State) {
		t.Helper()
		a, _ := next.Account(trader)
		if a.Collateral != 5_870 || a.Nonce != 9 || a.Positions[0].FundingSnapshot != 3<<32 || a.Positions[2].FundingSnapshot != -2<<32 {
			t.Fatalf("after the %s: %+v", what, a)
		}
	}
	check("deposit", next)
	if err := solve(NewDepositCircuitWithMargin(tableK), cd); err != nil {
		t.Fatalf("deposit: %v", err)
	}
	if _, _, err := DepositWitness(s, d); !errors.Is(err, ErrShape) {
		t.Fatalf("the no-position shape takes a deposit into an account with positions: %v", err)
	}
	ct, next, err := TransferWitnessWithMargin(s, transfer(t, 5, demoDomain, tm(sender, trader, 1_000, 3)), tableK)
	if err != nil {
		t.Fatal(err)
	}
	check("transfer", next)
	if err := solve(NewTransferCircuitWithMargin(seps, tableK), ct); err != nil {
		t.Fatalf("transfer: %v", err)
	}
	ct.Step.B.Entries[2].Snapshot = bump(ct.Step.B.Entries[2].Snapshot)
	if err := solve(NewTransferCircuitWithMargin(seps, tableK), ct); err == nil {
		t.Fatal("a receiver entry changed solves")
	}
}

// TestMarginWithEightPositions: an account holding all 8 entries (markets 0 … 7, longs and
// shorts, funding pending on each, size-dependent initial margin above the baseline) withdraws
// exactly its free collateral by the reference: the margin shape with an 8-market table solves;
// one quantum more is refused and does not solve.
func TestMarginWithEightPositions(t *testing.T) {
	s := newState(t)
	var list layoutv2.Positions
	for m := 0; m < layoutv2.MaxPositions; m++ {
		if err := s.SetMarket(uint64(m), layoutv2.Market{OraclePrice: uint64(100+37*m) << 32, FundingIndex: int64(m-3) << 31,
			Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 20,
				IncrementalPositionSize: 7, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1 << 40, OpenInterestCap: 1 << 40}}); err != nil {
			t.Fatal(err)
		}
		size := int64(10 + 9*m)
		if m%2 == 1 {
			size = -size
		}
		list[m] = layoutv2.PositionEntry{Market: uint8(m), Size: size, FundingSnapshot: int64(m) << 30}
	}
	if err := s.SetAccount(trader, layoutv2.AccountFields{Identity: identityOf(t, 12, ownerA, 0), Nonce: 1, Collateral: 60_000, Positions: list}); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Account(trader)
	st, err := settle(s, a)
	if err != nil {
		t.Fatal(err)
	}
	if st.free <= 0 || st.free >= 60_000 {
		t.Fatalf("free collateral %d: the scenario should leave some but not all", st.free)
	}
	free := uint64(st.free)
	w := withdrawal(t, 12, demoDomain, wm(trader, ownerA, free, 1))
	c, _, err := WithdrawalWitnessWithMargin(s, w, 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewWithdrawalCircuitWithMargin(seps, 8), c); err != nil {
		t.Fatalf("withdrawal of the free collateral %d: %v", free, err)
	}
	w = withdrawal(t, 12, demoDomain, wm(trader, ownerA, free+1, 1))
	if _, err := ApplyWithdrawal(s, w); !refusedFor(err, RuleCollateral) {
		t.Fatalf("one quantum more: %v", err)
	}
	e, err := executeWithdrawal(s, w, true, 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := solve(NewWithdrawalCircuitWithMargin(seps, 8), e.circuit); err == nil {
		t.Fatal("one quantum above the free collateral solves")
	}
}
