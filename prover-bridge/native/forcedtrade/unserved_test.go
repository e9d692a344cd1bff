package forcedtrade

import (
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// The full-list shape: 8 entries per account (an account can be full only when all 8 are read),
// a table of 10 markets.
const fullEntries, fullMarkets = 8, 10

// fullState is newState with markets 0 … listed − 1 listed and the account full holding 8
// positions, in markets 0 … 7 (long 10 in even markets, short 10 in odd ones, funding pending): a
// request in market 8 or 9 finds no free entry for it.
func fullState(t testing.TB, full uint64, listed int) *layoutv2.State {
	s := newState(t)
	for m := 3; m < listed; m++ {
		if err := s.SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	setList(t, s, full, func(p *layoutv2.Positions) {
		for m := range p {
			size := int64(10)
			if m%2 == 1 {
				size = -10
			}
			p[m] = layoutv2.PositionEntry{Market: uint8(m), Size: size, FundingSnapshot: testMarket(m).FundingIndex - 1_000_000_000}
		}
	})
	return s
}

// setList rewrites account id's position list with change.
func setList(t testing.TB, s *layoutv2.State, id uint64, change func(*layoutv2.Positions)) {
	a, _ := s.Account(id)
	list := a.Positions
	change(&list)
	if err := s.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral,
		Positions: list}); err != nil {
		t.Fatal(err)
	}
}

