package escape

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// TestFormulaMatchesEngineArithmetic compares Funding and Value with the engine's Go reference
// (perp/reference, written from RiskMath.java) wherever the engine's long arithmetic does not
// overflow, and pins the floor on negative values.
func TestFormulaMatchesEngineArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	compared := 0
	for i := 0; i < 20_000; i++ {
		size := r.Int64N(2*layoutv2.MaxAbsSize+1) - layoutv2.MaxAbsSize
		if i%2 == 0 {
			size = r.Int64N(2_000_001) - 1_000_000
		}
		price := r.Uint64() >> (r.UintN(64))
		snap, index := int64(r.Uint64()>>r.UintN(64)), int64(r.Uint64()>>r.UintN(64))
		if r.IntN(2) == 0 {
			snap = -snap
		}
		if price <= math.MaxInt64 {
			if want, err := reference.Value(size, int64(price)); err == nil {
				compared++
				if Value(size, price).Int64() != want {
					t.Fatalf("Value(%d, %d) = %v, engine %d", size, price, Value(size, price), want)
				}
			}
		}
		if want, err := reference.FundingCredit(size, snap, index); err == nil {
			compared++
			if Funding(size, snap, index).Int64() != want {
				t.Fatalf("Funding(%d, %d, %d) = %v, engine %d", size, snap, index, Funding(size, snap, index), want)
			}
		}
	}
	if compared < 10_000 {
		t.Fatalf("only %d of 40,000 cases in the engine's range", compared)
	}
	for _, c := range []struct {
		got  *big.Int
		want int64
	}{
		{Value(-1, 1), -1}, {Value(1, 1), 0}, {Value(-3, 1<<32), -3}, {Value(3, 1<<31), 1}, {Value(-3, 1<<31), -2},
		{Funding(1, 0, 1), -1}, {Funding(-1, 0, 1), 0}, {Funding(2, 0, -(1 << 31)), 1}, {Funding(5, 7, 7), 0},
	} {
		if c.got.Int64() != c.want {
			t.Fatalf("got %v, want %d", c.got, c.want)
		}
	}
}

// randomSet is a layout-v2 state built as a history would leave it: Σ sizes = 0 in every market
// (the fund takes the rest), collateral = margin − Σ value at a trade price near the oracle's.
type randomSet struct {
	state   *layoutv2.State
	traders []uint64
	vault   *big.Int // the least vault balance consistent with the state (see minimalVault)
}

