package batch

import (
	"bytes"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// TestKey is the deterministic EdDSA key of test account holder i: gnark-crypto GenerateKey
// over the 32-byte seed of repeated byte i+1 (as Java's EdDsaPrivateKey.fromSeed).
func TestKey(i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 1}, 32)))
	if err != nil {
		panic(err)
	}
	return k
}

// TestOwner is the L1 address of test account holder i: 0xaa, 18 zero bytes, i.
func TestOwner(i byte) (a [20]byte) {
	a[0], a[19] = 0xaa, i
	return a
}

// Scenario is a named batch used as a golden witness.
type Scenario struct {
	Name      string
	BatchSize int
	Witness   *Witness
}

// TinyScenarios are the golden batches of the tiny shape (2 slots), built in sequence on one
// state: each starts from the state the previous one left.
func TinyScenarios() ([]Scenario, error) {
	st := layout.NewState()
	b := NewBuilder(st, 1, fr.Element{})
	k1, k2 := TestKey(1), TestKey(2)
	var out []Scenario
	step := func(name string, txs ...func() error) error {
		for _, tx := range txs {
			if err := tx(); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		w, err := b.Finish(2)
		if err != nil {
			return err
		}
		out = append(out, Scenario{Name: name, BatchSize: 2, Witness: w})
		return nil
	}
	if err := step("deposits",
		func() error { return b.Deposit(5, TestOwner(1), k1.PublicKey, 1_000_000) },
		func() error { return b.Deposit(9, TestOwner(2), k2.PublicKey, 50) }); err != nil {
		return nil, err
	}
	if err := step("transfer-withdrawal",
		func() error { return b.Transfer(5, 9, 300_000, k1) },
		func() error { return b.Withdraw(9, 120, k2) }); err != nil {
		return nil, err
	}
	if err := step("deposit-existing-noop",
		func() error { return b.Deposit(5, TestOwner(1), k1.PublicKey, 7) }); err != nil {
		return nil, err
	}
	// Two forced withdrawals requested on L1: one the account can pay (paid), one it cannot
	// (refused: served with amount 0, the request consumed all the same).
	if err := step("forced-withdrawals",
		func() error { return b.ForcedWithdraw(9, TestOwner(2), 100) },
		func() error { return b.ForcedWithdraw(5, TestOwner(1), 10_000_000) }); err != nil {
		return nil, err
	}
	return out, nil
}
