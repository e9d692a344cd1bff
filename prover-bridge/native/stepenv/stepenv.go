// Package stepenv is the contract between the step circuits of layout v2 (perpstep: trade;
// collateralstep: deposit, withdrawal, transfer, forced withdrawal; tickstep: oracle price tick,
// funding tick) and the batch circuit that interleaves them (batchv3, format v3 in
// docs/batch-format.md).
//
// A step is a state transition from one layout v2 state root to the next. In a batch the steps
// share one Env (one range checker, one Poseidon2 permutation, one curve, the batch time), and the
// batch circuit chains their roots through its table of intermediate roots, hashes their public
// data and extends the priority-operation chain with their priority operations. Each step package
// also keeps a standalone circuit (public OldRoot, NewRoot) built on the same Transition, for its
// own tests.
package stepenv

import (
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	poseidon2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2/gadget"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
)

// Env is what every step of one circuit shares. Built once per circuit by New; not safe to share
// between circuits.
type Env struct {
	API    frontend.API
	Curve  twistededwards.Curve
	Perm   *poseidon2perm.Permutation
	RC     frontend.Rangechecker
	Arith  *perp.Arith
	Layout *gadget.Layout
	// BatchTime is the batch's time T (a public input of the batch): no step may be later
	// (docs/perp-circuit.md §8). A standalone step circuit sets it from its own witness.
	BatchTime frontend.Variable
}

// New builds the shared gadgets over api; batchTime is T.
func New(api frontend.API, batchTime frontend.Variable) (*Env, error) {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return nil, err
	}
	perm, err := poseidon2perm.NewPoseidon2(api)
	if err != nil {
		return nil, err
	}
	rc := rangecheck.New(api)
	lay, err := gadget.New(api, rc)
	if err != nil {
		return nil, err
	}
	return &Env{API: api, Curve: curve, Perm: perm, RC: rc, Arith: &perp.Arith{API: api, RC: rc},
		Layout: lay, BatchTime: batchTime}, nil
}

// Transition is what one step proves: the state root before and after, the bytes it contributes
// to the batch's public data (each a variable already range-checked to 8 bits, in the order L1
// reads them, type byte first; the length is fixed by the step type), and the priority operation
// it consumes, if any.
type Transition struct {
	OldRoot, NewRoot frontend.Variable
	PublicData       []frontend.Variable
	// IsPriority is 1 when the step consumes the next L1 priority operation (deposit, forced
	// withdrawal; later forced trade), else 0; PriorityOp is then that operation's hash as the L1
	// contract computes it, else ignored.
	IsPriority, PriorityOp frontend.Variable
}

// Step is a step circuit's witness that can be composed into a batch: Transition adds the step's
// constraints over env and returns what it proves. A no-op (padding) step is the batch circuit's
// business, not a Step's.
type Step interface {
	Transition(env *Env) (Transition, error)
}
