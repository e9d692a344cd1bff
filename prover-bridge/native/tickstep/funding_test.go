package tickstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// A valid funding tick solves with the roots of ApplyFundingTick's old and new state: the new leaf
// holds index + Δ and fundingTimestamp = now, nothing else moves, the old state is unchanged. Also
// at exactly ± the bound, exactly the minimum interval and now = T.
func TestValidFundingTickSolves(t *testing.T) {
	m := testMarket(market)
	bound := reference.FundingBound(int64(m.Risk.FundingMaxRatePpm), int64(m.OraclePrice), now-int64(m.FundingTimestamp)).Int64()
	for _, c := range []struct {
		name string
		edit func(w *world, f *FundingTick)
	}{
		{"−80% of the bound", func(w *world, f *FundingTick) {}},
		{"exactly + the bound", func(w *world, f *FundingTick) { f.Delta = bound }},
		{"exactly − the bound", func(w *world, f *FundingTick) { f.Delta = -bound }},
		{"zero change", func(w *world, f *FundingTick) { f.Delta = 0 }},
		{"now = T", func(w *world, f *FundingTick) { f.BatchTime = f.Now }},
		{"exactly the minimum interval", func(w *world, f *FundingTick) {
			mk, _ := w.state.Market(market)
			mk.FundingTimestamp = uint64(now - 3_600)
			if err := w.state.SetMarket(market, mk); err != nil {
				t.Fatal(err)
			}
			f.Delta = 1
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			f := fundingTick()
			c.edit(w, &f)
			before := w.state.Root()
			m0, _ := w.state.Market(market)
			wit, next, err := WitnessFunding(w.state, f)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before {
				t.Fatal("the tick changed the old state")
			}
			m1, _ := next.Market(market)
			if m1.FundingIndex != m0.FundingIndex+f.Delta || m1.FundingTimestamp != uint64(now) {
				t.Fatalf("new leaf index %d time %d, want %d %d", m1.FundingIndex, m1.FundingTimestamp, m0.FundingIndex+f.Delta, now)
			}
			m1.FundingIndex, m1.FundingTimestamp = m0.FundingIndex, m0.FundingTimestamp
			if m1 != m0 || next.AccountsRoot() != w.state.AccountsRoot() || next.GlobalLeaf() != w.state.GlobalLeaf() {
				t.Fatal("the tick changed something besides the funding index and timestamp")
			}
			if err := solveFunding(wit); err != nil {
				t.Fatalf("valid tick does not solve: %v", err)
			}
		})
	}
}

// Each case breaks one rule of the funding tick alone by the smallest step: ApplyFundingTick
// refuses naming exactly that rule, state unchanged, and the step built from the forced
// execution is unsatisfiable.
func TestEachFundingRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	m := testMarket(market)
	bound := reference.FundingBound(int64(m.Risk.FundingMaxRatePpm), int64(m.OraclePrice), now-int64(m.FundingTimestamp)).Int64()
	setMarket := func(w *world, f func(m *layoutv2.Market)) {
		mk, _ := w.state.Market(market)
		f(&mk)
		if err := w.state.SetMarket(market, mk); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		rule reference.TickRule
		edit func(w *world, f *FundingTick)
	}{
		{"change above the bound by one quantum", reference.RuleRateBound, func(w *world, f *FundingTick) { f.Delta = bound + 1 }},
		{"negative change above the bound by one quantum", reference.RuleRateBound, func(w *world, f *FundingTick) { f.Delta = -bound - 1 }},
		{"too early by one second", reference.RuleTooEarly, func(w *world, f *FundingTick) {
			setMarket(w, func(m *layoutv2.Market) { m.FundingTimestamp = uint64(now - 3_600 + 1) })
			f.Delta = 0
		}},
		{"a tick after the batch time", reference.RuleAfterBatchTime, func(w *world, f *FundingTick) { f.BatchTime = f.Now - 1 }},
		{"no oracle price", reference.RuleNonPositivePrice, func(w *world, f *FundingTick) {
			setMarket(w, func(m *layoutv2.Market) { m.OraclePrice = 0 })
			f.Delta = 0
		}},
		{"interval above 10^9 s", reference.RuleOutOfRange, func(w *world, f *FundingTick) {
			setMarket(w, func(m *layoutv2.Market) { m.FundingTimestamp = uint64(now - reference.MaxFundingInterval - 1) })
		}},
		{"maximum rate above 10^9 ppm", reference.RuleOutOfRange, func(w *world, f *FundingTick) {
			setMarket(w, func(m *layoutv2.Market) { m.Risk.FundingMaxRatePpm = reference.MaxFundingRatePpm + 1 })
		}},
		{"index leaves int64", reference.RuleIndexOverflow, func(w *world, f *FundingTick) {
			setMarket(w, func(m *layoutv2.Market) { m.FundingIndex = -1 << 63 })
			f.Delta = -1
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			f := fundingTick()
			c.edit(w, &f)
			before := w.state.Root()
			next, err := ApplyFundingTick(w.state, f)
			onlyRule(t, err, c.rule)
			if next != nil || w.state.Root() != before {
				t.Fatal("a refused tick returned or changed a state")
			}
			ex, err := executeFunding(w.state, f, true)
			if err != nil {
				t.Fatal(err)
			}
			if solveFunding(ex.assign()) == nil {
				t.Fatalf("breaking %s alone still solves", c.rule)
			}
		})
	}
}

