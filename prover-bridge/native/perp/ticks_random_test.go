package perp_test

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// TestRandomOracleTicksAgreeWithReference: random oracle ticks (report count, signers including
// ones outside the set and repeats, prices with ties, timestamps around both window edges, the
// last price and time, move bound, quorum, batch time, the odd bad signature) solve exactly when
// the Go reference accepts them, with the reference's median and oldest timestamp. Both outcomes
// must occur often enough for the comparison to mean something.
func TestRandomOracleTicksAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(3))
	accepted, refused := 0, 0
	hist := map[reference.TickRule]int{}
	for i := 0; i < 80; i++ {
		n := 1 + rnd.Intn(5)
		sc := newOracleScenario(t, 5, n)
		tr := &sc.t
		perm := rnd.Perm(6)
		for j := range tr.Reports {
			r := &tr.Reports[j]
			r.Signer = perm[j]
			switch rnd.Intn(25) {
			case 0:
				r.Signer = 6 + rnd.Intn(10) // an empty slot of the tree
			case 1:
				r.Signer = tr.Reports[0].Signer
			}
			r.Price = tickPrice + rnd.Int63n(4)*rnd.Int63n(40_000_000_000) - 60_000_000_000
			r.Timestamp = tr.Now - tr.MaxAge + rnd.Int63n(tr.MaxAge+tr.MaxFuture+1)
			if rnd.Intn(12) == 0 { // one second either side of the window, or at its edge
				r.Timestamp = []int64{tr.Now - tr.MaxAge - 1, tr.Now - tr.MaxAge, tr.Now + tr.MaxFuture, tr.Now + tr.MaxFuture + 1}[rnd.Intn(4)]
			}
		}
		tr.Quorum = 1 + rnd.Intn(n)
		if rnd.Intn(10) == 0 {
			tr.Quorum = n + 1
		}
		tr.MaxMovePpm = 1 + rnd.Int63n(30_000)
		switch rnd.Intn(6) {
		case 0:
			tr.PrevPrice = 0
		default:
			tr.PrevPrice = tickPrice + rnd.Int63n(60_000_000_000) - 30_000_000_000
		}
		tr.PrevTime = tr.Now - 600
		if rnd.Intn(5) == 0 { // around the oldest report
			tr.PrevTime = tr.Now - tr.MaxAge - 2 + rnd.Int63n(tr.MaxAge+4)
		}
		if rnd.Intn(10) == 0 {
			tr.BatchTime = tr.Now - 1
		}
		sc.resign(t)
		if rnd.Intn(15) == 0 {
			tr.Reports[rnd.Intn(n)].Signature[40] ^= 4
		}
		out, broken := reference.ApplyOracleTick(*tr, sc.slots)
		for _, r := range broken {
			hist[r]++
		}
		err := solveOracle(t, sc)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("case %d: reference %v (outcome %+v), circuit error %v", i, broken, out, err)
		}
		if err == nil {
			accepted++
		} else {
			refused++
		}
	}
	t.Logf("%d accepted, %d refused; rules broken: %v", accepted, refused, hist)
	if accepted < 15 || refused < 15 {
		t.Fatalf("too one-sided to compare: %d accepted, %d refused", accepted, refused)
	}
}

// TestRandomFundingTicksAgreeWithReference: random funding ticks (price, interval around the
// minimum, maximum rate, index change around ± the bound, index near the int64 edges) solve
// exactly when the Go reference accepts them, with the reference's new index.
func TestRandomFundingTicksAgreeWithReference(t *testing.T) {
	rnd := rand.New(rand.NewSource(4))
	accepted, refused := 0, 0
	hist := map[reference.TickRule]int{}
	for i := 0; i < 400; i++ {
		f := newFundingScenario()
		f.Price = 1 + rnd.Int63n(1<<(1+rnd.Intn(62)))
		f.MinInterval = 1 + rnd.Int63n(7_200)
		f.TimeBefore = f.Now - f.MinInterval - rnd.Int63n(5) + 2
		if rnd.Intn(20) == 0 {
			f.TimeBefore = f.Now - reference.MaxFundingInterval - rnd.Int63n(3) + 1
		}
		f.MaxRatePpm = rnd.Int63n(1 + rnd.Int63n(reference.MaxFundingRatePpm))
		dt := f.Now - f.TimeBefore
		b := reference.FundingBound(f.MaxRatePpm, f.Price, max(dt, 1))
		if b.IsInt64() {
			f.Delta = b.Int64() + rnd.Int63n(3) - 1
		} else {
			f.Delta = 1<<63 - 1 - rnd.Int63n(3)
		}
		if rnd.Intn(2) == 0 {
			f.Delta = -f.Delta
		}
		f.IndexBefore = rnd.Int63() - rnd.Int63()
		if rnd.Intn(8) == 0 {
			f.BatchTime = f.Now - 1
		}
		_, broken := reference.ApplyFundingTick(f)
		for _, r := range broken {
			hist[r]++
		}
		err := solveFunding(f)
		if (err == nil) != (len(broken) == 0) {
			t.Fatalf("case %d %+v: reference %v, circuit error %v", i, f, broken, err)
		}
		if err == nil {
			accepted++
		} else {
			refused++
		}
	}
	t.Logf("%d accepted, %d refused; rules broken: %v", accepted, refused, hist)
	if accepted < 50 || refused < 50 {
		t.Fatalf("too one-sided to compare: %d accepted, %d refused", accepted, refused)
	}
}
