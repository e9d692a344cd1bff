package batchv3

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// The liquidation batch (liqShape: one slot of each of trade, oracle tick, funding tick,
// liquidation, takeover, deleveraging, funding period start; N = 2, K = 2, fee rate 1 %):
//
//   - market 0 at 1,000 (oracle timestamp T − 100, funding timestamp T − 10,000, open interest
//     100); market 1 at 1,100 (oracle timestamp T − 100) with no funding period yet (funding
//     timestamp 0);
//   - account 11 long 100 of market 0 with collateral −94,980: equity 5,020 against a
//     maintenance requirement of 3,000 (healthy); account 5 (key 1) and account 9 (key 2) with
//     collateral 500,000, account 9 short 150 of market 0; the fund with 1,000,000.
//
// The steps, in execution order (liqSteps), each built on the state the references left:
//
//  0. funding period start of market 1 at T − 60;
//  1. trade: account 5 buys 10 of market 1 at 1,100 from account 9 (order nonces 100, 101);
//  2. oracle tick of market 0 at T − 50: one report of 950 (−5 %): account 11's equity falls
//     to 20 against a requirement of 2,850;
//  3. liquidation fill: account 11 sells 10 at 950 to account 5's resting buy (nonce 300, maker
//     fee 0.02 %), the fee 20 (the engine's bound: the equity left);
//  4. takeover: the fund takes 10 of account 11's long at its bankruptcy price (950);
//  5. funding tick of market 0 at T − 50: Δindex = 2^30 (a quarter per unit: the long of 80 pays
//     20, account 11's equity becomes −20);
//  6. deleveraging: 20 of account 11's long against account 9's short at its bankruptcy price.
var liqShape = Shape{Trades: 1, OracleTicks: 1, FundingTicks: 1, Liquidations: 1, Takeovers: 1, Deleverages: 1, PeriodStarts: 1,
	N: 2, K: 2, ReportSlots: 1, LiquidationFeePpm: liqFeePpm}

const (
	liqFeePpm                     = 10_000
	liquidatedID                  = 11
	liqMarket, periodMarket       = 0, 1
	liquidatedCollateral          = -94_980
	liqFundingDelta         int64 = 1 << 30
)

func liqMarketState(m int) layoutv2.Market {
	mk := market(m)
	mk.OracleTimestamp = batchTime - 100
	if m == periodMarket {
		mk.FundingTimestamp, mk.FundingIndex, mk.OpenInterest = 0, 0, 0
	} else {
		mk.FundingTimestamp, mk.FundingIndex, mk.OpenInterest = batchTime-10_000, 0, 100
	}
	return mk
}

