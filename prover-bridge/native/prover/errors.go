package prover

import "fmt"

// UnsatisfiableError: the witness decodes but breaks a rule of the batch. TxIndex names the
// transaction (−1 for a batch-level failure).
type UnsatisfiableError struct {
	TxIndex int
	Reason  string
}

func (e *UnsatisfiableError) Error() string {
	if e.TxIndex < 0 {
		return "unsatisfiable batch: " + e.Reason
	}
	return fmt.Sprintf("unsatisfiable batch: transaction %d: %s", e.TxIndex, e.Reason)
}

// KeyMismatchError: the keys on disk were made for another circuit, shape or library version, or
// their files are damaged.
type KeyMismatchError struct {
	Dir    string
	Reason string
}

func (e *KeyMismatchError) Error() string {
	return fmt.Sprintf("proving keys in %s cannot be used: %s (delete the directory to run the setup again)", e.Dir, e.Reason)
}

// VerifyError: a proof does not verify against the public input.
type VerifyError struct {
	Reason string
}

func (e *VerifyError) Error() string { return "proof does not verify: " + e.Reason }
