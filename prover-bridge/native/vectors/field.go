package vectors

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

type fieldFile struct {
	Generator Generator        `json:"generator"`
	Modulus   string           `json:"modulus"`
	Canonical []canonicalCase  `json:"canonical"`
	Invalid   []invalidEncCase `json:"invalid"`
	Signed    []signedCase     `json:"signed"`
}

type canonicalCase struct {
	Bytes string `json:"bytes"`
	Value string `json:"value"`
}

type invalidEncCase struct {
	Bytes  string `json:"bytes"`
	Reason string `json:"reason"`
}

type signedCase struct {
	Value   string `json:"value"`
	Element string `json:"element"`
}

func genField() (any, error) {
	r := fr.Modulus()
	f := fieldFile{Generator: generatorInfo(), Modulus: hexBig32(r)}

	one := big.NewInt(1)
	pow := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }
	sub := func(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
	values := []*big.Int{
		big.NewInt(0), one, big.NewInt(2), sub(pow(64), one), pow(64), pow(160), sub(pow(253), one),
		new(big.Int).Rsh(r, 1), // (r-1)/2: the largest "lexicographically small" element
		sub(r, big.NewInt(2)), sub(r, one),
	}
	rnd := newStream("field")
	for range 3 {
		values = append(values, frBig(rnd.element()))
	}
	for _, v := range values {
		b := v.FillBytes(make([]byte, 32))
		e, err := layout.ParseElement(b)
		if err != nil {
			return nil, fmt.Errorf("canonical %s rejected: %w", v.String(), err)
		}
		if frBig(e).Cmp(v) != 0 {
			return nil, fmt.Errorf("canonical %s decoded wrongly", v.String())
		}
		f.Canonical = append(f.Canonical, canonicalCase{Bytes: hexBytes(b), Value: v.String()})
	}

	invalid := []struct {
		b      []byte
		reason string
	}{
		{r.FillBytes(make([]byte, 32)), "non_canonical"},
		{new(big.Int).Add(r, one).FillBytes(make([]byte, 32)), "non_canonical"},
		{new(big.Int).Lsh(r, 1).FillBytes(make([]byte, 32)), "non_canonical"}, // 2r < 2^256
		{sub(pow(256), one).FillBytes(make([]byte, 32)), "non_canonical"},
		{make([]byte, 31), "wrong_length"},
		{append([]byte{0}, one.FillBytes(make([]byte, 32))...), "wrong_length"}, // 33 bytes, value 1
		{[]byte{}, "wrong_length"},
	}
	for _, c := range invalid {
		_, err := layout.ParseElement(c.b)
		want := layout.ErrNonCanonical
		if c.reason == "wrong_length" {
			want = layout.ErrWrongLength
		}
		if !errors.Is(err, want) {
			return nil, fmt.Errorf("invalid encoding %x: got %v, want %v", c.b, err, want)
		}
		var e fr.Element
		if e.SetBytesCanonical(c.b) == nil {
			return nil, fmt.Errorf("gnark-crypto SetBytesCanonical accepted %x", c.b)
		}
		f.Invalid = append(f.Invalid, invalidEncCase{Bytes: hexBytes(c.b), Reason: c.reason})
	}

	signed := []int64{0, 1, -1, 2, -2, 7, -7, 1 << 32, -(1 << 32), 1_000_000_007, -123_456_789_012_345,
		math.MaxInt64, math.MinInt64, math.MinInt64 + 1, math.MaxInt64 - 1}
	for _, x := range signed {
		e := layout.I64(x)
		want := new(big.Int).Mod(big.NewInt(x), r)
		if frBig(e).Cmp(want) != 0 {
			return nil, fmt.Errorf("I64(%d) wrong", x)
		}
		back, err := layout.ToI64(e)
		if err != nil || back != x {
			return nil, fmt.Errorf("ToI64(I64(%d)) = %d, %v", x, back, err)
		}
		f.Signed = append(f.Signed, signedCase{Value: decI64(x), Element: hexFr(e)})
	}
	return f, nil
}
