package perp

import (
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
)

func init() {
	solver.RegisterHint(DivHint, LessOrEqualHint)
}

// signedOf reads a field element as a signed integer: values above (r − 1)/2 are negative.
func signedOf(mod, x *big.Int) *big.Int {
	half := new(big.Int).Rsh(mod, 1)
	if x.Cmp(half) > 0 {
		return new(big.Int).Sub(x, mod)
	}
	return new(big.Int).Set(x)
}

// DivHint returns q = ⌊x / d⌋ and r = x − q·d for a signed x and d > 0.
func DivHint(mod *big.Int, in, out []*big.Int) error {
	x := signedOf(mod, in[0])
	d := signedOf(mod, in[1])
	if d.Sign() <= 0 {
		out[0].SetInt64(0)
		out[1].Set(in[0])
		return nil
	}
	q, r := new(big.Int).DivMod(x, d, new(big.Int)) // Euclidean: r ∈ [0, d)
	out[0].Mod(q, mod)
	out[1].Set(r)
	return nil
}

// LessOrEqualHint returns 1 if a ≤ b as signed integers, else 0.
func LessOrEqualHint(mod *big.Int, in, out []*big.Int) error {
	if signedOf(mod, in[0]).Cmp(signedOf(mod, in[1])) <= 0 {
		out[0].SetInt64(1)
	} else {
		out[0].SetInt64(0)
	}
	return nil
}

// Arith is exact signed integer arithmetic in the field: every result is pinned by range checks,
// so the field operations equal the integer ones for inputs within the stated bounds. Integers
// are embedded as x mod r (docs/state-layout.md §1).
type Arith struct {
	API frontend.API
	RC  frontend.Rangechecker
}

func pow2(n int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(n)) }

// Unsigned asserts 0 ≤ x < 2^bits.
func (a *Arith) Unsigned(x frontend.Variable, bits int) { a.RC.Check(x, bits) }

// Signed asserts −2^(bits−1) ≤ x < 2^(bits−1).
func (a *Arith) Signed(x frontend.Variable, bits int) {
	a.RC.Check(a.API.Add(x, pow2(bits-1)), bits)
}

// AssertLE asserts x ≤ y, given |y − x| < 2^bits.
func (a *Arith) AssertLE(x, y frontend.Variable, bits int) { a.RC.Check(a.API.Sub(y, x), bits) }

// LE returns the bit [x ≤ y] for signed x, y with |x − y| < 2^bits: the hint's answer is pinned
// by one range check (y − x if set, x − y − 1 if not), so a wrong answer is unsatisfiable.
func (a *Arith) LE(x, y frontend.Variable, bits int) frontend.Variable {
	api := a.API
	out, err := api.Compiler().NewHint(LessOrEqualHint, 1, x, y)
	if err != nil {
		panic(err)
	}
	f := out[0]
	api.AssertIsBoolean(f)
	d := api.Sub(y, x)
	a.RC.Check(api.Add(api.Mul(f, d), api.Mul(api.Sub(1, f), api.Sub(api.Neg(d), 1))), bits)
	return f
}

// divide takes q and r from DivHint and asserts x = q·d + r; the caller bounds r and q, which
// makes the pair unique.
func (a *Arith) divide(x, d frontend.Variable) (q, r frontend.Variable) {
	api := a.API
	out, err := api.Compiler().NewHint(DivHint, 2, x, d)
	if err != nil {
		panic(err)
	}
	q, r = out[0], out[1]
	api.AssertIsEqual(x, api.Add(api.Mul(q, d), r))
	return q, r
}

// FloorDiv returns ⌊x / d⌋ for a constant d > 0 (a power of two or 10^6 here) and signed x, with
// |⌊x / d⌋| < 2^(qBits−1): x = q·d + r with 0 ≤ r < d and q range-checked, which has one solution.
func (a *Arith) FloorDiv(x frontend.Variable, d *big.Int, qBits int) frontend.Variable {
	q, r := a.divide(x, d)
	a.remainder(r, d)
	a.Signed(q, qBits)
	return q
}

// CeilDiv returns ⌈x / d⌉ = −⌊−x / d⌋.
func (a *Arith) CeilDiv(x frontend.Variable, d *big.Int, qBits int) frontend.Variable {
	return a.API.Neg(a.FloorDiv(a.API.Neg(x), d, qBits))
}

// remainder asserts 0 ≤ r < d for a constant d: one range check for a power of two, two otherwise.
func (a *Arith) remainder(r frontend.Variable, d *big.Int) {
	dm1 := new(big.Int).Sub(d, big.NewInt(1))
	bits := dm1.BitLen()
	a.RC.Check(r, bits)
	if new(big.Int).And(d, dm1).Sign() != 0 {
		a.RC.Check(a.API.Sub(dm1, r), bits)
	}
}

// CeilDivVar returns ⌈x / d⌉ for 0 ≤ x < 2^bits and a variable 1 ≤ d < 2^bits: q·d − x ∈ [0, d).
func (a *Arith) CeilDivVar(x, d frontend.Variable, bits int) frontend.Variable {
	api := a.API
	out, err := api.Compiler().NewHint(DivHint, 2, api.Add(x, api.Sub(d, 1)), d)
	if err != nil {
		panic(err)
	}
	q := out[0]
	a.RC.Check(q, bits)
	slack := api.Sub(api.Mul(q, d), x)
	a.RC.Check(slack, bits)
	a.RC.Check(api.Sub(api.Sub(d, 1), slack), bits)
	return q
}

// Abs returns |s| for |s| < 2^64: a sign bit b from a hint with |s| = s·(1 − 2b) range-checked to
// 64 bits, so a wrong bit is unsatisfiable (except for s = 0, where both give 0).
func (a *Arith) Abs(s frontend.Variable) frontend.Variable {
	api := a.API
	out, err := api.Compiler().NewHint(LessOrEqualHint, 1, s, -1)
	if err != nil {
		panic(err)
	}
	neg := out[0]
	api.AssertIsBoolean(neg)
	abs := api.Sub(s, api.Mul(2, neg, s))
	a.RC.Check(abs, 64)
	return abs
}
