package layoutv2

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

func TestTagsAreTheirAsciiStrings(t *testing.T) {
	for s, tag := range map[string]fr.Element{
		"zkperp/account/v2": TagAccount, "zkperp/account-identity/v2": TagAccountIdentity,
		"zkperp/fill/v2": TagFill, "zkperp/market/v2": TagMarket, "zkperp/market-risk/v2": TagMarketRisk,
		"zkperp/global/v2": TagGlobal, "zkperp/oracle-signer/v2": TagOracleSigner,
		"zkperp/fee-tiers/v2": TagFeeTiers, "zkperp/state/v2": TagState,
	} {
		var got big.Int
		tag.BigInt(&got)
		if want := new(big.Int).SetBytes([]byte(s)); got.Cmp(want) != 0 {
			t.Errorf("%s: tag %s, want %s", s, &got, want)
		}
	}
}

func TestPackEntryBitLayout(t *testing.T) {
	// market 5, size −3, snapshot 7: 5 + (2^55 − 3)·2^6 + (2^63 + 7)·2^62, computed independently.
	want := new(big.Int).Add(big.NewInt(5), new(big.Int).Mul(new(big.Int).Sub(pow2(55), big.NewInt(3)), pow2(6)))
	want.Add(want, new(big.Int).Mul(new(big.Int).Add(pow2(63), big.NewInt(7)), pow2(62)))
	got, err := PackEntry(PositionEntry{Market: 5, Size: -3, FundingSnapshot: 7})
	if err != nil || got.Cmp(want) != 0 {
		t.Fatalf("PackEntry = %v, %v; want %s", got, err, want)
	}
	// two per element: q = e0 + e1·2^126
	p := Positions{{Market: 5, Size: -3, FundingSnapshot: 7}, {Market: 9, Size: 1, FundingSnapshot: -1}}
	q, err := p.Pack()
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := PackEntry(p[1])
	wantQ := new(big.Int).Add(want, new(big.Int).Mul(e1, pow2(126)))
	var gotQ big.Int
	q[0].BigInt(&gotQ)
	if gotQ.Cmp(wantQ) != 0 {
		t.Fatalf("q1 = %s, want %s", &gotQ, wantQ)
	}
	for k := 1; k < PositionElements; k++ {
		if !q[k].IsZero() {
			t.Fatalf("q%d of an empty pair = %s, want 0", k+1, q[k].String())
		}
	}
}

func TestEmptyEntryIsStoredAsZero(t *testing.T) {
	v, err := PackEntry(PositionEntry{Market: 17, Size: 0, FundingSnapshot: -99})
	if err != nil || v.Sign() != 0 {
		t.Fatalf("empty entry packs to %v, %v; want 0", v, err)
	}
	// a non-zero value whose size field is 2^55 (size 0) is not a canonical empty entry
	bad := new(big.Int).Add(big.NewInt(17), new(big.Int).Mul(pow2(55), pow2(6)))
	if _, err := UnpackEntry(bad); !errors.Is(err, ErrNonCanonicalEntry) {
		t.Fatalf("non-zero empty entry: err %v, want ErrNonCanonicalEntry", err)
	}
}

func TestExtremesFitAndRoundTrip(t *testing.T) {
	p := Positions{
		{Market: 63, Size: MaxAbsSize, FundingSnapshot: math.MaxInt64},
		{Market: 62, Size: -MaxAbsSize, FundingSnapshot: math.MinInt64},
		{Market: 0, Size: 1, FundingSnapshot: 0},
		{Market: 1, Size: -1, FundingSnapshot: -1},
	}
	q, err := p.Pack()
	if err != nil {
		t.Fatal(err)
	}
	for k := range q {
		var v big.Int
		q[k].BigInt(&v)
		if v.BitLen() > 252 {
			t.Fatalf("q%d has %d bits", k+1, v.BitLen())
		}
	}
	back, err := UnpackPositions(q)
	if err != nil || back != p {
		t.Fatalf("round trip: %v, %v; want %v", back, err, p)
	}
}

