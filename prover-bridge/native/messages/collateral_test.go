package messages_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/vectorfile"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

// TestCollateralPackingByHand checks both packings against hand-written big-endian concatenations.
func TestCollateralPackingByHand(t *testing.T) {
	owner := [20]byte{0xaa, 19: 0x01}
	w := messages.WithdrawalMessage{Account: 0x01020304, L1Owner: owner, Amount: 0x1122334455667788, Nonce: 42}
	want1, _ := new(big.Int).SetString("01020304"+"1122334455667788"+"000000000000002a", 16)
	p := w.Packed()
	var got big.Int
	if p[0].BigInt(&got); got.Cmp(want1) != 0 || len(p) != 2 {
		t.Fatalf("withdrawal e1 %s", got.Text(16))
	}
	if a := layout.Address(owner); !p[1].Equal(&a) {
		t.Fatal("withdrawal e2 is not the owner's address element")
	}
	tr := messages.TransferMessage{Account: 0x01020304, Receiver: 0xa0b0c0d0, Amount: 7, Nonce: ^uint64(0)}
	want, _ := new(big.Int).SetString("01020304"+"a0b0c0d0"+"0000000000000007"+"ffffffffffffffff", 16)
	if tr.Packed()[0].BigInt(&got); got.Cmp(want) != 0 {
		t.Fatalf("transfer e1 %s", got.Text(16))
	}
}

// TestCollateralSeparatorsAreNew checks that the two new types have separators of their own, so a
// signature over one is none of the other message types', and that no existing type moved.
func TestCollateralSeparatorsAreNew(t *testing.T) {
	d := messages.Domain{ChainID: 31337}
	seen := map[string]messages.Type{}
	for _, ty := range []messages.Type{messages.Order, messages.CancelOrder, messages.CancelAll, messages.OraclePrice,
		messages.ReadGrant, messages.Withdrawal, messages.Transfer} {
		s := d.Separator(ty)
		if prev, ok := seen[s.String()]; ok {
			t.Fatalf("types %d and %d share a separator", prev, ty)
		}
		seen[s.String()] = ty
	}
	if messages.Order != 0 || messages.ReadGrant != 4 || messages.Withdrawal != 5 || messages.Transfer != 6 {
		t.Fatal("type codes moved")
	}
}

type withdrawalHashCircuit struct {
	Separator, Account, L1Owner, Amount, Nonce frontend.Variable
	Hash                                       frontend.Variable `gnark:",public"`
}

func (c *withdrawalHashCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(messages.WithdrawalHash(api, c.Separator, c.Account, c.L1Owner, c.Amount, c.Nonce), c.Hash)
	return nil
}

type transferHashCircuit struct {
	Separator, Account, Receiver, Amount, Nonce frontend.Variable
	Hash                                        frontend.Variable `gnark:",public"`
}

func (c *transferHashCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(messages.TransferHash(api, c.Separator, c.Account, c.Receiver, c.Amount, c.Nonce), c.Hash)
	return nil
}

func u(x uint64) *big.Int { return new(big.Int).SetUint64(x) }

