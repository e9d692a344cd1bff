package batch

import (
	"encoding/binary"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Witness format v1 sizes (docs/batch-format.md §3).
const (
	WitnessVersion = 2
	HeaderSize     = 4 + 2 + 2 + 8 + 4*32                            // 144
	LeafSize       = 1 + 32 + 32 + 20 + 8 + 8 + 32 + 32              // 165
	UpdateSize     = LeafSize + layout.AccountsDepth*32              // 933
	SlotFieldsSize = 1 + 4 + 4 + 8 + 8 + 20 + 32 + 32 + 32 + 32 + 32 // 205
	SlotSize       = SlotFieldsSize + 2*UpdateSize                   // 2071
	MaxBatchSize   = 1 << 12                                         // sanity bound for decoders
	maxAccount     = 1<<layout.AccountsDepth - 1                     // largest account id
	magic          = "ZKPW"                                          // witness file magic
)

// WitnessSize is the exact length in bytes of a witness for batchSize slots.
func WitnessSize(batchSize int) int { return HeaderSize + batchSize*SlotSize }

// AccountLeaf is an account leaf's preimage as it appears in a witness; Exists = false means the
// slot is empty (leaf 0) and every other field is zero.
type AccountLeaf struct {
	Exists  bool
	Account layout.Account
}

// Hash is the leaf value: 0 for an empty slot, else the account leaf hash.
func (l *AccountLeaf) Hash() fr.Element {
	if !l.Exists {
		return fr.Element{}
	}
	return l.Account.Hash()
}

// Update is one accounts-tree update of a slot: the leaf before it and the 24 siblings of its path
// (the same for the old and the new leaf).
type Update struct {
	Before   AccountLeaf
	Siblings [layout.AccountsDepth]fr.Element
}

// Slot is one transaction of a batch with everything needed to check it.
type Slot struct {
	Type     TxType
	AccountA uint32 // deposit/withdrawal: the account; transfer: sender; no-op: any (path of update A)
	AccountB uint32 // transfer: receiver; otherwise any (path of update B)
	Amount   uint64
	Nonce    uint64     // withdrawal/transfer: the account nonce the transaction uses
	L1Owner  [20]byte   // deposit: the owner the account is bound to
	PubKeyX  fr.Element // deposit: the key the account is bound to
	PubKeyY  fr.Element
	SigRX    fr.Element // withdrawal/transfer: signature R (affine) and S
	SigRY    fr.Element
	SigS     fr.Element
	A, B     Update
}

// Witness is a whole batch: the state it starts from and its slots.
type Witness struct {
	BatchNumber        uint64
	AccountsRoot       fr.Element // accounts-tree root before the batch
	MarketsRoot        fr.Element // unchanged by v1 transactions
	GlobalLeaf         fr.Element // unchanged by v1 transactions
	PriorityHashBefore fr.Element // L1 priority-operation rolling hash before the batch's deposits
	Slots              []Slot
}

// WitnessFormatError reports a witness that does not decode: wrong size, bad magic or version, a
// non-canonical field element, an out-of-range integer or a field that must be zero and is not.
type WitnessFormatError struct {
	Offset int
	Reason string
}

func (e *WitnessFormatError) Error() string {
	return fmt.Sprintf("witness format: at byte %d: %s", e.Offset, e.Reason)
}

type writer struct{ b []byte }

func (w *writer) u8(v uint8)      { w.b = append(w.b, v) }
func (w *writer) u16(v uint16)    { w.b = binary.BigEndian.AppendUint16(w.b, v) }
func (w *writer) u32(v uint32)    { w.b = binary.BigEndian.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64)    { w.b = binary.BigEndian.AppendUint64(w.b, v) }
func (w *writer) fr(e fr.Element) { b := e.Bytes(); w.b = append(w.b, b[:]...) }
func (w *writer) addr(a [20]byte) { w.b = append(w.b, a[:]...) }
func (w *writer) bool(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

func (w *writer) update(u *Update) {
	w.bool(u.Before.Exists)
	a := &u.Before.Account
	w.fr(a.PublicKeyX)
	w.fr(a.PublicKeyY)
	w.addr(a.L1Owner)
	w.u64(a.Nonce)
	w.u64(uint64(a.Collateral))
	w.fr(a.PositionsRoot)
	w.fr(a.FillsRoot)
	for i := range u.Siblings {
		w.fr(u.Siblings[i])
	}
}

// Encode writes the witness in format v1.
func (wt *Witness) Encode() []byte {
	w := &writer{b: make([]byte, 0, WitnessSize(len(wt.Slots)))}
	w.b = append(w.b, magic...)
	w.u16(WitnessVersion)
	w.u16(uint16(len(wt.Slots)))
	w.u64(wt.BatchNumber)
	w.fr(wt.AccountsRoot)
	w.fr(wt.MarketsRoot)
	w.fr(wt.GlobalLeaf)
	w.fr(wt.PriorityHashBefore)
	for i := range wt.Slots {
		s := &wt.Slots[i]
		w.u8(uint8(s.Type))
		w.u32(s.AccountA)
		w.u32(s.AccountB)
		w.u64(s.Amount)
		w.u64(s.Nonce)
		w.addr(s.L1Owner)
		w.fr(s.PubKeyX)
		w.fr(s.PubKeyY)
		w.fr(s.SigRX)
		w.fr(s.SigRY)
		w.fr(s.SigS)
		w.update(&s.A)
		w.update(&s.B)
	}
	return w.b
}

type reader struct {
	b   []byte
	off int
	err *WitnessFormatError
}

func (r *reader) fail(at int, format string, args ...any) {
	if r.err == nil {
		r.err = &WitnessFormatError{Offset: at, Reason: fmt.Sprintf(format, args...)}
	}
}

func (r *reader) take(n int) []byte {
	s := r.b[r.off : r.off+n] // the total length is checked before decoding
	r.off += n
	return s
}
func (r *reader) u8() uint8   { return r.take(1)[0] }
func (r *reader) u16() uint16 { return binary.BigEndian.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return binary.BigEndian.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return binary.BigEndian.Uint64(r.take(8)) }
func (r *reader) addr() (a [20]byte) {
	copy(a[:], r.take(20))
	return a
}
func (r *reader) fr(what string) fr.Element {
	at := r.off
	e, err := layout.ParseElement(r.take(32))
	if err != nil {
		r.fail(at, "%s is not a canonical field element (value ≥ r)", what)
	}
	return e
}
func (r *reader) bool(what string) bool {
	at := r.off
	v := r.u8()
	if v > 1 {
		r.fail(at, "%s must be 0 or 1, got %d", what, v)
	}
	return v == 1
}

func (r *reader) account(what string) uint32 {
	at := r.off
	v := r.u32()
	if v > maxAccount {
		r.fail(at, "%s %d is out of range (accounts are 0 … %d)", what, v, maxAccount)
	}
	return v
}

func (r *reader) update(what string) Update {
	var u Update
	at := r.off
	u.Before.Exists = r.bool(what + " exists flag")
	a := &u.Before.Account
	a.PublicKeyX = r.fr(what + " public key x")
	a.PublicKeyY = r.fr(what + " public key y")
	a.L1Owner = r.addr()
	a.Nonce = r.u64()
	a.Collateral = int64(r.u64())
	a.PositionsRoot = r.fr(what + " positions root")
	a.FillsRoot = r.fr(what + " fills root")
	if !u.Before.Exists && *a != (layout.Account{}) {
		r.fail(at, "%s is an empty slot but its leaf fields are not all zero", what)
	}
	for i := range u.Siblings {
		u.Siblings[i] = r.fr(fmt.Sprintf("%s sibling %d", what, i))
	}
	return u
}

// Decode parses a witness in format v1 for exactly batchSize slots. Every rule of the format is
// enforced; a violation is a *WitnessFormatError naming the byte offset.
func Decode(b []byte, batchSize int) (*Witness, error) {
	if batchSize < 1 || batchSize > MaxBatchSize {
		return nil, &WitnessFormatError{Offset: 0, Reason: fmt.Sprintf("batch size %d out of range 1 … %d", batchSize, MaxBatchSize)}
	}
	if len(b) != WitnessSize(batchSize) {
		return nil, &WitnessFormatError{Offset: 0, Reason: fmt.Sprintf("witness is %d bytes; a batch of %d needs exactly %d", len(b), batchSize, WitnessSize(batchSize))}
	}
	r := &reader{b: b}
	if string(r.take(4)) != magic {
		return nil, &WitnessFormatError{Offset: 0, Reason: "bad magic (want \"ZKPW\")"}
	}
	if v := r.u16(); v != WitnessVersion {
		return nil, &WitnessFormatError{Offset: 4, Reason: fmt.Sprintf("witness version %d; this prover reads version %d", v, WitnessVersion)}
	}
	if n := r.u16(); int(n) != batchSize {
		return nil, &WitnessFormatError{Offset: 6, Reason: fmt.Sprintf("witness is for %d slots; this prover's shape has %d", n, batchSize)}
	}
	w := &Witness{Slots: make([]Slot, batchSize)}
	w.BatchNumber = r.u64()
	w.AccountsRoot = r.fr("accounts root")
	w.MarketsRoot = r.fr("markets root")
	w.GlobalLeaf = r.fr("global leaf")
	w.PriorityHashBefore = r.fr("priority hash")
	for i := range w.Slots {
		s := &w.Slots[i]
		at := r.off
		name := func(f string) string { return fmt.Sprintf("slot %d %s", i, f) }
		t := r.u8()
		if t > uint8(TxForcedWithdrawal) {
			r.fail(at, "slot %d: unknown transaction type %d", i, t)
		}
		s.Type = TxType(t)
		s.AccountA = r.account(name("account A"))
		s.AccountB = r.account(name("account B"))
		amountAt := r.off
		s.Amount = r.u64()
		if s.Amount > MaxAmount {
			r.fail(amountAt, "slot %d: amount %d exceeds 2^63 − 1", i, s.Amount)
		}
		s.Nonce = r.u64()
		s.L1Owner = r.addr()
		s.PubKeyX = r.fr(name("public key x"))
		s.PubKeyY = r.fr(name("public key y"))
		s.SigRX = r.fr(name("signature R.x"))
		s.SigRY = r.fr(name("signature R.y"))
		s.SigS = r.fr(name("signature S"))
		if r.err == nil {
			if err := s.checkUnusedZero(i, at); err != nil {
				r.fail(err.Offset, "%s", err.Reason)
			}
		}
		s.A = r.update(name("update A"))
		s.B = r.update(name("update B"))
		if r.err != nil {
			return nil, r.err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return w, nil
}

// checkUnusedZero enforces that fields a slot's type does not use are zero, so that every batch
// has exactly one encoding.
func (s *Slot) checkUnusedZero(i, at int) *WitnessFormatError {
	var zero fr.Element
	bad := func(f string) *WitnessFormatError {
		return &WitnessFormatError{Offset: at, Reason: fmt.Sprintf("slot %d (%s): %s must be zero", i, s.Type, f)}
	}
	if !s.Type.IsPriority() && s.L1Owner != ([20]byte{}) {
		return bad("the L1 owner")
	}
	if s.Type != TxDeposit {
		if !s.PubKeyX.Equal(&zero) || !s.PubKeyY.Equal(&zero) {
			return bad("the deposit public key")
		}
	}
	if !s.Type.Signed() {
		if s.Nonce != 0 {
			return bad("the nonce")
		}
		if !s.SigRX.Equal(&zero) || !s.SigRY.Equal(&zero) || !s.SigS.Equal(&zero) {
			return bad("the signature")
		}
	}
	if s.Type == TxNoop && s.Amount != 0 {
		return bad("the amount")
	}
	if s.Type != TxTransfer && s.Type != TxNoop && s.AccountB != 0 {
		return bad("account B")
	}
	return nil
}
