package liqstep

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// The scenarios: market 3 at about 1,300 (MMF 3%); account 11 is long 100 of market 3 (entry 0,
// funding pending) with n − 1 other positions; account 5 is the liquidator (a resting buy of 300
// at 1,310, 20 already filled, n − 1 other positions and an empty entry); account 9 is short 150
// of market 3 with n − 1 others; the fund holds 1,000,000 and n − 1 positions; account 12 exists
// and is never touched.
const (
	liqMarket                  = 3
	liquidatedID, liquidatorID = 11, 5
	deleveragerID, bystanderID = 9, 12
	feePpm                     = 10_000
)

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

// shapeK is the table length a shape needs: 4 markets for one entry per account, 8 for eight
// (each of the 8 entries in its own market).
func shapeK(n int) int {
	if n == 1 {
		return 4
	}
	return 8
}

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 41}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testMarket(m int) layoutv2.Market {
	return layoutv2.Market{
		OraclePrice:      uint64(1000+100*m)<<32 + uint64(m)*123_456_789,
		OracleTimestamp:  1_800_000_000 + uint64(m),
		FundingIndex:     int64(m)*12_345_678_901 - 50_000_000_000,
		FundingTimestamp: 1_799_990_000 + uint64(m),
		OpenInterest:     5_000,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000,
			OpenInterestCap: 1_000_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000},
	}
}

// others is count positions in markets other than 3 (funding pending), signs alternating by flip.
func others(count, flip int) []layoutv2.PositionEntry {
	var out []layoutv2.PositionEntry
	for m := 0; len(out) < count; m++ {
		if m == liqMarket {
			continue
		}
		s := int64(20 + 3*m)
		if (m+flip)%2 == 0 {
			s = -s
		}
		out = append(out, layoutv2.PositionEntry{Market: uint8(m), Size: s, FundingSnapshot: testMarket(m).FundingIndex - int64(m+2)*765_432_109})
	}
	return out
}

// world is a state and the liquidator's key.
type world struct {
	n     int
	state *layoutv2.State
	key   *eddsa.PrivateKey
}

func newWorld(t testing.TB, n int) *world {
	t.Helper()
	s := layoutv2.NewState()
	for m := 0; m < 8; m++ {
		if err := s.SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	g := s.Global()
	g.FeeBalance, g.OracleQuorum = 1_000, 1
	g.FeeTiers[0] = layoutv2.FeeTier{MakerPpm: -100, TakerPpm: 500}
	if err := s.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	w := &world{n: n, state: s, key: key(t, 1)}
	var liq, maker, delev, fund layoutv2.Positions
	liq[0] = layoutv2.PositionEntry{Market: liqMarket, Size: 100, FundingSnapshot: testMarket(liqMarket).FundingIndex - 2_500_000_000}
	copy(liq[1:], others(n-1, 0))
	copy(maker[:], others(n-1, 1))
	delev[0] = layoutv2.PositionEntry{Market: liqMarket, Size: -150, FundingSnapshot: testMarket(liqMarket).FundingIndex - 1_000_000_000}
	copy(delev[1:], others(n-1, 1))
	copy(fund[:], others(n-1, 1))
	pk := w.key.PublicKey
	for _, a := range []struct {
		id   uint64
		f    layoutv2.AccountFields
		fill *layoutv2.Fill
	}{
		{liquidatedID, layoutv2.AccountFields{Identity: layoutv2.Identity{L1Owner: [20]byte{11, 0xaa}}, Nonce: 3, Collateral: 0, Positions: liq}, &layoutv2.Fill{OrderNonce: 4, FilledAmount: 1}},
		{liquidatorID, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: pk.A.X, PublicKeyY: pk.A.Y, L1Owner: [20]byte{5, 0xaa}, FeeTier: 0},
			Nonce: 12, Collateral: 200_000, Positions: maker}, &layoutv2.Fill{OrderNonce: 70_000, FilledAmount: 20}},
		{deleveragerID, layoutv2.AccountFields{Identity: layoutv2.Identity{L1Owner: [20]byte{9, 0xaa}}, Nonce: 1, Collateral: 300_000, Positions: delev}, nil},
		{bystanderID, layoutv2.AccountFields{Collateral: 42}, nil},
		{FundAccount, layoutv2.AccountFields{Collateral: 1_000_000, Positions: fund}, nil},
	} {
		if err := s.SetAccount(a.id, a.f); err != nil {
			t.Fatal(err)
		}
		if a.fill != nil {
			if err := s.SetFill(a.id, *a.fill); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.setEquity(t, liquidatedID, func(_, mmr int64) int64 { return mmr - 500 })
	return w
}

// figures returns an account's equity (funding counted) and Σ MMR at the oracle prices.
func (w *world) figures(t testing.TB, id uint64) (equity, mmr int64) {
	t.Helper()
	a, _ := w.state.Account(id)
	markets, err := perpstep.ReferenceMarkets(w.state)
	if err != nil {
		t.Fatal(err)
	}
	r, _, _ := reference.Settle(markets, a.Collateral, perpstep.ReferenceList(a.Positions), 0, int(a.Positions[0].Market), 0, 0, 0)
	return r.Equity0, r.MMR0
}

// setEquity moves an account's collateral so that its equity becomes target(equity, Σ MMR).
func (w *world) setEquity(t testing.TB, id uint64, target func(equity, mmr int64) int64) {
	t.Helper()
	e, mmr := w.figures(t, id)
	a, _ := w.state.Account(id)
	a.Collateral += target(e, mmr) - e
	w.setCollateral(t, id, a.Collateral)
}

func (w *world) setCollateral(t testing.TB, id uint64, c int64) {
	t.Helper()
	a, _ := w.state.Account(id)
	if err := w.state.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: c, Positions: a.Positions}); err != nil {
		t.Fatal(err)
	}
}

