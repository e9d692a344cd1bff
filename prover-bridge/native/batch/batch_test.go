package batch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

func tiny(t *testing.T) []Scenario {
	t.Helper()
	sc, err := TinyScenarios()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, s := range tiny(t) {
		raw := s.Witness.Encode()
		if len(raw) != WitnessSize(s.BatchSize) {
			t.Fatalf("%s: %d bytes, want %d", s.Name, len(raw), WitnessSize(s.BatchSize))
		}
		w, err := Decode(raw, s.BatchSize)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if !bytes.Equal(w.Encode(), raw) {
			t.Fatalf("%s: re-encoding differs", s.Name)
		}
	}
}

func TestDecodeRejectsMalformedWitnesses(t *testing.T) {
	valid := tiny(t)[1].Witness.Encode() // slot 0 transfer, slot 1 withdrawal
	slot0 := HeaderSize
	slot1 := HeaderSize + SlotSize
	updateA0 := slot0 + SlotFieldsSize
	r := layout.Modulus().Bytes()
	cases := []struct {
		name   string
		size   int
		mutate func(b []byte) []byte
		want   string
	}{
		{"truncated", 2, func(b []byte) []byte { return b[:len(b)-1] }, "needs exactly"},
		{"one byte too many", 2, func(b []byte) []byte { return append(b, 0) }, "needs exactly"},
		{"wrong shape", 3, func(b []byte) []byte { return append(b, make([]byte, SlotSize)...) }, "this prover's shape has 3"},
		{"bad magic", 2, func(b []byte) []byte { b[0] = 'X'; return b }, "magic"},
		{"future version", 2, func(b []byte) []byte { b[5] = 3; return b }, "version 3"},
		{"old version", 2, func(b []byte) []byte { b[5] = 1; return b }, "version 1"},
		{"non-canonical root", 2, func(b []byte) []byte { copy(b[16:48], r); return b }, "accounts root"},
		{"unknown type", 2, func(b []byte) []byte { b[slot0] = 5; return b }, "unknown transaction type"},
		{"account out of range", 2, func(b []byte) []byte { binary.BigEndian.PutUint32(b[slot0+1:], 1<<24); return b }, "out of range"},
		{"amount ≥ 2^63", 2, func(b []byte) []byte { b[slot0+9] = 0x80; return b }, "exceeds 2^63"},
		{"exists flag 2", 2, func(b []byte) []byte { b[updateA0] = 2; return b }, "0 or 1"},
		{"withdrawal with account B", 2, func(b []byte) []byte { binary.BigEndian.PutUint32(b[slot1+5:], 7); return b }, "account B must be zero"},
		{"withdrawal with deposit owner", 2, func(b []byte) []byte { b[slot1+25] = 1; return b }, "L1 owner must be zero"},
		{"empty leaf with fields", 2, func(b []byte) []byte {
			// slot 1's update B is account 0, an empty slot: give it a nonce.
			off := slot1 + SlotFieldsSize + UpdateSize + 1 + 32 + 32 + 20 + 7
			b[off] = 1
			return b
		}, "empty slot but its leaf fields"},
	}
	for _, c := range cases {
		b := c.mutate(append([]byte(nil), valid...))
		_, err := Decode(b, c.size)
		var fe *WitnessFormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: accepted (err %v)", c.name, err)
			continue
		}
		if !strings.Contains(fe.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, fe.Error(), c.want)
		}
	}
}

// TestRandomSequencesSatisfyTheNativeRules: random deposits, withdrawals and transfers, a third
// broken on purpose; the builder refuses the broken ones and every sealed batch passes Check with
// roots equal to an independent replay on a layout.State.
func TestRandomSequencesSatisfyTheNativeRules(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	st := layout.NewState()
	b := NewBuilder(st, 1, fr.Element{})
	accounts := []uint32{1, 2, 300, 1<<24 - 1}
	accepted, refused := 0, 0
	for batchNo := 0; batchNo < 40; batchNo++ {
		for i := 0; i < 4; i++ {
			h := rnd.Intn(len(accounts))
			a := accounts[h]
			broken := rnd.Intn(3) == 0
			var err error
			switch rnd.Intn(3) {
			case 0:
				owner := TestOwner(byte(h))
				if broken {
					owner = TestOwner(byte(h + 9))
				}
				err = b.Deposit(a, owner, TestKey(byte(h)).PublicKey, uint64(rnd.Intn(1_000_000)))
			case 1:
				amount := uint64(rnd.Intn(2_000))
				if broken {
					amount = 1 << 50
				}
				err = b.Withdraw(a, amount, TestKey(byte(h)))
			default:
				key := TestKey(byte(h))
				if broken {
					key = TestKey(byte(h + 1))
				}
				err = b.Transfer(a, accounts[rnd.Intn(len(accounts))], uint64(rnd.Intn(5_000)), key)
			}
			var re *RuleError
			if err == nil {
				accepted++
			} else if errors.As(err, &re) {
				refused++
			} else {
				t.Fatal(err)
			}
		}
		w, err := b.Finish(4)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Check(w)
		if err != nil {
			t.Fatalf("batch %d: %v", batchNo, err)
		}
		if want := st.Root(); !res.NewStateRoot.Equal(&want) {
			t.Fatalf("batch %d: new state root differs from the state's", batchNo)
		}
		dec, err := Decode(w.Encode(), 4)
		if err != nil || !bytes.Equal(dec.Encode(), w.Encode()) {
			t.Fatalf("batch %d: round trip: %v", batchNo, err)
		}
	}
	if accepted < 50 || refused < 20 {
		t.Fatalf("weak mix: %d accepted, %d refused", accepted, refused)
	}
}
