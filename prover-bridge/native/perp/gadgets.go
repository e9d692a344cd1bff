package perp

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/lookup/logderivlookup"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// PPM is one in parts per million.
const PPM = 1_000_000

// Bit widths of the quantities (see doc.go, "Bounds").
const (
	quotBits  = 98  // |value|, |notional|, |funding|, |IMR|, |MMR| < 2^97
	sumBits   = 104 // |equity|, Σ requirements of up to 8 positions
	crossBits = 208 // |equity · MMR|
)

var (
	two32Big = pow2(32)
	ppmBig   = big.NewInt(PPM)
)

// OrderSignature verifies the EdDSA signature of an order's key over the domain-separated order
// hash H(D_order, e₁, e₂) (messages.OrderHash: every field range-checked to its packed width).
// Engine rule: intake's BAD_SIGNATURE (sequencer/README.md "Signed orders"); a relay cannot change
// any signed field, and the separator binds chain id and rollup address.
func OrderSignature(api frontend.API, curve twistededwards.Curve, separator frontend.Variable, o messages.OrderVars, key eddsa.PublicKey, sig eddsa.Signature) {
	msg := messages.OrderHash(api, separator, o)
	curve.AssertIsOnCurve(key.A)
	curve.AssertIsOnCurve(sig.R)
	h, err := poseidon2hash.New(api)
	if err != nil {
		panic(err)
	}
	if err := eddsa.Verify(curve, sig, msg, key, h); err != nil {
		panic(err)
	}
}

// LimitPrice asserts the fill price is no worse than the order's limit: a buyer pays at most its
// limit, a seller receives at least its limit (engine: a fill is at the maker's price, never worse
// than the taker's limit; the maker's own price is its limit). Prices are u64 (checked here).
func LimitPrice(a *Arith, price, limit frontend.Variable, buy bool) {
	a.Unsigned(price, 64)
	if buy {
		a.AssertLE(price, limit, 64)
	} else {
		a.AssertLE(limit, price, 64)
	}
}

// FillSlot applies the nonce-window rule (docs/state-layout.md §4 "Fill leaf", sequencer/README.md
// "Nonce window") to an order with nonce n ≥ 1 and signed size filled by `fill` ≥ 1: the slot
// (slotNonce, slotFilled) must be empty (nonce 0) or hold a nonce < n (taken over with filled = 0),
// or hold n (filled carried on); a larger nonce is refused. The total filled never exceeds the
// signed size. Returns the slot after: (n, filled + fill).
func FillSlot(a *Arith, n, size, slotNonce, slotFilled, fill frontend.Variable) (frontend.Variable, frontend.Variable) {
	api := a.API
	a.Unsigned(api.Sub(n, 1), 64)
	a.Unsigned(api.Sub(fill, 1), 64)
	a.Unsigned(slotFilled, 64)
	same := api.IsZero(api.Sub(n, slotNonce))
	// not the same nonce ⇒ slotNonce < n (slotNonce is a u64 of the fill leaf)
	a.Unsigned(slotNonce, 64)
	a.Unsigned(api.Mul(api.Sub(1, same), api.Sub(api.Sub(n, slotNonce), 1)), 64)
	filled := api.Add(api.Mul(same, slotFilled), fill)
	a.AssertLE(filled, size, 64)
	return n, filled
}

// Fee computes the engine's fee on a fill of notional n at rate r ppm, RiskMath.fee: a charge
// (r ≥ 0) is ⌈n·r / 10^6⌉, a rebate (r < 0) is −⌊n·|r| / 10^6⌋ — both are ⌈n·r / 10^6⌉, rounded
// against the trader. The rate is at most the order's signed fee cap (engine: FEE_CAP_EXCEEDED
// unless max(maker, taker, 0) ≤ feeCap; a rebate needs no cap) and within ±10^6. n < 2^63
// (the engine's multiplyExact) is checked.
func Fee(a *Arith, n, rate, feeCap frontend.Variable) frontend.Variable {
	api := a.API
	a.Unsigned(n, 63)
	a.Unsigned(api.Add(rate, PPM), 21)
	a.AssertLE(rate, PPM, 21)
	a.AssertLE(rate, feeCap, 33)
	return a.CeilDiv(api.Mul(n, rate), ppmBig, 64)
}

// FundingCredit is floor(−(F − snap) · s / 2^32), RiskMath.fundingCredit: what funding settlement
// adds to the collateral (sequencer/README.md "Funding": rounded down, never creates value).
func FundingCredit(a *Arith, s, snap, index frontend.Variable) frontend.Variable {
	api := a.API
	return a.FloorDiv(api.Mul(api.Neg(api.Sub(index, snap)), s), two32Big, quotBits)
}

