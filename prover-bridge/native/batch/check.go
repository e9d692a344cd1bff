package batch

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layout"
)

// RuleError names the first rule of the batch that a witness breaks. TxIndex is the slot, or −1
// for a batch-level rule.
type RuleError struct {
	TxIndex int
	Rule    Rule
	Detail  string
}

func (e *RuleError) Error() string {
	if e.TxIndex < 0 {
		return fmt.Sprintf("batch: %s: %s", e.Rule, e.Detail)
	}
	return fmt.Sprintf("transaction %d: %s: %s", e.TxIndex, e.Rule, e.Detail)
}

// Rule identifies one rule the circuit enforces.
type Rule string

// Rules of batch format v1.
const (
	RuleStaleLeafA     Rule = "account A leaf not in the state"
	RuleStaleLeafB     Rule = "account B leaf not in the state"
	RuleNoAccount      Rule = "account does not exist"
	RuleBinding        Rule = "deposit does not match the account's owner and key"
	RuleForcedOwner    Rule = "forced withdrawal does not match the account's owner"
	RuleNonce          Rule = "nonce"
	RuleSignature      Rule = "signature"
	RuleOverdraft      Rule = "overdraft"
	RuleRange          Rule = "64-bit range"
	RulePublicKey      Rule = "public key not on the curve"
	RulePriorityLength Rule = "priority count"
)

func i64Add(a int64, b uint64) (int64, bool) {
	if b > MaxAmount {
		return 0, false
	}
	s := a + int64(b)
	if s < a {
		return 0, false
	}
	return s, true
}

var curveParams = twistededwards.GetEdwardsCurve()

// VerifySignature checks an EdDSA signature given as affine R and scalar S over a one-element
// message under public key (pkX, pkY), exactly as the circuit does: R and the key on the curve,
// S < l, and [8]([S]B − [c]A − R) = 0 with c = H(R.x, R.y, A.x, A.y, m).
func VerifySignature(pkX, pkY, rx, ry, s, msg fr.Element) bool {
	a := twistededwards.PointAffine{X: pkX, Y: pkY}
	r := twistededwards.PointAffine{X: rx, Y: ry}
	if !a.IsOnCurve() || !r.IsOnCurve() {
		return false
	}
	sInt := s.BigInt(new(big.Int))
	if sInt.Cmp(&curveParams.Order) >= 0 {
		return false
	}
	h := poseidon2.NewMerkleDamgardHasher()
	for _, e := range []fr.Element{rx, ry, pkX, pkY, msg} {
		b := e.Bytes()
		h.Write(b[:])
	}
	var c fr.Element
	if err := c.SetBytesCanonical(h.Sum(nil)); err != nil {
		return false
	}
	var sb, ca, q twistededwards.PointAffine
	sb.ScalarMultiplication(&curveParams.Base, sInt)
	ca.ScalarMultiplication(&a, c.BigInt(new(big.Int)))
	q.Neg(&ca)
	q.Add(&sb, &q)
	var negR twistededwards.PointAffine
	negR.Neg(&r)
	q.Add(&q, &negR)
	q.Double(&q)
	q.Double(&q)
	q.Double(&q)
	var id twistededwards.PointAffine
	id.X.SetZero()
	id.Y.SetOne()
	return q.Equal(&id)
}

// SignMessage signs a one-element message with a gnark-crypto key and returns R (affine) and S as
// field elements, as a witness carries them.
func SignMessage(key *eddsa.PrivateKey, msg fr.Element) (rx, ry, s fr.Element, err error) {
	b := msg.Bytes()
	raw, err := key.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return rx, ry, s, err
	}
	var sig eddsa.Signature
	if _, err := sig.SetBytes(raw); err != nil {
		return rx, ry, s, err
	}
	s.SetBytes(sig.S[:])
	return sig.R.X, sig.R.Y, s, nil
}

// Transition is the result of applying one slot: the accounts roots after update A (the
// intermediate root) and after update B, the account leaves after each, and the priority hash
// after the slot.
type Transition struct {
	RootAfterA, RootAfterB fr.Element
	LeafAfterA, LeafAfterB AccountLeaf
	PriorityHash           fr.Element
	Paid                   uint64 // the amount the slot's chunk carries (see [ForcedPaid])
}

// ForcedPaid is what a forced withdrawal of amount pays from collateral: the amount if the
// account holds it (0 ≤ amount ≤ collateral), else 0 — the request is then served as refused.
func ForcedPaid(collateral int64, amount uint64) uint64 {
	if collateral >= 0 && amount <= uint64(collateral) {
		return amount
	}
	return 0
}

