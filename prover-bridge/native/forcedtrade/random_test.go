package forcedtrade

import (
	"math/rand"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// TestRandomRequestsAgreeWithReference: random requests (side, size, amount, nonce against the
// slot, A's collateral, a wrong signer now and then) on the test state: the step solves with the
// reference's reason and new root, and claiming any other outcome is unsatisfiable. Every outcome
// occurs, several reasons holding at once included (the first in the order is the one proven).
func TestRandomRequestsAgreeWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(20))
	seen := map[reference.Reason]int{}
	several := 0 // cases where more than one reason holds
	base := newState(t)
	for i := 0; i < 16; i++ {
		s := base.Clone()
		a, _ := s.Account(idA)
		if err := s.SetAccount(idA, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce,
			Collateral: rng.Int63n(150_000), Positions: a.Positions}); err != nil {
			t.Fatal(err)
		}
		m := messages.ForcedTradeMessage{AccountA: idA, AccountB: idB, Market: uint16(rng.Intn(7) % 4), ABuys: rng.Intn(2) == 0,
			Size: 1 + uint64(rng.Intn(400)), Nonce: []uint64{100, 8_292, 12_388}[rng.Intn(3)]}
		price := 900 + uint64(rng.Intn(600))
		m.Amount = m.Size * price
		signer := byte(2)
		if rng.Intn(4) == 0 {
			signer = 1
		}
		op := signedBy(t, signer, m, m)
		w, out := witness(t, s, op)
		seen[out.Reason]++
		failing := 0
		if !out.Figures.SignatureValid {
			failing++
		}
		if !out.Figures.RiskOK {
			failing++
		}
		if out.Reason == reference.Stale {
			failing++
		}
		if failing > 1 {
			several++
		}
		if err := solve(w); err != nil {
			t.Fatalf("case %d (%+v): the reference's %v does not solve: %v", i, m, out.Reason, err)
		}
		for _, r := range []reference.Reason{reference.Executed, reference.Stale, reference.BadSignature, reference.Risk,
			reference.UnknownMarket} {
			if r != out.Reason {
				mustBeUnsatisfiable(t, "claimed "+r.String()+" instead of "+out.Reason.String(), claimed(t, s, op, r))
			}
		}
	}
	for _, r := range []reference.Reason{reference.Executed, reference.Stale, reference.BadSignature, reference.Risk,
		reference.UnknownMarket} {
		if seen[r] == 0 {
			t.Fatalf("no random case was %v: %v", r, seen)
		}
	}
	if several == 0 {
		t.Fatal("no random case had several reasons at once")
	}
	t.Logf("outcomes: %v, %d with several reasons", seen, several)
}
