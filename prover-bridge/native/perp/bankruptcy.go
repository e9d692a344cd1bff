package perp

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
)

// MaxBankruptcyPrice is the largest bankruptcy price, 2^31 − 1 (Liquidator.MAX_PRICE).
const MaxBankruptcyPrice = 1<<31 - 1

// floorDivVar returns ⌊x / d⌋ for a signed x and a variable divisor 1 ≤ d < 2^rBits, with
// |⌊x / d⌋| < 2^(qBits−1): x = q·d + r with 0 ≤ r < d (two range checks) and q range-checked, which
// has exactly one solution while |q·d| + r stays far below the field's half.
func floorDivVar(a *Arith, x, d frontend.Variable, rBits, qBits int) frontend.Variable {
	api := a.API
	q, r := a.divide(x, d)
	a.Unsigned(r, rBits)
	a.Unsigned(api.Sub(api.Sub(d, 1), r), rBits)
	a.Signed(q, qBits)
	return q
}

// BankruptcyPrice is Liquidator.bankruptcyPrice of the close that SettleFill applied to an
// account (its position moved from s₀ to s₁ = s₀ − c; the caller has asserted that it shrinks
// without flipping, so c ≠ 0 and |c| = |s₀| − |s₁|), from the figures before the close (equity e
// and Σ MMR with funding counted, all positions at the oracle prices):
//
//	share = e                                   if c = s₀ is the account's only position,
//	        ⌊e · (MMR(s₀) − MMR(s₁)) / Σ MMR⌋   otherwise (0 when Σ MMR = 0),
//	x     = value(s₀) − value(s₁) − share,
//	b     = ⌈x / c⌉ selling a long (c > 0), ⌊x / c⌋ buying back a short (c < 0), clamped to [1, 2^31 − 1].
//
// Both roundings are z = ⌊−x / |c|⌋ with b = −z for a long and b = z for a short.
func BankruptcyPrice(a *Arith, f FillFigures) frontend.Variable {
	api := a.API
	whole := api.Mul(api.IsZero(f.S1), api.IsZero(api.Sub(f.Open, 1)))
	closed := api.Sub(f.MMRSel0, f.MMRSel1)
	div := api.Add(f.MMR, api.IsZero(f.MMR))
	// |e| < 2^103, 0 ≤ closed ≤ Σ MMR < 2^103: the quotient is within |e|
	q := floorDivVar(a, api.Mul(f.Equity0, closed), div, sumBits, sumBits+1)
	share := api.Add(q, api.Mul(whole, api.Sub(f.Equity0, q)))
	x := api.Sub(api.Sub(f.V0, f.V1), share)
	u := api.Sub(f.Abs0, f.Abs1)
	z := floorDivVar(a, api.Neg(x), u, 64, sumBits+2)
	// s₁ − s₀ = −c = −sign(c)·|c|: the factor −sign(c) is (s₁ − s₀) / |c|, ±1 (u ≠ 0)
	raw := api.Mul(z, api.Div(api.Sub(f.S1, f.S0), u))
	hi := a.LE(MaxBankruptcyPrice, raw, sumBits+3)
	t := api.Add(raw, api.Mul(hi, api.Sub(MaxBankruptcyPrice, raw)))
	lo := a.LE(t, 0, sumBits+3)
	return api.Add(t, api.Mul(lo, api.Sub(1, t)))
}

// AssertShrinks asserts that a position moved from s₀ to s₁ toward zero: |s₁| < |s₀| and s₀·s₁ ≥ 0
// (never grows, never flips). |s| < 2^64.
func AssertShrinks(a *Arith, s0, s1, abs0, abs1 frontend.Variable) {
	a.AssertLE(a.API.Add(abs1, 1), abs0, 66)
	a.Unsigned(a.API.Mul(s0, s1), 128)
}

// noCap is an open-interest cap no open interest reaches (OpenInterest's cap check then never
// binds): the engine checks the cap on fills only, never on a takeover or a deleveraging.
var noCap = new(big.Int).Sub(pow2(64), big.NewInt(1))
