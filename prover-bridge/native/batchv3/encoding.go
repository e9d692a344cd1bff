package batchv3

import (
	"encoding/binary"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// Witness encoding, format v3 (docs/batch-format.md "Format v3"): big-endian, fixed length per
// shape, one encoding per batch.
const (
	Magic   = "ZKW3"
	Version = 3
	// FixedHeaderSize is the header before the tables: magic, version, the shape (4 group sizes,
	// N, K, report slots), batch number, batch time, priority count.
	FixedHeaderSize = 4 + 2 + 4*2 + 3 + 8 + 8 + 4
	// TradeSlotPrefix is σ (2 bytes) and the no-op flag (1 byte) before a trade slot's elements.
	TradeSlotPrefix = 3
)

// FormatError is a witness that does not decode: the byte offset of the first bad field and why.
type FormatError struct {
	Offset int
	Reason string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("batchv3: witness format error at byte %d: %s", e.Offset, e.Reason)
}

// EncodedSize is the length of an encoded witness of shape s.
func EncodedSize(s Shape) int {
	n := s.Steps()
	return FixedHeaderSize + 2*32*(n+1) + n*s.RecordSize() + s.Trades*(TradeSlotPrefix+32*tradeElements(s))
}

// Encode writes w in format v3. A no-op slot's elements are all zero (the padding trade is not
// encoded: Assignment puts it in).
func Encode(w *Witness) ([]byte, error) {
	s := w.Shape
	if err := s.Check(); err != nil {
		return nil, err
	}
	n := s.Steps()
	if len(w.Roots) != n+1 || len(w.Priority) != n+1 || len(w.Records) != n || len(w.Trades) != s.Trades {
		return nil, fmt.Errorf("%w: witness does not have the shape's sizes", ErrShape)
	}
	b := make([]byte, 0, EncodedSize(s))
	b = append(b, Magic...)
	b = binary.BigEndian.AppendUint16(b, Version)
	for _, g := range []int{s.Trades, s.Collateral, s.OracleTicks, s.FundingTicks} {
		b = binary.BigEndian.AppendUint16(b, uint16(g))
	}
	b = append(b, byte(s.N), byte(s.K), byte(s.ReportSlots))
	b = binary.BigEndian.AppendUint64(b, w.BatchNumber)
	b = binary.BigEndian.AppendUint64(b, w.BatchTime)
	b = binary.BigEndian.AppendUint32(b, w.PriorityCount)
	for _, table := range [][]fr.Element{w.Roots, w.Priority} {
		for _, e := range table {
			x := e.Bytes()
			b = append(b, x[:]...)
		}
	}
	for _, r := range w.Records {
		if len(r) != s.RecordSize() {
			return nil, fmt.Errorf("%w: record of %d bytes", ErrShape, len(r))
		}
		b = append(b, r...)
	}
	per := tradeElements(s)
	for j, t := range w.Trades {
		b = binary.BigEndian.AppendUint16(b, t.Index)
		if t.NoOp {
			b = append(b, 1)
			b = append(b, make([]byte, 32*per)...)
			continue
		}
		b = append(b, 0)
		if t.Step == nil {
			return nil, fmt.Errorf("%w: trade slot %d is live without a step", ErrShape, j)
		}
		es, err := elements(t.Step)
		if err != nil {
			return nil, fmt.Errorf("batchv3: trade slot %d: %w", j, err)
		}
		if len(es) != per {
			return nil, fmt.Errorf("%w: trade slot %d has %d elements, the shape %d", ErrShape, j, len(es), per)
		}
		for _, e := range es {
			x := e.Bytes()
			b = append(b, x[:]...)
		}
	}
	return b, nil
}

// reader reads b front to back, keeping the offset for errors.
type reader struct {
	b   []byte
	off int
}

func (r *reader) take(n int) []byte {
	x := r.b[r.off : r.off+n]
	r.off += n
	return x
}

func (r *reader) element() (fr.Element, error) {
	off := r.off
	var e fr.Element
	if err := e.SetBytesCanonical(r.take(32)); err != nil {
		return e, &FormatError{Offset: off, Reason: "field element not canonical (≥ r)"}
	}
	return e, nil
}

// Decode reads a format v3 witness for the prover's shape: exact length, magic, version, the shape
// equal to shape, canonical field elements, σ below S and distinct, no-op flags 0 or 1, a no-op
// slot's elements and record zero, a live trade's record typed TypeTrade, the priority count at
// most S. Each violation is a *FormatError naming the byte offset.
func Decode(b []byte, shape Shape) (*Witness, error) {
	if err := shape.Check(); err != nil {
		return nil, err
	}
	if len(b) != EncodedSize(shape) {
		return nil, &FormatError{Offset: min(len(b), EncodedSize(shape)), Reason: fmt.Sprintf("length %d, want %d for shape %v", len(b), EncodedSize(shape), shape)}
	}
	r := &reader{b: b}
	if string(r.take(4)) != Magic {
		return nil, &FormatError{Offset: 0, Reason: "bad magic (want \"" + Magic + "\")"}
	}
	if v := binary.BigEndian.Uint16(r.take(2)); v != Version {
		return nil, &FormatError{Offset: 4, Reason: fmt.Sprintf("version %d, want %d", v, Version)}
	}
	want := []int{shape.Trades, shape.Collateral, shape.OracleTicks, shape.FundingTicks}
	for i, g := range want {
		if v := int(binary.BigEndian.Uint16(r.take(2))); v != g {
			return nil, &FormatError{Offset: 6 + 2*i, Reason: fmt.Sprintf("slot group %d has %d slots, the prover's shape %d", i, v, g)}
		}
	}
	for i, v := range []int{shape.N, shape.K, shape.ReportSlots} {
		if x := int(r.take(1)[0]); x != v {
			return nil, &FormatError{Offset: 14 + i, Reason: fmt.Sprintf("shape field %d is %d, the prover's shape %d", i, x, v)}
		}
	}
	n := shape.Steps()
	w := &Witness{Shape: shape, Roots: make([]fr.Element, n+1), Priority: make([]fr.Element, n+1), Records: make([][]byte, n)}
	w.BatchNumber = binary.BigEndian.Uint64(r.take(8))
	w.BatchTime = binary.BigEndian.Uint64(r.take(8))
	off := r.off
	if w.PriorityCount = binary.BigEndian.Uint32(r.take(4)); int(w.PriorityCount) > n {
		return nil, &FormatError{Offset: off, Reason: fmt.Sprintf("priority count %d above the %d steps", w.PriorityCount, n)}
	}
	for _, table := range [][]fr.Element{w.Roots, w.Priority} {
		for i := range table {
			var err error
			if table[i], err = r.element(); err != nil {
				return nil, err
			}
		}
	}
	recordsAt := r.off
	for i := range w.Records {
		w.Records[i] = append([]byte(nil), r.take(shape.RecordSize())...)
	}
	per := tradeElements(shape)
	seen := make([]bool, n)
	for j := 0; j < shape.Trades; j++ {
		at := r.off
		t := TradeWitness{Index: binary.BigEndian.Uint16(r.take(2))}
		switch {
		case int(t.Index) >= n:
			return nil, &FormatError{Offset: at, Reason: fmt.Sprintf("trade slot %d: step index %d, S = %d", j, t.Index, n)}
		case seen[t.Index]:
			return nil, &FormatError{Offset: at, Reason: fmt.Sprintf("trade slot %d: step index %d repeated", j, t.Index)}
		}
		seen[t.Index] = true
		record := w.Records[t.Index]
		recordAt := recordsAt + int(t.Index)*shape.RecordSize()
		switch flag := r.take(1)[0]; flag {
		case 1:
			t.NoOp = true
			for k, x := range r.take(32 * per) {
				if x != 0 {
					return nil, &FormatError{Offset: at + TradeSlotPrefix + k, Reason: fmt.Sprintf("trade slot %d is a no-op: its elements must be zero", j)}
				}
			}
			for k, x := range record {
				if x != 0 {
					return nil, &FormatError{Offset: recordAt + k, Reason: fmt.Sprintf("record %d belongs to a no-op: must be zero", t.Index)}
				}
			}
		case 0:
			if record[0] != perpstep.TypeTrade {
				return nil, &FormatError{Offset: recordAt, Reason: fmt.Sprintf("record %d belongs to a trade: type %d, want %d", t.Index, record[0], perpstep.TypeTrade)}
			}
			es := make([]fr.Element, per)
			for k := range es {
				var err error
				if es[k], err = r.element(); err != nil {
					return nil, err
				}
			}
			step := perpstep.NewTradeStepBound(shape.N, shape.K, nil).TradeTransition
			if err := setElements(&step, es); err != nil {
				return nil, err
			}
			t.Step = &step
		default:
			return nil, &FormatError{Offset: at + 2, Reason: fmt.Sprintf("trade slot %d: no-op flag %d", j, flag)}
		}
		w.Trades = append(w.Trades, t)
	}
	return w, nil
}
