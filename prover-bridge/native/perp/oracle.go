package perp

import (
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// OracleReportVars is one report slot of an oracle tick. An unused slot (Used = 0) is ignored by
// every rule; its witness must still let the unconditional parts of the EdDSA check run: key and R
// the identity (0, 1), S = 0 (NewUnusedReport's values).
type OracleReportVars struct {
	Used             frontend.Variable // 1 if the slot holds a report; used slots come first
	Price, Timestamp frontend.Variable // as signed (u64 each in the message)
	Signer           frontend.Variable // the signer's slot in the signer tree, 0 … 15
	Key              eddsa.PublicKey   // the signer's key, opened in the signer tree at Signer
	Path             [SignerTreeDepth]frontend.Variable
	Signature        eddsa.Signature // over messages.OraclePriceHash(D_oracle-price, market, price, timestamp)
}

// OracleMarketVars are the market's fields an oracle tick reads: its id, its leaf's last price and
// timestamp (price 0: no price yet), and the bounds committed in its risk hash.
type OracleMarketVars struct {
	Market                        frontend.Variable
	PrevPrice, PrevTime           frontend.Variable // oraclePrice (u63, 32.32), oracleTimestamp
	MaxAge, MaxFuture, MaxMovePpm frontend.Variable // oracleMaxAgeSeconds, oracleMaxFutureSeconds, oracleMaxMovePpm
}

// OracleTick checks an oracle price tick of one market and asserts that (price, timestamp) is what
// it writes into the market leaf. It mirrors OracleAggregator.aggregate (sequencer/README.md,
// "Oracle prices"), with `now` the tick's time (the engine's journaled time of the command):
//
//   - reports: the used slots come first; at least one; n = Σ used ≥ quorum (QUORUM_NOT_MET);
//   - each used report: signed by the key of its signer slot (BAD_SIGNATURE; the signed message binds
//     the domain, the tick's market, the price and the timestamp, so a report for another market or
//     another deployment fails here too), that key opened in the signer tree at that slot
//     (UNKNOWN_SIGNER: an empty slot holds 0, no key's leaf), slots strictly increasing, so each
//     signer counts once (DUPLICATE_SIGNER); price ≥ 1 (NON_POSITIVE_PRICE);
//     now − maxAge ≤ timestamp (STALE) and timestamp ≤ now + maxFuture (FUTURE_TIMESTAMP);
//   - price is the lower median, the element of rank ⌊(n − 1)/2⌋: at least ⌈n/2⌉ used reports are
//     ≤ price and at least ⌊n/2⌋ + 1 are ≥ price (this pins exactly that element);
//   - timestamp is the oldest used report's (≤ every used timestamp, equal to one of them);
//   - if the market has a price (prevPrice ≠ 0): timestamp > prevTime (NOT_NEWER) and
//     |price − prevPrice| · 10^6 ≤ prevPrice · maxMovePpm (MOVE_TOO_LARGE: the engine's
//     |Δ| ≤ ⌊p₀ · maxMove / 10^6⌋ without the division);
//   - now ≤ batchTime (circuit only: the batch's time bound T, which L1 checks against block.timestamp).
//
// Bounds read: now, batchTime, maxAge, maxFuture, prevTime < 2^63; prevPrice < 2^63; maxMovePpm <
// 2^20; quorum < 2^8 (each range-checked here). separator is D_oracle-price of the deployment;
// signersRoot and quorum come from the global leaf; the tree must hold distinct keys (the circuit
// counts slots, as the engine counts signer indices of a list of distinct keys).
func OracleTick(a *Arith, curve twistededwards.Curve, separator, signersRoot, quorum, now, batchTime frontend.Variable,
	m OracleMarketVars, reports []OracleReportVars, price, timestamp frontend.Variable) {
	api := a.API
	for _, x := range []frontend.Variable{now, batchTime, m.MaxAge, m.MaxFuture, m.PrevTime, m.PrevPrice} {
		a.Unsigned(x, 63)
	}
	a.Unsigned(m.MaxMovePpm, 20)
	a.Unsigned(quorum, 8)
	a.AssertLE(now, batchTime, 63)
	a.Unsigned(price, 64)
	a.Unsigned(timestamp, 64)

	api.AssertIsEqual(reports[0].Used, 1)
	var n frontend.Variable = 0
	used := make([]frontend.Variable, len(reports))
	prices := make([]frontend.Variable, len(reports))
	times := make([]frontend.Variable, len(reports))
	for i, r := range reports {
		used[i], prices[i], times[i] = r.Used, r.Price, r.Timestamp
		api.AssertIsBoolean(r.Used)
		if i > 0 {
			api.AssertIsEqual(api.Mul(r.Used, api.Sub(1, reports[i-1].Used)), 0) // used slots first
			// slots strictly increasing among used reports: each signer counts once
			a.Unsigned(api.Mul(r.Used, api.Sub(api.Sub(r.Signer, reports[i-1].Signer), 1)), SignerTreeDepth)
		}
		n = api.Add(n, r.Used)
		valid := ReportSignatureValid(api, curve, separator, m.Market, r.Price, r.Timestamp, r.Key, r.Signature)
		api.AssertIsEqual(api.Mul(r.Used, api.Sub(1, valid)), 0)
		root := SignerRoot(api, r.Key, r.Signer, r.Path)
		api.AssertIsEqual(api.Mul(r.Used, api.Sub(root, signersRoot)), 0)
		// price ≥ 1; now − maxAge ≤ timestamp ≤ now + maxFuture (timestamp < 2^64 from the hash)
		a.Unsigned(api.Mul(r.Used, api.Sub(r.Price, 1)), 63)
		a.Unsigned(api.Mul(r.Used, api.Sub(api.Add(r.Timestamp, m.MaxAge), now)), 65)
		a.Unsigned(api.Mul(r.Used, api.Sub(api.Add(now, m.MaxFuture), r.Timestamp)), 65)
	}
	a.Unsigned(api.Sub(n, quorum), 5) // n ≥ quorum (n ≤ 16)
	LowerMedian(a, used, prices, price)
	Oldest(a, used, times, timestamp)

	// against the market's last price, if it has one
	hasPrev := api.Sub(1, api.IsZero(m.PrevPrice))
	a.Unsigned(api.Mul(hasPrev, api.Sub(api.Sub(timestamp, m.PrevTime), 1)), 64)
	bound := api.Mul(m.PrevPrice, m.MaxMovePpm)
	move := api.Mul(api.Sub(price, m.PrevPrice), ppmBig)
	a.Unsigned(api.Mul(hasPrev, api.Sub(bound, move)), 84)
	a.Unsigned(api.Mul(hasPrev, api.Add(bound, move)), 84)
}

// OracleTickCircuit is one oracle price tick with K report slots, as the batch circuit (format v3)
// will embed it between the global leaf's and the market leaf's openings. Price and Timestamp are
// the market leaf's new oraclePrice and oracleTimestamp.
type OracleTickCircuit struct {
	Separator   frontend.Variable // D_oracle-price of the deployment
	SignersRoot frontend.Variable // the global leaf's oracleSignersRoot
	Quorum      frontend.Variable // the global leaf's oracleQuorum
	Now         frontend.Variable // the tick's time
	BatchTime   frontend.Variable // T
	Market      OracleMarketVars
	Reports     []OracleReportVars
	Price       frontend.Variable
	Timestamp   frontend.Variable
}

// NewOracleTickCircuit allocates the circuit with k report slots (1 ≤ k ≤ 16).
func NewOracleTickCircuit(k int) *OracleTickCircuit {
	return &OracleTickCircuit{Reports: make([]OracleReportVars, k)}
}

// Define adds the tick's rules.
func (c *OracleTickCircuit) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	a := &Arith{API: api, RC: rangecheck.New(api)}
	OracleTick(a, curve, c.Separator, c.SignersRoot, c.Quorum, c.Now, c.BatchTime, c.Market, c.Reports, c.Price, c.Timestamp)
	return nil
}

