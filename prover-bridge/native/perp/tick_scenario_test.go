package perp_test

import (
	"sort"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// oracleScenario is an oracle tick with the private keys of its signers (and of one key outside
// the set), so a test can change a report and re-sign it, or not.
type oracleScenario struct {
	t        reference.OracleTick
	signers  []*eddsa.PrivateKey
	outsider *eddsa.PrivateKey
	slots    int
	// without private keys (a tick read from the vector file): the public keys of the slots in
	// t.Signers and of the outsider
	outsiderPub *eddsa.PublicKey
}

const (
	tickMarket = 3
	tickNow    = 1_765_000_000
	tickPrice  = int64(1_300) << 32
)

// newOracleScenario: 6 signers in the set, quorum 3, market 3 last priced 60 s ago at 1,300
// (32.32), bounds max age 30 s, max future 5 s, max move 2%; n reports from signers 0, 2, 3, 5, …
// (not all consecutive), prices around 1,300 with a repeated value, timestamps within the window.
func newOracleScenario(t testing.TB, slots, n int) *oracleScenario {
	sc := &oracleScenario{outsider: key(t, 99), slots: slots}
	var pubs []eddsa.PublicKey
	for i := 0; i < 6; i++ {
		k := key(t, byte(10+i))
		sc.signers = append(sc.signers, k)
		pubs = append(pubs, k.PublicKey)
	}
	sc.t = reference.OracleTick{Domain: demoDomain, Market: tickMarket, Signers: pubs, Quorum: 3,
		MaxAge: 30, MaxFuture: 5, MaxMovePpm: 20_000, PrevPrice: tickPrice, PrevTime: tickNow - 60,
		Now: tickNow, BatchTime: tickNow + 40}
	order := []int{0, 2, 3, 5, 1, 4}
	prices := []int64{tickPrice + 7_000_000, tickPrice - 3_000_000_000, tickPrice + 7_000_000, tickPrice + 9_100_000_000, tickPrice - 11, tickPrice + 1}
	for i := 0; i < n; i++ {
		sc.t.Reports = append(sc.t.Reports, reference.PriceReport{Market: tickMarket, Price: prices[i], Timestamp: tickNow - int64(3*i) + 2, Signer: order[i]})
	}
	sc.resign(t)
	return sc
}

func signReport(t testing.TB, k *eddsa.PrivateKey, d messages.Domain, r reference.PriceReport) []byte {
	h := reference.ReportMessage(r).Hash(d)
	b := h.Bytes()
	sig, err := k.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// signerKey is the private key that signs as slot i: the set's, or the outsider's for a slot
// outside the set.
func (sc *oracleScenario) signerKey(i int) *eddsa.PrivateKey {
	if i >= 0 && i < len(sc.signers) {
		return sc.signers[i]
	}
	return sc.outsider
}

// publicKey is the key that signed as slot i: the set's, or the outsider's.
func (sc *oracleScenario) publicKey(i int) eddsa.PublicKey {
	if sc.outsiderPub == nil {
		return sc.signerKey(i).PublicKey
	}
	if i >= 0 && i < len(sc.t.Signers) {
		return sc.t.Signers[i]
	}
	return *sc.outsiderPub
}

// resign signs every report with its signer's key in the tick's domain.
func (sc *oracleScenario) resign(t testing.TB) {
	for i := range sc.t.Reports {
		sc.resignOne(t, i, sc.t.Domain)
	}
}

func (sc *oracleScenario) resignOne(t testing.TB, i int, d messages.Domain) {
	r := &sc.t.Reports[i]
	r.Signature = sign2(t, sc.signerKey(r.Signer), d, *r)
}

func sign2(t testing.TB, k *eddsa.PrivateKey, d messages.Domain, r reference.PriceReport) []byte {
	return signReport(t, k, d, r)
}

func point(p eddsa.PublicKey) twistededwards.Point {
	return twistededwards.Point{X: p.A.X, Y: p.A.Y}
}

// assignOracle builds the circuit's witness: the reports sorted by signer slot into the first
// slots (the circuit's order; the engine accepts any order), each key opened in the signer tree,
// and the claimed new price and timestamp.
func assignOracle(t testing.TB, sc *oracleScenario, price, timestamp int64) *perp.OracleTickCircuit {
	tr := sc.t
	tree, err := perp.NewSignerTree(tr.Signers)
	if err != nil {
		t.Fatal(err)
	}
	c := perp.NewOracleTickCircuit(sc.slots)
	c.Separator = tr.Domain.Separator(messages.OraclePrice)
	c.SignersRoot = tree.Root()
	c.Quorum, c.Now, c.BatchTime = tr.Quorum, tr.Now, tr.BatchTime
	c.Market = perp.OracleMarketVars{Market: tr.Market, PrevPrice: tr.PrevPrice, PrevTime: tr.PrevTime,
		MaxAge: tr.MaxAge, MaxFuture: tr.MaxFuture, MaxMovePpm: tr.MaxMovePpm}
	reports := append([]reference.PriceReport(nil), tr.Reports...)
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].Signer < reports[j].Signer })
	for i := range c.Reports {
		if i >= len(reports) {
			c.Reports[i] = perp.UnusedReport()
			continue
		}
		r := reports[i]
		v := perp.OracleReportVars{Used: 1, Price: bi(r.Price), Timestamp: bi(r.Timestamp), Signer: r.Signer}
		v.Key = geddsa.PublicKey{A: point(sc.publicKey(r.Signer))}
		var sig eddsa.Signature
		if _, err := sig.SetBytes(r.Signature); err != nil {
			t.Fatal(err)
		}
		var s fr.Element
		s.SetBytes(sig.S[:])
		v.Signature = geddsa.Signature{R: twistededwards.Point{X: sig.R.X, Y: sig.R.Y}, S: s}
		path := tree.Path(r.Signer & (perp.SignerSlots - 1))
		for h := range path {
			v.Path[h] = path[h]
		}
		c.Reports[i] = v
	}
	c.Price, c.Timestamp = bi(price), bi(timestamp)
	return c
}