// An opening that is not in the old root is unsatisfiable although the tick's rules hold on the
// changed values: a market-path sibling, the accounts root, the global leaf, the risk preimage's
// funding bounds (a longer allowed rate, a shorter minimum interval), the old leaf's oracle price
// (a higher price widens the bound). Where the change is a state, the same witness with that
// state's roots solves.
func TestFundingOpeningNotInOldRootIsUnsatisfiable(t *testing.T) {
	w := newWorld(t)
	f := fundingTick()
	price2 := testMarket(market).OraclePrice * 2
	cases := []opening[*FundingCircuit]{
		{"market path sibling 0", func(c *FundingCircuit) {
			c.Step.Leaf.Path[0] = bigOf(c.Step.Leaf.Path[0]).Add(bigOf(c.Step.Leaf.Path[0]), one)
		}, nil},
		{"market path sibling 3", func(c *FundingCircuit) {
			c.Step.Leaf.Path[3] = bigOf(c.Step.Leaf.Path[3]).Add(bigOf(c.Step.Leaf.Path[3]), one)
		}, nil},
		{"accounts root + 1", func(c *FundingCircuit) {
			c.Step.AccountsRoot = bigOf(c.Step.AccountsRoot).Add(bigOf(c.Step.AccountsRoot), one)
		}, nil},
		{"global leaf + 1", func(c *FundingCircuit) {
			c.Step.GlobalLeaf = bigOf(c.Step.GlobalLeaf).Add(bigOf(c.Step.GlobalLeaf), one)
		}, nil},
		{"fundingMaxRatePpm 7,500 → 15,000", func(c *FundingCircuit) { c.Step.Leaf.Risk[riskFundingMaxRatePpm] = 15_000 },
			setMarket(func(m *layoutv2.Market) { m.Risk.FundingMaxRatePpm = 15_000 })},
		{"fundingMinIntervalSeconds 3,600 → 60", func(c *FundingCircuit) { c.Step.Leaf.Risk[riskFundingMinInterval] = 60 },
			setMarket(func(m *layoutv2.Market) { m.Risk.FundingMinIntervalSeconds = 60 })},
		{"oracle price × 2", func(c *FundingCircuit) { c.Step.Leaf.OraclePrice = u64(price2) },
			setMarket(func(m *layoutv2.Market) { m.OraclePrice = price2 })},
	}
	fundingUnderTest(f).checkOpenings(t, w.state, cases)
}

// The honest witness with the new root of a state differing in one field (or the old root) is
// unsatisfiable.
func TestFundingWrongNewRootIsUnsatisfiable(t *testing.T) {
	w := newWorld(t)
	f := fundingTick()
	_, next, err := WitnessFunding(w.state, f)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := next.Market(market)
	cases := map[string]func(m *layoutv2.Market){
		"index + 1":                   func(m *layoutv2.Market) { m.FundingIndex++ },
		"timestamp + 1":               func(m *layoutv2.Market) { m.FundingTimestamp++ },
		"timestamp not moved":         func(m *layoutv2.Market) { m.FundingTimestamp = testMarket(market).FundingTimestamp },
		"oracle timestamp = now":      func(m *layoutv2.Market) { m.OracleTimestamp = uint64(now) },
		"the old leaf (nothing done)": func(m *layoutv2.Market) { *m = testMarket(market) },
	}
	fundingUnderTest(f).checkWrongNewRoots(t, w.state, next, m1, cases)
}

// Typed refusals that are not tick rules; the state is unchanged.
func TestFundingTypedRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		want error
		edit func(t *testing.T, w *world, f *FundingTick)
	}{
		{"unlisted market", ErrUnknownMarket, func(t *testing.T, w *world, f *FundingTick) { f.Market = 9 }},
		{"negative batch time", ErrOutOfRange, func(t *testing.T, w *world, f *FundingTick) { f.BatchTime = -1 }},
		{"oracle price ≥ 2^63", ErrOutOfRange, func(t *testing.T, w *world, f *FundingTick) {
			m, _ := w.state.Market(market)
			m.OraclePrice = 1 << 63
			if err := w.state.SetMarket(market, m); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			f := fundingTick()
			c.edit(t, w, &f)
			before := w.state.Root()
			next, err := ApplyFundingTick(w.state, f)
			mustRefuse(t, err, c.want)
			if next != nil || w.state.Root() != before {
				t.Fatal("a refused tick returned or changed a state")
			}
		})
	}
}

// fundingUnderTest is the step of f for the shared checks.
func fundingUnderTest(f FundingTick) stepUnderTest[*FundingCircuit] {
	return stepUnderTest[*FundingCircuit]{
		witness: func(s *layoutv2.State) (*FundingCircuit, *layoutv2.State, error) { return WitnessFunding(s, f) },
		solve:   solveFunding,
		roots:   func(c *FundingCircuit) (*frontend.Variable, *frontend.Variable) { return &c.OldRoot, &c.NewRoot },
	}
}
