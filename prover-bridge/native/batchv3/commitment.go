package batchv3

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// HeaderSize is the length of the commitment's header: old root (32) ‖ new root (32) ‖ batch
// number (8) ‖ batch time T (8) ‖ priority hash before (32) ‖ after (32) ‖ priority count (4).
const HeaderSize = 32 + 32 + 8 + 8 + 32 + 32 + 4

// CommitmentBytes is the byte string whose SHA-256 (top three bits cleared) is the batch's public
// input: the header, then every step's record in execution order (S × RecordSize bytes).
func (w *Witness) CommitmentBytes() []byte {
	s := w.Shape.Steps()
	out := make([]byte, 0, HeaderSize+s*w.Shape.RecordSize())
	put := func(e fr.Element) { b := e.Bytes(); out = append(out, b[:]...) }
	put(w.Roots[0])
	put(w.Roots[s])
	out = binary.BigEndian.AppendUint64(out, w.BatchNumber)
	out = binary.BigEndian.AppendUint64(out, w.BatchTime)
	put(w.Priority[0])
	put(w.Priority[s])
	out = binary.BigEndian.AppendUint32(out, w.PriorityCount)
	for _, r := range w.Records {
		out = append(out, r...)
	}
	return out
}

// PublicInput is SHA-256(CommitmentBytes) with the top three bits cleared, as a field element
// (always below r, since 2^253 < r).
func (w *Witness) PublicInput() fr.Element {
	d := sha256.Sum256(w.CommitmentBytes())
	d[0] &= 0x1f
	var e fr.Element
	e.SetBytes(d[:])
	return e
}
