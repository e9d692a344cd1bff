package messages_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/vectorfile"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

// TestForcedTradePackingByHand checks the packing against hand-written big-endian concatenations
// and that the type has a separator of its own.
func TestForcedTradePackingByHand(t *testing.T) {
	m := messages.ForcedTradeMessage{AccountA: 0x01020304, AccountB: 0xa0b0c0d0, Market: 0x0007, ABuys: true,
		Size: 0x1122334455667788, Amount: 9, Nonce: 42}
	p := m.Packed()
	want1, _ := new(big.Int).SetString("01020304"+"a0b0c0d0"+"0007"+"01"+"000000000000002a", 16)
	want2, _ := new(big.Int).SetString("1122334455667788"+"0000000000000009", 16)
	var got big.Int
	if p[0].BigInt(&got); got.Cmp(want1) != 0 {
		t.Fatalf("e1 %s", got.Text(16))
	}
	if p[1].BigInt(&got); got.Cmp(want2) != 0 {
		t.Fatalf("e2 %s", got.Text(16))
	}
	d := messages.Domain{ChainID: 31337}
	f := d.Separator(messages.ForcedTrade)
	for _, ty := range []messages.Type{messages.Order, messages.CancelOrder, messages.CancelAll, messages.OraclePrice,
		messages.ReadGrant, messages.Withdrawal, messages.Transfer} {
		if s := d.Separator(ty); s.Equal(&f) {
			t.Fatalf("type %d shares the forced trade's separator", ty)
		}
	}
	sells := m
	sells.ABuys = false
	if a, b := m.Hash(d), sells.Hash(d); a.Equal(&b) {
		t.Fatal("the side is not signed")
	}
}

type forcedTradeHashCircuit struct {
	Separator frontend.Variable
	M         messages.ForcedTradeVars
	Hash      frontend.Variable `gnark:",public"`
}

func (c *forcedTradeHashCircuit) Define(api frontend.API) error {
	e1, e2 := messages.ForcedTradePacked(api, c.M)
	api.AssertIsEqual(messages.ForcedTradeHash(api, c.Separator, e1, e2), c.Hash)
	return nil
}

// TestForcedTradeGadgetMatchesVectors solves the gadget on every message of
// test-vectors/forced-trade.json and recomputes the native hash and op hash against the file's;
// a size wider than 64 bits that packs to the same element is unsatisfiable.
func TestForcedTradeGadgetMatchesVectors(t *testing.T) {
	var f struct {
		Domains []struct {
			ChainID, RollupAddress, Separator string
		} `json:"domains"`
		Cases []struct {
			Domain                                    int
			AccountA, AccountB                        uint32
			Market                                    uint16
			ABuys                                     bool
			Size, Amount, Nonce, OwnerA, Hash, OpHash string
			SigRX, SigRY, SigS                        string
		} `json:"cases"`
	}
	vectorfile.Read(t, vectors.FileForcedTrade, &f)
	if len(f.Cases) < 10 {
		t.Fatalf("%d cases", len(f.Cases))
	}
	num := func(s string) *big.Int {
		v, ok := new(big.Int).SetString(s, 0)
		if !ok {
			t.Fatalf("not a number: %s", s)
		}
		return v
	}
	field := ecc.BN254.ScalarField()
	for _, c := range f.Cases {
		buy := 0
		if c.ABuys {
			buy = 1
		}
		w := &forcedTradeHashCircuit{Separator: num(f.Domains[c.Domain].Separator), Hash: num(c.Hash),
			M: messages.ForcedTradeVars{AccountA: c.AccountA, AccountB: c.AccountB, Market: c.Market, ABuys: buy,
				Size: num(c.Size), Amount: num(c.Amount), Nonce: num(c.Nonce)}}
		if err := test.IsSolved(&forcedTradeHashCircuit{}, w, field); err != nil {
			t.Fatalf("case %+v: %v", c, err)
		}
		m := messages.ForcedTradeMessage{AccountA: c.AccountA, AccountB: c.AccountB, Market: c.Market, ABuys: c.ABuys,
			Size: num(c.Size).Uint64(), Amount: num(c.Amount).Uint64(), Nonce: num(c.Nonce).Uint64()}
		var d messages.Domain
		d.ChainID = num(f.Domains[c.Domain].ChainID).Uint64()
		num(f.Domains[c.Domain].RollupAddress).FillBytes(d.Rollup[:])
		if h := m.Hash(d); h.BigInt(new(big.Int)).Cmp(num(c.Hash)) != 0 {
			t.Fatalf("native hash of %+v", c)
		}
		op := messages.ForcedTradeOp{Message: m}
		num(c.OwnerA).FillBytes(op.OwnerA[:])
		op.RX.SetBigInt(num(c.SigRX))
		op.RY.SetBigInt(num(c.SigRY))
		op.S.SetBigInt(num(c.SigS))
		if h := op.Hash(); h.BigInt(new(big.Int)).Cmp(num(c.OpHash)) != 0 {
			t.Fatalf("op hash of %+v", c)
		}
	}
	// size 1 and amount 5 pack e2 as 1·2^64 + 5, as size 0 with amount 2^64 + 5 would
	d := messages.Domain{ChainID: 31337}
	honest := messages.ForcedTradeMessage{Size: 1, Amount: 5}
	wide := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(5))
	w := &forcedTradeHashCircuit{Separator: d.Separator(messages.ForcedTrade), Hash: honest.Hash(d),
		M: messages.ForcedTradeVars{AccountA: 0, AccountB: 0, Market: 0, ABuys: 0, Size: 0, Amount: wide, Nonce: 0}}
	if err := test.IsSolved(&forcedTradeHashCircuit{}, w, field); err == nil {
		t.Fatal("an amount wider than 64 bits solves")
	}
}
