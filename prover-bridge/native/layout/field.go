package layout

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Version is the state layout version implemented by this package.
const Version = 1

// ElementSize is the length of a canonical field element encoding.
const ElementSize = fr.Bytes

// Typed errors returned when decoding field elements and integers.
var (
	// ErrWrongLength: an encoding is not exactly 32 bytes.
	ErrWrongLength = errors.New("layout: field element encoding is not 32 bytes")
	// ErrNonCanonical: a 32-byte encoding whose value is not below r.
	ErrNonCanonical = errors.New("layout: field element encoding is not below the modulus")
	// ErrNotI64: a field element that is not the image of any int64 under [I64].
	ErrNotI64 = errors.New("layout: field element is not an embedded int64")
	// ErrIndexOutOfRange: a tree index (account, market, slot) is out of range for its depth.
	ErrIndexOutOfRange = errors.New("layout: index out of range")
	// ErrNoAccount: a position or fill was addressed to an account that does not exist.
	ErrNoAccount = errors.New("layout: account does not exist")
)

// Modulus returns a copy of r, the BN254 scalar field modulus.
func Modulus() *big.Int { return fr.Modulus() }

// ParseElement decodes a canonical field element: exactly 32 bytes, big-endian, value < r.
// Anything else is rejected with [ErrWrongLength] or [ErrNonCanonical]; values are never reduced.
func ParseElement(b []byte) (fr.Element, error) {
	var e fr.Element
	if len(b) != ElementSize {
		return e, fmt.Errorf("%w (got %d bytes)", ErrWrongLength, len(b))
	}
	if err := e.SetBytesCanonical(b); err != nil {
		return e, ErrNonCanonical
	}
	return e, nil
}

// ElementBytes returns the canonical 32-byte big-endian encoding of e.
func ElementBytes(e fr.Element) [ElementSize]byte { return e.Bytes() }

// U64 embeds an unsigned 64-bit integer (nonce, price, timestamp, amount).
func U64(x uint64) fr.Element {
	var e fr.Element
	e.SetUint64(x)
	return e
}

// I64 embeds a signed 64-bit integer as x mod r: a negative x becomes r − |x|.
func I64(x int64) fr.Element {
	var e fr.Element
	if x >= 0 {
		e.SetUint64(uint64(x))
		return e
	}
	// |math.MinInt64| = 2^63 fits in a uint64: uint64(-(x+1)) + 1 never overflows.
	e.SetUint64(uint64(-(x + 1)) + 1)
	e.Neg(&e)
	return e
}

var (
	maxI64     = new(big.Int).SetUint64(1<<63 - 1)
	minI64Elem = new(big.Int).Sub(fr.Modulus(), new(big.Int).SetUint64(1<<63)) // r − 2^63
)

// ToI64 decodes an embedded signed integer. It accepts only the images of [I64]: values
// ≤ 2^63 − 1, or values ≥ r − 2^63; anything else returns [ErrNotI64].
func ToI64(e fr.Element) (int64, error) {
	var v big.Int
	e.BigInt(&v)
	if v.Cmp(maxI64) <= 0 {
		return v.Int64(), nil
	}
	if v.Cmp(minI64Elem) >= 0 {
		// x = v − r, in [−2^63, −1]
		var neg big.Int
		neg.Sub(fr.Modulus(), &v) // |x| in [1, 2^63]
		if neg.IsUint64() && neg.Uint64() == 1<<63 {
			return -1 << 63, nil
		}
		return -neg.Int64(), nil
	}
	return 0, ErrNotI64
}

// Address embeds a 20-byte L1 address as the field element with the same big-endian value.
func Address(a [20]byte) fr.Element {
	var e fr.Element
	e.SetBytes(a[:]) // 160 bits < r: never reduced
	return e
}

// Tag returns the domain tag for an ASCII string: the string's bytes read as a big-endian integer.
// It panics if the string is longer than 31 bytes (the tag would not be guaranteed below r).
func Tag(s string) fr.Element {
	if len(s) > 31 {
		panic("layout: tag longer than 31 bytes")
	}
	var e fr.Element
	e.SetBytes([]byte(s))
	return e
}

// Tag strings of layout version 1.
const (
	TagAccountString    = "zkperp/account/v1"
	TagPositionString   = "zkperp/position/v1"
	TagFillString       = "zkperp/fill/v1"
	TagMarketString     = "zkperp/market/v1"
	TagMarketRiskString = "zkperp/market-risk/v1"
	TagGlobalString     = "zkperp/global/v1"
	TagStateString      = "zkperp/state/v1"
)

// Domain tags of layout version 1 (see [Tag]).
var (
	TagAccount    = Tag(TagAccountString)
	TagPosition   = Tag(TagPositionString)
	TagFill       = Tag(TagFillString)
	TagMarket     = Tag(TagMarketString)
	TagMarketRisk = Tag(TagMarketRiskString)
	TagGlobal     = Tag(TagGlobalString)
	TagState      = Tag(TagStateString)
)
