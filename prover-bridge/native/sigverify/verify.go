package sigverify

import (
	"encoding/binary"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Outcomes of Verify.
const (
	// Valid: the signature verifies.
	Valid = 1
	// Invalid: well-formed, but the equation does not hold (wrong key, message or S, or an R
	// outside the prime-order subgroup).
	Invalid = 0
	// Malformed: the 64 bytes break an encoding rule (length, S ∉ (0, l), R's y ≥ r, R off the
	// curve, negative zero). The Java side re-decodes to report which.
	Malformed = -1
)

// SignatureBytes is the length of an encoded signature: compressed R, then S big-endian.
const SignatureBytes = 64

// Verify checks an encoded signature by the public key A = (ax, ay) over the message elements,
// or, with prehash, over the one-element message H(message…) (how orders and cancels are
// signed). tab is A's comb table, or nil. It returns Valid, Invalid or Malformed.
func Verify(ax, ay *fr.Element, tab *Table, sig []byte, message []fr.Element, prehash bool) int {
	if len(sig) != SignatureBytes {
		return Malformed
	}
	var s [4]uint64
	for i := 0; i < 4; i++ {
		s[3-i] = binary.BigEndian.Uint64(sig[32+8*i:])
	}
	if s == ([4]uint64{}) || !lessThan(&s, &order) {
		return Malformed
	}
	var rx, ry fr.Element
	if !decodePoint(sig[:32], &rx, &ry) {
		return Malformed
	}

	var c fr.Element
	c = layout.Compress(c, rx)
	c = layout.Compress(c, ry)
	c = layout.Compress(c, *ax)
	c = layout.Compress(c, *ay)
	if prehash {
		var m fr.Element
		for i := range message {
			m = layout.Compress(m, message[i])
		}
		c = layout.Compress(c, m)
	} else {
		for i := range message {
			c = layout.Compress(c, message[i])
		}
	}
	k := [4]uint64(c.Bits())

	var p, q extended
	baseTab.mul(&p, &s)
	if tab != nil {
		tab.mul(&q, &k)
	} else {
		mulWindow(&q, ax, ay, &k)
	}
	q.neg()
	p.add(&q)
	// p == R, projectively: X = x·Z and Y = y·Z
	var u fr.Element
	if !p.x.Equal(u.Mul(&rx, &p.z)) || !p.y.Equal(u.Mul(&ry, &p.z)) {
		return Invalid
	}
	return Valid
}

// decodePoint decodes gnark-crypto's compressed form (y little-endian, x's sign in the top bit of
// the last byte) strictly: y < r, x exists, no negative zero. No subgroup check.
func decodePoint(enc []byte, x, y *fr.Element) bool {
	sign := enc[31]&0x80 != 0
	var be [32]byte
	for i := range be {
		be[i] = enc[31-i]
	}
	be[0] &^= 0x80
	if err := y.SetBytesCanonical(be[:]); err != nil {
		return false
	}
	// x² = (1 − y²) / (a − d·y²), a = −1; the denominator is never 0 (d is not a square)
	var y2, num, den fr.Element
	y2.Square(y)
	num.SetOne()
	num.Sub(&num, &y2)
	den.Mul(&curveD, &y2)
	den.Neg(&den)
	var one fr.Element
	one.SetOne()
	den.Sub(&den, &one)
	den.Inverse(&den)
	num.Mul(&num, &den)
	if x.Sqrt(&num) == nil {
		return false
	}
	if x.IsZero() && sign {
		return false
	}
	if x.LexicographicallyLargest() != sign {
		x.Neg(x)
	}
	return true
}

func lessThan(a, b *[4]uint64) bool {
	for i := 3; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
