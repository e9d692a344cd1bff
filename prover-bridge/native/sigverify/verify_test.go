package sigverify

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// The golden vectors generated from gnark-crypto (test-vectors/eddsa.json, checked in).
type vectorFile struct {
	Keys []struct {
		PublicKeyX string `json:"publicKeyX"`
		PublicKeyY string `json:"publicKeyY"`
	} `json:"keys"`
	Signatures []struct {
		SeedIndex int      `json:"seedIndex"`
		Message   []string `json:"message"`
		Signature string   `json:"signature"`
	} `json:"signatures"`
	Invalid []struct {
		PublicKey string   `json:"publicKey"`
		Message   []string `json:"message"`
		Signature string   `json:"signature"`
		Reason    string   `json:"reason"`
	} `json:"invalid"`
}

func loadVectors(t *testing.T) vectorFile {
	t.Helper()
	raw, err := os.ReadFile("../../../test-vectors/eddsa.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Signatures) == 0 || len(v.Invalid) == 0 {
		t.Fatal("no vectors")
	}
	return v
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s[2:])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func element(t *testing.T, s string) fr.Element {
	t.Helper()
	var e fr.Element
	if err := e.SetBytesCanonical(unhex(t, s)); err != nil {
		t.Fatal(err)
	}
	return e
}

func elements(t *testing.T, ss []string) []fr.Element {
	out := make([]fr.Element, len(ss))
	for i, s := range ss {
		out[i] = element(t, s)
	}
	return out
}

// both runs Verify with and without the key's table and requires the same answer.
func both(t *testing.T, x, y *fr.Element, sig []byte, msg []fr.Element, prehash bool) int {
	t.Helper()
	var tab Table
	BuildTable(&tab, x, y)
	with := Verify(x, y, &tab, sig, msg, prehash)
	without := Verify(x, y, nil, sig, msg, prehash)
	if with != without {
		t.Fatalf("with table %d, without %d", with, without)
	}
	return with
}

func TestGoldenSignaturesVerify(t *testing.T) {
	v := loadVectors(t)
	for i, s := range v.Signatures {
		k := v.Keys[s.SeedIndex]
		x, y := element(t, k.PublicKeyX), element(t, k.PublicKeyY)
		sig := unhex(t, s.Signature)
		msg := elements(t, s.Message)
		if got := both(t, &x, &y, sig, msg, false); got != Valid {
			t.Errorf("signature %d: got %d, want valid", i, got)
		}
		// one flipped bit anywhere is never valid
		for bit := 0; bit < 512; bit += 7 {
			bad := bytes.Clone(sig)
			bad[bit/8] ^= 1 << (bit % 8)
			if got := Verify(&x, &y, nil, bad, msg, false); got == Valid {
				t.Errorf("signature %d with bit %d flipped verifies", i, bit)
			}
		}
	}
}

// Every invalid vector gets the answer Java's EdDsa.verify(key, byte[], …) gives: a malformed
// encoding is Malformed, a well-formed wrong signature Invalid. Keys that Java refuses to decode
// (identity, outside the subgroup) never reach a verifier and are skipped.
func TestGoldenInvalidSignaturesFail(t *testing.T) {
	want := map[string]int{
		"wrong_message":      Invalid,
		"wrong_key":          Invalid,
		"s_tampered":         Invalid,
		"r_not_in_subgroup":  Invalid,
		"s_not_below_order":  Malformed,
		"s_zero":             Malformed,
		"r_not_on_curve":     Malformed,
		"r_y_not_canonical":  Malformed,
		"wrong_length_short": Malformed,
		"wrong_length_long":  Malformed,
	}
	checked := map[string]bool{}
	for _, c := range loadVectors(t).Invalid {
		w, ok := want[c.Reason]
		if !ok {
			if c.Reason != "key_not_in_subgroup" && c.Reason != "key_identity" {
				t.Fatalf("unknown reason %q", c.Reason)
			}
			continue
		}
		var x, y fr.Element
		if !decodePoint(unhex(t, c.PublicKey), &x, &y) {
			t.Fatalf("%s: key does not decode", c.Reason)
		}
		if got := both(t, &x, &y, unhex(t, c.Signature), elements(t, c.Message), false); got != w {
			t.Errorf("%s: got %d, want %d", c.Reason, got, w)
		}
		checked[c.Reason] = true
	}
	if len(checked) != len(want) {
		t.Fatalf("checked %v of %v", checked, want)
	}
}

// With prehash the message is H(fields…): the same as signing the one element H(fields…).
func TestPrehashSignsTheHashOfTheFields(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20; i++ {
		var seed [32]byte
		for j := range seed {
			seed[j] = byte(rng.Uint32())
		}
		priv, err := eddsa.GenerateKey(bytes.NewReader(seed[:]))
		if err != nil {
			t.Fatal(err)
		}
		fields := make([]fr.Element, 1+rng.IntN(4))
		for j := range fields {
			fields[j].SetUint64(rng.Uint64())
		}
		m := layout.Hash(fields...)
		mb := m.Bytes()
		sigBytes, err := priv.Sign(mb[:], poseidon2.NewMerkleDamgardHasher())
		if err != nil {
			t.Fatal(err)
		}
		a := priv.PublicKey.A
		if got := both(t, &a.X, &a.Y, sigBytes, fields, true); got != Valid {
			t.Fatalf("key %d: prehashed signature: %d", i, got)
		}
		if got := Verify(&a.X, &a.Y, nil, sigBytes, []fr.Element{m}, false); got != Valid {
			t.Fatalf("key %d: the hash as a one-element message: %d", i, got)
		}
		fields[0].SetUint64(fields[0].Uint64() + 1)
		if got := both(t, &a.X, &a.Y, sigBytes, fields, true); got != Invalid {
			t.Fatalf("key %d: changed field: %d", i, got)
		}
	}
}

func TestVerifyDoesNotAllocate(t *testing.T) {
	v := loadVectors(t)
	k := v.Keys[v.Signatures[0].SeedIndex]
	x, y := element(t, k.PublicKeyX), element(t, k.PublicKeyY)
	sig := unhex(t, v.Signatures[0].Signature)
	msg := elements(t, v.Signatures[0].Message)
	var tab Table
	BuildTable(&tab, &x, &y)
	if n := testing.AllocsPerRun(20, func() { Verify(&x, &y, &tab, sig, msg, true) }); n != 0 {
		t.Fatalf("%v allocations per verification", n)
	}
}

func BenchmarkVerifyWithTable(b *testing.B) {
	benchVerify(b, true)
}

func BenchmarkVerifyWithoutTable(b *testing.B) {
	benchVerify(b, false)
}

func benchVerify(b *testing.B, withTable bool) {
	priv, _ := eddsa.GenerateKey(bytes.NewReader(make([]byte, 32)))
	fields := make([]fr.Element, 2)
	fields[0].SetUint64(7)
	fields[1].SetUint64(9)
	m := layout.Hash(fields...)
	mb := m.Bytes()
	sig, _ := priv.Sign(mb[:], poseidon2.NewMerkleDamgardHasher())
	a := priv.PublicKey.A
	var tab *Table
	if withTable {
		tab = new(Table)
		BuildTable(tab, &a.X, &a.Y)
	}
	if Verify(&a.X, &a.Y, tab, sig, fields, true) != Valid {
		b.Fatal("does not verify")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Verify(&a.X, &a.Y, tab, sig, fields, true)
	}
}