// MarketVars are the batch's view of one market: oracle price (32.32), funding index, open
// interest and the risk leaf.
type MarketVars struct {
	Price, FundingIndex, OpenInterest                           frontend.Variable
	IMF, MMF, Baseline, IncSize, IncIMF, MaxPositionSize, OICap frontend.Variable
}

// PositionRisk is one position's value, initial and maintenance requirement and |s| at the
// market's oracle price (RiskMath.value, initialRequirement, maintenanceRequirement):
// value = ⌊s·p / 2^32⌋, notional = ⌈|s|·p / 2^32⌉, imf = min(10^6, IMF + incIMF ·
// ⌈max(0, |s| − baseline) / incSize⌉), IMR = ⌈notional · imf / 10^6⌉, MMR = ⌈notional · MMF / 10^6⌉.
func PositionRisk(a *Arith, s frontend.Variable, m MarketVars) (value, imr, mmr, abs frontend.Variable) {
	api := a.API
	abs = a.Abs(s)
	value = a.FloorDiv(api.Mul(s, m.Price), two32Big, quotBits)
	notional := a.CeilDiv(api.Mul(abs, m.Price), two32Big, quotBits)
	// imf: steps = ⌈above / incSize⌉ when above = |s| − baseline > 0, else 0
	above := api.Sub(abs, m.Baseline)
	positive := a.LE(1, above, 66)
	steps := a.CeilDivVar(api.Mul(positive, above), m.IncSize, 66)
	raw := api.Add(m.IMF, api.Mul(m.IncIMF, steps))
	capped := a.LE(PPM, raw, 90)
	imf := api.Add(raw, api.Mul(capped, api.Sub(PPM, raw)))
	imr = a.CeilDiv(api.Mul(notional, imf), ppmBig, quotBits)
	mmr = a.CeilDiv(api.Mul(notional, m.MMF), ppmBig, quotBits)
	return
}

// MarginOK asserts the engine's margin rule on the state after a fill (MarginChecks.check and
// checkBelowInitial): equity₁ ≥ IMR₁, or the position shrinks without flipping (|s₁| < |s₀| and
// s₀·s₁ ≥ 0) and equity / maintenance requirement does not fall (equity₁·MMR₀ ≥ equity₀·MMR₁,
// or equity₁ ≥ 0 when MMR₁ = 0). abs0, abs1 are |s₀|, |s₁|. Returns the bit "the position shrinks
// without flipping", which the reduce-only rule reuses.
func MarginOK(a *Arith, s0, s1, abs0, abs1, equity0, mmr0, equity1, imr1, mmr1 frontend.Variable) (reduces frontend.Variable) {
	holds, reduces := MarginHolds(a, s0, s1, abs0, abs1, equity0, mmr0, equity1, imr1, mmr1)
	a.API.AssertIsEqual(holds, 1)
	return reduces
}

// MarginHolds is MarginOK's rule as a bit instead of an assertion: holds = 1 exactly when the
// rule holds (every comparison is pinned by a range check, so a wrong bit is unsatisfiable). A
// step that must prove a trade invalid (the forced trade) reads the bit; MarginOK asserts it.
func MarginHolds(a *Arith, s0, s1, abs0, abs1, equity0, mmr0, equity1, imr1, mmr1 frontend.Variable) (holds, reduces frontend.Variable) {
	api := a.API
	initial := a.LE(imr1, equity1, sumBits)
	shrinks := a.LE(api.Add(abs1, 1), abs0, 66)
	noFlip := a.LE(0, api.Mul(s0, s1), 130)
	reduces = api.Mul(shrinks, noFlip)
	zero := api.IsZero(mmr1)
	nonNeg := a.LE(0, equity1, sumBits)
	ratio := a.LE(api.Mul(equity0, mmr1), api.Mul(equity1, mmr0), crossBits)
	slow := api.Mul(reduces, api.Add(api.Mul(zero, nonNeg), api.Mul(api.Sub(1, zero), ratio)))
	return api.Add(initial, api.Mul(api.Sub(1, initial), slow)), reduces
}

// ReduceOnly asserts that a reduce-only order's fill shrinks the position without flipping it
// (engine: a reduce-only order is IOC/FOK and accepted only if the account holds an opposite
// position of at least its size, so each of its fills shrinks the position toward zero).
func ReduceOnly(api frontend.API, reduceOnly, reduces frontend.Variable) {
	api.AssertIsEqual(api.Mul(reduceOnly, api.Sub(1, reduces)), 0)
}

