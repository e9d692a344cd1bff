package collateralstep

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// Deposit is an L1 deposit (a priority operation) as the rollup contract queued it.
type Deposit struct {
	Account                uint32
	L1Owner                [20]byte
	PublicKeyX, PublicKeyY fr.Element
	Amount                 uint64
}

// Withdrawal is a signed withdrawal; Domain is the deployment it is executed in (the signature
// must be over Message.Hash(Domain)).
type Withdrawal struct {
	Domain    messages.Domain
	Message   messages.WithdrawalMessage
	Signature []byte // 64 bytes
}

// Transfer is a signed transfer executed in Domain.
type Transfer struct {
	Domain    messages.Domain
	Message   messages.TransferMessage
	Signature []byte
}

// ForcedWithdrawal is a forced withdrawal requested on L1 (a priority operation): the account, the
// requester (who must be its bound owner) and the amount requested.
type ForcedWithdrawal struct {
	Account uint32
	L1Owner [20]byte
	Amount  uint64
}

// Rule names a rule of the collateral steps; every one is enforced by the circuit too.
type Rule string

// The rules.
const (
	// RuleSignature: the signature is not valid for the message under the account's key in the
	// deployment's domain (this covers a field changed after signing, another chain id or rollup
	// address, and another key).
	RuleSignature Rule = "signature"
	// RuleNonce: the message's nonce is not the account's current nonce, or the nonce is exhausted.
	RuleNonce Rule = "nonce"
	// RuleOwner: the L1 owner named (a withdrawal's, a forced withdrawal's requester) is not the
	// account's bound owner.
	RuleOwner Rule = "l1 owner"
	// RuleCollateral: a debit larger than the account's free collateral (the engine's
	// INSUFFICIENT_FREE_COLLATERAL): equity − Σ initial requirements at the oracle prices, with
	// funding settled; for an account without positions, its collateral.
	RuleCollateral Rule = "free collateral"
	// RuleBinding: a deposit into an existing account bound to another owner or key.
	RuleBinding Rule = "binding"
	// RuleFundAccount: the insurance fund (account 2^24 − 1) cannot sign, receive a deposit or a
	// transfer (the engine's account range ends below it), or be the subject of a forced withdrawal
	// (L1 never binds it).
	RuleFundAccount Rule = "insurance fund"
	// RuleNoAccount: the account (or a transfer's receiver) does not exist.
	RuleNoAccount Rule = "no account"
	// RuleSelfTransfer: a transfer to the sender itself.
	RuleSelfTransfer Rule = "self transfer"
	// RuleRange: an amount above 2^63 − 1, or a collateral that would leave the i64 range.
	RuleRange Rule = "range"
	// RuleZeroAmount: a withdrawal or transfer of 0 (the engine's COLLATERAL_REJECTED: amounts must
	// be positive).
	RuleZeroAmount Rule = "zero amount"
)

// Typed refusals; the state is never changed when one is returned.
var (
	// ErrRefused: the transaction breaks a rule (the error is a *RuleError).
	ErrRefused = errors.New("collateralstep: the transaction breaks a rule")
	// ErrOutOfRange: an account id of 2^24 or more (no leaf of the accounts tree).
	ErrOutOfRange = errors.New("collateralstep: account id out of range of layout v2")
	// ErrShape: the transaction does not fit the circuit's shape (a debit from an account holding
	// positions in the no-position shape, or a position in a market at or beyond the table).
	ErrShape = errors.New("collateralstep: the transaction does not fit the circuit's shape")
)

// RuleError lists the rules a transaction breaks; it unwraps to ErrRefused.
type RuleError struct{ Rules []Rule }

// Error names the rules broken.
func (e *RuleError) Error() string {
	s := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		s[i] = string(r)
	}
	return "collateralstep: the transaction breaks " + strings.Join(s, ", ")
}

// Unwrap returns ErrRefused.
func (e *RuleError) Unwrap() error { return ErrRefused }

// Has reports whether r is among the rules broken.
func (e *RuleError) Has(r Rule) bool {
	for _, x := range e.Rules {
		if x == r {
			return true
		}
	}
	return false
}

// Separators are a deployment's withdrawal and transfer separators as the circuits take them
// (constants of the circuit: one circuit per deployment).
type Separators struct {
	Withdrawal, Transfer *big.Int
}

// SeparatorsOf returns D_withdrawal and D_transfer of a domain.
func SeparatorsOf(d messages.Domain) Separators {
	w, t := d.Separator(messages.Withdrawal), d.Separator(messages.Transfer)
	return Separators{Withdrawal: w.BigInt(new(big.Int)), Transfer: t.BigInt(new(big.Int))}
}

// ApplyDeposit credits a deposit: an empty slot becomes the account (the deposit's key and owner,
// fee tier 0, nonce 0, collateral = amount, empty fills tree and list); an existing account must
// be bound to the same owner and key and is credited after its funding is settled, as the engine
// credits (Settlement.credit). It returns a new state and leaves s unchanged.
func ApplyDeposit(s *layoutv2.State, d Deposit) (*layoutv2.State, error) {
	e, err := executeDeposit(s, d, false, noCircuit)
	if err != nil {
		return nil, err
	}
	return e.next, nil
}

