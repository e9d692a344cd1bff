package forcedtrade

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// allReasons is every outcome, in code order.
var allReasons = []reference.Reason{reference.Executed, reference.Stale, reference.BadSignature, reference.Risk,
	reference.UnknownMarket, reference.NoFreeEntry, reference.OutOfRange}

// TestRandomRequestsAgreeWithReference: random requests (side, size, amount, nonce against the
// slot, A's collateral, a wrong signer now and then, an amount near 2^63 or a size near 2^55 now
// and then) on the test state, and on the full-list state in the 8-entry shape (A, B or neither
// full, any of its 10 markets): the step solves with the reference's reason and new root, and
// claiming any other outcome is unsatisfiable. Every outcome occurs, several reasons holding at
// once included (the first in the order is the one proven).
func TestRandomRequestsAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(22))
	seen := map[reference.Reason]int{}
	several := 0 // cases where more than one reason holds
	base := newState(t)
	fullBase := map[int]*layoutv2.State{0: fullState(t, idA, fullMarkets), 1: fullState(t, idB, fullMarkets), 2: newState(t)}
	for _, m := range []int{3, 4, 5, 6, 7, 8, 9} {
		if err := fullBase[2].SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 24; i++ {
		shape := [2]int{nEntries, nMarkets}
		s := base.Clone()
		if i >= 16 {
			shape = [2]int{fullEntries, fullMarkets}
			s = fullBase[rng.Intn(3)].Clone()
		}
		a, _ := s.Account(idA)
		if err := s.SetAccount(idA, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce,
			Collateral: rng.Int63n(150_000), Positions: a.Positions}); err != nil {
			t.Fatal(err)
		}
		m := messages.ForcedTradeMessage{AccountA: idA, AccountB: idB, Market: uint16(rng.Intn(7) % 4), ABuys: rng.Intn(2) == 0,
			Size: 1 + uint64(rng.Intn(400)), Nonce: []uint64{100, 8_292, 12_388}[rng.Intn(3)]}
		price := 900 + uint64(rng.Intn(600))
		m.Amount = m.Size * price
		switch rng.Intn(8) {
		case 0: // one side's collateral near or past 2^63
			m.Amount = 1<<63 - 1 - uint64(rng.Intn(200_000))
		case 1: // A's long 40 in market 2 past 2^55 − 1
			m.Market, m.ABuys, m.Size = 2, true, 1<<55-1-uint64(rng.Intn(40))
		}
		if i >= 16 {
			m.Market = uint16(rng.Intn(fullMarkets))
		}
		signer := byte(2)
		if rng.Intn(4) == 0 {
			signer = 1
		}
		op := signedBy(t, signer, m, m)
		w, out := witnessIn(t, s, op, shape[0], shape[1])
		seen[out.Reason]++
		failing := 0
		for _, holds := range []bool{!out.Figures.SignatureValid, out.Figures.NoFreeEntry, out.Figures.OutOfRange,
			out.Reason == reference.Risk, out.Reason == reference.Stale} {
			if holds {
				failing++
			}
		}
		if failing > 1 {
			several++
		}
		if err := solve(w); err != nil {
			t.Fatalf("case %d (%+v): the reference's %v does not solve: %v", i, m, out.Reason, err)
		}
		for _, r := range allReasons {
			if r != out.Reason {
				mustBeUnsatisfiable(t, "claimed "+r.String()+" instead of "+out.Reason.String(), claimedIn(t, s, op, r, shape[0], shape[1]))
			}
		}
	}
	for _, r := range allReasons {
		if seen[r] == 0 {
			t.Fatalf("no random case was %v: %v", r, seen)
		}
	}
	if several == 0 {
		t.Fatal("no random case had several reasons at once")
	}
	t.Logf("outcomes: %v, %d with several reasons", seen, several)
}
