package tickstep

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
)

// k is the report slots of the default run; nMarkets the listed markets (ids 0 … 3).
const (
	k        = 3
	nMarkets = 4
	market   = 3
	now      = int64(1_800_000_100)
	batchT   = now + 40
)

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	t.Helper()
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 41}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testMarket(m int) layoutv2.Market {
	return layoutv2.Market{
		OraclePrice:      uint64(1000+100*m)<<32 + uint64(m)*123_456_789,
		OracleTimestamp:  uint64(now - 60),
		FundingIndex:     int64(m)*12_345_678_901 - 50_000_000_000,
		FundingTimestamp: uint64(now - 3_700),
		OpenInterest:     5_000,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000,
			OpenInterestCap: 1_000_000, OracleMaxAgeSeconds: 30, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 20_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 7_500},
	}
}

// world is a layout v2 state with markets 0 … 3, six oracle signers in slots 0 … 5 with quorum 2,
// a key outside the set, and two trading accounts.
type world struct {
	state    *layoutv2.State
	signers  []*eddsa.PrivateKey
	outsider *eddsa.PrivateKey
}

const buyerID, sellerID = 5, 9

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{state: layoutv2.NewState(), outsider: key(t, 99)}
	for m := 0; m < nMarkets; m++ {
		if err := w.state.SetMarket(uint64(m), testMarket(m)); err != nil {
			t.Fatal(err)
		}
	}
	g := w.state.Global()
	g.FeeBalance, g.OracleQuorum = 1_000, 2
	for i := 0; i < 6; i++ {
		sk := key(t, byte(10+i))
		w.signers = append(w.signers, sk)
		g.OracleSigners[i] = layoutv2.OracleSigner{KeyX: sk.PublicKey.A.X, KeyY: sk.PublicKey.A.Y}
	}
	g.FeeTiers[0] = layoutv2.FeeTier{MakerPpm: -100, TakerPpm: 500}
	if err := w.state.SetGlobal(g); err != nil {
		t.Fatal(err)
	}
	for i, id := range []uint64{buyerID, sellerID} {
		pk := key(t, byte(1+i)).PublicKey
		ident := layoutv2.Identity{PublicKeyX: pk.A.X, PublicKeyY: pk.A.Y, L1Owner: [20]byte{byte(id), 0xaa}}
		var list layoutv2.Positions
		if id == buyerID { // a long 40 in the market, funding pending since an older index
			list[0] = layoutv2.PositionEntry{Market: market, Size: 40, FundingSnapshot: testMarket(market).FundingIndex - 3_000_000_000}
		}
		if err := w.state.SetAccount(id, layoutv2.AccountFields{Identity: ident, Nonce: 7, Collateral: 200_000, Positions: list}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) signerKey(slot int) *eddsa.PrivateKey {
	if slot >= 0 && slot < len(w.signers) {
		return w.signers[slot]
	}
	return w.outsider
}

func signReport(t testing.TB, sk *eddsa.PrivateKey, d messages.Domain, r reference.PriceReport) []byte {
	t.Helper()
	h := reference.ReportMessage(r).Hash(d)
	b := h.Bytes()
	sig, err := sk.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// sign signs every report with its slot's key (the outsider's for a slot outside the set).
func (w *world) sign(t testing.TB, tk *OracleTick) {
	t.Helper()
	for i := range tk.Reports {
		r := &tk.Reports[i]
		r.Signature = signReport(t, w.signerKey(r.Signer), tk.Domain, *r)
	}
}

var p0 = int64(testMarket(market).OraclePrice)

// oracleTick: n ≤ 3 reports for market 3 from signers 5, 0, 2 (not sorted), prices within 0.2% of
// the market's price, timestamps within the window; the lower median is p0 + 7,000,000 for n = 3.
func (w *world) oracleTick(t testing.TB, n int) OracleTick {
	t.Helper()
	tk := OracleTick{Domain: demoDomain, Market: market, Now: now, BatchTime: batchT}
	signers := []int{5, 0, 2}
	prices := []int64{p0 + 9_100_000_000, p0 + 7_000_000, p0 - 3_000_000_000}
	times := []int64{now + 2, now - 1, now - 4}
	for i := 0; i < n; i++ {
		tk.Reports = append(tk.Reports, reference.PriceReport{Market: market, Price: prices[i], Timestamp: times[i], Signer: signers[i]})
	}
	w.sign(t, &tk)
	return tk
}

// fundingTick: Δt = 3,700 s at 1,400 (32.32) with the rate bound 7,500 ppm per 8 h; Δindex is
// −80% of the bound.
func fundingTick() FundingTick {
	m := testMarket(market)
	b := reference.FundingBound(int64(m.Risk.FundingMaxRatePpm), int64(m.OraclePrice), now-int64(m.FundingTimestamp)).Int64()
	return FundingTick{Market: market, Now: now, BatchTime: batchT, Delta: -(b * 4 / 5)}
}

func solved(c, w frontend.Circuit) error {
	return test.IsSolved(c, w, ecc.BN254.ScalarField())
}

func solveOracle(w *OracleCircuit) error {
	return solved(NewOracleCircuit(len(w.Step.Reports), OracleSeparator(demoDomain)), w)
}

func solveFunding(w *FundingCircuit) error { return solved(NewFundingCircuit(), w) }

func bigOf(v frontend.Variable) *big.Int { return new(big.Int).Set(v.(*big.Int)) }

func mustRefuse(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

// onlyRule checks that err is a *RuleError naming exactly rule.
func onlyRule(t *testing.T, err error, rule reference.TickRule) {
	t.Helper()
	var re *RuleError
	if !errors.As(err, &re) || len(re.Rules) != 1 || re.Rules[0] != rule {
		t.Fatalf("got %v, want only %s", err, rule)
	}
}

var one = big.NewInt(1)