// liquidation: account 11 sells 10 to the liquidator's resting buy at 1,295, the fee at the
// engine's bound.
func (w *world) liquidation(t testing.TB) Liquidation {
	t.Helper()
	l := Liquidation{Domain: demoDomain, Market: liqMarket, Price: 1_295, Size: 10, Account: liquidatedID, FeePpm: feePpm,
		Liquidator: perpstep.SignedOrder{FeePpm: 200, Order: messages.OrderMessage{Account: liquidatorID, Market: liqMarket, Side: 0,
			ClientOrderID: 90, Size: 300, Price: 1_310, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 70_000}}}
	w.sign(t, &l)
	w.feeAtBound(t, &l)
	return l
}

func (w *world) sign(t testing.TB, l *Liquidation) {
	t.Helper()
	h := l.Liquidator.Order.Hash(l.Domain)
	b := h.Bytes()
	sig, err := w.key.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	l.Liquidator.Signature = sig
}

// feeAtBound sets the fee to the engine's: the bound the reference computes.
func (w *world) feeAtBound(t testing.TB, l *Liquidation) {
	t.Helper()
	x, err := executeLiquidation(w.state, *l, true)
	if err != nil {
		t.Fatal(err)
	}
	l.Fee = x.res.FeeBound
}

func (w *world) bankruptcyPrice(t testing.TB, id uint64, c int64) int64 {
	t.Helper()
	a, _ := w.state.Account(id)
	markets, err := perpstep.ReferenceMarkets(w.state)
	if err != nil {
		t.Fatal(err)
	}
	b, err := reference.BankruptcyPrice(markets, a.Collateral, perpstep.ReferenceList(a.Positions), liqMarket, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// takeover: the fund takes 10 of account 11's long at the bankruptcy price.
func (w *world) takeover(t testing.TB) Takeover {
	return Takeover{Account: liquidatedID, Market: liqMarket, Delta: -10, Price: w.bankruptcyPrice(t, liquidatedID, 10)}
}

// deleveraging: account 11 at equity −500; 40 of its long closed against account 9's short at its
// bankruptcy price.
func (w *world) deleveraging(t testing.TB) Deleveraging {
	w.setEquity(t, liquidatedID, func(_, _ int64) int64 { return -500 })
	return Deleveraging{Account: liquidatedID, Deleverager: deleveragerID, Market: liqMarket, Delta: -40, Price: w.bankruptcyPrice(t, liquidatedID, 40)}
}

func solve(c, w frontend.Circuit) error { return test.IsSolved(c, w, ecc.BN254.ScalarField()) }

func (w *world) liqCircuit() *LiquidationCircuit {
	return NewLiquidationCircuit(w.n, shapeK(w.n), perpstep.Separator(demoDomain), feePpm)
}

// onlyRule asserts err is a *RuleError naming exactly rule.
func onlyRule(t *testing.T, err error, rule reference.Rule) {
	t.Helper()
	var re *RuleError
	if !errors.As(err, &re) || !errors.Is(err, ErrRefused) || len(re.Rules) != 1 || re.Rules[0] != rule {
		t.Fatalf("want exactly %q, got %v", rule, err)
	}
}

func rootOf(s *layoutv2.State) *big.Int { return el(s.Root()) }
