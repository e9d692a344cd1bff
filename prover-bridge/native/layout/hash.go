package layout

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// permutation is gnark-crypto's default BN254 Poseidon2 permutation (t=2, rF=6, rP=50, d=5).
// It holds only its immutable parameters, so sharing it between goroutines is safe.
var permutation = poseidon2.NewDefaultPermutation()

// Compress is the 2-to-1 compression of layout v1: P(left, right)[1] + right, where P is
// gnark-crypto's default Poseidon2 permutation. It equals gnark-crypto's
// Permutation.Compress on the canonical encodings of left and right (checked by the tests), but
// works on elements directly instead of going through bytes.
func Compress(left, right fr.Element) fr.Element {
	state := [2]fr.Element{left, right}
	if err := permutation.Permutation(state[:]); err != nil {
		panic(err) // only possible for a wrong state width, which is fixed here
	}
	state[1].Add(&state[1], &right)
	return state[1]
}

// Hash is H(x1, …, xn): gnark-crypto's Poseidon2 Merkle–Damgård hasher with IV 0, fed one whole
// field element per block (s0 = 0, si = Compress(si−1, xi), H = sn). The hash of no elements is 0.
func Hash(xs ...fr.Element) fr.Element {
	h := poseidon2.NewMerkleDamgardHasher()
	for i := range xs {
		b := xs[i].Bytes()
		if _, err := h.Write(b[:]); err != nil {
			panic(fmt.Sprintf("layout: poseidon2 hasher rejected a canonical element: %v", err))
		}
	}
	var out fr.Element
	if err := out.SetBytesCanonical(h.Sum(nil)); err != nil {
		panic(fmt.Sprintf("layout: poseidon2 hasher returned a non-canonical digest: %v", err))
	}
	return out
}
