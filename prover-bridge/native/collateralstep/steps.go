package collateralstep

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Public-data lengths in bytes (docs/batch-format.md "Format v3 (draft): collateral steps").
const (
	DepositDataBytes          = 1  // type
	WithdrawalDataBytes       = 32 // type ‖ account (3) ‖ amount (8) ‖ l1Owner (20)
	TransferDataBytes         = 15 // type ‖ from (3) ‖ to (3) ‖ amount (8)
	ForcedWithdrawalDataBytes = 32 // type ‖ account (3) ‖ paid (8) ‖ l1Owner (20)
)

// Signature is an EdDSA signature as a step takes it: R affine and S.
type Signature struct {
	RX, RY, S frontend.Variable
}

// verify asserts that sig is a valid signature of msg under the key (x, y): key and R on the
// curve, cofactored verification with the Poseidon2 challenge (docs/state-layout.md §6). The
// insurance fund's key (0, 0) is not on the curve, so it never verifies.
func verify(env *stepenv.Env, x, y frontend.Variable, sig Signature, msg frontend.Variable) error {
	key := eddsa.PublicKey{A: twistededwards.Point{X: x, Y: y}}
	s := eddsa.Signature{R: twistededwards.Point{X: sig.RX, Y: sig.RY}, S: sig.S}
	env.Curve.AssertIsOnCurve(key.A)
	env.Curve.AssertIsOnCurve(s.R)
	h, err := poseidon2hash.New(env.API)
	if err != nil {
		return err
	}
	return eddsa.Verify(env.Curve, s, msg, key, h)
}

// debitLeaf is a signed debit's account leaf before and after (nonce + 1): in the no-position shape
// the list is empty and the collateral after in [0, 2^63); in the margin shape, Margin.debit.
func debitLeaf(env *stepenv.Env, a *Leaf, margin []Margin, table *perp.MarketTable, amount frontend.Variable) (old, next frontend.Variable) {
	api := env.API
	id := identity(env, a)
	if len(margin) == 1 {
		return margin[0].debit(env, table, id, a.Nonce, api.Add(a.Nonce, 1), a.Collateral, a.FillsRoot, amount)
	}
	after := api.Sub(a.Collateral, amount)
	env.RC.Check(after, 63)
	old = accountLeaf(env, id, a.Nonce, a.Collateral, a.FillsRoot, emptyList)
	next = accountLeaf(env, id, api.Add(a.Nonce, 1), after, a.FillsRoot, emptyList)
	return old, next
}

// DepositStep credits a deposit (an L1 priority operation) to its account, creating it in an
// empty slot. Exists = 0 opens the empty slot (leaf 0); A then holds the new account's fields:
// the deposit's key and owner, fee tier 0, nonce 0, collateral 0, the empty fills root, and List
// all zero. An existing account must have the deposit's key and owner. The insurance fund cannot
// receive a deposit.
//
// In the no-position shape (Margin empty) List is the account's packed list, rehashed unchanged;
// in the margin shape (NewDepositCircuitWithMargin) List is 0 and Margin[0].List holds the entries,
// on which funding is settled first, as the engine credits (Settlement.credit).
type DepositStep struct {
	Account, L1Owner, PublicKeyX, PublicKeyY, Amount frontend.Variable
	Exists                                           frontend.Variable
	A                                                Leaf
	List                                             List
	Margin                                           []Margin // empty, or one: the shape
	Rest                                             Rest
}

// Transition implements stepenv.Step.
func (d *DepositStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api := env.API
	bits := accountBits(env, d.Account, true)
	env.RC.Check(d.Amount, 63)
	api.AssertIsBoolean(d.Exists)
	// the leaf's key and owner are the deposit's: an existing account's must match, a new one takes them
	api.AssertIsEqual(d.A.PublicKeyX, d.PublicKeyX)
	api.AssertIsEqual(d.A.PublicKeyY, d.PublicKeyY)
	api.AssertIsEqual(d.A.L1Owner, d.L1Owner)
	// a new account starts at fee tier 0, nonce 0, collateral 0, empty fills tree, empty list
	fresh := api.Sub(1, d.Exists)
	for _, v := range []frontend.Variable{d.A.FeeTier, d.A.Nonce, d.A.Collateral, api.Sub(d.A.FillsRoot, emptyFills),
		d.List[0], d.List[1], d.List[2], d.List[3]} {
		api.AssertIsEqual(api.Mul(fresh, v), 0)
	}
	id := identity(env, &d.A)
	var old, next frontend.Variable
	if len(d.Margin) == 1 {
		// the margin shape settles funding on the credited account's entries (a new one has none)
		m := &d.Margin[0]
		for _, q := range d.List {
			api.AssertIsEqual(q, 0) // not read in this shape
		}
		for j := range m.List {
			api.AssertIsEqual(api.Mul(fresh, m.List[j].Size), 0)
		}
		old, next = credited(env, m.table(env, d.Rest.MarketsRoot), m.List[:], id, d.A.Nonce, d.A.Collateral, d.A.FillsRoot, d.Amount)
		old = api.Mul(d.Exists, old)
	} else {
		old = api.Mul(d.Exists, accountLeaf(env, id, d.A.Nonce, d.A.Collateral, d.A.FillsRoot, d.List))
		next = accountLeaf(env, id, d.A.Nonce, api.Add(d.A.Collateral, d.Amount), d.A.FillsRoot, d.List)
	}
	r0, r1 := update(env, bits, d.A.Path[:], old, next)
	return stepenv.Transition{
		OldRoot:    env.Layout.StateRoot(r0, d.Rest.MarketsRoot, d.Rest.GlobalLeaf),
		NewRoot:    env.Layout.StateRoot(r1, d.Rest.MarketsRoot, d.Rest.GlobalLeaf),
		PublicData: []frontend.Variable{uint8(batch.TxDeposit)},
		IsPriority: 1,
		PriorityOp: env.Layout.Hash(tagDeposit, d.Account, d.L1Owner, d.PublicKeyX, d.PublicKeyY, d.Amount),
	}, nil
}

