package tickstep

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// trade: the buyer (long 40 in market 3, funding pending) buys 60 at 1,310 from the seller, who
// opens a short.
func (w *world) trade(t testing.TB) perpstep.Trade {
	t.Helper()
	tr := perpstep.Trade{Domain: demoDomain, Market: market, Price: 1_310, Size: 60,
		Buyer: perpstep.SignedOrder{FeePpm: 500, Order: messages.OrderMessage{Account: buyerID, Market: market, Side: 0,
			ClientOrderID: 77, Size: 100, Price: 1_320, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 70_000}},
		Seller: perpstep.SignedOrder{FeePpm: -100, Order: messages.OrderMessage{Account: sellerID, Market: market, Side: 1,
			TimeInForce: 1, ClientOrderID: 78, Size: 60, Price: 1_300, FeeCap: 500, Expiry: 1_900_000_000, Nonce: 65_539}},
	}
	for i, o := range []*perpstep.SignedOrder{&tr.Buyer, &tr.Seller} {
		h := o.Order.Hash(demoDomain)
		b := h.Bytes()
		sig, err := key(t, byte(1+i)).Sign(b[:], poseidon2.NewMerkleDamgardHasher())
		if err != nil {
			t.Fatal(err)
		}
		o.Signature = sig
	}
	return tr
}

// An oracle tick, then a funding tick, then a trade (perpstep.TradeStep, one entry per account,
// markets 0 … 3), each proven from the previous step's new root: the trade step opens the market
// leaf the ticks wrote, reads the tick's price and the new funding index, and settles the buyer's
// pending funding at that index.
func TestTicksThenTradeSolveInSequence(t *testing.T) {
	w := newWorld(t)
	ow, s1, err := WitnessOracle(w.state, w.oracleTick(t, 3), k)
	if err != nil {
		t.Fatal(err)
	}
	if err := solveOracle(ow); err != nil {
		t.Fatal(err)
	}
	fw, s2, err := WitnessFunding(s1, fundingTick())
	if err != nil {
		t.Fatal(err)
	}
	if err := solveFunding(fw); err != nil {
		t.Fatal(err)
	}
	tw, _, err := perpstep.Witness(s2, w.trade(t), 1, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if err := solved(perpstep.NewTradeStep(1, nMarkets, perpstep.Separator(demoDomain)), tw); err != nil {
		t.Fatalf("the trade after the ticks does not solve: %v", err)
	}
	if bigOf(fw.OldRoot).Cmp(bigOf(ow.NewRoot)) != 0 || bigOf(tw.OldRoot).Cmp(bigOf(fw.NewRoot)) != 0 {
		t.Fatal("the steps do not chain")
	}
	m2, _ := s2.Market(market)
	wantPrice, wantIndex := p0+7_000_000, testMarket(market).FundingIndex+fundingTick().Delta
	if int64(m2.OraclePrice) != wantPrice || m2.FundingIndex != wantIndex {
		t.Fatalf("market after the ticks: price %d index %d", m2.OraclePrice, m2.FundingIndex)
	}
	mv := tw.Trade.Markets[market]
	if bigOf(mv.Price).Int64() != wantPrice || bigOf(mv.FundingIndex).Int64() != wantIndex {
		t.Fatalf("the trade reads price %v index %v", mv.Price, mv.FundingIndex)
	}
	// the buyer's long 40 with snapshot F₀ − 3·10^9 settles ⌊−(F₂ − snap) · 40 / 2^32⌋ at the new index
	snap := testMarket(market).FundingIndex - 3_000_000_000
	want := new(big.Int).Mul(big.NewInt(-(wantIndex - snap)), big.NewInt(40))
	want.Div(want, new(big.Int).Lsh(big.NewInt(1), 32)) // Euclidean: floor for a positive divisor
	if got := bigOf(tw.Trade.Buyer.FundingSettled); got.Cmp(want) != 0 {
		t.Fatalf("buyer funding settled %v, want %v", got, want)
	}
	// the same trade on the state before the funding tick settles another amount
	before, _, err := perpstep.Witness(s1, w.trade(t), 1, nMarkets)
	if err != nil {
		t.Fatal(err)
	}
	if bigOf(before.Trade.Buyer.FundingSettled).Cmp(want) == 0 {
		t.Fatal("the funding tick did not change the trade's settlement")
	}
}