func TestOutOfRangeEntriesAreRefused(t *testing.T) {
	for name, e := range map[string]PositionEntry{
		"size 2^55":  {Market: 1, Size: MaxAbsSize + 1},
		"size −2^55": {Market: 1, Size: -MaxAbsSize - 1},
		"market 64":  {Market: 64, Size: 1},
	} {
		if _, err := PackEntry(e); !errors.Is(err, ErrPositionOutOfRange) {
			t.Errorf("%s: err %v, want ErrPositionOutOfRange", name, err)
		}
		p := Positions{e}
		if _, err := p.Pack(); !errors.Is(err, ErrPositionOutOfRange) {
			t.Errorf("%s in a list: err %v", name, err)
		}
	}
	dup := Positions{{Market: 3, Size: 1}, {}, {Market: 3, Size: -2}}
	if _, err := dup.Pack(); !errors.Is(err, ErrDuplicateMarket) {
		t.Fatalf("duplicate market: err %v", err)
	}
	// an empty entry may name any market: it does not count as holding it
	ok := Positions{{Market: 3, Size: 1}, {Market: 3, Size: 0}}
	if _, err := ok.Pack(); err != nil {
		t.Fatalf("empty entry naming a held market: %v", err)
	}
}

func TestUnpackRefusesNonCanonicalValues(t *testing.T) {
	// size field 0 = size −2^55, which would make market 0, snapshot −2^63 pack to 0
	if _, err := UnpackEntry(big.NewInt(5)); !errors.Is(err, ErrNonCanonicalEntry) {
		t.Fatalf("size field 0: %v", err)
	}
	if _, err := UnpackEntry(pow2(126)); !errors.Is(err, ErrNonCanonicalEntry) {
		t.Fatalf("2^126: %v", err)
	}
	var q [PositionElements]fr.Element
	q[2].SetBigInt(pow2(252))
	if _, err := UnpackPositions(q); !errors.Is(err, ErrNonCanonicalEntry) {
		t.Fatalf("element ≥ 2^252: %v", err)
	}
	e, _ := PackEntry(PositionEntry{Market: 4, Size: 10})
	q = [PositionElements]fr.Element{}
	q[0].SetBigInt(new(big.Int).Add(e, new(big.Int).Lsh(e, 126)))
	if _, err := UnpackPositions(q); !errors.Is(err, ErrDuplicateMarket) {
		t.Fatalf("same market twice: %v", err)
	}
}

func TestRandomListsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		var p Positions
		markets := rng.Perm(64)
		for j := range p {
			if rng.IntN(3) == 0 {
				continue
			}
			p[j] = PositionEntry{Market: uint8(markets[j]), Size: rng.Int64N(2*MaxAbsSize) - MaxAbsSize + 1,
				FundingSnapshot: int64(rng.Uint64())}
			if p[j].Size == 0 {
				p[j] = PositionEntry{}
			}
		}
		q, err := p.Pack()
		if err != nil {
			t.Fatal(err)
		}
		back, err := UnpackPositions(q)
		if err != nil || back != p {
			t.Fatalf("round trip %v: %v, %v", p, back, err)
		}
	}
}

func TestFillLeafPacksNonceAndAmount(t *testing.T) {
	f := Fill{OrderNonce: math.MaxUint64, FilledAmount: 3}
	want := new(big.Int).Add(new(big.Int).SetUint64(math.MaxUint64), new(big.Int).Mul(big.NewInt(3), pow2(64)))
	var got big.Int
	p := f.Packed()
	p.BigInt(&got)
	if got.Cmp(want) != 0 {
		t.Fatalf("packed = %s, want %s", &got, want)
	}
	if f.Hash() != layout.Hash(TagFill, p) {
		t.Fatal("fill hash is not H(TAG_FILL_V2, packed)")
	}
	if FillSlot(4096+7) != 7 || FillSlot(4095) != 4095 {
		t.Fatal("fill slot is not nonce mod 2^12")
	}
}

