package prover

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/circuit"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// batchCircuit is one kind of batch circuit as the prover sees it: the allocated circuit to
// compile, and a witness in its binary encoding turned into a full assignment with its public
// input.
type batchCircuit interface {
	// allocate returns the circuit to compile.
	allocate() (frontend.Circuit, error)
	// assign decodes and checks a witness: a typed format error (*batch.WitnessFormatError or
	// *batchv3.FormatError), an *UnsatisfiableError for a rule checked natively, or the
	// assignment with the public input.
	assign(raw []byte) (frontend.Circuit, [32]byte, error)
}

func circuitOf(shape Shape, d messages.Domain) (batchCircuit, error) {
	if err := shape.check(); err != nil {
		return nil, err
	}
	if shape.Format == FormatV3 {
		return v3Circuit{shape: shape.V3, domain: d}, nil
	}
	if d != (messages.Domain{}) {
		return nil, fmt.Errorf("prover: shape %s is format v2, which has no deployment domain", shape.Name)
	}
	return v2Circuit{batchSize: shape.BatchSize}, nil
}

// v2Circuit is the collateral batch circuit of format v2 (package circuit).
type v2Circuit struct{ batchSize int }

func (c v2Circuit) allocate() (frontend.Circuit, error) { return circuit.New(c.batchSize), nil }

func (c v2Circuit) assign(raw []byte) (frontend.Circuit, [32]byte, error) {
	var pi [32]byte
	w, err := batch.Decode(raw, c.batchSize)
	if err != nil {
		return nil, pi, err
	}
	pi, _, _, err = batch.Commitment(w)
	if err != nil {
		var re *batch.RuleError
		if errors.As(err, &re) {
			return nil, pi, &UnsatisfiableError{TxIndex: re.TxIndex, Reason: string(re.Rule) + ": " + re.Detail}
		}
		return nil, pi, err
	}
	return circuit.Assign(w, pi), pi, nil
}

// v3Circuit is the format v3 batch circuit of package batchv3 for one deployment. A v3 witness
// carries no transaction to check natively: every rule is the solver's, so a broken one is an
// *UnsatisfiableError at batch level (TxIndex −1).
type v3Circuit struct {
	shape  batchv3.Shape
	domain messages.Domain
}

func (c v3Circuit) allocate() (frontend.Circuit, error) { return batchv3.NewCircuit(c.shape, c.domain) }

func (c v3Circuit) assign(raw []byte) (frontend.Circuit, [32]byte, error) {
	var pi [32]byte
	w, err := batchv3.Decode(raw, c.shape)
	if err != nil {
		return nil, pi, err
	}
	a, err := w.Assignment(c.domain)
	if err != nil {
		return nil, pi, err
	}
	e := w.PublicInput()
	return a, e.Bytes(), nil
}

// publicInputOnly is the public part of every batch circuit: its one public input.
type publicInputOnly struct {
	PublicInput frontend.Variable `gnark:",public"`
}

func (*publicInputOnly) Define(frontend.API) error { return nil }
