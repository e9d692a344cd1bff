package collateralstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/budget"
	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// part compiles a piece of a step with its own Env (range checker, permutation, curve).
type part struct {
	In []frontend.Variable
	f  func(env *stepenv.Env, in []frontend.Variable) error
}

func (c *part) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	return c.f(env, c.In)
}

// budgetLines: each standalone step circuit (R1CS), and the pieces the signed steps share.
func budgetLines(t testing.TB) map[string]int {
	out := map[string]int{
		"deposit step":           budget.Count(t, NewDepositCircuit()),
		"withdrawal step":        budget.Count(t, NewWithdrawalCircuit(seps)),
		"transfer step":          budget.Count(t, NewTransferCircuit(seps)),
		"forced withdrawal step": budget.Count(t, NewForcedWithdrawalCircuit()),
		"withdrawal step, margin shape, 8 entries, 1-market table":         budget.Count(t, NewWithdrawalCircuitWithMargin(seps, 1)),
		"withdrawal step, margin shape, 8 entries, 4-market table":         budget.Count(t, NewWithdrawalCircuitWithMargin(seps, 4)),
		"withdrawal step, margin shape, 8 entries, 10-market table":        budget.Count(t, NewWithdrawalCircuitWithMargin(seps, 10)),
		"transfer step, margin shape, 8 entries, 10-market table":          budget.Count(t, NewTransferCircuitWithMargin(seps, 10)),
		"forced withdrawal step, margin shape, 8 entries, 10-market table": budget.Count(t, NewForcedWithdrawalCircuitWithMargin(10)),
		"deposit step, margin shape, 8 entries, 10-market table":           budget.Count(t, NewDepositCircuitWithMargin(10)),
	}
	out["part: EdDSA verification (key and R on the curve, Poseidon2 challenge)"] = budget.Count(t, &part{In: make([]frontend.Variable, 6),
		f: func(env *stepenv.Env, in []frontend.Variable) error {
			return verify(env, in[0], in[1], Signature{RX: in[2], RY: in[3], S: in[4]}, in[5])
		}})
	out["part: one account leaf before and after with its depth-24 update (identity, empty list)"] = budget.Count(t, &part{In: make([]frontend.Variable, 33),
		f: func(env *stepenv.Env, in []frontend.Variable) error {
			l := Leaf{PublicKeyX: in[0], PublicKeyY: in[1], L1Owner: in[2], FeeTier: in[3], Nonce: in[4], Collateral: in[5], FillsRoot: in[6]}
			copy(l.Path[:], in[7:31])
			id := identity(env, &l)
			old := accountLeaf(env, id, l.Nonce, l.Collateral, l.FillsRoot, emptyList)
			next := accountLeaf(env, id, l.Nonce, in[31], l.FillsRoot, emptyList)
			r0, r1 := update(env, accountBits(env, in[32], false), l.Path[:], old, next)
			env.API.AssertIsEqual(env.API.Add(r0, r1), 0)
			return nil
		}})
	return out
}

// TestConstraintBudget compiles the steps (R1CS) and compares with constraints.csv: any change
// fails (update the file deliberately, with the reason). The counts are printed with -v.
func TestConstraintBudget(t *testing.T) {
	budget.Check(t, "constraints.csv", budgetLines(t))
}