// solveOracle solves the tick with the reference's outcome as the claimed price and timestamp.
func solveOracle(t testing.TB, sc *oracleScenario) error {
	out, _ := reference.ApplyOracleTick(sc.t, sc.slots)
	return solveOracleClaiming(t, sc, out.Price, out.Timestamp)
}

func solveOracleClaiming(t testing.TB, sc *oracleScenario, price, timestamp int64) error {
	return test.IsSolved(perp.NewOracleTickCircuit(sc.slots), assignOracle(t, sc, price, timestamp), ecc.BN254.ScalarField())
}

// fundingScenario: market price 1,300 (32.32), index −5·2^32, last tick an hour ago, minimum
// interval 3,600 s, maximum rate 7,500 ppm per 8 hours, and a delta of 80% of the bound.
func newFundingScenario() reference.FundingTick {
	f := reference.FundingTick{Price: tickPrice, IndexBefore: -5 << 32, TimeBefore: tickNow - 3_700, MinInterval: 3_600,
		MaxRatePpm: 7_500, Now: tickNow, BatchTime: tickNow + 40}
	b := reference.FundingBound(f.MaxRatePpm, f.Price, f.Now-f.TimeBefore).Int64()
	f.Delta = -(b * 4 / 5)
	return f
}

func assignFunding(f reference.FundingTick, indexAfter int64) *perp.FundingTickCircuit {
	return &perp.FundingTickCircuit{
		Market: perp.FundingMarketVars{Price: bi(f.Price), Index: bi(f.IndexBefore), Time: bi(f.TimeBefore),
			MinInterval: bi(f.MinInterval), MaxRatePpm: bi(f.MaxRatePpm)},
		Now: bi(f.Now), BatchTime: bi(f.BatchTime), Delta: bi(f.Delta), IndexAfter: bi(indexAfter)}
}

func solveFunding(f reference.FundingTick) error {
	out, _ := reference.ApplyFundingTick(f)
	return test.IsSolved(&perp.FundingTickCircuit{}, assignFunding(f, out.Index), ecc.BN254.ScalarField())
}
