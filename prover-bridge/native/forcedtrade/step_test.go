package forcedtrade

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// The test shape: 2 list entries per account, a table of 4 markets.
const nEntries, nMarkets = 2, 4

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 19: 0xa3}}

const idA, idB = 5, 9

var ownerA = [20]byte{0xa5, 19: 0x01}

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 71}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testMarket m: oracle price 1,000 + 100·m quanta (32.32), funding pending on held positions.
func testMarket(m int) layoutv2.Market {
	return layoutv2.Market{
		OraclePrice: uint64(1000+100*m) << 32, OracleTimestamp: 1_800_000_000 + uint64(m),
		FundingIndex: int64(m)*1_000_000_000 - 3_000_000_000, FundingTimestamp: 1_799_990_000, OpenInterest: 5_000,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000, OpenInterestCap: 6_000,
			OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000},
	}
}

// newState: markets 0 … 2 listed (3 unlisted in the table); A (key 1) holds long 40 in market 2
// with funding pending, collateral 200,000, its fill slot 100 holding nonce 4,196; B (key 2)
// holds short 30 in market 1, collateral 150,000; a third account elsewhere.
func newState(t testing.TB) *layoutv2.State {
	s := layoutv2.NewState()
	for m := 0; m < 3; m++ {
		if err := s.SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	var la, lb layoutv2.Positions
	la[0] = layoutv2.PositionEntry{Market: 2, Size: 40, FundingSnapshot: testMarket(2).FundingIndex - 2_000_000_000}
	lb[0] = layoutv2.PositionEntry{Market: 1, Size: -30, FundingSnapshot: testMarket(1).FundingIndex + 500_000_000}
	for _, a := range []struct {
		id   uint64
		k    byte
		own  [20]byte
		coll int64
		list layoutv2.Positions
	}{{idA, 1, ownerA, 200_000, la}, {idB, 2, [20]byte{0xb9}, 150_000, lb}} {
		pk := key(t, a.k).PublicKey
		id := layoutv2.Identity{PublicKeyX: pk.A.X, PublicKeyY: pk.A.Y, L1Owner: a.own, FeeTier: 1}
		if err := s.SetAccount(a.id, layoutv2.AccountFields{Identity: id, Nonce: 3, Collateral: a.coll, Positions: a.list}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetAccount(12, layoutv2.AccountFields{Collateral: 42}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFill(idA, layoutv2.Fill{OrderNonce: 4_196, FilledAmount: 7}); err != nil {
		t.Fatal(err)
	}
	return s
}

// signed is the request of m by A's owner with B's (key 2) signature of m.
func signed(t testing.TB, m messages.ForcedTradeMessage) messages.ForcedTradeOp {
	return signedBy(t, 2, m, m)
}

// signedBy is the request of m carrying key k's signature of the message `over`.
func signedBy(t testing.TB, k byte, m, over messages.ForcedTradeMessage) messages.ForcedTradeOp {
	h := over.Hash(demoDomain)
	b := h.Bytes()
	sig, err := key(t, k).Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	var parsed eddsa.Signature
	if _, err := parsed.SetBytes(sig); err != nil {
		t.Fatal(err)
	}
	op := messages.ForcedTradeOp{Message: m, OwnerA: ownerA, RX: parsed.R.X, RY: parsed.R.Y}
	op.S.SetBigInt(new(big.Int).SetBytes(parsed.S[:]))
	return op
}

// validMessage: A buys 60 of market 2 (oracle 1,200) from B for 72,000, nonce 8,292 (slot 100,
// newer than the 4,196 it holds). B opens a short in its lowest empty entry.
func validMessage() messages.ForcedTradeMessage {
	return messages.ForcedTradeMessage{AccountA: idA, AccountB: idB, Market: 2, ABuys: true, Size: 60, Amount: 72_000, Nonce: 8_292}
}

// solve runs gnark's test engine on w in w's shape (entries per account, table length).
func solve(w *Step) error {
	return test.IsSolved(NewStep(len(w.A.Positions), len(w.Markets), Separator(demoDomain)), w, ecc.BN254.ScalarField())
}

func witness(t testing.TB, s *layoutv2.State, op messages.ForcedTradeOp) (*Step, reference.Outcome) {
	t.Helper()
	return witnessIn(t, s, op, nEntries, nMarkets)
}

// witnessIn is witness in shape (n, k).
func witnessIn(t testing.TB, s *layoutv2.State, op messages.ForcedTradeOp, n, k int) (*Step, reference.Outcome) {
	t.Helper()
	w, out, err := Witness(s, demoDomain, op, n, k)
	if err != nil {
		t.Fatal(err)
	}
	return w, out
}

func el2(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

// claimed is the assignment claiming outcome r for op on s, built as an honest prover of that
// claim would: for Executed, the state the execution would leave (B's path after A's update;
// the unchanged state where layout v2 cannot hold it: no free entry, a value out of range);
// for a reason, the unchanged state.
func claimed(t testing.TB, s *layoutv2.State, op messages.ForcedTradeOp, r reference.Reason) *Step {
	t.Helper()
	return claimedIn(t, s, op, r, nEntries, nMarkets)
}

// claimedIn is claimed in shape (n, k).
func claimedIn(t testing.TB, s *layoutv2.State, op messages.ForcedTradeOp, r reference.Reason, n, k int) *Step {
	t.Helper()
	w, _, err := Claim(s, demoDomain, op, r, n, k)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// mustBeUnsatisfiable fails unless w is unsatisfiable.
func mustBeUnsatisfiable(t *testing.T, what string, w *Step) {
	t.Helper()
	if err := solve(w); err == nil {
		t.Fatalf("%s: satisfiable", what)
	}
}

// TestValidForcedTradeExecutes: the valid request executes with the reference's new state
// (figures checked by hand); claiming any invalid reason instead is unsatisfiable.
func TestValidForcedTradeExecutes(t *testing.T) {
	s := newState(t)
	old := s.Root()
	op := signed(t, validMessage())
	w, out := witness(t, s, op)
	if out.Reason != reference.Executed {
		t.Fatalf("reference: %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	if r := s.Root(); !r.Equal(&old) {
		t.Fatal("the old state changed")
	}
	// A: funding on long 40 = −(F − snap)·40 / 2^32 = −2·10^9·40/2^32 → ⌊−18.6…⌋ = −19; pays 72,000
	a, _ := out.Next.Account(idA)
	if a.Collateral != 200_000-19-72_000 || a.Positions[0].Size != 100 || a.Positions[0].FundingSnapshot != testMarket(2).FundingIndex {
		t.Fatalf("A after: %+v", a)
	}
	// B: funding on short 30 = −(−5·10^8)·(−30)/2^32 → ⌊−3.49…⌋ = −4; receives 72,000; short 60 in entry 1
	b, _ := out.Next.Account(idB)
	if b.Collateral != 150_000-4+72_000 || b.Positions[1].Market != 2 || b.Positions[1].Size != -60 {
		t.Fatalf("B after: %+v", b)
	}
	if f, _ := out.Next.Fill(idA, 100); f.OrderNonce != 8_292 || f.FilledAmount != 60 {
		t.Fatalf("A's fill slot: %+v", f)
	}
	if m, _ := out.Next.Market(2); m.OpenInterest != 5_060 {
		t.Fatalf("open interest %d", m.OpenInterest)
	}
	for _, r := range []reference.Reason{reference.Stale, reference.BadSignature, reference.Risk, reference.UnknownMarket} {
		mustBeUnsatisfiable(t, "valid trade skipped as "+r.String(), claimed(t, s, op, r))
	}
	// … also with the market's leaf claimed empty
	c := claimed(t, s, op, reference.UnknownMarket)
	c.MarketListed = 0
	mustBeUnsatisfiable(t, "valid trade's market claimed unlisted", c)
	// the executed new root with an invalid reason claimed is refused too
	e := *w
	e.Reason = int(reference.Risk)
	mustBeUnsatisfiable(t, "executed root under reason risk", &e)
}

// TestStaleIsProvenFromTheNonceSlot: a nonce the slot already holds (or an older one) is stale:
// accepted as stale with nothing changed, unsatisfiable as an execution.
func TestStaleIsProvenFromTheNonceSlot(t *testing.T) {
	s := newState(t)
	for _, nonce := range []uint64{4_196, 100} {
		m := validMessage()
		m.Nonce = nonce
		op := signed(t, m)
		w, out := witness(t, s, op)
		if out.Reason != reference.Stale {
			t.Fatalf("nonce %d: reference %v", nonce, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("nonce %d: %v", nonce, err)
		}
		mustBeUnsatisfiable(t, "stale trade executed", claimed(t, s, op, reference.Executed))
		mustBeUnsatisfiable(t, "stale trade called a bad signature", claimed(t, s, op, reference.BadSignature))
	}
	// the executed trade's slot then makes the same request stale: it cannot run twice
	op := signed(t, validMessage())
	_, out := witness(t, s, op)
	w, again := witness(t, out.Next, op)
	if again.Reason != reference.Stale {
		t.Fatalf("replay: %v", again.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
}

// TestBadSignatureIsProvenByComputingIt: a signature by another key, over another message, or
// with R off the curve is a bad signature; executing it is unsatisfiable.
func TestBadSignatureIsProvenByComputingIt(t *testing.T) {
	s := newState(t)
	other := validMessage()
	other.Amount++
	offCurve := signed(t, validMessage())
	offCurve.RY.SetUint64(5)
	for name, op := range map[string]messages.ForcedTradeOp{
		"A's key instead of B's": signedBy(t, 1, validMessage(), validMessage()),
		"over another message":   signedBy(t, 2, validMessage(), other),
		"R off the curve":        offCurve,
	} {
		w, out := witness(t, s, op)
		if out.Reason != reference.BadSignature {
			t.Fatalf("%s: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+": executed", claimed(t, s, op, reference.Executed))
		mustBeUnsatisfiable(t, name+": called a risk failure", claimed(t, s, op, reference.Risk))
	}
}

// TestChangedFieldAfterSigning: each field of the message changed after B signed it makes the
// request a bad signature; its execution is unsatisfiable. A priority op that is not the
// witness's hash is unsatisfiable.
func TestChangedFieldAfterSigning(t *testing.T) {
	s := newState(t)
	changes := map[string]func(*messages.ForcedTradeMessage){
		"market": func(m *messages.ForcedTradeMessage) { m.Market = 1 },
		"side":   func(m *messages.ForcedTradeMessage) { m.ABuys = false },
		"size":   func(m *messages.ForcedTradeMessage) { m.Size = 61 },
		"amount": func(m *messages.ForcedTradeMessage) { m.Amount = 71_999 },
		"nonce":  func(m *messages.ForcedTradeMessage) { m.Nonce = 8_293 },
	}
	for name, change := range changes {
		m := validMessage()
		change(&m)
		op := signedBy(t, 2, m, validMessage())
		w, out := witness(t, s, op)
		if out.Reason != reference.BadSignature {
			t.Fatalf("%s: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+" changed, executed", claimed(t, s, op, reference.Executed))
	}
	w, _ := witness(t, s, signed(t, validMessage()))
	other := signed(t, validMessage())
	other.OwnerA = [20]byte{0xee}
	c := *w
	c.PriorityOp = el2(other.Hash())
	mustBeUnsatisfiable(t, "another requester's op", &c)
}

// TestRiskFailureIsProvenByComputingIt: A overpaying (margin fails for A), A buying above the
// position size limit, and open interest past its cap are risk failures (proven, nothing
// changes); executing them is unsatisfiable; the boundary of the margin rule solves executed.
func TestRiskFailureIsProvenByComputingIt(t *testing.T) {
	s := newState(t)
	overpay := validMessage()
	overpay.Amount = 400_000 // A's equity after: 200,000 − 19 − 400,000 + 120,000 < 0
	tooBig := validMessage()
	tooBig.Size, tooBig.Amount = 970, 100 // A: long 1,010 > 1,000
	for name, m := range map[string]messages.ForcedTradeMessage{"A overpays": overpay, "size limit": tooBig} {
		op := signed(t, m)
		w, out := witness(t, s, op)
		if out.Reason != reference.Risk {
			t.Fatalf("%s: reference %v", name, out.Reason)
		}
		if err := solve(w); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mustBeUnsatisfiable(t, name+": executed", claimed(t, s, op, reference.Executed))
		mustBeUnsatisfiable(t, name+": called a bad signature", claimed(t, s, op, reference.BadSignature))
	}
	// open interest: 5,000 + A's growth past the cap of 6,000 (A buys 960 → long 1,000, B short)
	oi := validMessage()
	oi.Size, oi.Amount = 960, 100
	mk, _ := s.Market(2)
	mk.Risk.OpenInterestCap = 5_900
	cp := s.Clone()
	if err := cp.SetMarket(2, mk); err != nil {
		t.Fatal(err)
	}
	w, out := witness(t, cp, signed(t, oi))
	if out.Reason != reference.Risk {
		t.Fatalf("open interest: reference %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	mustBeUnsatisfiable(t, "open interest past the cap executed", claimed(t, cp, signed(t, oi), reference.Executed))
	// the margin boundary: the largest amount A may pay executes, one more is a risk failure
	lo, hi := uint64(72_000), uint64(400_000)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		m := validMessage()
		m.Amount = mid
		if o, err := reference.Apply(s, demoDomain, signed(t, m)); err != nil || o.Reason != reference.Executed {
			hi = mid
		} else {
			lo = mid
		}
	}
	for amount, want := range map[uint64]reference.Reason{lo: reference.Executed, lo + 1: reference.Risk} {
		m := validMessage()
		m.Amount = amount
		w, out := witness(t, s, signed(t, m))
		if out.Reason != want {
			t.Fatalf("amount %d: reference %v, want %v", amount, out.Reason, want)
		}
		if err := solve(w); err != nil {
			t.Fatalf("amount %d: %v", amount, err)
		}
	}
	m := validMessage()
	m.Amount = lo + 1
	op := signed(t, m)
	w, _ = witness(t, s, op)
	mustBeUnsatisfiable(t, "one quantum past the margin boundary executed", claimed(t, s, op, reference.Executed))
}

// TestUnknownMarketIsProvenFromTheEmptyLeaf: a listed-looking id whose market leaf is empty
// (market 3 of the 4-market table) is an unknown market, checked first (the nonce is stale and the
// signature bad too); any other invalid reason claimed, or the market claimed listed, is
// unsatisfiable.
func TestUnknownMarketIsProvenFromTheEmptyLeaf(t *testing.T) {
	s := newState(t)
	m := validMessage()
	m.Market, m.Nonce = 3, 100
	op := signedBy(t, 1, m, m)
	w, out := witness(t, s, op)
	if out.Reason != reference.UnknownMarket {
		t.Fatalf("reference: %v", out.Reason)
	}
	if err := solve(w); err != nil {
		t.Fatal(err)
	}
	for _, r := range []reference.Reason{reference.Stale, reference.BadSignature, reference.Risk} {
		mustBeUnsatisfiable(t, "unknown market called "+r.String(), claimed(t, s, op, r))
	}
	c := *w
	c.MarketListed = 1
	mustBeUnsatisfiable(t, "unlisted market claimed listed", &c)
}

// TestNoExecutionOnAnUnlistedMarket: an unlisted id's table values are only range-checked, so a
// prover may choose them; the honest execution of a trade on unlisted market 3 with chosen values
// (those of a listed market: the risk rules hold) is still unsatisfiable, because executing needs
// the market listed.
func TestNoExecutionOnAnUnlistedMarket(t *testing.T) {
	s := newState(t)
	m := validMessage()
	m.Market = 3
	op := signed(t, m)
	// the execution the prover would claim: the accounts as if market 3 had testMarket(3)'s
	// values, the markets root unchanged (the unlisted leaf stays empty)
	listed := s.Clone()
	if err := listed.SetMarket(3, testMarket(3)); err != nil {
		t.Fatal(err)
	}
	ex, err := reference.Apply(listed, demoDomain, op)
	if err != nil || ex.Reason != reference.Executed {
		t.Fatalf("with market 3 listed: %v %v", ex.Reason, err)
	}
	next := s.Clone()
	for _, id := range []uint64{idA, idB} {
		a, _ := ex.Next.Account(id)
		if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: a.Collateral,
			Positions: a.Positions}); err != nil {
			t.Fatal(err)
		}
	}
	if err := next.SetFill(idA, layoutv2.Fill{OrderNonce: m.Nonce, FilledAmount: m.Size}); err != nil {
		t.Fatal(err)
	}
	w, err := assign(s, demoDomain, op, reference.Outcome{Reason: reference.Executed, Next: next, Figures: ex.Figures},
		nEntries, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	w.Markets[3] = perpstep.TableEntry(testMarket(3))
	mustBeUnsatisfiable(t, "executed on an unlisted market", w)
}

// TestRequestsThisSliceCannotServe: typed errors, nothing built.
func TestRequestsThisSliceCannotServe(t *testing.T) {
	s := newState(t)
	for name, c := range map[string]struct {
		change func(*messages.ForcedTradeMessage, *messages.ForcedTradeOp)
		want   error
	}{
		"market id ≥ 64": {func(m *messages.ForcedTradeMessage, _ *messages.ForcedTradeOp) { m.Market = 64 }, reference.ErrRequestRange},
		"self trade":     {func(m *messages.ForcedTradeMessage, _ *messages.ForcedTradeOp) { m.AccountB = idA }, reference.ErrSelfTrade},
		"no account B":   {func(m *messages.ForcedTradeMessage, _ *messages.ForcedTradeOp) { m.AccountB = 77 }, reference.ErrNoAccount},
		"not A's owner":  {func(_ *messages.ForcedTradeMessage, o *messages.ForcedTradeOp) { o.OwnerA = [20]byte{1} }, reference.ErrOwner},
	} {
		m := validMessage()
		op := signed(t, m)
		c.change(&m, &op)
		op.Message = m
		before := s.Root()
		if _, _, err := Witness(s, demoDomain, op, nEntries, nMarkets); !errorsIs(err, c.want) {
			t.Fatalf("%s: %v", name, err)
		}
		if r := s.Root(); !r.Equal(&before) {
			t.Fatalf("%s: state changed", name)
		}
	}
}

var _ frontend.Circuit = (*Step)(nil)

func errorsIs(err, target error) bool { return errors.Is(err, target) }