// UnusedReport is the witness of an unused report slot: identity key and R, S = 0, all else 0
// (see OracleReportVars).
func UnusedReport() OracleReportVars {
	r := OracleReportVars{Used: 0, Price: 0, Timestamp: 0, Signer: 0,
		Key:       eddsa.PublicKey{A: twistededwards.Point{X: 0, Y: 1}},
		Signature: eddsa.Signature{R: twistededwards.Point{X: 0, Y: 1}, S: 0}}
	for h := range r.Path {
		r.Path[h] = 0
	}
	return r
}

// ReportSignatureValid returns 1 iff sig is key's EdDSA signature over the oracle price report
// hash H(D_oracle-price, market ‖ price ‖ timestamp) (messages.OraclePriceHash), else 0. Key and R
// must be on the curve and S below the group order (asserted: an unused slot passes these with
// the identity and S = 0). Engine rule: BAD_SIGNATURE (PriceReportSigning.verify).
func ReportSignatureValid(api frontend.API, curve twistededwards.Curve, separator, market, price, timestamp frontend.Variable,
	key eddsa.PublicKey, sig eddsa.Signature) frontend.Variable {
	msg := messages.OraclePriceHash(api, separator, market, price, timestamp)
	curve.AssertIsOnCurve(key.A)
	curve.AssertIsOnCurve(sig.R)
	h, err := poseidon2hash.New(api)
	if err != nil {
		panic(err)
	}
	valid, err := eddsa.IsValid(curve, sig, msg, key, h)
	if err != nil {
		panic(err)
	}
	return valid
}

