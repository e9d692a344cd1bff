package collateralstep

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// refusal is one rule broken alone: the reference's error for the transaction and, where the
// state can represent the result, the circuit's witness built by the circuit's formulas anyway
// (force), which must not solve.
type refusal struct {
	name  string
	rules []Rule
	run   func(t *testing.T, s *layoutv2.State) (err error, shape, w frontend.Circuit)
}

var otherChain = messages.Domain{ChainID: 31338, Rollup: demoDomain.Rollup}
var otherRollup = messages.Domain{ChainID: demoDomain.ChainID, Rollup: [20]byte{0xde, 0xad, 19: 1}}

func withdrawalRefusal(name string, rules []Rule, tx func(t testing.TB) Withdrawal) refusal {
	return refusal{name, rules, func(t *testing.T, s *layoutv2.State) (error, frontend.Circuit, frontend.Circuit) {
		w := tx(t)
		_, err := ApplyWithdrawal(s, w)
		e, ferr := executeWithdrawal(s, w, true, shapeFor(s, w.Message.Account))
		if ferr != nil {
			return err, nil, nil
		}
		return err, withdrawalShape(e.circuit), e.circuit
	}}
}

func transferRefusal(name string, rules []Rule, tx func(t testing.TB) Transfer) refusal {
	return refusal{name, rules, func(t *testing.T, s *layoutv2.State) (error, frontend.Circuit, frontend.Circuit) {
		tr := tx(t)
		_, err := ApplyTransfer(s, tr)
		e, ferr := executeTransfer(s, tr, true, max(shapeFor(s, tr.Message.Account), shapeFor(s, tr.Message.Receiver)))
		if ferr != nil {
			return err, nil, nil
		}
		return err, transferShape(e.circuit), e.circuit
	}}
}

func depositRefusal(name string, rules []Rule, tx func(t testing.TB) Deposit) refusal {
	return refusal{name, rules, func(t *testing.T, s *layoutv2.State) (error, frontend.Circuit, frontend.Circuit) {
		d := tx(t)
		_, err := ApplyDeposit(s, d)
		e, ferr := executeDeposit(s, d, true, shapeFor(s, d.Account))
		if ferr != nil {
			return err, nil, nil
		}
		return err, depositShape(e.circuit), e.circuit
	}}
}

func forcedRefusal(name string, rules []Rule, f ForcedWithdrawal) refusal {
	return refusal{name, rules, func(t *testing.T, s *layoutv2.State) (error, frontend.Circuit, frontend.Circuit) {
		_, err := ApplyForcedWithdrawal(s, f)
		e, ferr := executeForced(s, f, true, shapeFor(s, f.Account))
		if ferr != nil {
			return err, nil, nil
		}
		return err, forcedShape(e.circuit), e.circuit
	}}
}

// shapeFor is the table length a debit from the account needs: 0 (the no-position shape) for an
// account without positions, else the margin shape over markets 0 … 3.
func shapeFor(s *layoutv2.State, id uint32) int {
	if a, ok := s.Account(uint64(id)); ok && hasPositions(a.Positions) {
		return 4
	}
	return 0
}

func wm(id uint32, owner [20]byte, amount, nonce uint64) messages.WithdrawalMessage {
	return messages.WithdrawalMessage{Account: id, L1Owner: owner, Amount: amount, Nonce: nonce}
}

func tm(from, to uint32, amount, nonce uint64) messages.TransferMessage {
	return messages.TransferMessage{Account: from, Receiver: to, Amount: amount, Nonce: nonce}
}

