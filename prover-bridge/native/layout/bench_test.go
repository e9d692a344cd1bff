package layout

// Poseidon2 micro-benchmarks (gnark-crypto v0.21.0, BN254, t=2). Run them with
//
//	go test -run '^$' -bench Poseidon2 -benchtime 2s -count 5 ./...
//
// from prover-bridge/native. They measure gnark-crypto itself, not this package's wrappers, so the
// numbers are what every hash in the state layout costs on the machine at hand.

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

func benchInputs() (fr.Element, fr.Element) {
	var l, r fr.Element
	l.SetString("1234567890123456789012345678901234567890")
	r.SetString("9876543210987654321098765432109876543210")
	return l, r
}

// BenchmarkPoseidon2Compress: Permutation.Compress through its bytes API (two canonical 32-byte
// decodings, the permutation, the feed-forward and a 32-byte encoding).
func BenchmarkPoseidon2Compress(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	le, re := benchInputs()
	l, r := le.Bytes(), re.Bytes()
	left, right := l[:], r[:]
	b.ReportAllocs()
	for b.Loop() {
		out, err := perm.Compress(left, right)
		if err != nil {
			b.Fatal(err)
		}
		left = out // chain so the work cannot be hoisted
	}
}

// BenchmarkPoseidon2CompressElements: the same compression on fr.Element values (permutation on
// the 2-element state plus the feed-forward of the right input), with no byte conversion.
func BenchmarkPoseidon2CompressElements(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	left, right := benchInputs()
	b.ReportAllocs()
	for b.Loop() {
		state := [2]fr.Element{left, right}
		if err := perm.Permutation(state[:]); err != nil {
			b.Fatal(err)
		}
		state[1].Add(&state[1], &right)
		left = state[1]
	}
}

// BenchmarkPoseidon2Permutation: the bare width-2 permutation applied in place.
func BenchmarkPoseidon2Permutation(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	l, r := benchInputs()
	state := []fr.Element{l, r}
	b.ReportAllocs()
	for b.Loop() {
		if err := perm.Permutation(state); err != nil {
			b.Fatal(err)
		}
	}
}
