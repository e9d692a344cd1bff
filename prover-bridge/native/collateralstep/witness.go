package collateralstep

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
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
// NewDepositCircuit() that proves it, with the new state.
func DepositWitness(s *layoutv2.State, d Deposit) (*DepositCircuit, *layoutv2.State, error) {
	e, err := executeDeposit(s, d, false)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// WithdrawalWitness executes the withdrawal and returns the assignment of
// NewWithdrawalCircuit(SeparatorsOf(w.Domain)), with the new state.
func WithdrawalWitness(s *layoutv2.State, w Withdrawal) (*WithdrawalCircuit, *layoutv2.State, error) {
	e, err := executeWithdrawal(s, w, false)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// TransferWitness executes the transfer and returns the assignment of
// NewTransferCircuit(SeparatorsOf(t.Domain)), with the new state.
func TransferWitness(s *layoutv2.State, t Transfer) (*TransferCircuit, *layoutv2.State, error) {
	e, err := executeTransfer(s, t, false)
	if err != nil {
		return nil, nil, err
	}
	return e.circuit, e.next, nil
}

// ForcedWithdrawalWitness executes the forced withdrawal and returns the assignment of
// NewForcedWithdrawalCircuit(), with the new state.
func ForcedWithdrawalWitness(s *layoutv2.State, f ForcedWithdrawal) (*ForcedWithdrawalCircuit, *layoutv2.State, error) {
	e, err := executeForced(s, f, false)
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

func executeDeposit(s *layoutv2.State, d Deposit, force bool) (*executed[DepositCircuit], error) {
	id := uint64(d.Account)
	if err := checkID(id); err != nil {
		return nil, err
	}
	var r rules
	if id == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount)
	}
	a, exists := s.Account(id)
	if exists {
		if a.Identity.L1Owner != d.L1Owner || !a.Identity.PublicKeyX.Equal(&d.PublicKeyX) || !a.Identity.PublicKeyY.Equal(&d.PublicKeyY) {
			r.add(RuleBinding)
		}
	} else {
		a = layoutv2.Account{Identity: layoutv2.Identity{PublicKeyX: d.PublicKeyX, PublicKeyY: d.PublicKeyY, L1Owner: d.L1Owner},
			FillsRoot: layout.EmptyRoot(layoutv2.FillsDepth)}
	}
	after, ok := addCollateral(a.Collateral, d.Amount)
	if !ok {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || !ok) {
		return nil, r.err()
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setCollateral(next, id, a, after, a.Nonce); err != nil {
		return nil, err
	}
	list, err := listOf(a)
	if err != nil {
		return nil, err
	}
	c := NewDepositCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = DepositStep{Account: d.Account, L1Owner: el(layout.Address(d.L1Owner)), PublicKeyX: el(d.PublicKeyX),
		PublicKeyY: el(d.PublicKeyY), Amount: u(d.Amount), Exists: 0, A: leafOf(a, path), List: list, Rest: restOf(s)}
	if exists {
		c.Step.Exists = 1
	}
	c.PublicData = data([]byte{byte(batch.TxDeposit)})
	c.PriorityOp = el(batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount))
	return refuse(r, force, &executed[DepositCircuit]{next: next, circuit: c})
}

func executeWithdrawal(s *layoutv2.State, w Withdrawal, force bool) (*executed[WithdrawalCircuit], error) {
	m := w.Message
	id := uint64(m.Account)
	if err := checkID(id); err != nil {
		return nil, err
	}
	a, ok := s.Account(id)
	if !ok {
		return nil, rules{RuleNoAccount}.err()
	}
	var r rules
	if m.L1Owner != a.Identity.L1Owner {
		r.add(RuleOwner)
	}
	debit(&r, id, a, m.Nonce, m.Amount, w.Signature, m.Hash(w.Domain))
	if len(r) > 0 && (!force || m.Amount > batch.MaxAmount || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setCollateral(next, id, a, a.Collateral-int64(m.Amount), a.Nonce+1); err != nil {
		return nil, err
	}
	c := NewWithdrawalCircuit(SeparatorsOf(w.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = WithdrawalStep{Account: m.Account, L1Owner: el(layout.Address(m.L1Owner)), Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(w.Signature), A: leafOf(a, path), Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxWithdrawal)}, id3(m.Account), be8(m.Amount), m.L1Owner[:])
	c.PriorityOp = 0
	return refuse(r, force, &executed[WithdrawalCircuit]{next: next, circuit: c})
}

func executeTransfer(s *layoutv2.State, t Transfer, force bool) (*executed[TransferCircuit], error) {
	m := t.Message
	from, to := uint64(m.Account), uint64(m.Receiver)
	if err := checkID(from); err != nil {
		return nil, err
	}
	if err := checkID(to); err != nil {
		return nil, err
	}
	var r rules
	if from == to {
		r.add(RuleSelfTransfer)
	}
	a, okA := s.Account(from)
	b, okB := s.Account(to)
	if !okA || !okB {
		r.add(RuleNoAccount)
	}
	if !okA || len(r) > 0 {
		return nil, r.err() // nothing the circuit could open
	}
	debit(&r, from, a, m.Nonce, m.Amount, t.Signature, m.Hash(t.Domain))
	credited, ok := addCollateral(b.Collateral, m.Amount)
	if !ok {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || !ok || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	_, pathA, err := s.AccountProof(from)
	if err != nil {
		return nil, err
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setCollateral(next, from, a, a.Collateral-int64(m.Amount), a.Nonce+1); err != nil {
		return nil, err
	}
	_, pathB, err := next.AccountProof(to) // after the sender's update
	if err != nil {
		return nil, err
	}
	if err := setCollateral(next, to, b, credited, b.Nonce); err != nil {
		return nil, err
	}
	listB, err := listOf(b)
	if err != nil {
		return nil, err
	}
	idB, err := b.Identity.Hash()
	if err != nil {
		return nil, err
	}
	c := NewTransferCircuit(SeparatorsOf(t.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	cb := Credited{Identity: el(idB), Nonce: u(b.Nonce), Collateral: big.NewInt(b.Collateral), FillsRoot: el(b.FillsRoot), List: listB}
	for i := range cb.Path {
		cb.Path[i] = el(pathB[i])
	}
	c.Step = TransferStep{Account: m.Account, Receiver: m.Receiver, Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(t.Signature), A: leafOf(a, pathA), B: cb, Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxTransfer)}, id3(m.Account), id3(m.Receiver), be8(m.Amount))
	c.PriorityOp = 0
	return refuse(r, force, &executed[TransferCircuit]{next: next, circuit: c})
}

func executeForced(s *layoutv2.State, f ForcedWithdrawal, force bool) (*executed[ForcedWithdrawalCircuit], error) {
	id := uint64(f.Account)
	if err := checkID(id); err != nil {
		return nil, err
	}
	a, ok := s.Account(id)
	if !ok {
		return nil, rules{RuleNoAccount}.err()
	}
	var r rules
	if id == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount)
	}
	if f.L1Owner != a.Identity.L1Owner {
		r.add(RuleOwner)
	}
	if f.Amount > batch.MaxAmount {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || f.Amount > batch.MaxAmount) {
		return nil, r.err()
	}
	paid := Paid(a, f.Amount)
	covers := a.Collateral >= 0 && f.Amount <= uint64(a.Collateral)
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setCollateral(next, id, a, a.Collateral-int64(paid), a.Nonce); err != nil {
		return nil, err
	}
	list, err := listOf(a)
	if err != nil {
		return nil, err
	}
	c := NewForcedWithdrawalCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = ForcedWithdrawalStep{Account: f.Account, L1Owner: el(layout.Address(f.L1Owner)), Amount: u(f.Amount), Covers: 0,
		A: leafOf(a, path), List: list, Rest: restOf(s)}
	if covers {
		c.Step.Covers = 1
	}
	c.PublicData = data([]byte{byte(batch.TxForcedWithdrawal)}, id3(f.Account), be8(paid), f.L1Owner[:])
	c.PriorityOp = el(batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	return refuse(r, force, &executed[ForcedWithdrawalCircuit]{next: next, circuit: c})
}
