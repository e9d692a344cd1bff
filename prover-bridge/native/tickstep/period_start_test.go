package tickstep

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// unstarted makes the world's market 3 (priced, oracleTimestamp now − 60) a market with no
// funding period yet (fundingTimestamp and fundingIndex 0, as
// the engine's MarketRiskState holds them before the first sample).
func (w *world) unstarted(t testing.TB) {
	t.Helper()
	m, _ := w.state.Market(market)
	m.FundingTimestamp, m.FundingIndex = 0, 0
	if err := w.state.SetMarket(market, m); err != nil {
		t.Fatal(err)
	}
}

// unstartedWorld is the test world with the market's funding period not started, and the period
// start the tests run on it.
func unstartedWorld(t testing.TB) (*world, FundingPeriodStart) {
	t.Helper()
	w := newWorld(t)
	w.unstarted(t)
	return w, periodStart()
}

func (w *world) editMarket(t testing.TB, f func(m *layoutv2.Market)) {
	t.Helper()
	m, _ := w.state.Market(market)
	f(&m)
	if err := w.state.SetMarket(market, m); err != nil {
		t.Fatal(err)
	}
}

func periodStart() FundingPeriodStart {
	return FundingPeriodStart{Market: market, Now: now, BatchTime: batchT}
}

func solveStart(w *FundingPeriodStartCircuit) error { return solved(NewFundingPeriodStartCircuit(), w) }

// A valid period start solves with the roots of ApplyFundingPeriodStart's old and new state: the
// new leaf holds fundingTimestamp = now and nothing else moves; the old state is unchanged. Also at
// now = T and at now + oracleMaxFutureSeconds = oracleTimestamp exactly.
func TestValidFundingPeriodStartSolves(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(w *world, p *FundingPeriodStart)
	}{
		{"a Tick after the market's price", func(w *world, p *FundingPeriodStart) {}},
		{"now = T", func(w *world, p *FundingPeriodStart) { p.BatchTime = p.Now }},
		{"now + maxFuture = oracleTimestamp", func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.OracleTimestamp = uint64(now) + m.Risk.OracleMaxFutureSeconds })
		}},
		{"now = 1", func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.OracleTimestamp = 1 })
			p.Now = 1
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, p := unstartedWorld(t)
			c.edit(w, &p)
			before := w.state.Root()
			m0, _ := w.state.Market(market)
			wit, next, err := WitnessFundingPeriodStart(w.state, p)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before {
				t.Fatal("the start changed the old state")
			}
			m1, _ := next.Market(market)
			if m1.FundingTimestamp != uint64(p.Now) {
				t.Fatalf("new fundingTimestamp %d, want %d", m1.FundingTimestamp, p.Now)
			}
			m1.FundingTimestamp = 0
			if m1 != m0 || next.AccountsRoot() != w.state.AccountsRoot() || next.GlobalLeaf() != w.state.GlobalLeaf() {
				t.Fatal("the start changed something besides the funding timestamp")
			}
			if err := solveStart(wit); err != nil {
				t.Fatalf("valid start does not solve: %v", err)
			}
		})
	}
}

// Each case breaks one condition alone by the smallest step: ApplyFundingPeriodStart refuses
// naming exactly that rule, state unchanged, and the step built from the forced execution is
// unsatisfiable.
func TestEachPeriodStartRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	cases := []struct {
		name string
		rule reference.TickRule
		edit func(w *world, p *FundingPeriodStart)
	}{
		{"the period has started (fundingTimestamp 1)", RulePeriodStarted, func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.FundingTimestamp = 1 })
		}},
		{"the period has started (a funding tick applied)", RulePeriodStarted, func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.FundingTimestamp = uint64(now - 3_700) })
		}},
		{"no oracle price", reference.RuleNonPositivePrice, func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.OraclePrice = 0 })
		}},
		{"now = 0", RuleNonPositiveTime, func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.OracleTimestamp = 0 })
			p.Now = 0
		}},
		{"now one second below oracleTimestamp − maxFuture", RuleBeforeOracleTime, func(w *world, p *FundingPeriodStart) {
			w.editMarket(t, func(m *layoutv2.Market) { m.OracleTimestamp = uint64(now) + m.Risk.OracleMaxFutureSeconds + 1 })
		}},
		{"one second after the batch time", reference.RuleAfterBatchTime, func(w *world, p *FundingPeriodStart) { p.BatchTime = p.Now - 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, p := unstartedWorld(t)
			c.edit(w, &p)
			before := w.state.Root()
			next, err := ApplyFundingPeriodStart(w.state, p)
			onlyRule(t, err, c.rule)
			if next != nil || w.state.Root() != before {
				t.Fatal("a refused start returned or changed a state")
			}
			ex, err := executePeriodStart(w.state, p, true)
			if err != nil {
				t.Fatal(err)
			}
			if solveStart(ex.assign()) == nil {
				t.Fatalf("breaking %s alone still solves", c.rule)
			}
		})
	}
}