func refusals() []refusal {
	sig, nonce, owner, coll := []Rule{RuleSignature}, []Rule{RuleNonce}, []Rule{RuleOwner}, []Rule{RuleCollateral}
	var out []refusal
	// withdrawal
	out = append(out,
		withdrawalRefusal("withdrawal signed by another key", sig, func(t testing.TB) Withdrawal {
			return withdrawal(t, 4, demoDomain, wm(sender, ownerA, 2_500, 3))
		}),
		withdrawalRefusal("withdrawal signature S changed", sig, func(t testing.TB) Withdrawal {
			w := validWithdrawal(t)
			w.Signature[63] ^= 1
			return w
		}),
		withdrawalRefusal("withdrawal account changed after signing", sig, func(t testing.TB) Withdrawal {
			w := validWithdrawal(t)
			w.Message.Account = sibling // same owner and nonce, another key
			return w
		}),
		withdrawalRefusal("withdrawal l1 owner changed after signing", []Rule{RuleOwner, RuleSignature}, func(t testing.TB) Withdrawal {
			w := validWithdrawal(t)
			w.Message.L1Owner = ownerB
			return w
		}),
		withdrawalRefusal("withdrawal to another owner, validly signed", owner, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(sender, ownerB, 2_500, 3))
		}),
		withdrawalRefusal("withdrawal amount changed after signing", sig, func(t testing.TB) Withdrawal {
			w := validWithdrawal(t)
			w.Message.Amount++
			return w
		}),
		withdrawalRefusal("withdrawal nonce changed after signing", []Rule{RuleNonce, RuleSignature}, func(t testing.TB) Withdrawal {
			w := validWithdrawal(t)
			w.Message.Nonce++
			return w
		}),
		withdrawalRefusal("withdrawal signed for another chain id", sig, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, otherChain, wm(sender, ownerA, 2_500, 3))
		}),
		withdrawalRefusal("withdrawal signed for another rollup address", sig, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, otherRollup, wm(sender, ownerA, 2_500, 3))
		}),
		withdrawalRefusal("withdrawal with a nonce not current", nonce, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(sender, ownerA, 2_500, 2))
		}),
		withdrawalRefusal("withdrawal above collateral", coll, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(sender, ownerA, 10_001, 3))
		}),
		withdrawalRefusal("withdrawal leaving a negative collateral more negative", coll, func(t testing.TB) Withdrawal {
			return withdrawal(t, 10, demoDomain, wm(negative, ownerC, 1, 2))
		}),
		withdrawalRefusal("withdrawal from an account holding a position, above its free collateral", coll, func(t testing.TB) Withdrawal {
			return withdrawal(t, 6, demoDomain, wm(holder, ownerB, 100, 7))
		}),
		withdrawalRefusal("withdrawal from the insurance fund", []Rule{RuleFundAccount, RuleSignature}, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(fund, [20]byte{}, 1, 0))
		}),
		withdrawalRefusal("withdrawal of 0", []Rule{RuleZeroAmount}, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(sender, ownerA, 0, 3))
		}),
		transferRefusal("transfer of 0", []Rule{RuleZeroAmount}, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, receiver, 0, 3))
		}),
		withdrawalRefusal("withdrawal of 2^63", []Rule{RuleRange}, func(t testing.TB) Withdrawal {
			return withdrawal(t, 5, demoDomain, wm(sender, ownerA, 1<<63, 3))
		}),
		withdrawalRefusal("withdrawal from a missing account", []Rule{RuleNoAccount}, func(t testing.TB) Withdrawal {
			return withdrawal(t, 8, demoDomain, wm(empty, ownerA, 1, 0))
		}),
	)
	// transfer
	out = append(out,
		transferRefusal("transfer signed by another key", sig, func(t testing.TB) Transfer {
			return transfer(t, 4, demoDomain, tm(sender, receiver, 2_500, 3))
		}),
		transferRefusal("transfer signature S changed", sig, func(t testing.TB) Transfer {
			tr := validTransfer(t, receiver)
			tr.Signature[63] ^= 1
			return tr
		}),
		transferRefusal("transfer sender changed after signing", sig, func(t testing.TB) Transfer {
			tr := validTransfer(t, receiver)
			tr.Message.Account = sibling
			return tr
		}),
		transferRefusal("transfer receiver changed after signing", sig, func(t testing.TB) Transfer {
			tr := validTransfer(t, receiver)
			tr.Message.Receiver = holder
			return tr
		}),
		transferRefusal("transfer amount changed after signing", sig, func(t testing.TB) Transfer {
			tr := validTransfer(t, receiver)
			tr.Message.Amount--
			return tr
		}),
		transferRefusal("transfer nonce changed after signing", []Rule{RuleNonce, RuleSignature}, func(t testing.TB) Transfer {
			tr := validTransfer(t, receiver)
			tr.Message.Nonce--
			return tr
		}),
		transferRefusal("transfer signed for another chain id", sig, func(t testing.TB) Transfer {
			return transfer(t, 5, otherChain, tm(sender, receiver, 2_500, 3))
		}),
		transferRefusal("transfer signed for another rollup address", sig, func(t testing.TB) Transfer {
			return transfer(t, 5, otherRollup, tm(sender, receiver, 2_500, 3))
		}),
		transferRefusal("transfer with a nonce not current", nonce, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, receiver, 2_500, 4))
		}),
		transferRefusal("transfer above collateral", coll, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, receiver, 10_001, 3))
		}),
		transferRefusal("transfer leaving a negative collateral more negative", coll, func(t testing.TB) Transfer {
			return transfer(t, 10, demoDomain, tm(negative, receiver, 1, 2))
		}),
		transferRefusal("transfer from an account holding a position, above its free collateral", coll, func(t testing.TB) Transfer {
			return transfer(t, 6, demoDomain, tm(holder, receiver, 100, 7))
		}),
		transferRefusal("transfer from the insurance fund", []Rule{RuleFundAccount, RuleSignature}, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(fund, receiver, 1, 0))
		}),
		transferRefusal("transfer to the insurance fund", []Rule{RuleFundAccount}, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, fund, 1, 3))
		}),
		transferRefusal("transfer to a missing account", []Rule{RuleNoAccount}, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, empty, 1, 3))
		}),
		transferRefusal("transfer to oneself", []Rule{RuleSelfTransfer}, func(t testing.TB) Transfer {
			return transfer(t, 5, demoDomain, tm(sender, sender, 1, 3))
		}),
	)
	// deposit
	out = append(out,
		depositRefusal("deposit into an account bound to another owner", []Rule{RuleBinding}, func(t testing.TB) Deposit {
			d := existingDeposit(t)
			d.L1Owner = ownerB
			return d
		}),
		depositRefusal("deposit into an account bound to another key", []Rule{RuleBinding}, func(t testing.TB) Deposit {
			d := existingDeposit(t)
			k := key(t, 4).PublicKey
			d.PublicKeyX, d.PublicKeyY = k.A.X, k.A.Y
			return d
		}),
		depositRefusal("deposit into the insurance fund", []Rule{RuleFundAccount}, func(t testing.TB) Deposit {
			return Deposit{Account: fund, Amount: 5} // the fund's own identity: key (0, 0), owner 0
		}),
		depositRefusal("deposit of 2^63", []Rule{RuleRange}, func(t testing.TB) Deposit {
			d := newDeposit(t)
			d.Amount = 1 << 63
			return d
		}),
		depositRefusal("deposit taking the collateral above 2^63 − 1", []Rule{RuleRange}, func(t testing.TB) Deposit {
			d := existingDeposit(t)
			d.Amount = math.MaxInt64 - 9_999
			return d
		}),
	)
	// forced withdrawal
	out = append(out,
		forcedRefusal("forced withdrawal requested by another owner", owner, ForcedWithdrawal{Account: sender, L1Owner: ownerB, Amount: 1}),
		forcedRefusal("forced withdrawal from the insurance fund", []Rule{RuleFundAccount}, ForcedWithdrawal{Account: fund, Amount: 1}),
		forcedRefusal("forced withdrawal of 2^63", []Rule{RuleRange}, ForcedWithdrawal{Account: sender, L1Owner: ownerA, Amount: 1 << 63}),
		forcedRefusal("forced withdrawal from a missing account", []Rule{RuleNoAccount}, ForcedWithdrawal{Account: empty, L1Owner: ownerA, Amount: 1}),
	)
	return out
}