// Apply checks one slot against the accounts root it starts from and the priority hash so far,
// exactly by the circuit's rules, and returns the transition or the first broken rule.
func Apply(i int, s *Slot, root, priority fr.Element) (*Transition, error) {
	t, err := ApplyA(i, s, root, priority)
	if err != nil {
		return nil, err
	}
	if err := ApplyB(i, s, t); err != nil {
		return nil, err
	}
	return t, nil
}

// ApplyA checks and applies update A of slot i (all of a deposit's or withdrawal's effect, the
// sender side of a transfer), filling in RootAfterA, LeafAfterA and PriorityHash.
func ApplyA(i int, s *Slot, root, priority fr.Element) (*Transition, error) {
	return applyA(i, s, root, priority, true)
}

func applyA(i int, s *Slot, root, priority fr.Element, strict bool) (*Transition, error) {
	fail := func(r Rule, format string, args ...any) error {
		if !strict {
			return nil
		}
		return &RuleError{TxIndex: i, Rule: r, Detail: fmt.Sprintf(format, args...)}
	}
	oldA := s.A.Before.Hash()
	if got := layout.RootFromProof(uint64(s.AccountA), oldA, s.A.Siblings[:]); !got.Equal(&root) {
		if err := fail(RuleStaleLeafA, "the leaf given for account %d with its siblings does not hash to the current accounts root", s.AccountA); err != nil {
			return nil, err
		}
	}
	t := &Transition{PriorityHash: priority, Paid: s.Amount}
	newA := s.A.Before
	acc := &newA.Account
	switch s.Type {
	case TxNoop:
	case TxDeposit:
		if newA.Exists {
			if acc.L1Owner != s.L1Owner || !acc.PublicKeyX.Equal(&s.PubKeyX) || !acc.PublicKeyY.Equal(&s.PubKeyY) {
				if err := fail(RuleBinding, "account %d is bound to another owner or key", s.AccountA); err != nil {
					return nil, err
				}
			}
		} else {
			newA.Exists = true
			*acc = layout.Account{PublicKeyX: s.PubKeyX, PublicKeyY: s.PubKeyY, L1Owner: s.L1Owner,
				PositionsRoot: layout.EmptyRoot(layout.PositionsDepth), FillsRoot: layout.EmptyRoot(layout.FillsDepth)}
		}
		c, ok := i64Add(acc.Collateral, s.Amount)
		if !ok {
			if err := fail(RuleRange, "collateral %d + deposit %d exceeds 2^63 − 1", acc.Collateral, s.Amount); err != nil {
				return nil, err
			}
			c = acc.Collateral + int64(s.Amount) // wraps; only reached when tracing a broken witness
		}
		acc.Collateral = c
		t.PriorityHash = NextPriorityHash(priority, DepositHash(s.AccountA, s.L1Owner, s.PubKeyX, s.PubKeyY, s.Amount))
	case TxWithdrawal, TxTransfer:
		if !newA.Exists {
			if err := fail(RuleNoAccount, "account %d does not exist", s.AccountA); err != nil {
				return nil, err
			}
		}
		if s.Nonce != acc.Nonce {
			if err := fail(RuleNonce, "transaction nonce %d, account %d expects %d", s.Nonce, s.AccountA, acc.Nonce); err != nil {
				return nil, err
			}
		}
		if acc.Nonce == 1<<64-1 {
			if err := fail(RuleRange, "account %d nonce is exhausted", s.AccountA); err != nil {
				return nil, err
			}
		}
		var msg fr.Element
		if s.Type == TxWithdrawal {
			msg = WithdrawalMessage(s.AccountA, acc.L1Owner, s.Amount, s.Nonce)
		} else {
			msg = TransferMessage(s.AccountA, s.AccountB, s.Amount, s.Nonce)
		}
		pk := twistededwards.PointAffine{X: acc.PublicKeyX, Y: acc.PublicKeyY}
		if !pk.IsOnCurve() {
			if err := fail(RulePublicKey, "account %d public key is not a curve point", s.AccountA); err != nil {
				return nil, err
			}
		}
		if !VerifySignature(acc.PublicKeyX, acc.PublicKeyY, s.SigRX, s.SigRY, s.SigS, msg) {
			if err := fail(RuleSignature, "not a valid signature of account %d over the %s", s.AccountA, s.Type); err != nil {
				return nil, err
			}
		}
		if acc.Collateral < 0 || uint64(acc.Collateral) < s.Amount {
			if err := fail(RuleOverdraft, "account %d has collateral %d, the %s needs %d", s.AccountA, acc.Collateral, s.Type, s.Amount); err != nil {
				return nil, err
			}
		}
		acc.Collateral -= int64(s.Amount)
		acc.Nonce++
	case TxForcedWithdrawal:
		if !newA.Exists {
			if err := fail(RuleNoAccount, "account %d does not exist", s.AccountA); err != nil {
				return nil, err
			}
		}
		if acc.L1Owner != s.L1Owner {
			if err := fail(RuleForcedOwner, "account %d is bound to another owner", s.AccountA); err != nil {
				return nil, err
			}
		}
		if s.Amount > MaxAmount {
			if err := fail(RuleRange, "forced withdrawal amount %d exceeds 2^63 − 1", s.Amount); err != nil {
				return nil, err
			}
		}
		t.Paid = ForcedPaid(acc.Collateral, s.Amount)
		acc.Collateral -= int64(t.Paid)
		t.PriorityHash = NextPriorityHash(priority, ForcedWithdrawalHash(s.AccountA, s.L1Owner, s.Amount))
	}
	t.LeafAfterA = newA
	t.RootAfterA = layout.RootFromProof(uint64(s.AccountA), newA.Hash(), s.A.Siblings[:])
	return t, nil
}

