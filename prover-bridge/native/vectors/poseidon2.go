package vectors

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Poseidon2Seed is the string the default BN254 width-2 round keys are derived from.
const Poseidon2Seed = "Poseidon2-BN254[t=2,rF=6,rP=50,d=5]"

type poseidon2File struct {
	Generator       Generator             `json:"generator"`
	Parameters      poseidon2Parameters   `json:"parameters"`
	Permutation     []permutationCase     `json:"permutation"`
	Compress        []compressCase        `json:"compress"`
	Hash            []hashCase            `json:"hash"`
	InvalidCompress []invalidCompressCase `json:"invalidCompress"`
}

type poseidon2Parameters struct {
	Width         int        `json:"width"`
	FullRounds    int        `json:"fullRounds"`
	PartialRounds int        `json:"partialRounds"`
	SboxDegree    int        `json:"sboxDegree"`
	Seed          string     `json:"seed"`
	RoundKeys     [][]string `json:"roundKeys"`
}

type permutationCase struct {
	Input  []string `json:"input"`
	Output []string `json:"output"`
}

type compressCase struct {
	Left   string `json:"left"`
	Right  string `json:"right"`
	Output string `json:"output"`
}

type hashCase struct {
	Inputs []string `json:"inputs"`
	Output string   `json:"output"`
}

type invalidCompressCase struct {
	Left   string `json:"left"`
	Right  string `json:"right"`
	Reason string `json:"reason"`
}

// edgeElements are the fixed inputs every Poseidon2 section starts with.
func edgeElements() (zero, one, two, minusOne fr.Element) {
	one.SetOne()
	two.SetUint64(2)
	minusOne.SetOne().Neg(&minusOne)
	return
}

func genPoseidon2() (any, error) {
	params := poseidon2.GetDefaultParameters()
	if params.Width != 2 || params.NbFullRounds != 6 || params.NbPartialRounds != 50 || poseidon2.DegreeSBox() != 5 {
		return nil, fmt.Errorf("unexpected default parameters %s", params.String())
	}
	if params.String() != Poseidon2Seed {
		return nil, fmt.Errorf("parameter string %q != %q", params.String(), Poseidon2Seed)
	}
	// The documented derivation: the default keys are the Keccak chain seeded with the string.
	seeded := poseidon2.NewParametersWithSeed(2, 6, 50, Poseidon2Seed)
	if len(seeded.RoundKeys) != len(params.RoundKeys) {
		return nil, fmt.Errorf("round key count mismatch")
	}
	f := poseidon2File{Generator: generatorInfo()}
	f.Parameters = poseidon2Parameters{
		Width: params.Width, FullRounds: params.NbFullRounds, PartialRounds: params.NbPartialRounds,
		SboxDegree: poseidon2.DegreeSBox(), Seed: Poseidon2Seed,
	}
	for i, rk := range params.RoundKeys {
		if len(rk) != len(seeded.RoundKeys[i]) {
			return nil, fmt.Errorf("round %d key count mismatch", i)
		}
		for j := range rk {
			if !rk[j].Equal(&seeded.RoundKeys[i][j]) {
				return nil, fmt.Errorf("round key [%d][%d] is not derived from %q", i, j, Poseidon2Seed)
			}
		}
		f.Parameters.RoundKeys = append(f.Parameters.RoundKeys, hexFrs(rk))
	}

	perm := poseidon2.NewDefaultPermutation()
	zero, one, two, minusOne := edgeElements()
	rnd := newStream("poseidon2")
	pairs := [][2]fr.Element{
		{zero, zero}, {zero, one}, {one, zero}, {one, one}, {one, two}, {two, one},
		{minusOne, minusOne}, {minusOne, zero}, {zero, minusOne},
	}
	var seven, fortyTwo fr.Element
	seven.SetUint64(7)
	fortyTwo.SetUint64(42)
	pairs = append(pairs, [2]fr.Element{fortyTwo, seven})
	for range 6 {
		pairs = append(pairs, [2]fr.Element{rnd.element(), rnd.element()})
	}

	for _, p := range pairs {
		state := []fr.Element{p[0], p[1]}
		if err := perm.Permutation(state); err != nil {
			return nil, err
		}
		f.Permutation = append(f.Permutation, permutationCase{Input: hexFrs(p[:]), Output: hexFrs(state)})
	}

	for _, p := range pairs {
		l, r := p[0].Bytes(), p[1].Bytes()
		out, err := perm.Compress(l[:], r[:])
		if err != nil {
			return nil, err
		}
		f.Compress = append(f.Compress, compressCase{Left: hexFr(p[0]), Right: hexFr(p[1]), Output: hexBytes(out)})
	}

	hashInputs := [][]fr.Element{{}, {zero}, {one}}
	for _, n := range []int{1, 2, 3, 5, 8} {
		in := make([]fr.Element, n)
		for i := range in {
			in[i] = rnd.element()
		}
		hashInputs = append(hashInputs, in)
	}
	for _, in := range hashInputs {
		h := poseidon2.NewMerkleDamgardHasher()
		for _, x := range in {
			b := x.Bytes()
			if _, err := h.Write(b[:]); err != nil {
				return nil, err
			}
		}
		f.Hash = append(f.Hash, hashCase{Inputs: hexFrs(in), Output: hexBytes(h.Sum(nil))})
	}

	r := fr.Modulus()
	allOnes := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	rPlus1 := new(big.Int).Add(r, big.NewInt(1))
	zeroB, oneB := big.NewInt(0), big.NewInt(1)
	invalid := [][2]*big.Int{{r, zeroB}, {zeroB, r}, {rPlus1, oneB}, {allOnes, oneB}, {oneB, allOnes}, {allOnes, allOnes}}
	for _, c := range invalid {
		l, rr := c[0].FillBytes(make([]byte, 32)), c[1].FillBytes(make([]byte, 32))
		if _, err := perm.Compress(l, rr); err == nil {
			return nil, fmt.Errorf("gnark-crypto Compress accepted non-canonical input %x, %x", l, rr)
		}
		f.InvalidCompress = append(f.InvalidCompress, invalidCompressCase{Left: hexBytes(l), Right: hexBytes(rr), Reason: "non_canonical"})
	}
	return f, nil
}