// OpenInterest returns the market's open interest (Σ long sizes) after the buyer's and seller's
// positions moved from s0 to s1 (|s| given), and asserts it is within the cap if it grew (engine:
// OPEN_INTEREST_CAP, checked when a position grows; a trade that lowers open interest is always
// allowed, even above a lowered cap).
func OpenInterest(a *Arith, oi, cap frontend.Variable, s0, abs0, s1, abs1 [2]frontend.Variable) frontend.Variable {
	api := a.API
	next := oi
	for i := 0; i < 2; i++ {
		// max(s, 0) = (s + |s|) / 2
		next = api.Add(next, api.Div(api.Sub(api.Add(s1[i], abs1[i]), api.Add(s0[i], abs0[i])), 2))
	}
	a.Unsigned(next, 64)
	notGrown := a.LE(next, oi, 65)
	a.Unsigned(api.Mul(api.Sub(1, notGrown), api.Sub(cap, next)), 64)
	return next
}

// MarketTable is the batch's market vector as lookup tables (layout v2 §"price vector"): each
// field of every market is inserted once, and a position reads its market's fields by id with a
// log-derivative lookup instead of a Merkle opening. An id outside the vector is unsatisfiable.
type MarketTable struct {
	tables [10]logderivlookup.Table
}

// NewMarketTable inserts the markets (index = market id) and range-checks their fields once: price
// < 2^63, funding index an i64, margin fractions ≤ 10^6, sizes u63, incSize ≥ 1.
func NewMarketTable(a *Arith, markets []MarketVars) *MarketTable {
	t := &MarketTable{}
	for i := range t.tables {
		t.tables[i] = logderivlookup.New(a.API)
	}
	for _, m := range markets {
		a.Unsigned(m.Price, 63)
		a.Signed(m.FundingIndex, 64)
		a.Unsigned(m.OpenInterest, 63)
		a.AssertLE(m.IMF, PPM, 20)
		a.Unsigned(m.IMF, 20)
		a.AssertLE(m.MMF, PPM, 20)
		a.Unsigned(m.MMF, 20)
		a.Unsigned(m.IncIMF, 20)
		a.Unsigned(m.Baseline, 63)
		a.Unsigned(a.API.Sub(m.IncSize, 1), 63)
		a.Unsigned(m.MaxPositionSize, 63)
		a.Unsigned(m.OICap, 63)
		for i, v := range m.fields() {
			t.tables[i].Insert(v)
		}
	}
	return t
}

func (m MarketVars) fields() [10]frontend.Variable {
	return [10]frontend.Variable{m.Price, m.FundingIndex, m.IMF, m.MMF, m.Baseline, m.IncSize, m.IncIMF, m.OpenInterest, m.OICap, m.MaxPositionSize}
}

// riskFields is how many of the fields a position needs (price, index and the margin parameters).
const riskFields = 7

// Get returns what a position needs of market id: price, funding index and margin parameters
// (7 lookups; open interest and the caps are left nil).
func (t *MarketTable) Get(id frontend.Variable) MarketVars { return t.get(id, riskFields) }

// GetWithCaps returns every field of market id (10 lookups): for the trade's market.
func (t *MarketTable) GetWithCaps(id frontend.Variable) MarketVars { return t.get(id, len(t.tables)) }

func (t *MarketTable) get(id frontend.Variable, n int) MarketVars {
	var v [10]frontend.Variable
	for i := 0; i < n; i++ {
		v[i] = t.tables[i].Lookup(id)[0]
	}
	return MarketVars{Price: v[0], FundingIndex: v[1], IMF: v[2], MMF: v[3], Baseline: v[4], IncSize: v[5], IncIMF: v[6],
		OpenInterest: v[7], OICap: v[8], MaxPositionSize: v[9]}
}

// PositionLimit asserts |s₁| ≤ maxPositionSize when the position grows (|s₁| > |s₀|), as the
// engine's POSITION_SIZE_LIMIT (MarginChecks.check); a shrinking position may stay above a lowered
// limit.
func PositionLimit(a *Arith, abs0, abs1, maxSize frontend.Variable) {
	api := a.API
	grows := a.LE(api.Add(abs0, 1), abs1, 66)
	a.Unsigned(api.Mul(grows, api.Sub(maxSize, abs1)), 64)
}