func newRandomSet(t *testing.T, r *rand.Rand, shock, margin int64) randomSet {
	t.Helper()
	st := layoutv2.NewState()
	nm := 1 + r.IntN(4)
	for m := 0; m < nm; m++ {
		mk := layoutv2.Market{OraclePrice: uint64(1+r.Int64N(5000))<<32 + r.Uint64N(1<<32), FundingIndex: r.Int64N(1<<40) - 1<<39}
		if err := st.SetMarket(uint64(m)*9, mk); err != nil {
			t.Fatal(err)
		}
	}
	n := 2 + r.IntN(7)
	sums := make([]int64, nm)
	var set randomSet
	set.state = st
	for i := 0; i < n; i++ {
		id := uint64(1 + r.IntN(1<<20))
		if _, ok := st.Account(id); ok {
			continue
		}
		var p layoutv2.Positions
		collateral := r.Int64N(margin)
		for m := 0; m < nm; m++ {
			if r.IntN(3) == 0 {
				continue
			}
			mk, _ := st.Market(uint64(m) * 9)
			size := r.Int64N(1<<20) - 1<<19
			if size == 0 {
				continue
			}
			tradePrice := int64(mk.OraclePrice) + r.Int64N(2*shock+1) - shock
			collateral -= Value(size, uint64(max(tradePrice, 0))).Int64()
			var err error
			if p, err = p.Set(uint8(m*9), size, mk.FundingIndex-r.Int64N(1<<34)+1<<33); err != nil {
				t.Fatal(err)
			}
			sums[m] += size
		}
		if err := st.SetAccount(id, layoutv2.AccountFields{Collateral: collateral, Positions: p}); err != nil {
			t.Fatal(err)
		}
		set.traders = append(set.traders, id)
	}
	var fund layoutv2.Positions
	fundCollateral := r.Int64N(margin)
	for m := 0; m < nm; m++ {
		mk, _ := st.Market(uint64(m) * 9)
		var err error
		if fund, err = fund.Set(uint8(m*9), -sums[m], mk.FundingIndex-r.Int64N(1<<34)+1<<33); err != nil {
			t.Fatal(err)
		}
		fundCollateral -= Value(-sums[m], mk.OraclePrice).Int64()
	}
	if err := st.SetAccount(layoutv2.InsuranceFundAccount, layoutv2.AccountFields{Collateral: fundCollateral, Positions: fund}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetGlobal(layoutv2.Global{FeeBalance: r.Int64N(1 << 20)}); err != nil {
		t.Fatal(err)
	}
	set.vault = minimalVault(st)
	return set
}

// minimalVault is the least deposits − withdrawals a history can leave behind state s: Σ collateral
// + fee balance + ⌈Σ exact pending funding⌉, where Σ exact pending = Σ −(F − σ)·s / 2^32 =
// Σ σ·s / 2^32 because Σ s = 0 per market (docs/state-layout.md §9.10).
func minimalVault(s *layoutv2.State) *big.Int {
	sum := big.NewInt(s.Global().FeeBalance)
	pending := new(big.Int)
	for _, id := range s.AccountIDs() {
		a, _ := s.Account(id)
		sum.Add(sum, big.NewInt(a.Collateral))
		for _, e := range a.Positions {
			if !e.Empty() {
				mk, _ := s.Market(uint64(e.Market))
				d := new(big.Int).Sub(big.NewInt(mk.FundingIndex), big.NewInt(e.FundingSnapshot))
				pending.Sub(pending, d.Mul(d, big.NewInt(e.Size)))
			}
		}
	}
	// ⌈pending / 2^32⌉ = −⌊−pending / 2^32⌋
	pending.Neg(pending).Div(pending, two32).Neg(pending)
	return sum.Add(sum, pending)
}

func fundTotal(t *testing.T, s *layoutv2.State) *big.Int {
	a, _ := s.Account(layoutv2.InsuranceFundAccount)
	markets := map[uint8]layoutv2.Market{}
	for _, e := range a.Positions {
		if !e.Empty() {
			markets[e.Market], _ = s.Market(uint64(e.Market))
		}
	}
	b, err := Compute(layoutv2.InsuranceFundAccount, a, markets)
	if err != nil {
		t.Fatal(err)
	}
	return b.Total
}

// TestSolvency checks the argument of docs/state-layout.md §9.10 on random states: Σ totals of all
// accounts ≤ vault − fee balance always; when every account (fund included) is solvent the
// traders' payouts fit in the vault; and with bankrupt accounts they can exceed it (the cap).
func TestSolvency(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	exceeded, solventSets := 0, 0
	for round := 0; round < 200; round++ {
		shock, margin := int64(1)<<28, int64(1)<<30
		if round%2 == 1 {
			shock, margin = int64(1)<<38, int64(1)<<20
		}
		set := newRandomSet(t, r, shock, margin)
		st := set.state
		sumTotals, paid := fundTotal(t, st), new(big.Int)
		solvent := sumTotals.Sign() >= 0
		for _, id := range set.traders {
			b, err := Payout(st, id)
			if err != nil {
				t.Fatal(err)
			}
			sumTotals.Add(sumTotals, b.Total)
			paid.Add(paid, b.Amount)
			solvent = solvent && b.Total.Sign() >= 0
		}
		bound := new(big.Int).Sub(set.vault, big.NewInt(st.Global().FeeBalance))
		if sumTotals.Cmp(bound) > 0 {
			t.Fatalf("round %d: Σ totals %v > vault − fees %v", round, sumTotals, bound)
		}
		if solvent && paid.Cmp(set.vault) > 0 {
			t.Fatalf("round %d: solvent set pays %v > vault %v", round, paid, set.vault)
		}
		if paid.Cmp(set.vault) > 0 {
			exceeded++
		}
		if solvent {
			solventSets++
		}
	}
	t.Logf("%d solvent sets, %d insolvent sets paying more than the vault, of 200", solventSets, exceeded)
	if solventSets < 50 {
		t.Fatalf("only %d solvent sets of 200", solventSets)
	}
	if exceeded == 0 {
		t.Fatal("no insolvent set paid more than the vault: the shocks are too small to show why the cap is needed")
	}
}

// TestProveVerifyRandom: every trader of random states is proven, verified against the root, and
// paid what Payout says.
func TestProveVerifyRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 10; round++ {
		set := newRandomSet(t, r, 1<<30, 1<<30)
		root := set.state.Root()
		for _, id := range set.traders {
			p, err := Prove(set.state, id)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Verify(root, &p)
			if err != nil {
				t.Fatalf("account %d: %v", id, err)
			}
			want, _ := Payout(set.state, id)
			if b.Amount.Cmp(want.Amount) != 0 || b.Total.Cmp(want.Total) != 0 {
				t.Fatalf("account %d: verified %v, payout %v", id, b.Total, want.Total)
			}
		}
	}
}