// ApplyB checks and applies update B of slot i against the intermediate root t.RootAfterA,
// filling in RootAfterB and LeafAfterB.
func ApplyB(i int, s *Slot, t *Transition) error { return applyB(i, s, t, true) }

func applyB(i int, s *Slot, t *Transition, strict bool) error {
	fail := func(r Rule, format string, args ...any) error {
		if !strict {
			return nil
		}
		return &RuleError{TxIndex: i, Rule: r, Detail: fmt.Sprintf(format, args...)}
	}
	oldB := s.B.Before.Hash()
	if got := layout.RootFromProof(uint64(s.AccountB), oldB, s.B.Siblings[:]); !got.Equal(&t.RootAfterA) {
		if err := fail(RuleStaleLeafB, "the leaf given for account %d with its siblings does not hash to the intermediate accounts root", s.AccountB); err != nil {
			return err
		}
	}
	newB := s.B.Before
	if s.Type == TxTransfer {
		if !newB.Exists {
			if err := fail(RuleNoAccount, "receiver account %d does not exist", s.AccountB); err != nil {
				return err
			}
		}
		c, ok := i64Add(newB.Account.Collateral, s.Amount)
		if !ok {
			if err := fail(RuleRange, "receiver collateral %d + %d exceeds 2^63 − 1", newB.Account.Collateral, s.Amount); err != nil {
				return err
			}
			c = newB.Account.Collateral + int64(s.Amount) // wraps; only when tracing
		}
		newB.Account.Collateral = c
	}
	t.LeafAfterB = newB
	t.RootAfterB = layout.RootFromProof(uint64(s.AccountB), newB.Hash(), s.B.Siblings[:])
	return nil
}

// Result is the outcome of a whole batch: the accounts root and state roots before and after, the
// priority hash after and the number of deposits consumed.
type Result struct {
	OldStateRoot, NewStateRoot fr.Element
	NewAccountsRoot            fr.Element
	PriorityHashAfter          fr.Element
	PriorityCount              uint32
	OwnersA                    [][20]byte // owner of each slot's account A after the slot
	Paid                       []uint64   // each slot's chunk amount
}

// Check applies every slot in order and returns the batch result or the first broken rule
// (*RuleError).
func Check(w *Witness) (*Result, error) { return run(w, true) }

// Trace computes what the circuit computes for a witness without checking any rule: the roots,
// priority hash and public data follow the circuit's formulas even where a rule is broken. Tests
// use it to build broken witnesses whose public input is otherwise consistent, so that only the
// broken rule can make the circuit unsatisfiable.
func Trace(w *Witness) *Result {
	r, _ := run(w, false)
	return r
}

func run(w *Witness, strict bool) (*Result, error) {
	root, priority := w.AccountsRoot, w.PriorityHashBefore
	res := &Result{OldStateRoot: layout.StateRoot(w.AccountsRoot, w.MarketsRoot, w.GlobalLeaf), OwnersA: make([][20]byte, len(w.Slots)), Paid: make([]uint64, len(w.Slots))}
	for i := range w.Slots {
		t, err := applyA(i, &w.Slots[i], root, priority, strict)
		if err != nil {
			return nil, err
		}
		if err := applyB(i, &w.Slots[i], t, strict); err != nil {
			return nil, err
		}
		root, priority = t.RootAfterB, t.PriorityHash
		res.OwnersA[i] = t.LeafAfterA.Account.L1Owner
		res.Paid[i] = t.Paid
		if w.Slots[i].Type.IsPriority() {
			res.PriorityCount++
		}
	}
	res.NewAccountsRoot = root
	res.PriorityHashAfter = priority
	res.NewStateRoot = layout.StateRoot(root, w.MarketsRoot, w.GlobalLeaf)
	return res, nil
}

// TraceSlot applies slot i without checking any rule, following the circuit's formulas (see
// [Trace]).
func TraceSlot(i int, s *Slot, root, priority fr.Element) *Transition {
	t, _ := applyA(i, s, root, priority, false)
	_ = applyB(i, s, t, false)
	return t
}