// TestRuleBrokenAloneIsRefused: the reference refuses each transaction with exactly the rules
// listed (a *RuleError unwrapping to ErrRefused) and leaves the state unchanged; where the result
// can be represented, the witness built by the circuit's formulas does not solve. The refusals
// the circuit cannot even be given (a missing account, a self-transfer, an amount or collateral
// out of range) are counted and covered by TestUnrepresentableRefusalsAreUnsatisfiable.
func TestRuleBrokenAloneIsRefused(t *testing.T) {
	circuits := 0
	for _, c := range refusals() {
		t.Run(c.name, func(t *testing.T) {
			s := newState(t)
			before := s.Root()
			err, shape, w := c.run(t, s)
			var re *RuleError
			if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
				t.Fatalf("reference: %v, want a rule error", err)
			}
			got, want := slices.Clone(re.Rules), slices.Clone(c.rules)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("reference refuses for %v, want %v", re.Rules, c.rules)
			}
			if s.Root() != before {
				t.Fatal("a refusal changed the state")
			}
			if w == nil {
				return
			}
			circuits++
			if err := solve(shape, w); err == nil {
				t.Fatal("the circuit accepts it")
			}
		})
	}
	if circuits < 30 {
		t.Fatalf("only %d refusals reached the circuit", circuits)
	}
}
