package collateralstep

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// NewWithdrawalStep returns a withdrawal step (to be assigned) for the deployment's separators, as
// a batch circuit allocates it.
func NewWithdrawalStep(sep Separators) WithdrawalStep {
	return WithdrawalStep{separator: sep.Withdrawal}
}

// NewTransferStep returns a transfer step for the deployment's separators.
func NewTransferStep(sep Separators) TransferStep { return TransferStep{separator: sep.Transfer} }

// DepositWitness executes the deposit (ApplyDeposit) and returns the assignment of
// NewDepositCircuit() that proves it (the no-position shape; ErrShape for an account holding
// positions), with the new state.
func DepositWitness(s *layoutv2.State, d Deposit) (*DepositCircuit, *layoutv2.State, error) {
	return DepositWitnessWithMargin(s, d, 0)
}

// DepositWitnessWithMargin is DepositWitness for NewDepositCircuitWithMargin(k); k = 0 is the
// no-position shape.
func DepositWitnessWithMargin(s *layoutv2.State, d Deposit, k int) (*DepositCircuit, *layoutv2.State, error) {
	e, err := executeDeposit(s, d, false, k)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// noCircuit is the shape argument of an execution that builds no circuit (the Apply functions).
const noCircuit = -1

// WithdrawalWitness executes the withdrawal and returns the assignment of
// NewWithdrawalCircuit(SeparatorsOf(w.Domain)) (the no-position shape; ErrShape for an account
// holding positions), with the new state.
func WithdrawalWitness(s *layoutv2.State, w Withdrawal) (*WithdrawalCircuit, *layoutv2.State, error) {
	return WithdrawalWitnessWithMargin(s, w, 0)
}

// WithdrawalWitnessWithMargin is WithdrawalWitness for NewWithdrawalCircuitWithMargin(…, k); k = 0
// is the no-position shape.
func WithdrawalWitnessWithMargin(s *layoutv2.State, w Withdrawal, k int) (*WithdrawalCircuit, *layoutv2.State, error) {
	e, err := executeWithdrawal(s, w, false, k)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// TransferWitness executes the transfer and returns the assignment of
// NewTransferCircuit(SeparatorsOf(t.Domain)) (the no-position shape), with the new state.
func TransferWitness(s *layoutv2.State, t Transfer) (*TransferCircuit, *layoutv2.State, error) {
	return TransferWitnessWithMargin(s, t, 0)
}

// TransferWitnessWithMargin is TransferWitness for NewTransferCircuitWithMargin(…, k).
func TransferWitnessWithMargin(s *layoutv2.State, t Transfer, k int) (*TransferCircuit, *layoutv2.State, error) {
	e, err := executeTransfer(s, t, false, k)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// ForcedWithdrawalWitness executes the forced withdrawal and returns the assignment of
// NewForcedWithdrawalCircuit() (the no-position shape; ErrShape for an account holding positions),
// with the new state.
func ForcedWithdrawalWitness(s *layoutv2.State, f ForcedWithdrawal) (*ForcedWithdrawalCircuit, *layoutv2.State, error) {
	return ForcedWithdrawalWitnessWithMargin(s, f, 0)
}

// ForcedWithdrawalWitnessWithMargin is ForcedWithdrawalWitness for
// NewForcedWithdrawalCircuitWithMargin(k); k = 0 is the no-position shape.
func ForcedWithdrawalWitnessWithMargin(s *layoutv2.State, f ForcedWithdrawal, k int) (*ForcedWithdrawalCircuit, *layoutv2.State, error) {
	e, err := executeForced(s, f, false, k)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// executed is a transaction run on a state: the new state and the circuit's assignment. With
// force, it is built even when rules are broken (for tests of refusals), by the circuit's
// formulas, as long as the new state can be represented; broken then lists them.
type executed[C any] struct {
	next    *layoutv2.State
	circuit *C
	broken  []Rule
}

func el(e fr.Element) *big.Int { return e.BigInt(new(big.Int)) }

func u(x uint64) *big.Int { return new(big.Int).SetUint64(x) }

func leafOf(a layoutv2.Account, siblings []fr.Element) Leaf {
	l := Leaf{PublicKeyX: el(a.Identity.PublicKeyX), PublicKeyY: el(a.Identity.PublicKeyY),
		L1Owner: el(layout.Address(a.Identity.L1Owner)), FeeTier: a.Identity.FeeTier,
		Nonce: u(a.Nonce), Collateral: big.NewInt(a.Collateral), FillsRoot: el(a.FillsRoot)}
	for i := range l.Path {
		l.Path[i] = el(siblings[i])
	}
	return l
}

func listOf(a layoutv2.Account) (List, error) {
	q, err := a.Positions.Pack()
	if err != nil {
		return List{}, err
	}
	var l List
	for i := range l {
		l[i] = el(q[i])
	}
	return l, nil
}

func restOf(s *layoutv2.State) Rest {
	return Rest{MarketsRoot: el(s.MarketsRoot()), GlobalLeaf: el(s.GlobalLeaf())}
}

func signatureOf(sig []byte) Signature {
	var s eddsa.Signature
	if len(sig) != 64 {
		return Signature{RX: 0, RY: 1, S: 0}
	}
	if _, err := s.SetBytes(sig); err != nil {
		return Signature{RX: 0, RY: 1, S: 0}
	}
	return Signature{RX: el(s.R.X), RY: el(s.R.Y), S: new(big.Int).SetBytes(s.S[:])}
}

// data is the public-data bytes as circuit values.
func data(parts ...[]byte) []frontend.Variable {
	var out []frontend.Variable
	for _, p := range parts {
		for _, b := range p {
			out = append(out, b)
		}
	}
	return out
}

func id3(id uint32) []byte { return []byte{byte(id >> 16), byte(id >> 8), byte(id)} }

func be8(x uint64) []byte { return binary.BigEndian.AppendUint64(nil, x) }

func refuse[C any](r rules, force bool, e *executed[C]) (*executed[C], error) {
	e.broken = r
	if len(r) > 0 && !force {
		return nil, r.err()
	}
	return e, nil
}

// openedOf returns what a step's circuit opens for account id (leaf a) of s before the step: the
// leaf with its path, and the margin table for a k-market form.
func openedOf(s *layoutv2.State, id uint64, a layoutv2.Account, k int) (Leaf, []Margin, error) {
	margin, err := marginOf(s, a, k)
	if err != nil {
		return Leaf{}, nil, err
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return Leaf{}, nil, err
	}
	return leafOf(a, path), margin, nil
}

// openedWithList is openedOf with the account's list (listFor), for the steps that open it: the
// deposit and the forced withdrawal.
func openedWithList(s *layoutv2.State, id uint64, a layoutv2.Account, k int) (Leaf, List, []Margin, error) {
	leaf, margin, err := openedOf(s, id, a, k)
	if err != nil {
		return Leaf{}, List{}, nil, err
	}
	list, err := listFor(a, k)
	if err != nil {
		return Leaf{}, List{}, nil, err
	}
	return leaf, list, margin, nil
}

// listFor returns the packed position list of a for the scalar form (k = 0) and the zero list
// for the table forms, which open the positions entry by entry instead.
func listFor(a layoutv2.Account, k int) (List, error) {
	if k != 0 {
		return List{0, 0, 0, 0}, nil
	}
	return listOf(a)
}
