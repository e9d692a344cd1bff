package collateralstep

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// chain is four steps in one circuit sharing one Env, as a batch composes them: each step's old
// root is the previous step's new root; the priority operations and public data of the steps
// are asserted against the reference's.
type chain struct {
	OldRoot, NewRoot frontend.Variable `gnark:",public"`
	Deposit          DepositStep
	Withdrawal       WithdrawalStep
	Transfer         TransferStep
	Forced           ForcedWithdrawalStep
	PublicData       []frontend.Variable
	PriorityOps      [2]frontend.Variable
}

func (c *chain) Define(api frontend.API) error {
	env, err := stepenv.New(api, 0)
	if err != nil {
		return err
	}
	root := c.OldRoot
	var data []frontend.Variable
	var ops []frontend.Variable
	for _, s := range []stepenv.Step{&c.Deposit, &c.Withdrawal, &c.Transfer, &c.Forced} {
		t, err := s.Transition(env)
		if err != nil {
			return err
		}
		api.AssertIsEqual(t.OldRoot, root)
		root = t.NewRoot
		data = append(data, t.PublicData...)
		if t.IsPriority == 1 {
			ops = append(ops, t.PriorityOp)
		}
	}
	api.AssertIsEqual(root, c.NewRoot)
	for i := range data {
		api.AssertIsEqual(data[i], c.PublicData[i])
	}
	for i := range ops {
		api.AssertIsEqual(ops[i], c.PriorityOps[i])
	}
	return nil
}

// TestStepsComposeInOneEnv: a deposit into a new account, a withdrawal, a transfer and a forced
// withdrawal chained from the reference's successive states solve one circuit sharing one range
// checker, permutation and curve; the same chain with the steps' middle state skipped does not.
func TestStepsComposeInOneEnv(t *testing.T) {
	s0 := newState(t)
	d, s1, err := DepositWitness(s0, newDeposit(t))
	if err != nil {
		t.Fatal(err)
	}
	w, s2, err := WithdrawalWitness(s1, validWithdrawal(t))
	if err != nil {
		t.Fatal(err)
	}
	tr, s3, err := TransferWitness(s2, transfer(t, 5, demoDomain, tm(sender, empty, 1_000, 4)))
	if err != nil {
		t.Fatal(err)
	}
	f, s4, err := ForcedWithdrawalWitness(s3, ForcedWithdrawal{Account: empty, L1Owner: ownerB, Amount: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := s4.Account(empty); a.Collateral != 0 {
		t.Fatalf("the new account holds %d after its forced withdrawal of 9,000 + 1,000", a.Collateral)
	}
	shape := &chain{Withdrawal: NewWithdrawalStep(seps), Transfer: NewTransferStep(seps)}
	assign := &chain{OldRoot: el(s0.Root()), NewRoot: el(s4.Root()), Deposit: d.Step, Withdrawal: w.Step, Transfer: tr.Step, Forced: f.Step,
		PriorityOps: [2]frontend.Variable{d.PriorityOp, f.PriorityOp}}
	for _, pd := range [][]frontend.Variable{d.PublicData, w.PublicData, tr.PublicData, f.PublicData} {
		assign.PublicData = append(assign.PublicData, pd...)
	}
	shape.PublicData = make([]frontend.Variable, len(assign.PublicData))
	if err := solve(shape, assign); err != nil {
		t.Fatalf("the chain does not solve: %v", err)
	}
	// the transfer's witness taken in the deposit's state instead of the withdrawal's
	tr1, _, err := TransferWitness(s1, transfer(t, 5, demoDomain, tm(sender, empty, 1_000, 3)))
	if err != nil {
		t.Fatal(err)
	}
	assign.Transfer = tr1.Step
	if err := solve(shape, assign); err == nil {
		t.Fatal("a step opened in a state other than the previous step's solves")
	}
}
