package vectors

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
)

type pointsFile struct {
	Generator Generator   `json:"generator"`
	Points    []pointCase `json:"points"`
}

type pointCase struct {
	Encoding string `json:"encoding"`
	Valid    bool   `json:"valid"`
	Reason   string `json:"reason"`
	X        string `json:"x,omitempty"`
	Y        string `json:"y,omitempty"`
}

func genPoints(keys []key) (any, error) {
	t, err := torsion()
	if err != nil {
		return nil, err
	}
	cv := curve()
	r := fr.Modulus()
	var encs [][]byte
	add := func(p twistededwards.PointAffine) { encs = append(encs, encodePoint(&p)) }

	// Valid points: the base point and the first keys.
	add(cv.Base)
	for _, k := range keys[:4] {
		add(k.pub)
	}
	// The identity and the torsion points.
	add(identityPoint())
	add(t.t2)
	add(t.t4)
	add(t.t8)
	var t8neg twistededwards.PointAffine
	t8neg.Neg(&t.t8)
	add(t8neg)
	// Subgroup points plus torsion points.
	for i, tp := range []twistededwards.PointAffine{t.t8, t.t2, t.t4} {
		var p twistededwards.PointAffine
		p.Add(&keys[i].pub, &tp)
		add(p)
	}
	// y ≥ r: r itself (≡ 0), r + 1 (≡ 1, the identity), the base point's y + r with its sign bit
	// (gnark-crypto's PointAffine.SetBytes would reduce it to the base point), 2^255 − 1.
	baseEnc := encodePoint(&cv.Base)
	encs = append(encs,
		encodeRaw(r, false),
		encodeRaw(new(big.Int).Add(r, big.NewInt(1)), false),
		encodeRaw(new(big.Int).Add(frBig(cv.Base.Y), r), baseEnc[31]&pointSignBit != 0),
		encodeRaw(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(1)), false),
	)
	// y with no point on the curve, with the sign bit clear and set.
	nrs := nonResidueYs(2)
	encs = append(encs, encodeRaw(frBig(nrs[0]), false), encodeRaw(frBig(nrs[1]), true))
	// x = 0 with the sign bit set: y = 1 (0x01 00…00 80) and y = −1.
	encs = append(encs, encodeRaw(big.NewInt(1), true), encodeRaw(new(big.Int).Sub(r, big.NewInt(1)), true))

	f := pointsFile{Generator: generatorInfo()}
	seen := map[string]bool{}
	for _, enc := range encs {
		reason, p, onCurve := strictDecode(enc)
		seen[reason] = true
		pc := pointCase{Encoding: hexBytes(enc), Valid: reason == reasonOK, Reason: reason}
		if onCurve {
			pc.X, pc.Y = hexFr(p.X), hexFr(p.Y)
		}
		if err := crossCheckPoint(enc, reason, p); err != nil {
			return nil, fmt.Errorf("point %x: %w", enc, err)
		}
		f.Points = append(f.Points, pc)
	}
	for _, r := range []string{reasonOK, reasonYNotCanonical, reasonNotOnCurve, reasonNegativeZero, reasonIdentity, reasonNotInSubgroup} {
		if !seen[r] {
			return nil, fmt.Errorf("no point with reason %q", r)
		}
	}
	return f, nil
}

// crossCheckPoint compares the strict decoder with gnark-crypto's own decoding.
func crossCheckPoint(enc []byte, reason string, p twistededwards.PointAffine) error {
	var g twistededwards.PointAffine
	if _, err := g.SetBytes(enc); err != nil {
		return fmt.Errorf("gnark-crypto PointAffine.SetBytes failed: %w", err)
	}
	var pk eddsa.PublicKey
	_, keyErr := pk.SetBytes(enc)
	switch reason {
	case reasonOK:
		if !g.Equal(&p) || !g.IsInSubGroup() || keyErr != nil {
			return fmt.Errorf("valid point not decoded identically by gnark-crypto")
		}
		if re := g.Bytes(); !bytes.Equal(re[:], enc) {
			return fmt.Errorf("valid point does not re-encode to itself")
		}
	case reasonNotOnCurve:
		// gnark-crypto returns no error but a point that is not on the curve; it fails as a key.
		if g.IsOnCurve() || keyErr == nil {
			return fmt.Errorf("off-curve point handled unexpectedly by gnark-crypto")
		}
	case reasonIdentity, reasonNegativeZero, reasonNotInSubgroup:
		if !g.Equal(&p) || keyErr == nil {
			return fmt.Errorf("%s point: gnark-crypto decodes it differently or accepts it as a key", reason)
		}
		if reason == reasonNotInSubgroup && (g.IsInSubGroup() || inPrimeSubgroup(&p)) {
			return fmt.Errorf("torsion point reported in the subgroup")
		}
	case reasonYNotCanonical:
		// gnark-crypto reduces y mod r; nothing to compare against.
	}
	return nil
}
