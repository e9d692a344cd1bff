package batchv3

import (
	"bytes"
	"errors"
	"testing"
)

// TestEncodeDecodeRoundTrip: Decode(Encode(x)) encodes to the same bytes, has x's header, tables
// and records, and its assignment solves with the same public input.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	s, a, b := fixture(t)
	sealed := seal(t, tiny, s, a, b)
	enc, err := Encode(sealed.Witness)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) != EncodedSize(tiny) {
		t.Fatalf("length %d, EncodedSize %d", len(enc), EncodedSize(tiny))
	}
	w, err := Decode(enc, tiny)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, again) {
		t.Fatal("Encode(Decode(Encode(x))) differs")
	}
	if w.BatchNumber != 7 || w.BatchTime != 1_800_000_100 || w.PublicInput() != sealed.PublicInput ||
		!bytes.Equal(w.CommitmentBytes(), sealed.Commitment) || w.Trades[2].Step != nil || !w.Trades[2].NoOp {
		t.Fatal("decoded witness differs")
	}
	if err := solves(t, tiny, assignment(t, w)); err != nil {
		t.Fatalf("decoded witness does not solve: %v", err)
	}
}

// TestDecodeRefusesEachMalformedField: each field broken alone is a *FormatError at its offset.
func TestDecodeRefusesEachMalformedField(t *testing.T) {
	s, a, b := fixture(t)
	enc, err := Encode(seal(t, tiny, s, a, b).Witness)
	if err != nil {
		t.Fatal(err)
	}
	n := tiny.Steps()
	roots := FixedHeaderSize
	records := roots + 64*(n+1)
	slots := records + n*tiny.RecordSize()
	slotSize := TradeSlotPrefix + 32*leaves(newTrade(tiny))
	high := func(off int) func([]byte) []byte {
		return func(x []byte) []byte {
			for i := 0; i < 32; i++ {
				x[off+i] = 0xff
			}
			return x
		}
	}
	set := func(off int, v ...byte) func([]byte) []byte {
		return func(x []byte) []byte { copy(x[off:], v); return x }
	}
	for _, c := range []struct {
		name   string
		change func([]byte) []byte
		offset int
	}{
		{"short", func(x []byte) []byte { return x[:len(x)-1] }, len(enc) - 1},
		{"long", func(x []byte) []byte { return append(x, 0) }, len(enc)},
		{"magic", set(0, 'Z', 'K', 'W', '2'), 0},
		{"version", set(5, 2), 4},
		{"trade slots", set(7, 4), 6},
		{"deposit slots", set(9, 1), 8},
		{"withdrawal slots", set(11, 1), 10},
		{"transfer slots", set(13, 1), 12},
		{"forced-withdrawal slots", set(15, 1), 14},
		{"oracle ticks", set(17, 1), 16},
		{"funding ticks", set(19, 1), 18},
		{"N", set(20, 3), 20},
		{"K", set(21, 9), 21},
		{"report slots", set(22, 1), 22},
		{"priority count above S", set(39, 0, 0, 0, 4), 39},
		{"root not canonical", high(roots + 32), roots + 32},
		{"priority hash not canonical", high(roots + 32*(n+1)), roots + 32*(n+1)},
		{"σ ≥ S", set(slots, 0, 3), slots},
		{"σ repeated", set(slots+slotSize, 0, 0), slots + slotSize},
		{"no-op flag 2", set(slots+2, 2), slots + 2},
		{"no-op slot with an element", set(2*slotSize+slots+TradeSlotPrefix+40, 1), 2*slotSize + slots + TradeSlotPrefix + 40},
		{"no-op record not zero", set(records+2*tiny.RecordSize()+9, 1), records + 2*tiny.RecordSize() + 9},
		{"live record of another type", set(records+tiny.RecordSize(), 1), records + tiny.RecordSize()},
		{"step element not canonical", high(slots + TradeSlotPrefix + 64), slots + TradeSlotPrefix + 64},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := c.change(append([]byte(nil), enc...))
			_, err := Decode(x, tiny)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *FormatError", err)
			}
			if fe.Offset != c.offset {
				t.Fatalf("offset %d, want %d (%v)", fe.Offset, c.offset, err)
			}
		})
	}
}
