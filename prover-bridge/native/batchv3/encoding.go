package batchv3

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Witness encoding, format v3 (docs/batch-format.md "Format v3"): big-endian, fixed length per
// shape, one encoding per batch.
const (
	Magic   = "ZKW3"
	Version = 3
	// FixedHeaderSize is the header every shape has: magic, version, the shape (the first 7 group
	// sizes, N, K, report slots), batch number, batch time, priority count. A shape without a
	// later group has nothing else before the tables; one with a later group has the
	// HeaderExtensionSize bytes after it (EncodedHeaderSize).
	FixedHeaderSize = 4 + 2 + groupCount*2 + 3 + 8 + 8 + 4
	// HeaderExtensionSize is the header extension of a shape with a later group, right after the
	// fixed header: the 4 later group sizes (u16 each: liquidations, takeovers, deleveragings,
	// funding period starts) and the liquidation fee rate (u32, ppm).
	HeaderExtensionSize = laterGroupCount*2 + 4
	// groupCount is the number of the first slot groups (trades, the four collateral types, the
	// two ticks), whose sizes every header carries.
	groupCount = 7
	// ForcedTradeHeaderSize is the forced-trade group's size (u16), right after the header
	// extension, in a shape with forced-trade slots only (a shape without them encodes as before
	// the group existed).
	ForcedTradeHeaderSize = 2
	// laterGroupCount is the number of later slot groups (liquidations, takeovers, deleveragings,
	// funding period starts), whose sizes only the header extension carries.
	laterGroupCount = 4
	// shapeFieldsAt is the offset of N, K and the report slots.
	shapeFieldsAt = 6 + 2*groupCount
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

// EncodedHeaderSize is the length of the header of shape s, the offset of its root table:
// FixedHeaderSize, plus HeaderExtensionSize when the shape has a later group, plus
// ForcedTradeHeaderSize when it has forced-trade slots.
func EncodedHeaderSize(s Shape) int {
	size := FixedHeaderSize
	if s.HasLaterGroups() {
		size += HeaderExtensionSize
	}
	if s.ForcedTrades > 0 {
		size += ForcedTradeHeaderSize
	}
	return size
}

// EncodedSize is the length of an encoded witness of shape s.
func EncodedSize(s Shape) int {
	n := s.Steps()
	size := EncodedHeaderSize(s) + 2*32*(n+1) + n*s.RecordSize()
	for _, g := range groupsOf(s) {
		size += g.slots * (TradeSlotPrefix + 32*g.per)
	}
	return size
}

// group is one slot group as the encoding sees it: its type byte, slot count, elements per slot,
// the length of its type's public data (a live record's bytes beyond it are zero), and access to
// the group's slots of a Witness.
type group struct {
	name  string
	typ   byte
	slots int
	per   int
	size  int
	alloc func() any                                  // an empty step of the shape
	count func(w *Witness) int                        // the witness's slots of the group
	get   func(w *Witness, j int) (uint16, bool, any) // slot j: σ, no-op, step (nil for a no-op)
	put   func(w *Witness, index uint16, noop bool, step any)
}

// groupsOf lists the shape's groups in encoding order: trades, deposits, withdrawals, transfers,
// forced withdrawals, oracle ticks, funding ticks, liquidations, takeovers, deleveragings, funding
// period starts, forced trades (the groups of 0 slots left out).
func groupsOf(s Shape) []group {
	all := []group{
		{name: "trade", typ: perpstep.TypeTrade, slots: s.Trades, size: perpstep.PublicDataSize,
			alloc: func() any { return newTrade(s) },
			count: func(w *Witness) int { return len(w.Trades) },
			get: func(w *Witness, j int) (uint16, bool, any) {
				t := w.Trades[j]
				return t.Index, t.NoOp, stepOrNil(t.Step)
			},
			put: func(w *Witness, index uint16, noop bool, step any) {
				t := TradeWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*perpstep.TradeTransition)
				}
				w.Trades = append(w.Trades, t)
			}},
		slotGroup("deposit", byte(batch.TxDeposit), s.Deposits, collateralstep.DepositDataBytes,
			func() *collateralstep.DepositStep { d := newDeposit(s.K); return &d },
			func(w *Witness) *[]CollateralWitness[collateralstep.DepositStep] { return &w.Deposits }),
		slotGroup("withdrawal", byte(batch.TxWithdrawal), s.Withdrawals, collateralstep.WithdrawalDataBytes,
			func() *collateralstep.WithdrawalStep { x := newWithdrawal(collateralstep.Separators{}, s.K); return &x },
			func(w *Witness) *[]CollateralWitness[collateralstep.WithdrawalStep] { return &w.Withdrawals }),
		slotGroup("transfer", byte(batch.TxTransfer), s.Transfers, collateralstep.TransferDataBytes,
			func() *collateralstep.TransferStep { x := newTransfer(collateralstep.Separators{}, s.K); return &x },
			func(w *Witness) *[]CollateralWitness[collateralstep.TransferStep] { return &w.Transfers }),
		slotGroup("forced-withdrawal", byte(batch.TxForcedWithdrawal), s.ForcedWithdrawals, collateralstep.ForcedWithdrawalDataBytes,
			func() *collateralstep.ForcedWithdrawalStep { x := newForced(s.K); return &x },
			func(w *Witness) *[]CollateralWitness[collateralstep.ForcedWithdrawalStep] {
				return &w.ForcedWithdrawals
			}),
		{name: "oracle-tick", typ: tickstep.TypeOracleTick, slots: s.OracleTicks, size: tickstep.OraclePublicDataBytes,
			alloc: func() any { return newOracle(s) },
			count: func(w *Witness) int { return len(w.Oracles) },
			get: func(w *Witness, j int) (uint16, bool, any) {
				t := w.Oracles[j]
				return t.Index, t.NoOp, stepOrNil(t.Step)
			},
			put: func(w *Witness, index uint16, noop bool, step any) {
				t := OracleWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*tickstep.OracleStep)
				}
				w.Oracles = append(w.Oracles, t)
			}},
		{name: "funding-tick", typ: tickstep.TypeFundingTick, slots: s.FundingTicks, size: tickstep.FundingPublicDataBytes,
			alloc: func() any { return newFunding(s) },
			count: func(w *Witness) int { return len(w.Fundings) },
			get: func(w *Witness, j int) (uint16, bool, any) {
				t := w.Fundings[j]
				return t.Index, t.NoOp, stepOrNil(t.Step)
			},
			put: func(w *Witness, index uint16, noop bool, step any) {
				t := FundingWitness{Index: index, NoOp: noop}
				if step != nil {
					t.Step = step.(*tickstep.FundingStep)
				}
				w.Fundings = append(w.Fundings, t)
			}},
		slotGroup("liquidation", liqstep.TypeLiquidation, s.Liquidations, liqstep.LiquidationDataBytes,
			func() *liqstep.LiquidationStep { x := newLiquidation(s, big.NewInt(0)); return &x },
			func(w *Witness) *[]LiquidationWitness { return &w.Liquidations }),
		slotGroup("takeover", liqstep.TypeTakeover, s.Takeovers, liqstep.TakeoverDataBytes,
			func() *liqstep.TakeoverStep { x := newTakeover(s); return &x },
			func(w *Witness) *[]TakeoverWitness { return &w.Takeovers }),
		slotGroup("deleveraging", liqstep.TypeDeleverage, s.Deleverages, liqstep.DeleverageDataBytes,
			func() *liqstep.DeleverageStep { x := newDeleverage(s); return &x },
			func(w *Witness) *[]DeleverageWitness { return &w.Deleverages }),
		slotGroup("funding-period-start", tickstep.TypeFundingPeriodStart, s.PeriodStarts, tickstep.FundingPeriodStartPublicDataBytes,
			func() *tickstep.FundingPeriodStartStep { x := newPeriodStart(s); return &x },
			func(w *Witness) *[]FundingPeriodStartWitness { return &w.PeriodStarts }),
		slotGroup("forced-trade", forcedtrade.TypeForcedTrade, s.ForcedTrades, forcedtrade.PublicDataBytes,
			func() *ForcedTradeStep { x := newForcedTrade(s, nil); return &x },
			func(w *Witness) *[]ForcedTradeWitness { return &w.ForcedTrades }),
	}
	var out []group
	for _, g := range all {
		if g.slots > 0 {
			g.per = leaves(g.alloc())
			out = append(out, g)
		}
	}
	return out
}