// TestNoFreeEntryIsProvenFromTheFullList: A (then B) holding 8 other markets cannot take a
// position in market 8: no free entry solves with nothing changed; executed, risk or out of range
// claimed instead is unsatisfiable, and so is the execution an honest prover of the masked list
// would claim (the trade written over entry 0). Unknown market, stale and bad signature still come
// first, and no free entry comes before a result out of range (an amount of 2^63 − 1); a full
// list holding the market executes; in a shape reading fewer than 8 entries no list is full.
func TestNoFreeEntryIsProvenFromTheFullList(t *testing.T) {
	m := validMessage()
	m.Market = 8
	for name, full := range map[string]uint64{"A": idA, "B": idB} {
		s := fullState(t, full, fullMarkets)
		op := signed(t, m)
		w, out := witnessIn(t, s, op, fullEntries, fullMarkets)
		if out.Reason != reference.NoFreeEntry {
			t.Fatalf("%s full: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s full: %v", name, err)
		}
		for _, r := range []reference.Reason{reference.Executed, reference.Risk, reference.OutOfRange, reference.Stale,
			reference.BadSignature, reference.UnknownMarket} {
			mustBeUnsatisfiable(t, name+" full, claimed "+r.String(), claimedIn(t, s, op, r, fullEntries, fullMarkets))
		}
		mustBeUnsatisfiable(t, name+" full, executed over entry 0", overEntryZero(t, s, full, op))

		// the earlier reasons win; no free entry wins over a result out of range (A receiving 2^63 − 1)
		stale := m
		stale.Nonce = 4_196
		badSig := signedBy(t, 1, m, m)
		huge := m
		huge.ABuys, huge.Amount = false, 1<<63-1
		w, out = witnessIn(t, s, signed(t, huge), fullEntries, fullMarkets)
		if out.Reason != reference.NoFreeEntry {
			t.Fatalf("%s full, A receiving 2^63 − 1: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s full, A receiving 2^63 − 1: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+" full, A receiving 2^63 − 1, claimed out of range",
			claimedIn(t, s, signed(t, huge), reference.OutOfRange, fullEntries, fullMarkets))
		for what, op := range map[string]messages.ForcedTradeOp{"stale": signed(t, stale), "bad signature": badSig} {
			w, out := witnessIn(t, s, op, fullEntries, fullMarkets)
			if out.Reason == reference.NoFreeEntry || !out.Figures.NoFreeEntry {
				t.Fatalf("%s full and %s: reference %v", name, what, out.Reason)
			}
			if err := solve(w); err != nil {
				t.Fatalf("%s full and %s: %v", name, what, err)
			}
			mustBeUnsatisfiable(t, name+" full and "+what+", claimed no free entry",
				claimedIn(t, s, op, reference.NoFreeEntry, fullEntries, fullMarkets))
		}
	}
	// a full list holding the trade's market: the entry is found, the trade executes
	s := fullState(t, idA, fullMarkets)
	held := validMessage()
	held.Market, held.Size, held.Amount = 6, 5, 5_000
	op := signed(t, held)
	w, out := witnessIn(t, s, op, fullEntries, fullMarkets)
	if out.Reason != reference.Executed {
		t.Fatalf("full list holding the market: reference %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	mustBeUnsatisfiable(t, "full list holding the market, claimed no free entry",
		claimedIn(t, s, op, reference.NoFreeEntry, fullEntries, fullMarkets))
	// an unlisted market comes first: market 9 unlisted, A full
	unlisted := fullState(t, idA, 9)
	m.Market = 9
	op = signed(t, m)
	w, out = witnessIn(t, unlisted, op, fullEntries, fullMarkets)
	if out.Reason != reference.UnknownMarket || !out.Figures.NoFreeEntry {
		t.Fatalf("A full, market unlisted: reference %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	mustBeUnsatisfiable(t, "A full, market unlisted, claimed no free entry",
		claimedIn(t, unlisted, op, reference.NoFreeEntry, fullEntries, fullMarkets))
	// two entries read: never full
	mustBeUnsatisfiable(t, "n = 2, claimed no free entry", claimed(t, newState(t), signed(t, validMessage()), reference.NoFreeEntry))
}

// overEntryZero is the executed claim of a prover who, with full's list full, writes the trade
// into entry 0 as the settlement gadget computes it when entry 0 is read as empty: the state
// where entry 0 was empty, executed.
func overEntryZero(t *testing.T, s *layoutv2.State, full uint64, op messages.ForcedTradeOp) *Step {
	t.Helper()
	dropped := s.Clone()
	setList(t, dropped, full, func(p *layoutv2.Positions) { p[0] = layoutv2.PositionEntry{} })
	out, err := reference.Apply(dropped, demoDomain, op)
	if err != nil || out.Reason != reference.Executed {
		t.Fatalf("entry 0 dropped: %v %v", out.Reason, err)
	}
	w, err := assign(s, demoDomain, op, out, fullEntries, fullMarkets)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestOutOfRangeIsProvenFromTheSettledValues: a request whose amount takes A's or B's collateral
// past int64 (up or down), whose size takes A's position past |size| ≤ 2^55 − 1, or whose trade
// takes the market's open interest below 0 (a leaf counting fewer longs than A holds) is out of
// range: it solves with nothing changed; executed (under any root), risk or no free entry claimed
// instead is unsatisfiable; an unlisted market and a bad signature still come first. At each
// boundary the value fits and the request is a risk failure.
func TestOutOfRangeIsProvenFromTheSettledValues(t *testing.T) {
	base := newState(t)
	// A sells 60 and receives 2^63 − 1: 200,000 − 19 + 2^63 − 1 > 2^63 − 1
	aUp := validMessage()
	aUp.ABuys, aUp.Amount = false, 1<<63-1
	// A buys 60 and pays it to B: 150,000 − 4 + 2^63 − 1 > 2^63 − 1
	bUp := validMessage()
	bUp.Amount = 1<<63 - 1
	// A and B at collateral −200,000: A buys and pays 2^63 − 1, below −2^63 (B's stays an int64)
	negative := base.Clone()
	for _, id := range []uint64{idA, idB} {
		a, _ := negative.Account(id)
		if err := negative.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: -200_000,
			Positions: a.Positions}); err != nil {
			t.Fatal(err)
		}
	}
	// A (long 40) buys 2^55 − 1: long 2^55 + 39
	size := validMessage()
	size.Size, size.Amount = 1<<55-1, 100
	// market 2's leaf counts 10 longs; A closes its long 40 against B's short 50: 10 − 40 < 0
	lowOI := base.Clone()
	mk, _ := lowOI.Market(2)
	mk.OpenInterest = 10
	if err := lowOI.SetMarket(2, mk); err != nil {
		t.Fatal(err)
	}
	setList(t, lowOI, idB, func(p *layoutv2.Positions) {
		p[1] = layoutv2.PositionEntry{Market: 2, Size: -50, FundingSnapshot: testMarket(2).FundingIndex}
	})
	closing := validMessage()
	closing.ABuys, closing.Size, closing.Amount = false, 40, 48_000
	for name, c := range map[string]struct {
		s *layoutv2.State
		m messages.ForcedTradeMessage
	}{
		"A's collateral above int64": {base, aUp}, "B's collateral above int64": {base, bUp},
		"A's collateral below int64": {negative, bUp}, "A's size past 2^55 − 1": {base, size},
		"open interest below 0": {lowOI, closing},
	} {
		op := signed(t, c.m)
		w, out := witness(t, c.s, op)
		if out.Reason != reference.OutOfRange {
			t.Fatalf("%s: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range []reference.Reason{reference.Executed, reference.Risk, reference.NoFreeEntry, reference.BadSignature} {
			mustBeUnsatisfiable(t, name+", claimed "+r.String(), claimed(t, c.s, op, r))
		}
		// the executed root with the reason claimed out of range is refused too
		e := *claimed(t, c.s, op, reference.Executed)
		e.Reason = int(reference.OutOfRange)
		mustBeUnsatisfiable(t, name+", out of range under the executed root", &e)
		bad := signedBy(t, 1, c.m, c.m)
		w, out = witness(t, c.s, bad)
		if out.Reason != reference.BadSignature || !out.Figures.OutOfRange {
			t.Fatalf("%s and a bad signature: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s and a bad signature: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+" and a bad signature, claimed out of range", claimed(t, c.s, bad, reference.OutOfRange))
	}
	// an unlisted market comes first: A receiving 2^63 − 1 in market 3
	unknown := aUp
	unknown.Market = 3
	op := signed(t, unknown)
	w, out := witness(t, base, op)
	if out.Reason != reference.UnknownMarket {
		t.Fatalf("unlisted market and A's collateral above int64: reference %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	mustBeUnsatisfiable(t, "unlisted market, claimed out of range", claimed(t, base, op, reference.OutOfRange))
	// the boundaries: A's collateral exactly 2^63 − 1, A's size exactly 2^55 − 1, open interest
	// exactly 0 fit (and break a risk rule: B cannot pay, the size limit, B's margin)
	edge := aUp
	edge.Amount = 1<<63 - 1 - (200_000 - 19)
	sizeEdge := size
	sizeEdge.Size = 1<<55 - 1 - 40
	oiEdge := base.Clone()
	mk.OpenInterest = 40
	if err := oiEdge.SetMarket(2, mk); err != nil {
		t.Fatal(err)
	}
	setList(t, oiEdge, idB, func(p *layoutv2.Positions) {
		p[1] = layoutv2.PositionEntry{Market: 2, Size: -50, FundingSnapshot: testMarket(2).FundingIndex}
	})
	closeAtLoss := closing
	closeAtLoss.Amount = 1 << 62
	for name, c := range map[string]struct {
		s *layoutv2.State
		m messages.ForcedTradeMessage
	}{"collateral 2^63 − 1": {base, edge}, "size 2^55 − 1": {base, sizeEdge}, "open interest 0": {oiEdge, closeAtLoss}} {
		op := signed(t, c.m)
		w, out := witness(t, c.s, op)
		if out.Reason != reference.Risk || out.Figures.OutOfRange {
			t.Fatalf("%s: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+", claimed out of range", claimed(t, c.s, op, reference.OutOfRange))
	}
}
