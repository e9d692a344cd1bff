package perp_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// The signer tree follows docs/state-layout.md §3: an empty tree's root is Z₄ (Zₕ₊₁ =
// Compress(Zₕ, Zₕ), Z₀ = 0); a slot's leaf is H(TAG_ORACLE_SIGNER_V2, x, y) with the tag the ASCII
// string; every slot's path verifies by the §3 rule and a path of one slot does not verify another
// slot's leaf; more than 16 signers are refused.
func TestSignerTreeFollowsTheSparseMerkleRules(t *testing.T) {
	empty, err := perp.NewSignerTree(nil)
	if err != nil {
		t.Fatal(err)
	}
	var z fr.Element
	for h := 0; h < perp.SignerTreeDepth; h++ {
		z = layout.Compress(z, z)
	}
	if got := empty.Root(); !got.Equal(&z) {
		t.Fatalf("empty root %s, want Z4 %s", got.String(), z.String())
	}
	if tag := perp.TagOracleSignerV2(); !tag.Equal(ptr(layout.Tag("zkperp/oracle-signer/v2"))) {
		t.Fatal("tag")
	}
	var keys []eddsa.PublicKey
	for i := 0; i < 5; i++ {
		keys = append(keys, key(t, byte(60+i)).PublicKey)
	}
	tree, err := perp.NewSignerTree(keys)
	if err != nil {
		t.Fatal(err)
	}
	root := tree.Root()
	verify := func(leaf fr.Element, i int, path [perp.SignerTreeDepth]fr.Element) bool {
		acc := leaf
		for h := 0; h < perp.SignerTreeDepth; h++ {
			if (i>>h)&1 == 0 {
				acc = layout.Compress(acc, path[h])
			} else {
				acc = layout.Compress(path[h], acc)
			}
		}
		return acc.Equal(&root)
	}
	for i := 0; i < perp.SignerSlots; i++ {
		var leaf fr.Element
		if i < len(keys) {
			leaf = layout.Hash(perp.TagOracleSignerV2(), keys[i].A.X, keys[i].A.Y)
			if l := perp.SignerLeaf(keys[i]); !l.Equal(&leaf) {
				t.Fatalf("slot %d: leaf", i)
			}
		}
		if !verify(leaf, i, tree.Path(i)) {
			t.Fatalf("slot %d: path does not verify", i)
		}
	}
	if verify(perp.SignerLeaf(keys[1]), 0, tree.Path(0)) {
		t.Fatal("signer 1's leaf verifies at slot 0")
	}
	if root.Equal(ptr(empty.Root())) {
		t.Fatal("the root does not depend on the signers")
	}
	if _, err := perp.NewSignerTree(make([]eddsa.PublicKey, 17)); err == nil {
		t.Fatal("17 signers accepted")
	}
}

func ptr(e fr.Element) *fr.Element { return &e }