// The circuit's withdrawal and transfer hashes equal the native ones (pinned by
// collateral-messages.json), and a field wider than its slot cannot collide with another message.
func TestCollateralHashesMatchNative(t *testing.T) {
	d := messages.Domain{ChainID: 31337, Rollup: [20]byte{7, 1, 2}}
	field := ecc.BN254.ScalarField()
	for _, w := range []messages.WithdrawalMessage{
		{Account: 0, Amount: 0, Nonce: 0},
		{Account: 5, L1Owner: [20]byte{1, 2, 3, 19: 9}, Amount: 1_000_000, Nonce: 3},
		{Account: 0xFFFFFFFF, L1Owner: [20]byte{0: 0xff, 19: 0xff}, Amount: 1<<64 - 1, Nonce: 1<<64 - 1},
	} {
		a := layout.Address(w.L1Owner)
		c := &withdrawalHashCircuit{Separator: d.Separator(messages.Withdrawal), Account: w.Account,
			L1Owner: a.BigInt(new(big.Int)), Amount: u(w.Amount), Nonce: u(w.Nonce), Hash: w.Hash(d)}
		if err := test.IsSolved(&withdrawalHashCircuit{}, c, field); err != nil {
			t.Fatalf("%+v: %v", w, err)
		}
	}
	for _, tr := range []messages.TransferMessage{
		{Account: 0, Receiver: 0, Amount: 0, Nonce: 0},
		{Account: 5, Receiver: 6, Amount: 1_000_000, Nonce: 3},
		{Account: 0xFFFFFFFF, Receiver: 0xFFFFFFFF, Amount: 1<<64 - 1, Nonce: 1<<64 - 1},
	} {
		c := &transferHashCircuit{Separator: d.Separator(messages.Transfer), Account: tr.Account, Receiver: tr.Receiver,
			Amount: u(tr.Amount), Nonce: u(tr.Nonce), Hash: tr.Hash(d)}
		if err := test.IsSolved(&transferHashCircuit{}, c, field); err != nil {
			t.Fatalf("%+v: %v", tr, err)
		}
	}
	// (amount 1, nonce 5) packs as 1·2^64 + 5, as (amount 0, nonce 2^64 + 5) would: the range check
	// on the nonce refuses the second
	honest := messages.TransferMessage{Account: 0, Receiver: 0, Amount: 1, Nonce: 5}
	wide := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(5))
	c := &transferHashCircuit{Separator: d.Separator(messages.Transfer), Account: 0, Receiver: 0, Amount: 0, Nonce: wide, Hash: honest.Hash(d)}
	if err := test.IsSolved(&transferHashCircuit{}, c, field); err == nil {
		t.Fatal("a transfer nonce wider than 64 bits solves")
	}
	hw := messages.WithdrawalMessage{Account: 0, Amount: 1, Nonce: 5}
	cw := &withdrawalHashCircuit{Separator: d.Separator(messages.Withdrawal), Account: 0, L1Owner: 0, Amount: 0, Nonce: wide, Hash: hw.Hash(d)}
	if err := test.IsSolved(&withdrawalHashCircuit{}, cw, field); err == nil {
		t.Fatal("a withdrawal nonce wider than 64 bits solves")
	}
	// the same fields under the transfer separator are not a withdrawal, and another domain differs
	w := messages.WithdrawalMessage{Account: 5, Amount: 9, Nonce: 1}
	other := messages.Domain{ChainID: 31338, Rollup: d.Rollup}
	if a, b := w.Hash(d), w.Hash(other); a.Equal(&b) {
		t.Fatal("a withdrawal hashes the same in two chains")
	}
}

// TestCollateralGadgetsMatchVectors solves both gadgets on every message of
// test-vectors/collateral-messages.json (written by gnark-crypto through this package) and checks
// the native hash against the file's.
func TestCollateralGadgetsMatchVectors(t *testing.T) {
	var f struct {
		Domains []struct {
			Withdrawal string `json:"withdrawalSeparator"`
			Transfer   string `json:"transferSeparator"`
		} `json:"domains"`
		Withdrawals []struct {
			Domain                       int
			Account                      uint32
			L1Owner, Amount, Nonce, Hash string
		} `json:"withdrawals"`
		Transfers []struct {
			Domain              int
			Account, Receiver   uint32
			Amount, Nonce, Hash string
		} `json:"transfers"`
	}
	vectorfile.Read(t, vectors.FileCollateralMessages, &f)
	if len(f.Withdrawals) < 10 || len(f.Transfers) < 10 {
		t.Fatalf("%d withdrawals, %d transfers", len(f.Withdrawals), len(f.Transfers))
	}
	num := func(s string) *big.Int {
		v, ok := new(big.Int).SetString(s, 0)
		if !ok {
			t.Fatalf("not a number: %s", s)
		}
		return v
	}
	field := ecc.BN254.ScalarField()
	for _, w := range f.Withdrawals {
		c := &withdrawalHashCircuit{Separator: num(f.Domains[w.Domain].Withdrawal), Account: w.Account,
			L1Owner: num(w.L1Owner), Amount: num(w.Amount), Nonce: num(w.Nonce), Hash: num(w.Hash)}
		if err := test.IsSolved(&withdrawalHashCircuit{}, c, field); err != nil {
			t.Fatalf("withdrawal %+v: %v", w, err)
		}
	}
	for _, tr := range f.Transfers {
		c := &transferHashCircuit{Separator: num(f.Domains[tr.Domain].Transfer), Account: tr.Account, Receiver: tr.Receiver,
			Amount: num(tr.Amount), Nonce: num(tr.Nonce), Hash: num(tr.Hash)}
		if err := test.IsSolved(&transferHashCircuit{}, c, field); err != nil {
			t.Fatalf("transfer %+v: %v", tr, err)
		}
	}
}
