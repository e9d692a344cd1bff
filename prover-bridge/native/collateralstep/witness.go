package collateralstep

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layout"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
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

// entriesOf is an account's list as the circuit takes it, empty entries (0, 0, 0).
func entriesOf(a layoutv2.Account) []gadget.Entry {
	out := make([]gadget.Entry, layoutv2.MaxPositions)
	for j, e := range a.Positions {
		out[j] = gadget.Entry{Market: 0, Size: 0, Snapshot: 0}
		if !e.Empty() {
			out[j] = gadget.Entry{Market: e.Market, Size: big.NewInt(e.Size), Snapshot: big.NewInt(e.FundingSnapshot)}
		}
	}
	return out
}

// marginOf assigns the margin shape with k table markets: the account's list and every id below
// k, listed (opened at its leaf) or not (the empty leaf). It refuses (ErrShape) a position in a
// market at or beyond k, and for k = 0 an account holding any position.
func marginOf(s *layoutv2.State, a layoutv2.Account, k int) ([]Margin, error) {
	for _, e := range a.Positions {
		if !e.Empty() && int(e.Market) >= k {
			return nil, fmt.Errorf("%w: a position in market %d, table of %d markets", ErrShape, e.Market, k)
		}
	}
	if k == 0 {
		return nil, nil
	}
	m := newMargin(k)
	copy(m[0].List[:], entriesOf(a))
	for id := range k {
		mk, listed := s.Market(uint64(id))
		if !listed {
			mk = layoutv2.Market{Risk: layoutv2.MarketRisk{IncrementalPositionSize: 1}} // any values the table accepts
		}
		r := mk.Risk
		m[0].Markets[id] = perp.MarketVars{Price: u(mk.OraclePrice), FundingIndex: big.NewInt(mk.FundingIndex), OpenInterest: u(mk.OpenInterest),
			IMF: u(r.InitialMarginPpm), MMF: u(r.MaintenanceMarginPpm), Baseline: u(r.BaselinePositionSize), IncSize: u(r.IncrementalPositionSize),
			IncIMF: u(r.IncrementalInitialMarginPpm), MaxPositionSize: u(r.MaxPositionSize), OICap: u(r.OpenInterestCap)}
		o := &m[0].Table[id]
		o.Listed = 0
		if listed {
			o.Listed = 1
		}
		o.OracleTimestamp, o.FundingTimestamp = u(mk.OracleTimestamp), u(mk.FundingTimestamp)
		o.TickBounds = [5]frontend.Variable{u(r.OracleMaxAgeSeconds), u(r.OracleMaxFutureSeconds), u(r.OracleMaxMovePpm),
			u(r.FundingMinIntervalSeconds), u(r.FundingMaxRatePpm)}
		_, sib, err := s.MarketProof(uint64(id))
		if err != nil {
			return nil, err
		}
		for i := range o.Path {
			o.Path[i] = el(sib[i])
		}
	}
	return m, nil
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

func executeDeposit(s *layoutv2.State, d Deposit, force bool, k int) (*executed[DepositCircuit], error) {
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
	// the engine credits after settling funding (Settlement.credit)
	st, err := settle(s, a)
	after, ok := addCollateral(st.collateral, d.Amount)
	if err != nil || !ok {
		r.add(RuleRange)
		ok = false
	}
	if len(r) > 0 && (!force || !ok) {
		return nil, r.err()
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce, Collateral: after, Positions: st.positions}); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[DepositCircuit]{next: next}, nil
	}
	margin, err := marginOf(s, a, k)
	if err != nil {
		return nil, err
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	list := List{0, 0, 0, 0}
	if k == 0 {
		if list, err = listOf(a); err != nil {
			return nil, err
		}
	}
	c := NewDepositCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = DepositStep{Account: d.Account, L1Owner: el(layout.Address(d.L1Owner)), PublicKeyX: el(d.PublicKeyX),
		PublicKeyY: el(d.PublicKeyY), Amount: u(d.Amount), Exists: 0, A: leafOf(a, path), List: list, Margin: margin, Rest: restOf(s)}
	if exists {
		c.Step.Exists = 1
	}
	c.PublicData = data([]byte{byte(batch.TxDeposit)})
	c.PriorityOp = el(batch.DepositHash(d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount))
	return refuse(r, force, &executed[DepositCircuit]{next: next, circuit: c})
}

