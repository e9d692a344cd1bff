package tickstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// A valid oracle tick solves with the roots of ApplyOracleTick's old and new state, for an odd
// and an even report count (and a market's first price): the new leaf holds the reference's lower
// median and oldest timestamp, nothing else moves, and the old state is unchanged.
func TestValidOracleTickSolves(t *testing.T) {
	for _, c := range []struct {
		name      string
		n         int
		first     bool
		wantPrice int64
		wantTime  int64
	}{
		{"n=3 (odd)", 3, false, p0 + 7_000_000, now - 4},
		{"n=2 (even: the lower middle)", 2, false, p0 + 7_000_000, now - 1},
		{"a market's first price", 3, true, p0 + 7_000_000, now - 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			if c.first { // no price yet: not-newer and the move bound do not apply
				m, _ := w.state.Market(market)
				m.OraclePrice, m.OracleTimestamp, m.Risk.OracleMaxMovePpm = 0, uint64(now+1_000), 1
				if err := w.state.SetMarket(market, m); err != nil {
					t.Fatal(err)
				}
			}
			tk := w.oracleTick(t, c.n)
			before := w.state.Root()
			m0, _ := w.state.Market(market)
			wit, next, err := WitnessOracle(w.state, tk, k)
			if err != nil {
				t.Fatal(err)
			}
			if w.state.Root() != before {
				t.Fatal("the tick changed the old state")
			}
			m1, _ := next.Market(market)
			if int64(m1.OraclePrice) != c.wantPrice || int64(m1.OracleTimestamp) != c.wantTime {
				t.Fatalf("new leaf price %d time %d, want %d %d", m1.OraclePrice, m1.OracleTimestamp, c.wantPrice, c.wantTime)
			}
			m1.OraclePrice, m1.OracleTimestamp = m0.OraclePrice, m0.OracleTimestamp
			if m1 != m0 {
				t.Fatal("the tick changed another field of the market leaf")
			}
			if next.AccountsRoot() != w.state.AccountsRoot() || next.GlobalLeaf() != w.state.GlobalLeaf() {
				t.Fatal("the tick changed an account or the global leaf")
			}
			if err := solveOracle(wit); err != nil {
				t.Fatalf("valid tick does not solve: %v", err)
			}
		})
	}
}

// oracleCase breaks one rule of the oracle tick alone; the reference names exactly that rule and
// the step, built from the forced execution, is unsatisfiable.
type oracleCase struct {
	name  string
	rule  reference.TickRule
	edit  func(t *testing.T, w *world, tk *OracleTick) // before signing
	claim func(tk OracleTick) *oracleClaim             // a claimed outcome, or nil
	patch func(w *world, c *OracleCircuit)             // a witness change the rule needs, or nil
}

func TestEachOracleRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	cases := []oracleCase{
		{name: "fewer than quorum reports", rule: reference.RuleQuorumNotMet, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports = tk.Reports[:1]
		}},
		{name: "a signer outside the committed set", rule: reference.RuleUnknownSigner, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[1].Signer = 9 // an empty slot; the outsider signs
		}, patch: func(w *world, c *OracleCircuit) {
			// the witness carries the key that did sign (slot 9 is the last used slot)
			c.Step.Reports[2].Key.A.X, c.Step.Reports[2].Key.A.Y = el(w.outsider.PublicKey.A.X), el(w.outsider.PublicKey.A.Y)
		}},
		{name: "the same signer twice", rule: reference.RuleDuplicateSigner, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[2].Signer = tk.Reports[1].Signer
		}},
		{name: "a stale report", rule: reference.RuleStale, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[2].Timestamp = now - 30 - 1
		}},
		{name: "a too-new report", rule: reference.RuleFutureTimestamp, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[0].Timestamp = now + 5 + 1
		}},
		{name: "not newer than the market's last", rule: reference.RuleNotNewer, edit: func(t *testing.T, w *world, tk *OracleTick) {
			m, _ := w.state.Market(market)
			m.OracleTimestamp = uint64(now - 4) // the oldest report's timestamp
			if err := w.state.SetMarket(market, m); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "a move above the bound", rule: reference.RuleMoveTooLarge, edit: func(t *testing.T, w *world, tk *OracleTick) {
			m, _ := w.state.Market(market)
			m.Risk.OracleMaxMovePpm = 1
			if err := w.state.SetMarket(market, m); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "a tick after the batch time", rule: reference.RuleAfterBatchTime, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.BatchTime = tk.Now - 1
		}},
		{name: "a bad signature (price changed after signing)", rule: reference.RuleBadSignature, edit: func(t *testing.T, w *world, tk *OracleTick) {
			w.sign(t, tk)
			tk.Reports[1].Price++
		}},
		{name: "a zero price", rule: reference.RuleNonPositivePrice, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[2].Price = 0 // the lower median stays p0 + 7,000,000
		}},
		{name: "a report for another market", rule: reference.RuleMarketMismatch, edit: func(t *testing.T, w *world, tk *OracleTick) {
			tk.Reports[1].Market = market + 1 // signed for market 4: valid for it, not for the tick's
		}},
		{name: "a report for another chain", rule: reference.RuleBadSignature, edit: func(t *testing.T, w *world, tk *OracleTick) {
			w.sign(t, tk)
			d := tk.Domain
			d.ChainID++
			tk.Reports[0].Signature = signReport(t, w.signerKey(tk.Reports[0].Signer), d, tk.Reports[0])
		}},
		{name: "a report for another rollup", rule: reference.RuleBadSignature, edit: func(t *testing.T, w *world, tk *OracleTick) {
			w.sign(t, tk)
			d := tk.Domain
			d.Rollup[19] ^= 1
			tk.Reports[2].Signature = signReport(t, w.signerKey(tk.Reports[2].Signer), d, tk.Reports[2])
		}},
		{name: "a non-median value (the next larger report)", rule: reference.RuleNotMedian, claim: func(tk OracleTick) *oracleClaim {
			return &oracleClaim{price: p0 + 9_100_000_000, timestamp: now - 4}
		}},
		{name: "a non-median value (one quantum below)", rule: reference.RuleNotMedian, claim: func(tk OracleTick) *oracleClaim {
			return &oracleClaim{price: p0 + 7_000_000 - 1, timestamp: now - 4}
		}},
		{name: "a timestamp that is not the oldest", rule: reference.RuleNotOldest, claim: func(tk OracleTick) *oracleClaim {
			return &oracleClaim{price: p0 + 7_000_000, timestamp: now - 1}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			tk := w.oracleTick(t, 3)
			if c.edit != nil {
				c.edit(t, w, &tk)
				if c.rule != reference.RuleBadSignature {
					w.sign(t, &tk)
				}
			}
			var claim *oracleClaim
			if c.claim != nil {
				claim = c.claim(tk)
			} else {
				before := w.state.Root()
				next, err := ApplyOracleTick(w.state, tk)
				onlyRule(t, err, c.rule)
				if next != nil || w.state.Root() != before {
					t.Fatal("a refused tick returned or changed a state")
				}
			}
			ex, err := executeOracle(w.state, tk, k, true, claim)
			if err != nil {
				t.Fatal(err)
			}
			if len(ex.broken) != 1 || ex.broken[0] != c.rule {
				t.Fatalf("the reference reports %v, want only %s", ex.broken, c.rule)
			}
			wit, err := ex.assign(k)
			if err != nil {
				t.Fatal(err)
			}
			if c.patch != nil {
				c.patch(w, wit)
			}
			if solveOracle(wit) == nil {
				t.Fatalf("breaking %s alone still solves", c.rule)
			}
		})
	}
}

// More reports than the K slots: the witness refuses with TOO_MANY_REPORTS; ApplyOracleTick (16
// slots) accepts the same tick.
func TestMoreReportsThanSlots(t *testing.T) {
	w := newWorld(t)
	tk := w.oracleTick(t, 3)
	_, _, err := WitnessOracle(w.state, tk, 2)
	onlyRule(t, err, reference.RuleTooManyReports)
	if _, err := ApplyOracleTick(w.state, tk); err != nil {
		t.Fatal(err)
	}
}

// An opening that is not in the old root is unsatisfiable, although every tick rule still holds
// on the changed values: a market-path sibling, the accounts root, a risk-preimage field (each of
// the three oracle bounds, widened), the old leaf's open interest, the quorum, the signer root
// (another set that also holds the reporting keys, with the reports' paths in it). Where the
// change is a state (alter), the same witness with that state's old and new roots solves: only
// the opening's binding to the old root refuses it.
func TestOracleOpeningNotInOldRootIsUnsatisfiable(t *testing.T) {
	w := newWorld(t)
	tk := w.oracleTick(t, 3)
	otherSet := func() layoutv2.Global {
		g := w.state.Global()
		g.OracleSigners[7] = layoutv2.OracleSigner{KeyX: w.outsider.PublicKey.A.X, KeyY: w.outsider.PublicKey.A.Y}
		return g
	}
	cases := []opening[*OracleCircuit]{
		{"market path sibling 0", func(c *OracleCircuit) {
			c.Step.Leaf.Path[0] = bigOf(c.Step.Leaf.Path[0]).Add(bigOf(c.Step.Leaf.Path[0]), one)
		}, nil},
		{"market path sibling 5", func(c *OracleCircuit) {
			c.Step.Leaf.Path[5] = bigOf(c.Step.Leaf.Path[5]).Add(bigOf(c.Step.Leaf.Path[5]), one)
		}, nil},
		{"accounts root + 1", func(c *OracleCircuit) {
			c.Step.AccountsRoot = bigOf(c.Step.AccountsRoot).Add(bigOf(c.Step.AccountsRoot), one)
		}, nil},
		{"oracleMaxAgeSeconds 30 → 1,030", func(c *OracleCircuit) { c.Step.Leaf.Risk[riskOracleMaxAge] = 1_030 },
			setMarket(func(m *layoutv2.Market) { m.Risk.OracleMaxAgeSeconds = 1_030 })},
		{"oracleMaxFutureSeconds 5 → 15", func(c *OracleCircuit) { c.Step.Leaf.Risk[riskOracleMaxFuture] = 15 },
			setMarket(func(m *layoutv2.Market) { m.Risk.OracleMaxFutureSeconds = 15 })},
		{"oracleMaxMovePpm 20,000 → 40,000", func(c *OracleCircuit) { c.Step.Leaf.Risk[riskOracleMaxMovePpm] = 40_000 },
			setMarket(func(m *layoutv2.Market) { m.Risk.OracleMaxMovePpm = 40_000 })},
		{"open interest 5,000 → 5,001", func(c *OracleCircuit) { c.Step.Leaf.OpenInterest = 5_001 },
			setMarket(func(m *layoutv2.Market) { m.OpenInterest = 5_001 })},
		{"quorum 2 → 1", func(c *OracleCircuit) { c.Step.Global.OracleQuorum = 1 }, func(s *layoutv2.State) error {
			g := s.Global()
			g.OracleQuorum = 1
			return s.SetGlobal(g)
		}},
		{"another signer set holding the reporting keys", func(c *OracleCircuit) {
			g := otherSet()
			tree := layoutv2.OracleSignersTree(&g.OracleSigners)
			c.Step.Global.OracleSignersRoot = el(tree.Root())
			for i := range c.Step.Reports {
				path, err := tree.Proof(uint64(c.Step.Reports[i].Signer.(int)))
				if err != nil {
					t.Fatal(err)
				}
				for h := range path {
					c.Step.Reports[i].Path[h] = el(path[h])
				}
			}
		}, func(s *layoutv2.State) error { return s.SetGlobal(otherSet()) }},
	}
	oracleUnderTest(tk).checkOpenings(t, w.state, cases)
}

