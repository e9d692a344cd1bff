package vectors

import (
	"bytes"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// NumKeys is the number of EdDSA keys in eddsa.json (seeds Seed(0) … Seed(NumKeys−1)).
const NumKeys = 8

type key struct {
	seed    [32]byte
	priv    *eddsa.PrivateKey
	scalar  []byte // 32 bytes big-endian, as in PrivateKey.Bytes()
	randSrc []byte // 32 bytes
	pub     twistededwards.PointAffine
	pubEnc  []byte // compressed, 32 bytes
}

func deriveKeys() ([]key, error) {
	c := curve()
	keys := make([]key, NumKeys)
	for i := range keys {
		seed := Seed(i)
		priv, err := eddsa.GenerateKey(bytes.NewReader(seed[:]))
		if err != nil {
			return nil, err
		}
		raw := priv.Bytes() // publicKey (32) || scalar (32, big-endian) || randSrc (32)
		if len(raw) != 96 {
			return nil, fmt.Errorf("private key encoding is %d bytes", len(raw))
		}
		k := key{seed: seed, priv: priv, scalar: raw[32:64], randSrc: raw[64:96], pub: priv.PublicKey.A, pubEnc: priv.PublicKey.Bytes()}
		// Clamping as documented (the scalar is the little-endian h[0:32]; here big-endian).
		if k.scalar[31]&0x07 != 0 || k.scalar[0]&0x80 != 0 || k.scalar[0]&0x40 == 0 {
			return nil, fmt.Errorf("key %d: scalar not clamped", i)
		}
		var a twistededwards.PointAffine
		a.ScalarMultiplication(&c.Base, new(big.Int).SetBytes(k.scalar))
		if !a.Equal(&k.pub) {
			return nil, fmt.Errorf("key %d: A != [scalar]B", i)
		}
		if !bytes.Equal(raw[:32], k.pubEnc) {
			return nil, fmt.Errorf("key %d: private key bytes do not start with the public key", i)
		}
		if reason, p, _ := strictDecode(k.pubEnc); reason != reasonOK || !p.Equal(&k.pub) {
			return nil, fmt.Errorf("key %d: public key does not decode strictly (%s)", i, reason)
		}
		keys[i] = k
	}
	return keys, nil
}

type eddsaFile struct {
	Generator  Generator       `json:"generator"`
	Curve      curveInfo       `json:"curve"`
	Keys       []keyCase       `json:"keys"`
	Signatures []signatureCase `json:"signatures"`
	Invalid    []invalidSig    `json:"invalid"`
}

type curveInfo struct {
	A        string `json:"a"`
	D        string `json:"d"`
	Order    string `json:"order"`
	Cofactor string `json:"cofactor"`
	BaseX    string `json:"baseX"`
	BaseY    string `json:"baseY"`
}

type keyCase struct {
	Seed       string `json:"seed"`
	Scalar     string `json:"scalar"`
	RandSrc    string `json:"randSrc"`
	PublicKey  string `json:"publicKey"`
	PublicKeyX string `json:"publicKeyX"`
	PublicKeyY string `json:"publicKeyY"`
}

type signatureCase struct {
	SeedIndex int      `json:"seedIndex"`
	Message   []string `json:"message"`
	Signature string   `json:"signature"`
	Challenge string   `json:"challenge"`
	RX        string   `json:"rX"`
	RY        string   `json:"rY"`
	S         string   `json:"s"`
}

type invalidSig struct {
	PublicKey string   `json:"publicKey"`
	Message   []string `json:"message"`
	Signature string   `json:"signature"`
	Reason    string   `json:"reason"`
}

// Invalid-signature reason codes (eddsa.json "invalid"[].reason).
var InvalidSignatureReasons = []string{
	"wrong_message", "wrong_key", "s_tampered", "s_not_below_order", "s_zero", "r_not_on_curve",
	"r_not_in_subgroup", "r_y_not_canonical", "wrong_length_short", "wrong_length_long",
	"key_not_in_subgroup", "key_identity",
}

func messageBytes(msg []fr.Element) []byte {
	var out []byte
	for i := range msg {
		b := msg[i].Bytes()
		out = append(out, b[:]...)
	}
	return out
}

type signed struct {
	keyIndex int
	msg      []fr.Element
	sig      []byte
	r        twistededwards.PointAffine
	s        *big.Int
	c        fr.Element
}

// sign signs msg with gnark-crypto and checks the result against an independent recomputation:
// the challenge is H(R.x, R.y, A.x, A.y, m…) and [S]B = R + [c]A exactly.
func sign(keys []key, ki int, msg []fr.Element) (signed, error) {
	k := keys[ki]
	sig, err := k.priv.Sign(messageBytes(msg), poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return signed{}, err
	}
	if len(sig) != 64 {
		return signed{}, fmt.Errorf("signature is %d bytes", len(sig))
	}
	reason, r, _ := strictDecode(sig[:32])
	if reason != reasonOK {
		return signed{}, fmt.Errorf("R does not decode strictly: %s", reason)
	}
	s := new(big.Int).SetBytes(sig[32:])
	cv := curve()
	if s.Sign() == 0 || s.Cmp(&cv.Order) >= 0 {
		return signed{}, fmt.Errorf("S out of range")
	}
	c := layout.Hash(append([]fr.Element{r.X, r.Y, k.pub.X, k.pub.Y}, msg...)...)
	var lhs, rhs twistededwards.PointAffine
	lhs.ScalarMultiplication(&cv.Base, s)
	rhs.ScalarMultiplication(&k.pub, frBig(c)).Add(&rhs, &r)
	if !lhs.Equal(&rhs) {
		return signed{}, fmt.Errorf("[S]B != R + [c]A: the challenge is not H(R, A, m)")
	}
	var pk eddsa.PublicKey
	if _, err := pk.SetBytes(k.pubEnc); err != nil {
		return signed{}, err
	}
	ok, err := pk.Verify(sig, messageBytes(msg), poseidon2.NewMerkleDamgardHasher())
	if err != nil || !ok {
		return signed{}, fmt.Errorf("gnark-crypto does not verify its own signature: %v", err)
	}
	return signed{keyIndex: ki, msg: msg, sig: sig, r: r, s: s, c: c}, nil
}

// gnarkRejects reports whether gnark-crypto rejects the case: a public key that does not parse,
// or Verify returning false or an error.
func gnarkRejects(pubEnc, sig []byte, msg []fr.Element) bool {
	var pk eddsa.PublicKey
	if _, err := pk.SetBytes(pubEnc); err != nil {
		return true
	}
	ok, err := pk.Verify(sig, messageBytes(msg), poseidon2.NewMerkleDamgardHasher())
	return err != nil || !ok
}

func genEdDSA(keys []key) (any, error) {
	cv := curve()
	f := eddsaFile{Generator: generatorInfo()}
	f.Curve = curveInfo{
		A: frSigned(cv.A), D: cv.D.String(), Order: cv.Order.String(), Cofactor: cv.Cofactor.String(),
		BaseX: hexFr(cv.Base.X), BaseY: hexFr(cv.Base.Y),
	}
	for _, k := range keys {
		f.Keys = append(f.Keys, keyCase{
			Seed: hexBytes(k.seed[:]), Scalar: hexBytes(k.scalar), RandSrc: hexBytes(k.randSrc),
			PublicKey: hexBytes(k.pubEnc), PublicKeyX: hexFr(k.pub.X), PublicKeyY: hexFr(k.pub.Y),
		})
	}

	// Messages: mostly one element (as zkperp signs), a few with two or three.
	rnd := newStream("eddsa-messages")
	_, one, _, minusOne := edgeElements()
	var sigs []signed
	for i := range 20 {
		var msg []fr.Element
		switch {
		case i == 0:
			msg = []fr.Element{{}}
		case i == 1:
			msg = []fr.Element{one}
		case i == 2:
			msg = []fr.Element{minusOne}
		case i >= 17:
			msg = make([]fr.Element, 2+(i-17)%2)
			for j := range msg {
				msg[j] = rnd.element()
			}
		default:
			msg = []fr.Element{rnd.element()}
		}
		s, err := sign(keys, i%NumKeys, msg)
		if err != nil {
			return nil, fmt.Errorf("signature %d: %w", i, err)
		}
		sigs = append(sigs, s)
		f.Signatures = append(f.Signatures, signatureCase{
			SeedIndex: s.keyIndex, Message: hexFrs(msg), Signature: hexBytes(s.sig),
			Challenge: hexFr(s.c), RX: hexFr(s.r.X), RY: hexFr(s.r.Y), S: hexBig32(s.s),
		})
	}

	invalid, err := invalidSignatures(keys, sigs)
	if err != nil {
		return nil, err
	}
	f.Invalid = invalid
	return f, nil
}

// frSigned prints a field element as a signed decimal when it is within 2^63 of 0 (so a = −1
// prints as "-1").
func frSigned(e fr.Element) string {
	if x, err := layout.ToI64(e); err == nil {
		return decI64(x)
	}
	return e.String()
}

func withS(sig []byte, s *big.Int) []byte {
	out := append([]byte(nil), sig[:32]...)
	return append(out, s.FillBytes(make([]byte, 32))...)
}

func withR(sig []byte, r []byte) []byte {
	out := append([]byte(nil), r...)
	return append(out, sig[32:]...)
}

func invalidSignatures(keys []key, sigs []signed) ([]invalidSig, error) {
	t, err := torsion()
	if err != nil {
		return nil, err
	}
	cv := curve()
	order := &cv.Order
	type tc struct {
		pub    []byte
		msg    []fr.Element
		sig    []byte
		reason string
	}
	var cases []tc
	pubOf := func(s signed) []byte { return keys[s.keyIndex].pubEnc }
	s0, s1, s3, s5 := sigs[3], sigs[4], sigs[5], sigs[17]

	// wrong_message: m + 1, and a multi-element message with the last element changed.
	m := append([]fr.Element(nil), s0.msg...)
	var one fr.Element
	one.SetOne()
	m[0].Add(&m[0], &one)
	cases = append(cases, tc{pubOf(s0), m, s0.sig, "wrong_message"})
	m5 := append([]fr.Element(nil), s5.msg...)
	m5[len(m5)-1].Add(&m5[len(m5)-1], &one)
	cases = append(cases, tc{pubOf(s5), m5, s5.sig, "wrong_message"})

	// wrong_key: a valid signature checked against another key.
	cases = append(cases, tc{keys[(s0.keyIndex+1)%NumKeys].pubEnc, s0.msg, s0.sig, "wrong_key"})

	// S + 1 mod l; S + l (< 2^256, so it still fits in 32 bytes); S = 0.
	cases = append(cases, tc{pubOf(s1), s1.msg, withS(s1.sig, new(big.Int).Mod(new(big.Int).Add(s1.s, big.NewInt(1)), order)), "s_tampered"})
	sPlusL := new(big.Int).Add(s1.s, order)
	cases = append(cases, tc{pubOf(s1), s1.msg, withS(s1.sig, sPlusL), "s_not_below_order"})
	cases = append(cases, tc{pubOf(s1), s1.msg, withS(s1.sig, new(big.Int).Set(order)), "s_not_below_order"})
	cases = append(cases, tc{pubOf(s1), s1.msg, withS(s1.sig, big.NewInt(0)), "s_zero"})

	// R with a y for which x² is a non-residue (sign bit clear).
	nr := nonResidueYs(1)[0]
	cases = append(cases, tc{pubOf(s3), s3.msg, withR(s3.sig, encodeRaw(frBig(nr), false)), "r_not_on_curve"})

	// R + a torsion point of order 2 and of order 8 (canonical encodings).
	for _, tp := range []twistededwards.PointAffine{t.t2, t.t8} {
		var r2 twistededwards.PointAffine
		r2.Add(&s3.r, &tp)
		cases = append(cases, tc{pubOf(s3), s3.msg, withR(s3.sig, encodePoint(&r2)), "r_not_in_subgroup"})
	}

	// R's y + r, keeping the sign bit: gnark-crypto's point decoder alone would reduce it to R.
	rEnc := s3.sig[:32]
	yPlusR := new(big.Int).Add(frBig(s3.r.Y), fr.Modulus())
	cases = append(cases, tc{pubOf(s3), s3.msg, withR(s3.sig, encodeRaw(yPlusR, rEnc[31]&pointSignBit != 0)), "r_y_not_canonical"})

	cases = append(cases, tc{pubOf(s0), s0.msg, append([]byte(nil), s0.sig[:63]...), "wrong_length_short"})
	cases = append(cases, tc{pubOf(s0), s0.msg, append(append([]byte(nil), s0.sig...), 0), "wrong_length_long"})

	// Keys: A + torsion (order 8 and order 2), and the identity (0, 1).
	k := keys[s1.keyIndex]
	for _, tp := range []twistededwards.PointAffine{t.t8, t.t2} {
		var a2 twistededwards.PointAffine
		a2.Add(&k.pub, &tp)
		cases = append(cases, tc{encodePoint(&a2), s1.msg, s1.sig, "key_not_in_subgroup"})
	}
	id := identityPoint()
	cases = append(cases, tc{encodePoint(&id), s1.msg, s1.sig, "key_identity"})

	seen := map[string]bool{}
	var out []invalidSig
	for i, c := range cases {
		if !gnarkRejects(c.pub, c.sig, c.msg) {
			return nil, fmt.Errorf("invalid case %d (%s) is accepted by gnark-crypto", i, c.reason)
		}
		seen[c.reason] = true
		out = append(out, invalidSig{PublicKey: hexBytes(c.pub), Message: hexFrs(c.msg), Signature: hexBytes(c.sig), Reason: c.reason})
	}
	for _, r := range InvalidSignatureReasons {
		if !seen[r] {
			return nil, fmt.Errorf("no invalid case for reason %q", r)
		}
	}
	if len(seen) != len(InvalidSignatureReasons) {
		return nil, fmt.Errorf("unlisted invalid reason used")
	}
	return out, nil
}