func executeWithdrawal(s *layoutv2.State, w Withdrawal, force bool, k int) (*executed[WithdrawalCircuit], error) {
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
	st := debit(&r, s, id, a, m.Nonce, m.Amount, w.Signature, m.Hash(w.Domain))
	if len(r) > 0 && (!force || slices.Contains(r, RuleRange) || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setDebited(next, id, a, st, m.Amount); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[WithdrawalCircuit]{next: next}, nil
	}
	margin, err := marginOf(s, a, k)
	if err != nil {
		return nil, err
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	c := NewWithdrawalCircuit(SeparatorsOf(w.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = WithdrawalStep{Account: m.Account, L1Owner: el(layout.Address(m.L1Owner)), Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(w.Signature), A: leafOf(a, path), Margin: margin, Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxWithdrawal)}, id3(m.Account), be8(m.Amount), m.L1Owner[:])
	c.PriorityOp = 0
	return refuse(r, force, &executed[WithdrawalCircuit]{next: next, circuit: c})
}

func executeTransfer(s *layoutv2.State, t Transfer, force bool, k int) (*executed[TransferCircuit], error) {
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
	if to == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount) // the engine refuses it (RiskEngine.MAX_ACCOUNTS)
	}
	a, okA := s.Account(from)
	b, okB := s.Account(to)
	if !okA || !okB {
		r.add(RuleNoAccount)
	}
	if !okA || !okB || from == to {
		return nil, r.err() // nothing the circuit could open
	}
	st := debit(&r, s, from, a, m.Nonce, m.Amount, t.Signature, m.Hash(t.Domain))
	stB, errB := settle(s, b) // the engine settles the receiver's funding too
	credited, ok := addCollateral(stB.collateral, m.Amount)
	if errB != nil || !ok {
		r.add(RuleRange)
	}
	if len(r) > 0 && (!force || slices.Contains(r, RuleRange) || a.Nonce == 1<<64-1) {
		return nil, r.err()
	}
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if err := setDebited(next, from, a, st, m.Amount); err != nil {
		return nil, err
	}
	_, pathB, err := next.AccountProof(to) // after the sender's update
	if err != nil {
		return nil, err
	}
	if err := next.SetAccount(to, layoutv2.AccountFields{Identity: b.Identity, Nonce: b.Nonce, Collateral: credited, Positions: stB.positions}); err != nil {
		return nil, err
	}
	if k == noCircuit {
		return &executed[TransferCircuit]{next: next}, nil
	}
	margin, err := marginOf(s, a, k)
	if err != nil {
		return nil, err
	}
	if _, err := marginOf(s, b, k); err != nil {
		return nil, fmt.Errorf("receiver: %w", err)
	}
	_, pathA, err := s.AccountProof(from)
	if err != nil {
		return nil, err
	}
	listB := List{0, 0, 0, 0}
	var entriesB []gadget.Entry
	if k == 0 {
		if listB, err = listOf(b); err != nil {
			return nil, err
		}
	} else {
		entriesB = entriesOf(b)
	}
	idB, err := b.Identity.Hash()
	if err != nil {
		return nil, err
	}
	c := NewTransferCircuit(SeparatorsOf(t.Domain))
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	cb := Credited{Identity: el(idB), Nonce: u(b.Nonce), Collateral: big.NewInt(b.Collateral), FillsRoot: el(b.FillsRoot), List: listB, Entries: entriesB}
	for i := range cb.Path {
		cb.Path[i] = el(pathB[i])
	}
	c.Step = TransferStep{Account: m.Account, Receiver: m.Receiver, Amount: u(m.Amount), Nonce: u(m.Nonce),
		Signature: signatureOf(t.Signature), A: leafOf(a, pathA), Margin: margin, B: cb, Rest: restOf(s), separator: c.Step.separator}
	c.PublicData = data([]byte{byte(batch.TxTransfer)}, id3(m.Account), id3(m.Receiver), be8(m.Amount))
	c.PriorityOp = 0
	return refuse(r, force, &executed[TransferCircuit]{next: next, circuit: c})
}

func executeForced(s *layoutv2.State, f ForcedWithdrawal, force bool, k int) (*executed[ForcedWithdrawalCircuit], error) {
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
	st, err := settle(s, a)
	if err != nil {
		return nil, rules{RuleRange}.err()
	}
	covers := st.free >= 0 && f.Amount <= uint64(st.free)
	var paid uint64
	next, err := clone(s)
	if err != nil {
		return nil, err
	}
	if covers {
		paid = f.Amount
		if err := next.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce,
			Collateral: st.collateral - int64(paid), Positions: st.positions}); err != nil {
			return nil, err
		}
	}
	if k == noCircuit {
		return &executed[ForcedWithdrawalCircuit]{next: next}, nil
	}
	margin, err := marginOf(s, a, k)
	if err != nil {
		return nil, err
	}
	_, path, err := s.AccountProof(id)
	if err != nil {
		return nil, err
	}
	list := List{0, 0, 0, 0}
	if k == 0 {
		if list, err = listOf(a); err != nil {
			return nil, err
		}
	}
	c := NewForcedWithdrawalCircuit()
	c.OldRoot, c.NewRoot = el(s.Root()), el(next.Root())
	c.Step = ForcedWithdrawalStep{Account: f.Account, L1Owner: el(layout.Address(f.L1Owner)), Amount: u(f.Amount), Covers: 0,
		A: leafOf(a, path), List: list, Margin: margin, Rest: restOf(s)}
	if covers {
		c.Step.Covers = 1
	}
	c.PublicData = data([]byte{byte(batch.TxForcedWithdrawal)}, id3(f.Account), be8(paid), f.L1Owner[:])
	c.PriorityOp = el(batch.ForcedWithdrawalHash(f.Account, f.L1Owner, f.Amount))
	return refuse(r, force, &executed[ForcedWithdrawalCircuit]{next: next, circuit: c})
}
