package prover

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	fcs "github.com/consensys/gnark/frontend/cs"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/circuit"
)

func init() {
	logger.Disable() // gnark logs to stdout by default; progress goes through our own writer
}

// WitnessSize is the exact byte length of a witness for batchSize slots.
func WitnessSize(batchSize int) int { return batch.WitnessSize(batchSize) }

// Prover holds one circuit shape's constraint system and keys.
type Prover struct {
	shape    Shape
	ccs      constraint.ConstraintSystem
	pk       groth16.ProvingKey
	vk       groth16.VerifyingKey
	verifier []byte
	manifest Manifest
	progress *progress
}

// Proof is a Groth16 proof of one batch.
type Proof struct {
	Raw         []byte   // gnark's raw encoding (WriteRawTo)
	Solidity    []byte   // what the exported verifier's verifyProof takes
	PublicInput [32]byte // the batch commitment, big-endian, below r
}

// Compile builds the constraint system of a shape.
func Compile(shape Shape) (constraint.ConstraintSystem, error) {
	return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuit.New(shape.BatchSize))
}

// Open compiles the shape's circuit and loads its keys from [ShapeDir], running the setup there
// first if the directory does not exist. progress (may be nil) receives one line per step.
func Open(keyDir string, shape Shape, progressOut io.Writer) (*Prover, error) {
	if shape.BatchSize < 1 || shape.BatchSize > batch.MaxBatchSize {
		return nil, fmt.Errorf("prover: batch size %d out of range", shape.BatchSize)
	}
	p := &Prover{shape: shape, progress: &progress{w: progressOut}}
	stop := p.progress.ticking(fmt.Sprintf("compiling the %s circuit (%d slots)", shape.Name, shape.BatchSize))
	ccs, err := Compile(shape)
	stop()
	if err != nil {
		return nil, fmt.Errorf("prover: compiling the circuit: %w", err)
	}
	p.ccs = ccs
	want, err := expectedManifest(shape, ccs)
	if err != nil {
		return nil, err
	}
	dir := ShapeDir(keyDir, shape.Name, want.ConstraintSystem)
	p.pk, p.vk, p.verifier, err = loadKeys(dir, want)
	if errors.Is(err, os.ErrNotExist) {
		if _, statErr := os.Stat(dir); errors.Is(statErr, os.ErrNotExist) {
			p.pk, p.vk, p.verifier, err = setupKeys(dir, ccs, want, p.progress)
		} else {
			err = &KeyMismatchError{Dir: dir, Reason: "incomplete key set: " + err.Error()}
		}
	}
	if err != nil {
		return nil, err
	}
	p.manifest = want
	p.progress.line(fmt.Sprintf("%s keys ready (%d constraints)", shape.Name, ccs.GetNbConstraints()))
	return p, nil
}

// ShapeDir is where the keys of a shape's circuit live: keyDir/<shape>-<first 12 hex digits of
// the constraint system's SHA-256>. A changed circuit gets a fresh directory (and a fresh setup)
// instead of tripping over the keys of the previous one.
func ShapeDir(keyDir, shape, constraintSystemSha256 string) string {
	return filepath.Join(keyDir, shape+"-"+constraintSystemSha256[:12])
}

// KeyDir is the directory holding this prover's keys.
func (p *Prover) KeyDir(keyDir string) string {
	return ShapeDir(keyDir, p.shape.Name, p.manifest.ConstraintSystem)
}

// Shape is the prover's circuit shape.
func (p *Prover) Shape() Shape { return p.shape }

// Constraints is the number of R1CS constraints of the circuit.
func (p *Prover) Constraints() int { return p.ccs.GetNbConstraints() }

// SolidityVerifier returns the Solidity source of the verifier for these keys.
func (p *Prover) SolidityVerifier() ([]byte, error) { return bytes.Clone(p.verifier), nil }

// Manifest returns the manifest of the loaded keys.
func (p *Prover) Manifest() Manifest { return p.manifest }

// prepare decodes and checks a witness and builds the full gnark witness and the public input.
func (p *Prover) prepare(raw []byte) (witness.Witness, [32]byte, error) {
	var pi [32]byte
	w, err := batch.Decode(raw, p.shape.BatchSize)
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
	full, err := fullWitness(circuit.Assign(w, pi))
	return full, pi, err
}

func fullWitness(assignment frontend.Circuit) (witness.Witness, error) {
	full, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("prover: building the witness: %w", err)
	}
	return full, nil
}

// Check runs gnark's solver on a witness (no proof): nil if the circuit accepts it.
func (p *Prover) Check(raw []byte) error {
	full, _, err := p.prepare(raw)
	if err != nil {
		return err
	}
	return p.solve(full)
}

func (p *Prover) solve(full witness.Witness) error {
	if err := p.ccs.IsSolved(full, solver.OverrideHint(solver.GetHintID(fcs.Bsb22CommitmentComputePlaceholder), commitmentChallenge)); err != nil {
		return &UnsatisfiableError{TxIndex: -1, Reason: "the circuit rejects the batch although every rule checked natively holds: " + err.Error()}
	}
	return nil
}

// commitmentChallenge stands in for the Groth16 commitment when only solving: the lookup
// arguments need a random challenge, which the prover derives from a Pedersen commitment to the
// committed wires. Solving alone derives it by hashing those wires (Fiat–Shamir), which is as
// good for telling whether the witness satisfies the constraints.
func commitmentChallenge(field *big.Int, in []*big.Int, out []*big.Int) error {
	h := sha256.New()
	for _, v := range in {
		var b [32]byte
		v.FillBytes(b[:])
		h.Write(b[:])
	}
	out[0].SetBytes(h.Sum(nil))
	out[0].Mod(out[0], field)
	return nil
}

// Prove proves a witness.
func (p *Prover) Prove(raw []byte) (*Proof, error) {
	full, pi, err := p.prepare(raw)
	if err != nil {
		return nil, err
	}
	stop := p.progress.ticking(fmt.Sprintf("proving a %s batch (%d constraints)", p.shape.Name, p.ccs.GetNbConstraints()))
	proof, err := groth16.Prove(p.ccs, p.pk, full, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	stop()
	if err != nil {
		return nil, &UnsatisfiableError{TxIndex: -1, Reason: err.Error()}
	}
	var rawProof bytes.Buffer
	if _, err := proof.WriteRawTo(&rawProof); err != nil {
		return nil, err
	}
	sol := proof.(*groth16bn254.Proof).MarshalSolidity()
	return &Proof{Raw: rawProof.Bytes(), Solidity: sol, PublicInput: pi}, nil
}

// Verify checks a proof (raw encoding) against a public input.
func (p *Prover) Verify(rawProof []byte, publicInput [32]byte) error {
	proof := groth16.NewProof(ecc.BN254)
	if _, err := proof.ReadFrom(bytes.NewReader(rawProof)); err != nil {
		return &VerifyError{Reason: "malformed proof: " + err.Error()}
	}
	x := new(big.Int).SetBytes(publicInput[:])
	if x.Cmp(ecc.BN254.ScalarField()) >= 0 {
		return &VerifyError{Reason: "public input is not below r"}
	}
	pub, err := frontend.NewWitness(&circuit.Batch{PublicInput: x}, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return err
	}
	if err := groth16.Verify(proof, p.vk, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return &VerifyError{Reason: err.Error()}
	}
	return nil
}
