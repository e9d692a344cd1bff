package batchv3

import (
	"encoding/binary"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Witness encoding, format v3 (docs/batch-format.md "Format v3"): big-endian, fixed length per
// shape, one encoding per batch.
const (
	Magic   = "ZKW3"
	Version = 3
	// FixedHeaderSize is the header before the tables: magic, version, the shape (4 group sizes,
	// N, K, report slots), batch number, batch time, priority count.
	FixedHeaderSize = 4 + 2 + 4*2 + 3 + 8 + 8 + 4
	// TradeSlotPrefix is σ (2 bytes) and the no-op flag (1 byte) before a slot's elements (every
	// group).
	TradeSlotPrefix = 3
)

// FormatError is a witness that does not decode: the byte offset of the first bad field and why.
type FormatError struct {
	Offset int
	Reason string
}

// Error names the offset and the reason.
func (e *FormatError) Error() string {
	return fmt.Sprintf("batchv3: witness format error at byte %d: %s", e.Offset, e.Reason)
}

// EncodedSize is the length of an encoded witness of shape s.
func EncodedSize(s Shape) int {
	n := s.Steps()
	size := FixedHeaderSize + 2*32*(n+1) + n*s.RecordSize()
	for _, g := range groupsOf(s) {
		size += g.slots * (TradeSlotPrefix + 32*g.per)
	}
	return size
}

// group is one slot group as the encoding sees it: its type byte, slot count, elements per slot.
type group struct {
	name  string
	typ   byte
	slots int
	per   int
}

// groupsOf lists the shape's groups in encoding order: trades, (collateral: not plugged in),
// oracle ticks, funding ticks.
func groupsOf(s Shape) []group {
	var out []group
	if s.Trades > 0 {
		out = append(out, group{"trade", perpstep.TypeTrade, s.Trades, leaves(newTrade(s))})
	}
	if s.OracleTicks > 0 {
		out = append(out, group{"oracle-tick", tickstep.TypeOracleTick, s.OracleTicks, leaves(newOracle(s))})
	}
	if s.FundingTicks > 0 {
		out = append(out, group{"funding-tick", tickstep.TypeFundingTick, s.FundingTicks, leaves(newFunding(s))})
	}
	return out
}

// slotAt is slot j of group g of w: σ, the no-op flag and the step (nil for a no-op).
func (w *Witness) slotAt(g group, j int) (uint16, bool, any) {
	switch g.typ {
	case perpstep.TypeTrade:
		t := w.Trades[j]
		if t.Step == nil {
			return t.Index, t.NoOp, nil
		}
		return t.Index, t.NoOp, t.Step
	case tickstep.TypeOracleTick:
		t := w.Oracles[j]
		if t.Step == nil {
			return t.Index, t.NoOp, nil
		}
		return t.Index, t.NoOp, t.Step
	default:
		t := w.Fundings[j]
		if t.Step == nil {
			return t.Index, t.NoOp, nil
		}
		return t.Index, t.NoOp, t.Step
	}
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
	if len(w.Oracles) != s.OracleTicks || len(w.Fundings) != s.FundingTicks {
		return nil, fmt.Errorf("%w: witness does not have the shape's sizes", ErrShape)
	}
	for _, g := range groupsOf(s) {
		for j := 0; j < g.slots; j++ {
			index, noop, step := w.slotAt(g, j)
			b = binary.BigEndian.AppendUint16(b, index)
			if noop {
				b = append(b, 1)
				b = append(b, make([]byte, 32*g.per)...)
				continue
			}
			b = append(b, 0)
			if step == nil {
				return nil, fmt.Errorf("%w: %s slot %d is live without a step", ErrShape, g.name, j)
			}
			es, err := elements(step)
			if err != nil {
				return nil, fmt.Errorf("batchv3: %s slot %d: %w", g.name, j, err)
			}
			if len(es) != g.per {
				return nil, fmt.Errorf("%w: %s slot %d has %d elements, the shape %d", ErrShape, g.name, j, len(es), g.per)
			}
			for _, e := range es {
				x := e.Bytes()
				b = append(b, x[:]...)
			}
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
	seen := make([]bool, n)
	for _, g := range groupsOf(shape) {
		for j := 0; j < g.slots; j++ {
			index, noop, step, err := decodeSlot(r, shape, g, j, seen, w.Records, recordsAt)
			if err != nil {
				return nil, err
			}
			switch g.typ {
			case perpstep.TypeTrade:
				t := TradeWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*perpstep.TradeTransition)
				}
				w.Trades = append(w.Trades, t)
			case tickstep.TypeOracleTick:
				t := OracleWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*tickstep.OracleStep)
				}
				w.Oracles = append(w.Oracles, t)
			default:
				t := FundingWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*tickstep.FundingStep)
				}
				w.Fundings = append(w.Fundings, t)
			}
		}
	}
	return w, nil
}

// decodeSlot reads slot j of group g: σ (below S, not seen before), the no-op flag (0 or 1) and
// the step's elements (all zero, with a zero record, for a no-op; for a live slot the record at σ
// must carry the group's type byte).
func decodeSlot(r *reader, shape Shape, g group, j int, seen []bool, records [][]byte, recordsAt int) (uint16, bool, any, error) {
	n := shape.Steps()
	at := r.off
	index := binary.BigEndian.Uint16(r.take(2))
	switch {
	case int(index) >= n:
		return 0, false, nil, &FormatError{Offset: at, Reason: fmt.Sprintf("%s slot %d: step index %d, S = %d", g.name, j, index, n)}
	case seen[index]:
		return 0, false, nil, &FormatError{Offset: at, Reason: fmt.Sprintf("%s slot %d: step index %d repeated", g.name, j, index)}
	}
	seen[index] = true
	record := records[index]
	recordAt := recordsAt + int(index)*shape.RecordSize()
	switch flag := r.take(1)[0]; flag {
	case 1:
		for k, x := range r.take(32 * g.per) {
			if x != 0 {
				return 0, false, nil, &FormatError{Offset: at + TradeSlotPrefix + k, Reason: fmt.Sprintf("%s slot %d is a no-op: its elements must be zero", g.name, j)}
			}
		}
		for k, x := range record {
			if x != 0 {
				return 0, false, nil, &FormatError{Offset: recordAt + k, Reason: fmt.Sprintf("record %d belongs to a no-op: must be zero", index)}
			}
		}
		return index, true, nil, nil
	case 0:
		if record[0] != g.typ {
			return 0, false, nil, &FormatError{Offset: recordAt, Reason: fmt.Sprintf("record %d belongs to a %s: type %d, want %d", index, g.name, record[0], g.typ)}
		}
		es := make([]fr.Element, g.per)
		for k := range es {
			var err error
			if es[k], err = r.element(); err != nil {
				return 0, false, nil, err
			}
		}
		var step any
		switch g.typ {
		case perpstep.TypeTrade:
			step = newTrade(shape)
		case tickstep.TypeOracleTick:
			step = newOracle(shape)
		default:
			step = newFunding(shape)
		}
		if err := setElements(step, es); err != nil {
			return 0, false, nil, err
		}
		return index, false, step, nil
	default:
		return 0, false, nil, &FormatError{Offset: at + 2, Reason: fmt.Sprintf("%s slot %d: no-op flag %d", g.name, j, flag)}
	}
}