// slotGroup is a group whose slots are SlotWitness (a collateral type or a later group); field
// selects the witness's slots.
func slotGroup[S any](name string, typ byte, slots, size int, alloc func() *S, field func(*Witness) *[]SlotWitness[S]) group {
	return group{name: name, typ: typ, slots: slots, size: size,
		alloc: func() any { return alloc() },
		count: func(w *Witness) int { return len(*field(w)) },
		get: func(w *Witness, j int) (uint16, bool, any) {
			t := (*field(w))[j]
			return t.Index, t.NoOp, stepOrNil(t.Step)
		},
		put: func(w *Witness, index uint16, noop bool, step any) {
			t := SlotWitness[S]{Index: index, NoOp: noop}
			if step != nil {
				t.Step = step.(*S)
			}
			*field(w) = append(*field(w), t)
		}}
}

// stepOrNil is p as an any, or a nil any for a nil pointer.
func stepOrNil[S any](p *S) any {
	if p == nil {
		return nil
	}
	return p
}

// Encode writes w in format v3. A no-op slot's elements are all zero (the padding trade is not
// encoded: Assignment puts it in).
func Encode(w *Witness) ([]byte, error) {
	s := w.Shape
	if err := s.Check(); err != nil {
		return nil, err
	}
	n := s.Steps()
	if len(w.Roots) != n+1 || len(w.Priority) != n+1 || len(w.Records) != n {
		return nil, fmt.Errorf("%w: witness does not have the shape's sizes", ErrShape)
	}
	groups := groupsOf(s)
	for _, g := range groups {
		if g.count(w) != g.slots {
			return nil, fmt.Errorf("%w: %d %s slots, the shape %d", ErrShape, g.count(w), g.name, g.slots)
		}
	}
	b := make([]byte, 0, EncodedSize(s))
	b = append(b, Magic...)
	b = binary.BigEndian.AppendUint16(b, Version)
	sizes := s.groupSizes()
	for _, g := range sizes[:groupCount] {
		b = binary.BigEndian.AppendUint16(b, uint16(g))
	}
	b = append(b, byte(s.N), byte(s.K), byte(s.ReportSlots))
	b = binary.BigEndian.AppendUint64(b, w.BatchNumber)
	b = binary.BigEndian.AppendUint64(b, w.BatchTime)
	b = binary.BigEndian.AppendUint32(b, w.PriorityCount)
	if s.HasLaterGroups() {
		for _, g := range sizes[groupCount:] {
			b = binary.BigEndian.AppendUint16(b, uint16(g))
		}
		b = binary.BigEndian.AppendUint32(b, uint32(s.LiquidationFeePpm))
	}
	if s.ForcedTrades > 0 {
		b = binary.BigEndian.AppendUint16(b, uint16(s.ForcedTrades))
	}
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
	for _, g := range groups {
		for j := 0; j < g.slots; j++ {
			index, noop, step := g.get(w, j)
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

// groupSizes is the slot count of every group in encoding order (0 for a group without slots):
// the first groupCount, then the laterGroupCount later ones (the forced-trade group, encoded
// apart, is not among them).
func (s Shape) groupSizes() []int {
	return []int{s.Trades, s.Deposits, s.Withdrawals, s.Transfers, s.ForcedWithdrawals, s.OracleTicks, s.FundingTicks,
		s.Liquidations, s.Takeovers, s.Deleverages, s.PeriodStarts}
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
// equal to shape (with the header extension's later group sizes and fee rate when the shape has
// a later group, and the forced-trade group's size when it has forced-trade slots), canonical field elements, σ below S and distinct, no-op flags 0 or 1, a no-op
// slot's elements and record zero, a live slot's record typed as its group and zero after its
// type's public-data length, the priority count at most S. Each violation is a *FormatError naming the byte offset.
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
	sizes := shape.groupSizes()
	for i, g := range sizes[:groupCount] {
		if v := int(binary.BigEndian.Uint16(r.take(2))); v != g {
			return nil, &FormatError{Offset: 6 + 2*i, Reason: fmt.Sprintf("slot group %d has %d slots, the prover's shape %d", i, v, g)}
		}
	}
	for i, v := range []int{shape.N, shape.K, shape.ReportSlots} {
		if x := int(r.take(1)[0]); x != v {
			return nil, &FormatError{Offset: shapeFieldsAt + i, Reason: fmt.Sprintf("shape field %d is %d, the prover's shape %d", i, x, v)}
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
	if shape.HasLaterGroups() {
		for i, g := range sizes[groupCount:] {
			off := r.off
			if v := int(binary.BigEndian.Uint16(r.take(2))); v != g {
				return nil, &FormatError{Offset: off, Reason: fmt.Sprintf("slot group %d has %d slots, the prover's shape %d", groupCount+i, v, g)}
			}
		}
		off := r.off
		if v := int64(binary.BigEndian.Uint32(r.take(4))); v != shape.LiquidationFeePpm {
			return nil, &FormatError{Offset: off, Reason: fmt.Sprintf("liquidation fee rate %d ppm, the prover's shape %d", v, shape.LiquidationFeePpm)}
		}
	}
	if shape.ForcedTrades > 0 {
		off := r.off
		if v := int(binary.BigEndian.Uint16(r.take(2))); v != shape.ForcedTrades {
			return nil, &FormatError{Offset: off, Reason: fmt.Sprintf("%d forced-trade slots, the prover's shape %d", v, shape.ForcedTrades)}
		}
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
			g.put(w, index, noop, step)
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
		for k, x := range record[g.size:] {
			if x != 0 {
				return 0, false, nil, &FormatError{Offset: recordAt + g.size + k, Reason: fmt.Sprintf("record %d belongs to a %s of %d bytes: its padding must be zero", index, g.name, g.size)}
			}
		}
		es := make([]fr.Element, g.per)
		for k := range es {
			var err error
			if es[k], err = r.element(); err != nil {
				return 0, false, nil, err
			}
		}
		step := g.alloc()
		if err := setElements(step, es); err != nil {
			return 0, false, nil, err
		}
		return index, false, step, nil
	default:
		return 0, false, nil, &FormatError{Offset: at + 2, Reason: fmt.Sprintf("%s slot %d: no-op flag %d", g.name, j, flag)}
	}
}
