package batchv3

import (
	"bytes"
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
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

// tiny is the default test shape: 3 trade slots, 2 entries per account, 2 markets.
var tiny = Shape{Trades: 3, N: 2, K: 2}

const buyerID, sellerID = 5, 9

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 41}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func market(m int) layoutv2.Market {
	return layoutv2.Market{OraclePrice: uint64(1000+100*m) << 32, OracleTimestamp: 1_800_000_000, FundingIndex: int64(m) * 1_000_000,
		FundingTimestamp: 1_799_990_000, OpenInterest: 500,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000,
			OpenInterestCap: 1_000_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000}}
}

// fixture: markets 0 and 1 (prices 1,000 and 1,100), the buyer (account 5) and the seller
// (account 9) with collateral and no position, and two trades between them: A in market 0 (size
// 10 at 1,000), B in market 1 (size 20 at 1,100). Each opens a position in both accounts' lowest
// empty entry, so the order of A and B decides which entry holds which market: the two orders give
// different new roots.
func fixture(t testing.TB) (*layoutv2.State, perpstep.Trade, perpstep.Trade) {
	s := layoutv2.NewState()
	for m := 0; m < 2; m++ {
		if err := s.SetMarket(uint64(m), market(m)); err != nil {
			t.Fatal(err)
		}
	}
	g := s.Global()
	g.OracleQuorum = 1
	g.OracleSigners[0] = layoutv2.OracleSigner{KeyX: key(t, 9).PublicKey.A.X, KeyY: key(t, 9).PublicKey.A.Y}
	if err := s.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	keys := []*eddsa.PrivateKey{key(t, 1), key(t, 2)}
	for i, id := range []uint64{buyerID, sellerID} {
		k := keys[i].PublicKey
		ident := layoutv2.Identity{PublicKeyX: k.A.X, PublicKeyY: k.A.Y, L1Owner: [20]byte{byte(id)}}
		if err := s.SetAccount(id, layoutv2.AccountFields{Identity: ident, Nonce: 3, Collateral: 500_000}); err != nil {
			t.Fatal(err)
		}
	}
	trade := func(m uint8, price, size int64, nonce uint64) perpstep.Trade {
		tr := perpstep.Trade{Domain: demoDomain, Market: m, Price: price, Size: size,
			Buyer: perpstep.SignedOrder{FeePpm: 500, Order: messages.OrderMessage{Account: buyerID, Market: uint16(m), Side: 0,
				Size: uint64(size), Price: uint64(price), FeeCap: 1_000, Nonce: nonce}},
			Seller: perpstep.SignedOrder{FeePpm: -100, Order: messages.OrderMessage{Account: sellerID, Market: uint16(m), Side: 1,
				Size: uint64(size), Price: uint64(price), FeeCap: 500, Nonce: nonce + 1}}}
		for i, o := range []*perpstep.SignedOrder{&tr.Buyer, &tr.Seller} {
			h := o.Order.Hash(demoDomain)
			b := h.Bytes()
			sig, err := keys[i].Sign(b[:], poseidon2.NewMerkleDamgardHasher())
			if err != nil {
				t.Fatal(err)
			}
			o.Signature = sig
		}
		return tr
	}
	return s, trade(0, 1_000, 10, 100), trade(1, 1_100, 20, 200)
}

func seal(t testing.TB, shape Shape, s *layoutv2.State, steps ...Tx) *Sealed {
	t.Helper()
	sealed, err := Seal(s, shape, steps, Header{Domain: demoDomain, BatchNumber: 7, BatchTime: batchTime})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func circuitOf(t testing.TB, shape Shape) *Batch {
	t.Helper()
	c, err := NewCircuit(shape, demoDomain)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func solves(t testing.TB, shape Shape, a *Batch) error {
	t.Helper()
	return test.IsSolved(circuitOf(t, shape), a, ecc.BN254.ScalarField())
}

// assignment rebuilds the assignment of w (its public input recomputed from w).
func assignment(t testing.TB, w *Witness) *Batch {
	t.Helper()
	a, err := w.Assignment(demoDomain)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var _ frontend.Circuit = (*Batch)(nil)

// batchTime is the fixture batches' T.
const batchTime = 1_800_000_100

// oracleTick: market 0 moves from 1,000 to 1,010 (· 2^32) at now = T − 50, one report signed by
// the fixture's signer (slot 0), timestamp T − 60.
func oracleTick(t testing.TB, now int64) OracleTick {
	r := reference.PriceReport{Market: 0, Price: 1010 << 32, Timestamp: batchTime - 60, Signer: 0}
	h := reference.ReportMessage(r).Hash(demoDomain)
	b := h.Bytes()
	sig, err := key(t, 9).Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	r.Signature = sig
	return OracleTick{tickstep.OracleTick{Domain: demoDomain, Market: 0, Now: now, BatchTime: batchTime, Reports: []reference.PriceReport{r}}}
}

// fundingTick: market 1's index grows by 500,000 at now = T − 50 (10,050 s after its last tick).
func fundingTick() FundingTick {
	return FundingTick{tickstep.FundingTick{Market: 1, Now: batchTime - 50, BatchTime: batchTime, Delta: 500_000}}
}

func perpstepApply(s *layoutv2.State, tr perpstep.Trade) (*layoutv2.State, error) {
	return perpstep.ApplyTrade(s, tr)
}
