package perpstep

import (
	"bytes"
	"errors"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

const nMarkets = 10

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

const buyerID, sellerID = 5, 9

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 41}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// scenario is a v2 state and a trade on it with the keys that signed the orders.
type scenario struct {
	state *layoutv2.State
	trade Trade
	keys  [2]*eddsa.PrivateKey
}

func (sc *scenario) sign(t testing.TB) {
	for i, o := range []*SignedOrder{&sc.trade.Buyer, &sc.trade.Seller} {
		h := o.Order.Hash(sc.trade.Domain)
		b := h.Bytes()
		sig, err := sc.keys[i].Sign(b[:], poseidon2.NewMerkleDamgardHasher())
		if err != nil {
			t.Fatal(err)
		}
		o.Signature = sig
	}
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

// newScenario: market 3 at about 1,300; the buyer (account 5) holds a long 40 in market 3 (entry
// 0) and n−1 other positions and buys 60 more with an order of 100 already filled 20; the seller
// (account 9) holds n−1 other positions and opens a short 60 in entry n−1, its lowest empty entry,
// taking over its fill slot 3 from an older nonce. Funding is pending on every position; the
// seller earns a maker rebate.
func newScenario(t testing.TB, n int) *scenario {
	s := layoutv2.NewState()
	for m := 0; m < nMarkets; m++ {
		if err := s.SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	g := s.Global()
	g.FeeBalance = 1_000
	g.OracleQuorum = 1
	g.OracleSigners[2] = layoutv2.OracleSigner{KeyX: key(t, 9).PublicKey.A.X, KeyY: key(t, 9).PublicKey.A.Y}
	g.FeeTiers[0] = layoutv2.FeeTier{MakerPpm: -100, TakerPpm: 500}
	g.FeeTiers[1] = layoutv2.FeeTier{MakerPpm: 0, TakerPpm: 300}
	if err := s.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	others := func(count int, sign int) []layoutv2.PositionEntry {
		var out []layoutv2.PositionEntry
		for m := 0; m < nMarkets && len(out) < count; m++ {
			if m == 3 {
				continue
			}
			sz := int64(30 + 7*m)
			if (m+sign)%2 == 0 {
				sz = -sz
			}
			out = append(out, layoutv2.PositionEntry{Market: uint8(m), Size: sz, FundingSnapshot: testMarket(m).FundingIndex - int64(m+1)*987_654_321})
		}
		return out
	}
	sc := &scenario{state: s, keys: [2]*eddsa.PrivateKey{key(t, 1), key(t, 2)}}
	var buyerList, sellerList layoutv2.Positions
	buyerList[0] = layoutv2.PositionEntry{Market: 3, Size: 40, FundingSnapshot: testMarket(3).FundingIndex - 3_000_000_000}
	copy(buyerList[1:], others(n-1, 0))
	copy(sellerList[:], others(n-1, 1))
	for i, f := range []struct {
		id   uint64
		list layoutv2.Positions
		coll int64
		tier uint8
	}{{buyerID, buyerList, 200_000, 1}, {sellerID, sellerList, 150_000, 0}} {
		k := sc.keys[i].PublicKey
		id := layoutv2.Identity{PublicKeyX: k.A.X, PublicKeyY: k.A.Y, L1Owner: [20]byte{byte(f.id), 0xaa, 0x01}, FeeTier: f.tier}
		if err := s.SetAccount(f.id, layoutv2.AccountFields{Identity: id, Nonce: 7 + f.id, Collateral: f.coll, Positions: f.list}); err != nil {
			t.Fatal(err)
		}
	}
	// a third account, so the accounts tree has more than the two touched leaves and the fund
	if err := s.SetAccount(12, layoutv2.AccountFields{Collateral: 42}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		id uint64
		f  layoutv2.Fill
	}{{buyerID, layoutv2.Fill{OrderNonce: 70_000, FilledAmount: 20}}, {sellerID, layoutv2.Fill{OrderNonce: 3, FilledAmount: 3}},
		{buyerID, layoutv2.Fill{OrderNonce: 11, FilledAmount: 5}}} {
		if err := s.SetFill(f.id, f.f); err != nil {
			t.Fatal(err)
		}
	}
	sc.trade = Trade{Domain: demoDomain, Market: 3, Price: 1_310, Size: 60,
		Buyer: SignedOrder{FeePpm: 500, Order: messages.OrderMessage{Account: buyerID, Market: 3, Side: 0, ClientOrderID: 77,
			Size: 100, Price: 1_320, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 70_000}},
		Seller: SignedOrder{FeePpm: -100, Order: messages.OrderMessage{Account: sellerID, Market: 3, Side: 1, TimeInForce: 1,
			ClientOrderID: 78, Size: 60, Price: 1_300, FeeCap: 500, Expiry: 1_900_000_000, Nonce: 65_539}},
	}
	sc.sign(t)
	return sc
}

func solved(t testing.TB, n int, w *TradeStep) error {
	t.Helper()
	return test.IsSolved(NewTradeStep(n, nMarkets, Separator(demoDomain)), w, ecc.BN254.ScalarField())
}

// forced builds the witness of a trade whatever the reference says (for refusals).
func forced(t testing.TB, sc *scenario, n int) (*step, *TradeStep) {
	t.Helper()
	st, err := execute(sc.state, sc.trade, true)
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.assign(n, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	return st, w
}

var _ frontend.Circuit = (*TradeStep)(nil)

func mustRefuse(t *testing.T, err error, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}