func twoMarketState(t *testing.T) *layoutv2.State {
	t.Helper()
	st := layoutv2.NewState()
	for _, err := range []error{
		st.SetMarket(1, layoutv2.Market{OraclePrice: 1000 << 32, FundingIndex: 5 << 32}),
		st.SetMarket(2, layoutv2.Market{OraclePrice: 20 << 32, FundingIndex: -(3 << 32)}),
		st.SetMarket(3, layoutv2.Market{OraclePrice: 7 << 32}),
		st.SetAccount(7, layoutv2.AccountFields{Collateral: -50_000, Positions: layoutv2.Positions{
			{Market: 1, Size: 100, FundingSnapshot: 4 << 32}, {}, {Market: 2, Size: -300, FundingSnapshot: -(3 << 32) + 1}}}),
		st.SetAccount(8, layoutv2.AccountFields{Collateral: 9}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestTwoPositionsByHand: long 100 at 1000 with funding +1 pending (pays 100), short 300 at 20 with
// funding −1/2^32 pending (⌊−300/2^32⌋ = −1): −50,000 − 100 + 100,000 − 1 − 6,000 = 43,899.
func TestTwoPositionsByHand(t *testing.T) {
	b, err := Payout(twoMarketState(t), 7)
	if err != nil {
		t.Fatal(err)
	}
	if b.Total.Int64() != 43_899 || b.Amount.Int64() != 43_899 || len(b.Entries) != 2 || b.Entries[1].Entry != 2 {
		t.Fatalf("payout %+v", b)
	}
}

// TestVerifyRefusesChanges: every field of the proof, changed, is refused with its typed error.
func TestVerifyRefusesChanges(t *testing.T) {
	st := twoMarketState(t)
	root := st.Root()
	good, err := Prove(st, 7)
	if err != nil {
		t.Fatal(err)
	}
	one := new(fr.Element).SetOne()
	clone := func() Proof {
		p := good
		p.Markets = append([]MarketProof(nil), good.Markets...)
		return p
	}
	cases := map[string]struct {
		change func(p *Proof)
		want   error
	}{
		"collateral":     {func(p *Proof) { p.Account.Collateral++ }, ErrRootMismatch},
		"size":           {func(p *Proof) { p.Account.Positions[2].Size-- }, ErrRootMismatch},
		"snapshot":       {func(p *Proof) { p.Account.Positions[0].FundingSnapshot++ }, ErrRootMismatch},
		"nonce":          {func(p *Proof) { p.Account.Nonce++ }, ErrRootMismatch},
		"fillsRoot":      {func(p *Proof) { p.Account.FillsRoot.Add(&p.Account.FillsRoot, one) }, ErrRootMismatch},
		"owner":          {func(p *Proof) { p.Account.Identity.L1Owner[0] = 1 }, ErrRootMismatch},
		"price":          {func(p *Proof) { p.Markets[0].Market.OraclePrice++ }, ErrRootMismatch},
		"funding index":  {func(p *Proof) { p.Markets[1].Market.FundingIndex-- }, ErrRootMismatch},
		"account sib":    {func(p *Proof) { p.AccountSiblings[23].Add(&p.AccountSiblings[23], one) }, ErrRootMismatch},
		"market sib":     {func(p *Proof) { p.Markets[1].Siblings[0].Add(&p.Markets[1].Siblings[0], one) }, ErrRootMismatch},
		"markets root":   {func(p *Proof) { p.MarketsRoot.Add(&p.MarketsRoot, one) }, ErrRootMismatch},
		"global leaf":    {func(p *Proof) { p.GlobalLeaf.Add(&p.GlobalLeaf, one) }, ErrRootMismatch},
		"account id":     {func(p *Proof) { p.AccountID = 6 }, ErrRootMismatch},
		"fund id":        {func(p *Proof) { p.AccountID = layoutv2.InsuranceFundAccount }, ErrInsuranceFund},
		"id ≥ 2^24":      {func(p *Proof) { p.AccountID = 1 << 24 }, ErrIndexOutOfRange},
		"swapped order":  {func(p *Proof) { p.Markets[0], p.Markets[1] = p.Markets[1], p.Markets[0] }, ErrMarketMismatch},
		"missing market": {func(p *Proof) { p.Markets = p.Markets[:1] }, ErrMarketMismatch},
		"foreign market": {func(p *Proof) { mp := marketProof(t, st, 3); p.Markets[1] = mp }, ErrMarketMismatch},
		"extra market":   {func(p *Proof) { p.Markets = append(p.Markets, marketProof(t, st, 3)) }, ErrMarketMismatch},
		"market moved":   {func(p *Proof) { p.Markets[0].ID = 2 }, ErrMarketMismatch},
	}
	for name, c := range cases {
		p := clone()
		c.change(&p)
		if _, err := Verify(root, &p); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
	if _, err := Verify(root, &good); err != nil {
		t.Fatalf("the unchanged proof is refused: %v", err)
	}
	var other fr.Element
	other.Add(&root, one)
	if _, err := Verify(other, &good); !errors.Is(err, ErrRootMismatch) {
		t.Fatalf("another root: %v", err)
	}
}

func marketProof(t *testing.T, st *layoutv2.State, id uint8) MarketProof {
	m, _ := st.Market(uint64(id))
	_, sib, err := st.MarketProof(uint64(id))
	if err != nil {
		t.Fatal(err)
	}
	mp := MarketProof{ID: id, Market: m}
	copy(mp.Siblings[:], sib)
	return mp
}

func TestRefusals(t *testing.T) {
	st := twoMarketState(t)
	if _, err := Payout(st, layoutv2.InsuranceFundAccount); !errors.Is(err, ErrInsuranceFund) {
		t.Fatalf("fund: %v", err)
	}
	if _, err := Prove(st, layoutv2.InsuranceFundAccount); !errors.Is(err, ErrInsuranceFund) {
		t.Fatalf("fund proof: %v", err)
	}
	if _, err := Payout(st, 5); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("empty slot: %v", err)
	}
	if _, err := Payout(st, 1<<24); !errors.Is(err, ErrIndexOutOfRange) {
		t.Fatalf("id 2^24: %v", err)
	}
	if err := st.SetAccount(9, layoutv2.AccountFields{Positions: layoutv2.Positions{{Market: 40, Size: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Payout(st, 9); !errors.Is(err, ErrMarketNotListed) {
		t.Fatalf("unlisted market: %v", err)
	}
	if _, err := Prove(st, 9); !errors.Is(err, ErrMarketNotListed) {
		t.Fatalf("unlisted market proof: %v", err)
	}
	if b, err := Payout(st, 8); err != nil || b.Amount.Int64() != 9 || len(b.Entries) != 0 {
		t.Fatalf("no positions: %+v %v", b, err)
	}
}
