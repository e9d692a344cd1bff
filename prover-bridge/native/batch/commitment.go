package batch

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// Public data sizes (docs/batch-format.md §2).
const (
	CommitmentHeaderSize = 32 + 32 + 8 + 32 + 32 + 4 // 140
	ChunkSize            = 1 + 4 + 4 + 8 + 20        // 37
)

// CommitmentInputSize is the number of bytes hashed into the public input of a batch of batchSize
// slots.
func CommitmentInputSize(batchSize int) int { return CommitmentHeaderSize + batchSize*ChunkSize }

// Chunk is one slot's public data: type ‖ account A ‖ account B ‖ amount ‖ L1 address, where
// account A is 0 for a no-op, account B is the receiver of a transfer and 0 otherwise, amount is
// what the slot moves (for a forced withdrawal the amount paid, 0 if refused), and the L1 address
// is the account's bound owner for deposits, withdrawals and forced withdrawals and 0 otherwise.
func Chunk(s *Slot, ownerA [20]byte, amount uint64) [ChunkSize]byte {
	var c [ChunkSize]byte
	c[0] = uint8(s.Type)
	if s.Type != TxNoop {
		binary.BigEndian.PutUint32(c[1:5], s.AccountA)
	}
	if s.Type == TxTransfer {
		binary.BigEndian.PutUint32(c[5:9], s.AccountB)
	}
	binary.BigEndian.PutUint64(c[9:17], amount)
	if s.Type == TxDeposit || s.Type == TxWithdrawal || s.Type == TxForcedWithdrawal {
		copy(c[17:37], ownerA[:])
	}
	return c
}

// CommitmentInput is the exact byte string whose SHA-256 is the batch's public input:
// oldStateRoot ‖ newStateRoot ‖ batchNumber ‖ priorityHashBefore ‖ priorityHashAfter ‖
// priorityCount ‖ chunk₀ ‖ … ‖ chunkₙ₋₁, for a witness and its checked result.
func CommitmentInput(w *Witness, r *Result) []byte {
	out := make([]byte, 0, CommitmentInputSize(len(w.Slots)))
	put := func(e fr.Element) { b := e.Bytes(); out = append(out, b[:]...) }
	put(r.OldStateRoot)
	put(r.NewStateRoot)
	out = binary.BigEndian.AppendUint64(out, w.BatchNumber)
	put(w.PriorityHashBefore)
	put(r.PriorityHashAfter)
	out = binary.BigEndian.AppendUint32(out, r.PriorityCount)
	for i := range w.Slots {
		c := Chunk(&w.Slots[i], r.OwnersA[i], r.Paid[i])
		out = append(out, c[:]...)
	}
	return out
}

// PublicInputFromDigest turns a SHA-256 digest into the public input: the digest with its top three
// bits cleared, read big-endian (always below r, since 2^253 < r).
func PublicInputFromDigest(d [32]byte) [32]byte {
	d[0] &= 0x1f
	return d
}

// PublicInput is the public input for a checked (or traced) result.
func PublicInput(w *Witness, r *Result) [32]byte {
	return PublicInputFromDigest(sha256.Sum256(CommitmentInput(w, r)))
}

// Commitment is the public input of a valid batch and the byte string it hashes. It checks the
// batch first and returns the first broken rule if there is one.
func Commitment(w *Witness) (publicInput [32]byte, input []byte, res *Result, err error) {
	res, err = Check(w)
	if err != nil {
		return publicInput, nil, nil, err
	}
	input = CommitmentInput(w, res)
	return PublicInputFromDigest(sha256.Sum256(input)), input, res, nil
}

// PublicInputElement is the public input as a field element.
func PublicInputElement(p [32]byte) fr.Element {
	e, err := layout.ParseElement(p[:])
	if err != nil {
		panic("batch: public input above r") // impossible: the top three bits are clear
	}
	return e
}
