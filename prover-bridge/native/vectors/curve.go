package vectors

import (
	"fmt"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
)

// Reasons a compressed point is rejected by zkperp's strict decoder, in the order they are checked.
const (
	reasonOK              = "ok"
	reasonYNotCanonical   = "y_not_canonical" // the 255-bit y is ≥ r
	reasonNotOnCurve      = "not_on_curve"    // no x satisfies the curve equation for this y
	reasonNegativeZero    = "negative_zero"   // x = 0 with the sign bit set
	reasonIdentity        = "identity"        // (0, 1): not a valid key
	reasonNotInSubgroup   = "not_in_subgroup" // on the curve but not in the prime-order subgroup
	pointSignBit          = 0x80              // bit 255 of the little-endian encoding = byte 31's top bit
	compressedPointLength = 32
)

func curve() twistededwards.CurveParams { return twistededwards.GetEdwardsCurve() }

func identityPoint() twistededwards.PointAffine {
	var p twistededwards.PointAffine
	p.Y.SetOne()
	return p
}

// inPrimeSubgroup is an independent subgroup test: [l]P is the identity.
func inPrimeSubgroup(p *twistededwards.PointAffine) bool {
	c := curve()
	var q twistededwards.PointAffine
	q.ScalarMultiplication(p, &c.Order)
	return q.IsZero()
}

// torsion holds the rational torsion points used to build invalid points: t2 = (0, −1) of order 2,
// t8 of order 8 (found deterministically) and t4 = [2]t8 of order 4.
var torsion = sync.OnceValues(func() (struct{ t2, t4, t8 twistededwards.PointAffine }, error) {
	var out struct{ t2, t4, t8 twistededwards.PointAffine }
	out.t2.Y.SetOne().Neg(&out.t2.Y)
	c := curve()
	for y := uint64(2); y < 1000; y++ {
		var p twistededwards.PointAffine
		var ye fr.Element
		ye.SetUint64(y)
		if !decodeXFromY(&p, ye, false) {
			continue
		}
		var q, q4 twistededwards.PointAffine
		q.ScalarMultiplication(&p, &c.Order) // kills the prime-order part: q is in the 8-torsion
		q4.Double(&q).Double(&q4)
		if q4.IsZero() {
			continue // order of q divides 4
		}
		out.t8 = q
		out.t4.Double(&q)
		var check twistededwards.PointAffine
		check.Double(&out.t4)
		if !check.Equal(&out.t2) {
			return out, fmt.Errorf("[4]t8 is not (0, -1)")
		}
		return out, nil
	}
	return out, fmt.Errorf("no 8-torsion point found")
})

// xSquaredFromY returns (1 − y²)/(a − d·y²), the value x² must take for (x, y) to be on the curve.
func xSquaredFromY(y fr.Element) fr.Element {
	c := curve()
	var y2, num, den, one fr.Element
	one.SetOne()
	y2.Square(&y)
	num.Sub(&one, &y2)
	den.Mul(&y2, &c.D)
	den.Sub(&c.A, &den)
	var x2 fr.Element
	x2.Div(&num, &den)
	return x2
}

// decodeXFromY sets p to the curve point with this y and the x whose "sign" (x > (r−1)/2) matches
// negative, and reports whether such a point exists (x² must be a square). For x = 0 the sign
// cannot be honoured and x stays 0.
func decodeXFromY(p *twistededwards.PointAffine, y fr.Element, negative bool) bool {
	x2 := xSquaredFromY(y)
	var x fr.Element
	if x.Sqrt(&x2) == nil {
		return false
	}
	if x.LexicographicallyLargest() != negative {
		x.Neg(&x)
	}
	p.X, p.Y = x, y
	return true
}

// encodePoint is the compressed encoding: y little-endian, bit 255 set iff x > (r−1)/2.
func encodePoint(p *twistededwards.PointAffine) []byte {
	b := p.Bytes()
	return b[:]
}

// encodeRaw builds an encoding from a raw 255-bit y (not reduced) and a sign bit.
func encodeRaw(y *big.Int, sign bool) []byte {
	be := y.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range be {
		le[i] = be[31-i]
	}
	if sign {
		le[31] |= pointSignBit
	}
	return le
}

// strictDecode is zkperp's strict decoder for a 32-byte compressed point. It returns the reason
// ("ok" if the point is a valid non-identity prime-subgroup point) and, when y < r and the curve has
// a point with that y, the decoded point (onCurve = true).
func strictDecode(enc []byte) (reason string, p twistededwards.PointAffine, onCurve bool) {
	if len(enc) != compressedPointLength {
		panic("strictDecode: wrong length")
	}
	sign := enc[31]&pointSignBit != 0
	be := make([]byte, 32)
	for i := range be {
		be[i] = enc[31-i]
	}
	be[0] &^= pointSignBit
	yInt := new(big.Int).SetBytes(be)
	if yInt.Cmp(fr.Modulus()) >= 0 {
		return reasonYNotCanonical, p, false
	}
	y := frFromBig(yInt)
	if !decodeXFromY(&p, y, sign) {
		return reasonNotOnCurve, twistededwards.PointAffine{}, false
	}
	if p.X.IsZero() && sign {
		return reasonNegativeZero, p, true
	}
	if p.IsZero() {
		return reasonIdentity, p, true
	}
	if !inPrimeSubgroup(&p) {
		return reasonNotInSubgroup, p, true
	}
	return reasonOK, p, true
}

// nonResidueYs returns the first n values y ≥ 2 for which no curve point has that y.
func nonResidueYs(n int) []fr.Element {
	var out []fr.Element
	for y := uint64(2); len(out) < n; y++ {
		var ye fr.Element
		ye.SetUint64(y)
		x2 := xSquaredFromY(ye)
		if x2.Legendre() == -1 {
			out = append(out, ye)
		}
	}
	return out
}