// An opening that is not in the old root is unsatisfiable although the conditions hold on the
// changed values: a market-path sibling, the accounts root, the global leaf, a wider
// oracleMaxFutureSeconds, an older oracle timestamp, and fundingTimestamp 0 opened for a market
// whose period has started. Where the change is a state, the same witness with that state's roots
// solves.
func TestPeriodStartOpeningNotInOldRootIsUnsatisfiable(t *testing.T) {
	w, p := unstartedWorld(t)
	cases := []opening[*FundingPeriodStartCircuit]{
		{"market path sibling 0", func(c *FundingPeriodStartCircuit) {
			c.Step.Leaf.Path[0] = bigOf(c.Step.Leaf.Path[0]).Add(bigOf(c.Step.Leaf.Path[0]), one)
		}, nil},
		{"market path sibling 5", func(c *FundingPeriodStartCircuit) {
			c.Step.Leaf.Path[5] = bigOf(c.Step.Leaf.Path[5]).Add(bigOf(c.Step.Leaf.Path[5]), one)
		}, nil},
		{"accounts root + 1", func(c *FundingPeriodStartCircuit) {
			c.Step.AccountsRoot = bigOf(c.Step.AccountsRoot).Add(bigOf(c.Step.AccountsRoot), one)
		}, nil},
		{"global leaf + 1", func(c *FundingPeriodStartCircuit) {
			c.Step.GlobalLeaf = bigOf(c.Step.GlobalLeaf).Add(bigOf(c.Step.GlobalLeaf), one)
		}, nil},
		{"oracleMaxFutureSeconds 5 → 10^6", func(c *FundingPeriodStartCircuit) { c.Step.Leaf.Risk[riskOracleMaxFuture] = 1_000_000 },
			setMarket(func(m *layoutv2.Market) { m.Risk.OracleMaxFutureSeconds = 1_000_000 })},
		{"oracle timestamp − 1,000", func(c *FundingPeriodStartCircuit) { c.Step.Leaf.OracleTimestamp = u64(uint64(now - 1_060)) },
			setMarket(func(m *layoutv2.Market) { m.OracleTimestamp = uint64(now - 1_060) })},
	}
	periodStartUnderTest(p).checkOpenings(t, w.state, cases)
	t.Run("fundingTimestamp 0 opened for a started market", func(t *testing.T) {
		wit, _, err := WitnessFundingPeriodStart(w.state, p)
		if err != nil {
			t.Fatal(err)
		}
		started, err := cloneWith(w.state, market, mustMarket(t, w.state), func(m *layoutv2.Market) { m.FundingTimestamp = uint64(now - 3_700) })
		if err != nil {
			t.Fatal(err)
		}
		wit.OldRoot = el(started.Root()) // the honest opening says 0; the root holds the started leaf
		if solveStart(wit) == nil {
			t.Fatal("a restart of a started market solves")
		}
	})
}

func mustMarket(t testing.TB, s *layoutv2.State) layoutv2.Market {
	t.Helper()
	m, ok := s.Market(market)
	if !ok {
		t.Fatal("market not listed")
	}
	return m
}

// The honest witness with the new root of a state differing in one field (or the old root) is
// unsatisfiable.
func TestPeriodStartWrongNewRootIsUnsatisfiable(t *testing.T) {
	w, p := unstartedWorld(t)
	_, next, err := WitnessFundingPeriodStart(w.state, p)
	if err != nil {
		t.Fatal(err)
	}
	m1 := mustMarket(t, next)
	cases := map[string]func(m *layoutv2.Market){
		"timestamp + 1":               func(m *layoutv2.Market) { m.FundingTimestamp++ },
		"timestamp − 1":               func(m *layoutv2.Market) { m.FundingTimestamp-- },
		"index moved":                 func(m *layoutv2.Market) { m.FundingIndex = 1 },
		"oracle timestamp = now":      func(m *layoutv2.Market) { m.OracleTimestamp = uint64(now) },
		"the old leaf (nothing done)": func(m *layoutv2.Market) { m.FundingTimestamp = 0 },
	}
	periodStartUnderTest(p).checkWrongNewRoots(t, w.state, next, m1, cases)
}

