package messages

import (
	"math/big"
	"testing"
)

// TestOrderPackingByHand checks the order packing against a hand-written big-endian concatenation.
func TestOrderPackingByHand(t *testing.T) {
	o := OrderMessage{
		Account: 0x01020304, Market: 0xa0b0, Side: 1, Type: 1, TimeInForce: 2, ReduceOnly: true,
		ClientOrderID: 0x0badf00d, Size: 7, Price: ^uint64(0), FeeCap: 9, Expiry: 0x1122334455667788,
		Nonce: 42, Trigger: 2, TriggerPrice: 5,
	}
	// flags = 1 | 1<<1 | 2<<3 | 1<<5 | 2<<6 = 0xb3
	if o.Flags() != 0xb3 {
		t.Fatalf("flags %#x", o.Flags())
	}
	want1, _ := new(big.Int).SetString("01020304"+"a0b0"+"00b3"+"0badf00d"+"000000000000002a"+"1122334455667788", 16)
	want2, _ := new(big.Int).SetString("0000000000000007"+"ffffffffffffffff"+"0000000000000005"+"00000009", 16)
	p := o.Packed()
	var got1, got2 big.Int
	p[0].BigInt(&got1)
	p[1].BigInt(&got2)
	if got1.Cmp(want1) != 0 || got2.Cmp(want2) != 0 {
		t.Fatalf("packed %s %s", got1.Text(16), got2.Text(16))
	}
}

// TestDomainsSeparate checks that the separator differs per type and per domain field.
func TestDomainsSeparate(t *testing.T) {
	a := Domain{ChainID: 31337}
	b := Domain{ChainID: 31338}
	c := Domain{ChainID: 31337, Rollup: [20]byte{19: 1}}
	seen := map[string]bool{}
	for _, d := range []Domain{a, b, c} {
		for _, ty := range []Type{Order, CancelOrder, CancelAll, OraclePrice, ReadGrant} {
			s := d.Separator(ty)
			seen[s.String()] = true
		}
	}
	if len(seen) != 15 {
		t.Fatalf("%d distinct separators, want 15", len(seen))
	}
}

// TestReadGrantPackingByHand checks the read-grant packing against a hand-written concatenation.
func TestReadGrantPackingByHand(t *testing.T) {
	g := ReadGrantMessage{Account: 0x01020304, ValidUntil: 0x1122334455667788}
	want, _ := new(big.Int).SetString("01020304"+"1122334455667788", 16)
	var got big.Int
	g.Packed()[0].BigInt(&got)
	if got.Cmp(want) != 0 {
		t.Fatalf("packed %s", got.Text(16))
	}
}