// WithdrawalStep debits a signed withdrawal and pays the account's bound L1 owner. L1Owner and
// Nonce are the signed message's and must be the leaf's; the signature is over
// messages.WithdrawalMessage in the deployment whose separator the step holds. With Margin empty
// (the no-position shape) the account's list must be empty and the collateral after stays in
// [0, 2^63); with one Margin (the margin shape, NewWithdrawalCircuitWithMargin) the account may
// hold positions and the engine's free-collateral rule is checked (Margin.debit).
type WithdrawalStep struct {
	Account, L1Owner, Amount, Nonce frontend.Variable
	Signature                       Signature
	A                               Leaf
	Margin                          []Margin // empty, or one: the shape
	Rest                            Rest

	separator *big.Int // D_withdrawal of the deployment, a constant of the circuit
}

// Transition implements stepenv.Step.
func (w *WithdrawalStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api := env.API
	bits := accountBits(env, w.Account, true)
	api.AssertIsEqual(w.A.L1Owner, w.L1Owner)
	api.AssertIsEqual(w.A.Nonce, w.Nonce)
	amount := amountBytes(env, w.Amount)
	api.AssertIsDifferent(w.Amount, 0) // amounts are positive (the engine's COLLATERAL_REJECTED)
	owner := bytesBE(env, w.L1Owner, 20)
	msg := messages.WithdrawalHash(api, w.separator, w.Account, w.L1Owner, w.Amount, w.Nonce)
	if err := verify(env, w.A.PublicKeyX, w.A.PublicKeyY, w.Signature, msg); err != nil {
		return stepenv.Transition{}, err
	}
	var table *perp.MarketTable
	if len(w.Margin) == 1 {
		table = w.Margin[0].table(env, w.Rest.MarketsRoot)
	}
	old, next := debitLeaf(env, &w.A, w.Margin, table, w.Amount)
	r0, r1 := update(env, bits, w.A.Path[:], old, next)
	return stepenv.Transition{
		OldRoot:    env.Layout.StateRoot(r0, w.Rest.MarketsRoot, w.Rest.GlobalLeaf),
		NewRoot:    env.Layout.StateRoot(r1, w.Rest.MarketsRoot, w.Rest.GlobalLeaf),
		PublicData: concat([]frontend.Variable{uint8(batch.TxWithdrawal)}, idBytes(env, bits), amount, owner),
		IsPriority: 0, PriorityOp: 0,
	}, nil
}

// TransferStep moves collateral from a signed sender to another existing account (whose list is
// untouched). The receiver's path is taken in the accounts tree after the sender's update. The
// sender is debited as a withdrawal is, in the no-position or the margin shape (Margin).
type TransferStep struct {
	Account, Receiver, Amount, Nonce frontend.Variable
	Signature                        Signature
	A                                Leaf
	Margin                           []Margin // empty, or one: the shape
	B                                Credited
	Rest                             Rest

	separator *big.Int // D_transfer of the deployment
}