func TestFeeTiersAndQuorumBounds(t *testing.T) {
	var tiers [FeeTierCount]FeeTier
	tiers[0] = FeeTier{MakerPpm: -MaxFeeRatePpm, TakerPpm: MaxFeeRatePpm}
	if _, err := FeeTiersHash(&tiers); err != nil {
		t.Fatalf("±10^6: %v", err)
	}
	tiers[7].TakerPpm = MaxFeeRatePpm + 1
	if _, err := FeeTiersHash(&tiers); !errors.Is(err, ErrFeeTierOutOfRange) {
		t.Fatalf("10^6 + 1: %v", err)
	}
	g := Global{OracleQuorum: OracleSignerSlots + 1}
	if _, err := g.Hash(); !errors.Is(err, ErrQuorumOutOfRange) {
		t.Fatalf("quorum 17: %v", err)
	}
	id := Identity{FeeTier: FeeTierCount}
	if _, err := id.Hash(); !errors.Is(err, ErrFeeTierOutOfRange) {
		t.Fatalf("tier 8: %v", err)
	}
	// the signed rate is offset, not embedded mod r: −1 and r − 1 hash differently
	var a, b [FeeTierCount]FeeTier
	a[0].MakerPpm = -1
	b[0].MakerPpm = 1
	ha, _ := FeeTiersHash(&a)
	hb, _ := FeeTiersHash(&b)
	if ha == hb {
		t.Fatal("maker −1 and +1 hash alike")
	}
}

func TestGenesisHoldsTheInsuranceFund(t *testing.T) {
	s := NewState()
	fund, ok := s.Account(InsuranceFundAccount)
	if !ok || fund.FillsRoot != layout.EmptyRoot(FillsDepth) {
		t.Fatalf("fund account missing or wrong fills root: %v", fund)
	}
	fundLeaf, err := fund.Hash()
	if err != nil {
		t.Fatal(err)
	}
	tree := layout.NewSparseTree(AccountsDepth)
	if err := tree.Update(InsuranceFundAccount, fundLeaf); err != nil {
		t.Fatal(err)
	}
	var tiers [FeeTierCount]FeeTier
	tiersHash, _ := FeeTiersHash(&tiers)
	global := layout.Hash(TagGlobal, fr.Element{}, layout.EmptyRoot(OracleSignersDepth), fr.Element{}, tiersHash)
	want := layout.Hash(TagState, tree.Root(), layout.EmptyRoot(MarketsDepth), global)
	if s.Root() != want {
		t.Fatal("genesis root differs from the hand-built one")
	}
	if err := s.SetAccount(InsuranceFundAccount+1, AccountFields{}); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("account 2^24: %v", err)
	}
}

func TestRefusedUpdatesChangeNothing(t *testing.T) {
	s := NewState()
	if err := s.SetAccount(1, AccountFields{Collateral: 5}); err != nil {
		t.Fatal(err)
	}
	before := s.Root()
	bad := AccountFields{Positions: Positions{{Market: 2, Size: 1}, {Market: 2, Size: 1}}}
	if err := s.SetAccount(1, bad); !errors.Is(err, ErrDuplicateMarket) {
		t.Fatalf("err %v", err)
	}
	if err := s.SetAccount(2, AccountFields{Identity: Identity{FeeTier: 9}}); !errors.Is(err, ErrFeeTierOutOfRange) {
		t.Fatalf("err %v", err)
	}
	if err := s.SetGlobal(Global{OracleQuorum: 200}); !errors.Is(err, ErrQuorumOutOfRange) {
		t.Fatalf("err %v", err)
	}
	if _, ok := s.Account(2); ok || s.Root() != before {
		t.Fatal("a refused update changed the state")
	}
	a, _ := s.Account(1)
	if a.Collateral != 5 {
		t.Fatal("account 1 changed")
	}
}