// ApplyWithdrawal debits a signed withdrawal as the engine does (Settlement.withdraw): funding
// settled on every position, then the amount, which must not exceed the free collateral; L1 pays
// the account's bound owner. The nonce grows by one.
func ApplyWithdrawal(s *layoutv2.State, w Withdrawal) (*layoutv2.State, error) {
	e, err := executeWithdrawal(s, w, false, noCircuit)
	if err != nil {
		return nil, err
	}
	return e.next, nil
}

// ApplyTransfer moves collateral from a signed sender, debited as a withdrawal is, to another
// existing account, credited after its funding is settled (Settlement.transfer). The sender's
// nonce grows by one.
func ApplyTransfer(s *layoutv2.State, t Transfer) (*layoutv2.State, error) {
	e, err := executeTransfer(s, t, false, noCircuit)
	if err != nil {
		return nil, err
	}
	return e.next, nil
}

// ApplyForcedWithdrawal serves a forced withdrawal as the engine does
// (SequencerCore.serveForcedWithdrawal): it pays the amount if the account's free collateral
// covers it, debiting it as a withdrawal is (funding settled first, nonce unchanged), else
// nothing changes; either way the request is consumed (a paid amount of 0 is not a refusal).
// Refusals are the requests L1 cannot make (missing account, owner mismatch, the fund, an amount
// above 2^63 − 1).
func ApplyForcedWithdrawal(s *layoutv2.State, f ForcedWithdrawal) (*layoutv2.State, error) {
	e, err := executeForced(s, f, false, noCircuit)
	if err != nil {
		return nil, err
	}
	return e.next, nil
}

func hasPositions(p layoutv2.Positions) bool {
	for _, e := range p {
		if !e.Empty() {
			return true
		}
	}
	return false
}

// rules collects broken rules in order, without repeats.
type rules []Rule

func (r *rules) add(x Rule) {
	for _, y := range *r {
		if y == x {
			return
		}
	}
	*r = append(*r, x)
}

func (r rules) err() error {
	if len(r) == 0 {
		return nil
	}
	return &RuleError{Rules: r}
}

func checkID(id uint64) error {
	if id > layoutv2.InsuranceFundAccount {
		return fmt.Errorf("%w: %d", ErrOutOfRange, id)
	}
	return nil
}

// existingAccount returns the leaf of account id in s: ErrOutOfRange for an id ≥ 2^24, the rule
// RuleNoAccount for an empty slot.
func existingAccount(s *layoutv2.State, id uint64) (layoutv2.Account, error) {
	if err := checkID(id); err != nil {
		return layoutv2.Account{}, err
	}
	a, ok := s.Account(id)
	if !ok {
		return layoutv2.Account{}, rules{RuleNoAccount}.err()
	}
	return a, nil
}

// addCollateral is c + amount if it stays an i64.
func addCollateral(c int64, amount uint64) (int64, bool) {
	if amount > batch.MaxAmount {
		return 0, false
	}
	s := c + int64(amount)
	return s, s >= c
}

// verifySignature checks a 64-byte signature over msg under the account's key exactly as the
// circuit does (batch.VerifySignature: key and R on the curve, S < l, cofactored equation).
func verifySignature(a layoutv2.Account, sig []byte, msg fr.Element) bool {
	var s eddsa.Signature
	if len(sig) != 64 {
		return false
	}
	if _, err := s.SetBytes(sig); err != nil {
		return false
	}
	var sc fr.Element
	sc.SetBytes(s.S[:])
	if new(big.Int).SetBytes(s.S[:]).Cmp(sc.BigInt(new(big.Int))) != 0 {
		return false // S ≥ r: the circuit's field element would differ
	}
	return batch.VerifySignature(a.Identity.PublicKeyX, a.Identity.PublicKeyY, s.R.X, s.R.Y, sc, msg)
}

// debit checks the rules of a signed debit (withdrawal, transfer) from account a — nonce, key,
// signature, a positive amount, free collateral — and returns the account settled.
func debit(r *rules, s *layoutv2.State, id uint64, a layoutv2.Account, nonce, amount uint64, sig []byte, msg fr.Element) settled {
	if id == layoutv2.InsuranceFundAccount {
		r.add(RuleFundAccount)
	}
	if nonce != a.Nonce || a.Nonce == math.MaxUint64 {
		r.add(RuleNonce)
	}
	if !verifySignature(a, sig, msg) {
		r.add(RuleSignature)
	}
	if amount == 0 {
		r.add(RuleZeroAmount)
	}
	st, err := settle(s, a)
	switch {
	case amount > batch.MaxAmount || err != nil:
		r.add(RuleRange)
	case st.free < 0 || amount > uint64(st.free):
		r.add(RuleCollateral)
	}
	return st
}

// setDebited writes a debited account: funding settled (collateral and snapshots), the amount
// taken, the nonce + 1.
func setDebited(st *layoutv2.State, id uint64, a layoutv2.Account, s settled, amount uint64) error {
	return st.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: a.Nonce + 1,
		Collateral: s.collateral - int64(amount), Positions: s.positions})
}

// setCollateral writes an account with another collateral and nonce into st.
func setCollateral(st *layoutv2.State, id uint64, a layoutv2.Account, collateral int64, nonce uint64) error {
	return st.SetAccount(id, layoutv2.AccountFields{Identity: a.Identity, Nonce: nonce, Collateral: collateral, Positions: a.Positions})
}