// The honest witness with the new root of a state differing in one field (or with the old root)
// is unsatisfiable.
func TestOracleWrongNewRootIsUnsatisfiable(t *testing.T) {
	w := newWorld(t)
	tk := w.oracleTick(t, 3)
	_, next, err := WitnessOracle(w.state, tk, k)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := next.Market(market)
	cases := map[string]func(m *layoutv2.Market){
		"price + 1":                   func(m *layoutv2.Market) { m.OraclePrice++ },
		"timestamp + 1":               func(m *layoutv2.Market) { m.OracleTimestamp++ },
		"funding timestamp = now":     func(m *layoutv2.Market) { m.FundingTimestamp = uint64(now) },
		"the old leaf (nothing done)": func(m *layoutv2.Market) { *m = testMarket(market) },
	}
	oracleUnderTest(tk).checkWrongNewRoots(t, w.state, next, m1, cases)
}

// Typed refusals that are not tick rules: an unlisted market, a tick time or a committed bound the
// circuit cannot read; the state is unchanged.
func TestOracleTypedRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		want error
		edit func(t *testing.T, w *world, tk *OracleTick)
	}{
		{"unlisted market", ErrUnknownMarket, func(t *testing.T, w *world, tk *OracleTick) { tk.Market = 7 }},
		{"market id ≥ 64", ErrUnknownMarket, func(t *testing.T, w *world, tk *OracleTick) { tk.Market = 200 }},
		{"negative tick time", ErrOutOfRange, func(t *testing.T, w *world, tk *OracleTick) { tk.Now = -1 }},
		{"oracleMaxMovePpm ≥ 2^20", ErrOutOfRange, func(t *testing.T, w *world, tk *OracleTick) {
			m, _ := w.state.Market(market)
			m.Risk.OracleMaxMovePpm = 1 << 20
			if err := w.state.SetMarket(market, m); err != nil {
				t.Fatal(err)
			}
		}},
		{"oracleMaxAgeSeconds ≥ 2^63", ErrOutOfRange, func(t *testing.T, w *world, tk *OracleTick) {
			m, _ := w.state.Market(market)
			m.Risk.OracleMaxAgeSeconds = 1 << 63
			if err := w.state.SetMarket(market, m); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			tk := w.oracleTick(t, 3)
			c.edit(t, w, &tk)
			before := w.state.Root()
			next, err := ApplyOracleTick(w.state, tk)
			mustRefuse(t, err, c.want)
			if next != nil || w.state.Root() != before {
				t.Fatal("a refused tick returned or changed a state")
			}
		})
	}
}

func cloneWith(s *layoutv2.State, id uint64, m layoutv2.Market, change func(m *layoutv2.Market)) (*layoutv2.State, error) {
	n := s.Clone()
	change(&m)
	return n, n.SetMarket(id, m)
}

// oracleUnderTest is the step of tk for the shared checks.
func oracleUnderTest(tk OracleTick) stepUnderTest[*OracleCircuit] {
	return stepUnderTest[*OracleCircuit]{
		witness: func(s *layoutv2.State) (*OracleCircuit, *layoutv2.State, error) { return WitnessOracle(s, tk, k) },
		solve:   solveOracle,
		roots:   func(c *OracleCircuit) (*frontend.Variable, *frontend.Variable) { return &c.OldRoot, &c.NewRoot },
	}
}