func TestProofsVerifyAndFillsChangeTheAccountLeaf(t *testing.T) {
	s := NewState()
	if err := s.SetAccount(7, AccountFields{Nonce: 1, Positions: Positions{{Market: 3, Size: -5, FundingSnapshot: 2}}}); err != nil {
		t.Fatal(err)
	}
	leafBefore, _, _ := s.AccountProof(7)
	if err := s.SetFill(7, Fill{OrderNonce: 4097, FilledAmount: 2}); err != nil {
		t.Fatal(err)
	}
	leaf, sib, err := s.AccountProof(7)
	if err != nil || !layout.VerifyProof(7, leaf, sib, s.AccountsRoot()) || leaf == leafBefore {
		t.Fatal("account proof does not verify or the fill did not change the leaf")
	}
	fleaf, fsib, err := s.FillProof(7, 1)
	a, _ := s.Account(7)
	if err != nil || len(fsib) != FillsDepth || !layout.VerifyProof(1, fleaf, fsib, a.FillsRoot) {
		t.Fatal("fill proof does not verify")
	}
	if err := s.SetFill(8, Fill{OrderNonce: 1}); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("fill of a missing account: %v", err)
	}
	// FillSlots lists the occupied slots in order; a later nonce of a slot replaces the earlier
	for _, fl := range []Fill{{OrderNonce: 12, FilledAmount: 3}, {OrderNonce: 1, FilledAmount: 9}} {
		if err := s.SetFill(7, fl); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.FillSlots(7); !slices.Equal(got, []uint64{1, 12}) {
		t.Fatalf("fill slots %v", got)
	}
	if f, _ := s.Fill(7, 1); f != (Fill{OrderNonce: 1, FilledAmount: 9}) {
		t.Fatalf("slot 1 holds %+v", f)
	}
	if s.FillSlots(8) != nil || len(s.FillSlots(InsuranceFundAccount)) != 0 {
		t.Fatal("fill slots of a missing or fill-less account")
	}
}

func TestSetFollowsTheLowestEmptyEntryRule(t *testing.T) {
	var p Positions
	var err error
	for m := uint8(10); m < 18; m++ { // fills entries 0 … 7 in order
		if p, err = p.Set(m, int64(m), -int64(m)); err != nil {
			t.Fatal(err)
		}
	}
	if p.Find(10) != 0 || p.Find(17) != 7 {
		t.Fatalf("entries not taken in order: %v", p)
	}
	before := p
	if _, err := p.Set(30, 1, 0); !errors.Is(err, ErrTooManyPositions) || p != before {
		t.Fatalf("9th market: %v", err)
	}
	// close the market in entry 3 and 5: they become empty in place, the others do not move
	p, _ = p.Set(13, 0, 0)
	p, _ = p.Set(15, 0, 0)
	if p[3] != (PositionEntry{}) || p[5] != (PositionEntry{}) || p.Find(14) != 4 || p.Find(16) != 6 {
		t.Fatalf("closing moved entries: %v", p)
	}
	// a new market takes entry 3 (the lowest empty), the next one entry 5
	p, _ = p.Set(40, -2, 9)
	p, _ = p.Set(41, 3, 9)
	if p.Find(40) != 3 || p.Find(41) != 5 {
		t.Fatalf("new markets not in the lowest empty entries: %v", p)
	}
	// updating a held market keeps its entry; closing an absent market changes nothing
	p, _ = p.Set(41, 7, 11)
	if p[5] != (PositionEntry{Market: 41, Size: 7, FundingSnapshot: 11}) {
		t.Fatalf("update in place: %v", p)
	}
	if q, err := p.Set(50, 0, 0); err != nil || q != p {
		t.Fatalf("closing an absent market: %v", err)
	}
	if _, err := p.Set(64, 1, 0); !errors.Is(err, ErrPositionOutOfRange) {
		t.Fatalf("market 64: %v", err)
	}
}

func TestStateSetPositionUsesTheRuleAndRefusesANinth(t *testing.T) {
	s := NewState()
	if err := s.SetPosition(3, 1, 1, 0); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("missing account: %v", err)
	}
	if err := s.SetAccount(3, AccountFields{Collateral: 10}); err != nil {
		t.Fatal(err)
	}
	for m := uint8(0); m < MaxPositions; m++ {
		if err := s.SetPosition(3, m, int64(m)+1, 0); err != nil {
			t.Fatal(err)
		}
	}
	before := s.Root()
	if err := s.SetPosition(3, 20, 1, 0); !errors.Is(err, ErrTooManyPositions) || s.Root() != before {
		t.Fatalf("9th position: %v (root changed: %v)", err, s.Root() != before)
	}
	if err := s.SetPosition(3, 2, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPosition(3, 20, -4, 9); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Account(3)
	if a.Positions[2] != (PositionEntry{Market: 20, Size: -4, FundingSnapshot: 9}) || a.Collateral != 10 {
		t.Fatalf("market 20 not in the freed entry 2: %v", a.Positions)
	}
}