// Typed refusals that are not rules; the state is unchanged.
func TestPeriodStartTypedRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		want error
		edit func(p *FundingPeriodStart)
	}{
		{"unlisted market", ErrUnknownMarket, func(p *FundingPeriodStart) { p.Market = 9 }},
		{"market id ≥ 64", ErrUnknownMarket, func(p *FundingPeriodStart) { p.Market = 64 }},
		{"negative now", ErrOutOfRange, func(p *FundingPeriodStart) { p.Now = -1 }},
		{"negative batch time", ErrOutOfRange, func(p *FundingPeriodStart) { p.BatchTime = -1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, p := unstartedWorld(t)
			c.edit(&p)
			before := w.state.Root()
			next, err := ApplyFundingPeriodStart(w.state, p)
			mustRefuse(t, err, c.want)
			if next != nil || w.state.Root() != before {
				t.Fatal("a refused start returned or changed a state")
			}
		})
	}
}

// The encoding against bytes written by hand; each byte of the step's public data changed alone
// is unsatisfiable.
func TestPeriodStartPublicData(t *testing.T) {
	got := FundingPeriodStartPublicData(63, 1_800_000_100)
	want := []byte{0x0a, 63, 0, 0, 0, 0, 0x6b, 0x49, 0xd2, 0x64}
	if !bytes.Equal(got, want) || len(got) != FundingPeriodStartPublicDataBytes {
		t.Fatalf("period start: % x", got)
	}
	w := newWorld(t)
	w.unstarted(t)
	wit, _, err := WitnessFundingPeriodStart(w.state, periodStart())
	if err != nil {
		t.Fatal(err)
	}
	for i := range wit.PublicData {
		t.Run(fmt.Sprintf("byte %d", i), func(t *testing.T) {
			c := *wit
			c.PublicData = append([]frontend.Variable(nil), wit.PublicData...)
			c.PublicData[i] = (int(wit.PublicData[i].(byte)) + 1) % 256
			if solveStart(&c) == nil {
				t.Fatal("a changed byte solves")
			}
		})
	}
}

// The engine's sequence for a market of the funding configuration: its first sample starts the
// period (FundingPeriodStarted at the Tick's time t0), and its first derived tick at t1 has
// Δt = t1 − t0. The funding step after the start solves with a change at the bound of that Δt;
// without the start (fundingTimestamp 0) the same tick is out of range, and a second start
// after the tick is refused.
func TestPeriodStartThenFirstFundingTick(t *testing.T) {
	w := newWorld(t)
	w.unstarted(t)
	t0, t1 := now, now+3_600
	_, s1, err := WitnessFundingPeriodStart(w.state, FundingPeriodStart{Market: market, Now: t0, BatchTime: t1})
	if err != nil {
		t.Fatal(err)
	}
	m := mustMarket(t, s1)
	bound := reference.FundingBound(int64(m.Risk.FundingMaxRatePpm), int64(m.OraclePrice), t1-t0).Int64()
	f := FundingTick{Market: market, Now: t1, BatchTime: t1, Delta: -bound}
	fw, s2, err := WitnessFunding(s1, f)
	if err != nil {
		t.Fatalf("the first funding tick after the start: %v", err)
	}
	if err := solveFunding(fw); err != nil {
		t.Fatalf("the first funding tick does not solve: %v", err)
	}
	if _, err := ApplyFundingTick(w.state, f); err == nil {
		t.Fatal("the funding tick without the period start is accepted")
	}
	_, err = ApplyFundingPeriodStart(s2, FundingPeriodStart{Market: market, Now: t1, BatchTime: t1})
	onlyRule(t, err, RulePeriodStarted)
}

// The compiled R1CS (range checks as gnark's log-derivative argument, hints in the real solver)
// is satisfied by the honest witness and not with a changed public-data byte.
func TestCompiledPeriodStartSolves(t *testing.T) {
	w := newWorld(t)
	w.unstarted(t)
	wit, _, err := WitnessFundingPeriodStart(w.state, periodStart())
	if err != nil {
		t.Fatal(err)
	}
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, NewFundingPeriodStartCircuit())
	if err != nil {
		t.Fatal(err)
	}
	full, err := frontend.NewWitness(wit, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.IsSolved(full); err != nil {
		t.Fatalf("the honest witness does not satisfy the R1CS: %v", err)
	}
	wit.PublicData[9] = wit.PublicData[9].(byte) ^ 1
	bad, err := frontend.NewWitness(wit, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	if cs.IsSolved(bad) == nil {
		t.Fatal("a changed public-data byte satisfies the R1CS")
	}
}

// periodStartUnderTest is the step of p for the shared checks.
func periodStartUnderTest(p FundingPeriodStart) stepUnderTest[*FundingPeriodStartCircuit] {
	return stepUnderTest[*FundingPeriodStartCircuit]{
		witness: func(s *layoutv2.State) (*FundingPeriodStartCircuit, *layoutv2.State, error) {
			return WitnessFundingPeriodStart(s, p)
		},
		solve: solveStart,
		roots: func(c *FundingPeriodStartCircuit) (*frontend.Variable, *frontend.Variable) {
			return &c.OldRoot, &c.NewRoot
		},
	}
}