// liqFixture is the liquidation batch's initial state.
func liqFixture(t testing.TB) *layoutv2.State {
	t.Helper()
	s := layoutv2.NewState()
	for m := 0; m < 2; m++ {
		if err := s.SetMarket(uint64(m), liqMarketState(m)); err != nil {
			t.Fatal(err)
		}
	}
	g := s.Global()
	g.OracleQuorum = 1
	g.OracleSigners[0] = layoutv2.OracleSigner{KeyX: key(t, 9).PublicKey.A.X, KeyY: key(t, 9).PublicKey.A.Y}
	if err := s.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	var long, short layoutv2.Positions
	long[0] = layoutv2.PositionEntry{Market: liqMarket, Size: 100}
	short[0] = layoutv2.PositionEntry{Market: liqMarket, Size: -150}
	keys := []*eddsa.PrivateKey{key(t, 1), key(t, 2)}
	for _, a := range []struct {
		id uint64
		f  layoutv2.AccountFields
	}{
		{buyerID, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: keys[0].PublicKey.A.X, PublicKeyY: keys[0].PublicKey.A.Y,
			L1Owner: [20]byte{buyerID}}, Nonce: 3, Collateral: 500_000}},
		{sellerID, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: keys[1].PublicKey.A.X, PublicKeyY: keys[1].PublicKey.A.Y,
			L1Owner: [20]byte{sellerID}}, Nonce: 3, Collateral: 500_000, Positions: short}},
		{liquidatedID, layoutv2.AccountFields{Identity: layoutv2.Identity{L1Owner: [20]byte{liquidatedID}}, Nonce: 1,
			Collateral: liquidatedCollateral, Positions: long}},
		{liqstep.FundAccount, layoutv2.AccountFields{Collateral: 1_000_000}},
	} {
		if err := s.SetAccount(a.id, a.f); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func signOrder(t testing.TB, k *eddsa.PrivateKey, o *perpstep.SignedOrder) {
	t.Helper()
	h := o.Order.Hash(demoDomain)
	b := h.Bytes()
	sig, err := k.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	o.Signature = sig
}

// liqBatch is the liquidation batch: its steps and the state after each, by the references.
type liqBatch struct {
	steps  []Tx
	states []*layoutv2.State // states[i] is the state before step i; the last, after every step
}

// equityAndMMR is an account's equity (funding counted) and Σ MMR at s's oracle prices.
func equityAndMMR(t testing.TB, s *layoutv2.State, id uint64) (int64, int64) {
	t.Helper()
	a, _ := s.Account(id)
	markets, err := perpstep.ReferenceMarkets(s)
	if err != nil {
		t.Fatal(err)
	}
	r, _, _ := reference.Settle(markets, a.Collateral, perpstep.ReferenceList(a.Positions), 0, int(a.Positions[0].Market), 0, 0, 0)
	return r.Equity0, r.MMR0
}

func bankruptcyPrice(t testing.TB, s *layoutv2.State, id uint64, c int64) int64 {
	t.Helper()
	a, _ := s.Account(id)
	markets, err := perpstep.ReferenceMarkets(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := reference.BankruptcyPrice(markets, a.Collateral, perpstep.ReferenceList(a.Positions), liqMarket, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// liquidationFill is step 3: account 11 sells 10 at 950 to account 5's resting buy (nonce 300).
func liquidationFill(t testing.TB, fee int64) Liquidation {
	l := liqstep.Liquidation{Domain: demoDomain, Market: liqMarket, Price: 950, Size: 10, Account: liquidatedID, FeePpm: liqFeePpm, Fee: fee,
		Liquidator: perpstep.SignedOrder{FeePpm: 200, Order: messages.OrderMessage{Account: buyerID, Market: liqMarket, Side: 0,
			ClientOrderID: 7, Size: 30, Price: 950, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 300}}}
	signOrder(t, key(t, 1), &l.Liquidator)
	return Liquidation{l}
}

// newLiqBatch builds the steps one after the other, each on the state the references left, and
// checks the scenario's figures on the way (healthy before the tick, below maintenance after it,
// bankrupt after the funding tick).
func newLiqBatch(t testing.TB) *liqBatch {
	t.Helper()
	b := &liqBatch{states: []*layoutv2.State{liqFixture(t)}}
	cur := func() *layoutv2.State { return b.states[len(b.states)-1] }
	add := func(tx Tx, next *layoutv2.State, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("step %d (type %d) refused by its reference: %v", len(b.steps), tx.TxType(), err)
		}
		b.steps = append(b.steps, tx)
		b.states = append(b.states, next)
	}
	ps := FundingPeriodStart{tickstep.FundingPeriodStart{Market: periodMarket, Now: batchTime - 60, BatchTime: batchTime}}
	next, err := tickstep.ApplyFundingPeriodStart(cur(), ps.FundingPeriodStart)
	add(ps, next, err)

	tr := perpstep.Trade{Domain: demoDomain, Market: periodMarket, Price: 1_100, Size: 10,
		Buyer: perpstep.SignedOrder{FeePpm: 500, Order: messages.OrderMessage{Account: buyerID, Market: periodMarket, Side: 0,
			Size: 10, Price: 1_100, FeeCap: 1_000, Nonce: 100}},
		Seller: perpstep.SignedOrder{FeePpm: -100, Order: messages.OrderMessage{Account: sellerID, Market: periodMarket, Side: 1,
			Size: 10, Price: 1_100, FeeCap: 500, Nonce: 101}}}
	signOrder(t, key(t, 1), &tr.Buyer)
	signOrder(t, key(t, 2), &tr.Seller)
	next, err = perpstep.ApplyTrade(cur(), tr)
	add(tr, next, err)

	if e, mmr := equityAndMMR(t, cur(), liquidatedID); e != 5_020 || mmr != 3_000 {
		t.Fatalf("account 11 before the tick: equity %d, MMR %d", e, mmr)
	}
	r := reference.PriceReport{Market: liqMarket, Price: 950 << 32, Timestamp: batchTime - 60, Signer: 0}
	h := reference.ReportMessage(r).Hash(demoDomain)
	hb := h.Bytes()
	if r.Signature, err = key(t, 9).Sign(hb[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
		t.Fatal(err)
	}
	o := OracleTick{tickstep.OracleTick{Domain: demoDomain, Market: liqMarket, Now: batchTime - 50, BatchTime: batchTime,
		Reports: []reference.PriceReport{r}}}
	next, err = tickstep.ApplyOracleTick(cur(), o.OracleTick)
	add(o, next, err)
	if e, mmr := equityAndMMR(t, cur(), liquidatedID); e != 20 || mmr != 2_850 {
		t.Fatalf("account 11 after the tick: equity %d, MMR %d", e, mmr)
	}

	l := liquidationFill(t, 20)
	next, err = liqstep.ApplyLiquidation(cur(), l.Liquidation)
	add(l, next, err)

	tk := Takeover{liqstep.Takeover{Account: liquidatedID, Market: liqMarket, Delta: -10, Price: bankruptcyPrice(t, cur(), liquidatedID, 10)}}
	next, err = liqstep.ApplyTakeover(cur(), tk.Takeover)
	add(tk, next, err)

	f := FundingTick{tickstep.FundingTick{Market: liqMarket, Now: batchTime - 50, BatchTime: batchTime, Delta: liqFundingDelta}}
	next, err = tickstep.ApplyFundingTick(cur(), f.FundingTick)
	add(f, next, err)
	if e, _ := equityAndMMR(t, cur(), liquidatedID); e != -20 {
		t.Fatalf("account 11 after the funding tick: equity %d", e)
	}

	d := Deleveraging{liqstep.Deleveraging{Account: liquidatedID, Deleverager: sellerID, Market: liqMarket, Delta: -20,
		Price: bankruptcyPrice(t, cur(), liquidatedID, 20)}}
	next, err = liqstep.ApplyDeleverage(cur(), d.Deleveraging)
	add(d, next, err)
	return b
}
