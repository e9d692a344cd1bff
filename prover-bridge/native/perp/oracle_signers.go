package perp

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// TagOracleSignerV2String is the domain tag of an oracle signer leaf (layout v2, global leaf's
// oracleSignersRoot): the ASCII string read as a big-endian integer (layout.Tag).
const TagOracleSignerV2String = "zkperp/oracle-signer/v2"

// SignerTreeDepth is the depth of the oracle signer tree (layout v2): 16 signer slots.
const SignerTreeDepth = 4

// SignerSlots is the number of signer slots, 2^SignerTreeDepth.
const SignerSlots = 1 << SignerTreeDepth

// TagOracleSignerV2 is TAG_ORACLE_SIGNER_V2 as a field element.
func TagOracleSignerV2() fr.Element { return layout.Tag(TagOracleSignerV2String) }

// SignerLeaf is H(TAG_ORACLE_SIGNER_V2, keyX, keyY), the leaf of a signer's slot (an empty slot is 0).
func SignerLeaf(key eddsa.PublicKey) fr.Element {
	return layout.Hash(TagOracleSignerV2(), key.A.X, key.A.Y)
}

// SignerTree is the oracle signer tree of layout v2: a depth-4 sparse Merkle tree (docs/state-layout.md
// §3: node = Compress(left, right), empty leaf 0) whose slot i holds the signer leaf of keys[i].
// Immutable after NewSignerTree; any goroutine.
type SignerTree struct {
	levels [SignerTreeDepth + 1][]fr.Element // levels[h] holds the nodes at height h
}

// NewSignerTree builds the tree of at most 16 signers, slot i = keys[i], the other slots empty.
func NewSignerTree(keys []eddsa.PublicKey) (*SignerTree, error) {
	if len(keys) > SignerSlots {
		return nil, fmt.Errorf("perp: %d oracle signers, the signer tree holds %d", len(keys), SignerSlots)
	}
	t := &SignerTree{}
	t.levels[0] = make([]fr.Element, SignerSlots)
	for i, k := range keys {
		t.levels[0][i] = SignerLeaf(k)
	}
	for h := 1; h <= SignerTreeDepth; h++ {
		below := t.levels[h-1]
		t.levels[h] = make([]fr.Element, len(below)/2)
		for i := range t.levels[h] {
			t.levels[h][i] = layout.Compress(below[2*i], below[2*i+1])
		}
	}
	return t, nil
}

// Root is the tree's root (the global leaf's oracleSignersRoot).
func (t *SignerTree) Root() fr.Element { return t.levels[SignerTreeDepth][0] }

// Path is the inclusion proof of slot i: the siblings from the leaf upward (§3).
func (t *SignerTree) Path(i int) [SignerTreeDepth]fr.Element {
	var p [SignerTreeDepth]fr.Element
	for h := 0; h < SignerTreeDepth; h++ {
		p[h] = t.levels[h][(i>>h)^1]
	}
	return p
}