// SignerRoot returns the root of the oracle signer tree (docs/state-layout.md §3, depth 4) with
// key's signer leaf H(TAG_ORACLE_SIGNER_V2, keyX, keyY) at slot signer (0 … 15, its 4 bits
// asserted) and the siblings path, from the leaf upward. Engine rule: UNKNOWN_SIGNER (the report's
// signer index names a key of the set; an empty slot holds 0, which no key's leaf equals).
func SignerRoot(api frontend.API, key eddsa.PublicKey, signer frontend.Variable, path [SignerTreeDepth]frontend.Variable) frontend.Variable {
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		panic(err)
	}
	// H(tag, x, y) = Compress(Compress(Compress(0, tag), x), y); the first step is a constant
	prefix := layout.Compress(fr.Element{}, TagOracleSignerV2())
	acc := perm.Compress(perm.Compress(prefix, key.A.X), key.A.Y)
	bits := api.ToBinary(signer, SignerTreeDepth)
	for h := 0; h < SignerTreeDepth; h++ {
		l := api.Select(bits[h], path[h], acc)
		r := api.Select(bits[h], acc, path[h])
		acc = perm.Compress(l, r)
	}
	return acc
}

// LowerMedian asserts that price is the lower median of the used prices (n = Σ used ≥ 1): the
// element of rank ⌊(n − 1)/2⌋ in ascending order (OracleAggregator.lowerMedian). It counts, with
// one pinned comparison bit per price and direction: at least ⌈n/2⌉ used prices are ≤ price and at
// least ⌊n/2⌋ + 1 are ≥ price; exactly that element satisfies both. Prices and price < 2^64 (the
// caller's range checks).
func LowerMedian(a *Arith, used, prices []frontend.Variable, price frontend.Variable) {
	api := a.API
	var n, nLE, nGE frontend.Variable = 0, 0, 0
	for i := range prices {
		n = api.Add(n, used[i])
		nLE = api.Add(nLE, api.Mul(used[i], a.LE(prices[i], price, 64)))
		nGE = api.Add(nGE, api.Mul(used[i], a.LE(price, prices[i], 64)))
	}
	a.Unsigned(api.Sub(api.Mul(2, nLE), n), 6)
	a.Unsigned(api.Sub(api.Sub(api.Mul(2, nGE), n), 1), 6)
}

// Oldest asserts that t is the smallest used timestamp (the engine's accepted timestamp: the
// oldest report's): t ≤ each used one (64-bit range checks) and the product of (tᵢ − t) over the
// used slots is 0, so t equals one of them. Timestamps < 2^64.
func Oldest(a *Arith, used, times []frontend.Variable, t frontend.Variable) {
	api := a.API
	var prod frontend.Variable = 1
	for i := range times {
		d := api.Mul(used[i], api.Sub(times[i], t))
		a.Unsigned(d, 64)
		prod = api.Mul(prod, api.Add(d, api.Sub(1, used[i])))
	}
	api.AssertIsEqual(prod, 0)
}
