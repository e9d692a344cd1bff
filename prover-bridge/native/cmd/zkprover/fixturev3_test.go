package main

import (
	"encoding/hex"
	"testing"

	"golang.org/x/crypto/sha3"

	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// TestFixtureRollupIsAnvilsThirdContract: the fixture domain's rollup is the CREATE address of
// anvil's account 0 (0xf39F…2266) at nonce 2 — keccak256(rlp([sender, 2]))[12:] — where the
// rollup lands when the token (nonce 0) and the verifier (nonce 1) are deployed first.
func TestFixtureRollupIsAnvilsThirdContract(t *testing.T) {
	sender, err := hex.DecodeString("f39fd6e51aad88f6f4ce6ab8827279cfffb92266")
	if err != nil {
		t.Fatal(err)
	}
	rlp := append([]byte{0xd6, 0x94}, sender...) // list of 22 bytes: a 20-byte string, then nonce 2
	rlp = append(rlp, 0x02)
	h := sha3.NewLegacyKeccak256()
	h.Write(rlp)
	got := h.Sum(nil)[12:]
	if [20]byte(got) != fixtureDomain.Rollup || fixtureDomain.ChainID != 31337 {
		t.Fatalf("nonce-2 address %x, the fixture's %x (chain %d)", got, fixtureDomain.Rollup, fixtureDomain.ChainID)
	}
}

// TestVerifierContractNames: each shape's exported verifier is named after the shape in
// CamelCase, as build.sh, the forge tests and the web3j wrappers expect.
func TestVerifierContractNames(t *testing.T) {
	for shape, want := range map[string]string{"tiny": "TinyBatchVerifier", "devnet": "DevnetBatchVerifier",
		"v3-tiny": "V3TinyBatchVerifier", "v3-devnet": "V3DevnetBatchVerifier"} {
		s, err := prover.ShapeByName(shape)
		if err != nil {
			t.Fatal(err)
		}
		if got := verifierContract(s); got != want {
			t.Errorf("%s: %s, want %s", shape, got, want)
		}
	}
}
