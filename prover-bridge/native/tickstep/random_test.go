package tickstep

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// Random oracle ticks (K = 3): 1 … 3 reports from signer slots 0 … 6 (slot 6 is empty: an
// outsider signs), prices within ±2.5% of the last price (the bound is 2%), timestamps around the
// window, quorum 1 or 2, the last price's time and the batch time varied. The step solves exactly
// when the reference accepts, with ApplyOracleTick's new root.
func TestRandomOracleTicksAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(16))
	w := newWorld(t)
	accepted, refused := 0, 0
	seen := map[reference.TickRule]int{}
	for i := 0; i < 60; i++ {
		s := w.state.Clone()
		g := s.Global()
		g.OracleQuorum = uint8(1 + rng.Intn(2))
		if err := s.SetGlobal(g); err != nil {
			t.Fatal(err)
		}
		m, _ := s.Market(market)
		m.OracleTimestamp = uint64(now - 10 - rng.Int63n(30))
		if err := s.SetMarket(market, m); err != nil {
			t.Fatal(err)
		}
		tk := OracleTick{Domain: demoDomain, Market: market, Now: now, BatchTime: now + rng.Int63n(43) - 3}
		for _, slot := range rng.Perm(7)[:1+rng.Intn(3)] {
			tk.Reports = append(tk.Reports, reference.PriceReport{Market: market, Signer: slot,
				Price: p0 + p0/1_000_000*(rng.Int63n(50_001)-25_000), Timestamp: now + rng.Int63n(39) - 32})
		}
		w.sign(t, &tk)
		ex, err := executeOracle(s, tk, k, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ex.assign(k)
		if err != nil {
			t.Fatal(err)
		}
		for j := range c.Step.Reports { // the key that signed, for a report of the empty slot
			if c.Step.Reports[j].Used == 1 && c.Step.Reports[j].Signer.(int) >= len(w.signers) {
				c.Step.Reports[j].Key.A.X, c.Step.Reports[j].Key.A.Y = el(w.outsider.PublicKey.A.X), el(w.outsider.PublicKey.A.Y)
			}
		}
		err = solveOracle(c)
		if ok := len(ex.broken) == 0; ok != (err == nil) {
			t.Fatalf("tick %d: reference %v, circuit %v", i, ex.broken, err)
		}
		if len(ex.broken) == 0 {
			accepted++
			next, err := ApplyOracleTick(s, tk)
			if err != nil || el(next.Root()).Cmp(bigOf(c.NewRoot)) != 0 {
				t.Fatalf("tick %d: ApplyOracleTick %v, root differs from the witness's", i, err)
			}
		} else {
			refused++
			for _, r := range ex.broken {
				seen[r]++
			}
		}
	}
	t.Logf("%d accepted, %d refused; rules broken: %v", accepted, refused, seen)
	if accepted < 5 || refused < 5 {
		t.Fatalf("%d accepted, %d refused: the generator does not cover both", accepted, refused)
	}
}

// Random funding ticks: Δt around the minimum interval, the rate bound, the price and Δindex
// around ± the bound, the batch time around now. The step solves exactly when the reference
// accepts.
func TestRandomFundingTicksAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	w := newWorld(t)
	accepted, refused := 0, 0
	for i := 0; i < 150; i++ {
		s := w.state.Clone()
		m, _ := s.Market(market)
		m.FundingTimestamp = uint64(now - 3_500 - rng.Int63n(1_000))
		m.Risk.FundingMaxRatePpm = uint64(rng.Int63n(20_000))
		m.OraclePrice = uint64(1+rng.Int63n(5_000)) << 32
		m.FundingIndex = rng.Int63n(1<<40) - 1<<39
		if err := s.SetMarket(market, m); err != nil {
			t.Fatal(err)
		}
		b := reference.FundingBound(int64(m.Risk.FundingMaxRatePpm), int64(m.OraclePrice), now-int64(m.FundingTimestamp)).Int64()
		f := FundingTick{Market: market, Now: now, BatchTime: now + rng.Int63n(42) - 2, Delta: b*(rng.Int63n(241)-120)/100 + rng.Int63n(3) - 1}
		ex, err := executeFunding(s, f, true)
		if err != nil {
			t.Fatal(err)
		}
		err = solveFunding(ex.assign())
		if ok := len(ex.broken) == 0; ok != (err == nil) {
			t.Fatalf("tick %d: reference %v, circuit %v", i, ex.broken, err)
		}
		if len(ex.broken) == 0 {
			accepted++
		} else {
			refused++
		}
	}
	t.Logf("%d accepted, %d refused", accepted, refused)
	if accepted < 20 || refused < 20 {
		t.Fatalf("%d accepted, %d refused: the generator does not cover both", accepted, refused)
	}
}