// Transition implements stepenv.Step.
func (t *TransferStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api := env.API
	bitsA := accountBits(env, t.Account, true)
	bitsB := accountBits(env, t.Receiver, true) // the fund receives no transfer (the engine's range)
	api.AssertIsDifferent(t.Account, t.Receiver)
	api.AssertIsEqual(t.A.Nonce, t.Nonce)
	amount := amountBytes(env, t.Amount)
	api.AssertIsDifferent(t.Amount, 0) // amounts are positive (the engine's COLLATERAL_REJECTED)
	msg := messages.TransferHash(api, t.separator, t.Account, t.Receiver, t.Amount, t.Nonce)
	if err := verify(env, t.A.PublicKeyX, t.A.PublicKeyY, t.Signature, msg); err != nil {
		return stepenv.Transition{}, err
	}
	var table *perp.MarketTable
	if len(t.Margin) == 1 {
		table = t.Margin[0].table(env, t.Rest.MarketsRoot)
	}
	oldA, nextA := debitLeaf(env, &t.A, t.Margin, table, t.Amount)
	r0, mid := update(env, bitsA, t.A.Path[:], oldA, nextA)
	// the receiver: an opened leaf is a hash, never the empty leaf 0, so the receiver exists
	b := &t.B
	var oldB, nextB frontend.Variable
	if len(t.Margin) == 1 {
		// the margin shape settles the receiver's funding too, over the same table
		for _, q := range b.List {
			api.AssertIsEqual(q, 0) // not read in this shape
		}
		oldB, nextB = credited(env, table, b.Entries, b.Identity, b.Nonce, b.Collateral, b.FillsRoot, t.Amount)
	} else {
		oldB = accountLeaf(env, b.Identity, b.Nonce, b.Collateral, b.FillsRoot, b.List)
		nextB = accountLeaf(env, b.Identity, b.Nonce, api.Add(b.Collateral, t.Amount), b.FillsRoot, b.List)
	}
	mid2, r1 := update(env, bitsB, b.Path[:], oldB, nextB)
	api.AssertIsEqual(mid, mid2)
	return stepenv.Transition{
		OldRoot:    env.Layout.StateRoot(r0, t.Rest.MarketsRoot, t.Rest.GlobalLeaf),
		NewRoot:    env.Layout.StateRoot(r1, t.Rest.MarketsRoot, t.Rest.GlobalLeaf),
		PublicData: concat([]frontend.Variable{uint8(batch.TxTransfer)}, idBytes(env, bitsA), idBytes(env, bitsB), amount),
		IsPriority: 0, PriorityOp: 0,
	}, nil
}

// ForcedWithdrawalStep serves a forced withdrawal requested on L1 by the account's bound owner
// (an L1 priority operation); either way the request is consumed. In the no-position shape
// (Margin empty) it pays the requested amount if the account holds no position and
// 0 ≤ amount ≤ collateral, and nothing otherwise. In the margin shape
// (NewForcedWithdrawalCircuitWithMargin) it pays if the free collateral covers the amount,
// settling funding as a withdrawal does (Margin.forced), and changes nothing otherwise. Covers is
// the prover's claim that the amount is covered, pinned by one range check: a wrong claim leaves
// the system unsatisfied. List is the packed list the no-position shape rehashes (unused, 0, in
// the margin shape, which reads the entries).
type ForcedWithdrawalStep struct {
	Account, L1Owner, Amount frontend.Variable
	Covers                   frontend.Variable
	A                        Leaf
	List                     List
	Margin                   []Margin // empty, or one: the shape
	Rest                     Rest
}

// Transition implements stepenv.Step.
func (f *ForcedWithdrawalStep) Transition(env *stepenv.Env) (stepenv.Transition, error) {
	api := env.API
	bits := accountBits(env, f.Account, true)
	api.AssertIsEqual(f.A.L1Owner, f.L1Owner)
	amountBytes(env, f.Amount)
	owner := bytesBE(env, f.L1Owner, 20)
	api.AssertIsBoolean(f.Covers)
	id := identity(env, &f.A)
	var old, next, paid frontend.Variable
	if len(f.Margin) == 1 {
		for _, q := range f.List {
			api.AssertIsEqual(q, 0) // not read in this shape
		}
		old, next, paid = f.Margin[0].forced(env, id, f.A.Nonce, f.A.Collateral, f.A.FillsRoot, f.Amount, f.Covers, f.Rest.MarketsRoot)
	} else {
		// covers ⇒ collateral − amount ∈ [0, 2^64); ¬covers ⇒ amount − collateral − 1 ∈ [0, 2^64).
		// |collateral| < 2^63 and amount < 2^63, so the wrong claim always leaves the range.
		diff := api.Sub(f.A.Collateral, f.Amount)
		env.RC.Check(api.Select(f.Covers, diff, api.Sub(api.Neg(diff), 1)), 64)
		var noPosition frontend.Variable = 1
		for _, q := range f.List {
			noPosition = api.Mul(noPosition, api.IsZero(q))
		}
		paid = api.Mul(f.Covers, noPosition, f.Amount)
		old = accountLeaf(env, id, f.A.Nonce, f.A.Collateral, f.A.FillsRoot, f.List)
		next = accountLeaf(env, id, f.A.Nonce, api.Sub(f.A.Collateral, paid), f.A.FillsRoot, f.List)
	}
	r0, r1 := update(env, bits, f.A.Path[:], old, next)
	return stepenv.Transition{
		OldRoot:    env.Layout.StateRoot(r0, f.Rest.MarketsRoot, f.Rest.GlobalLeaf),
		NewRoot:    env.Layout.StateRoot(r1, f.Rest.MarketsRoot, f.Rest.GlobalLeaf),
		PublicData: concat([]frontend.Variable{uint8(batch.TxForcedWithdrawal)}, idBytes(env, bits), bytesBE(env, paid, 8), owner),
		IsPriority: 1,
		PriorityOp: env.Layout.Hash(tagForced, f.Account, f.L1Owner, f.Amount),
	}, nil
}
