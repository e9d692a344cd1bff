package prover

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

func init() {
	logger.Disable() // gnark logs to stdout by default; progress goes through our own writer
}

// WitnessSize is the exact byte length of a format v2 witness for batchSize slots (for any shape:
// Shape.WitnessSize).
func WitnessSize(batchSize int) int { return batch.WitnessSize(batchSize) }

// Prover holds one circuit shape's constraint system and keys (format v3: for one deployment
// domain).
type Prover struct {
	shape    Shape
	domain   messages.Domain
	circuit  batchCircuit
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

// Compile builds the constraint system of a format v2 shape.
func Compile(shape Shape) (constraint.ConstraintSystem, error) {
	return CompileFor(shape, messages.Domain{})
}

// CompileFor builds the constraint system of a shape for deployment d (the zero domain for a
// format v2 shape).
func CompileFor(shape Shape, d messages.Domain) (constraint.ConstraintSystem, error) {
	c, err := circuitOf(shape, d)
	if err != nil {
		return nil, err
	}
	return compile(c)
}

func compile(c batchCircuit) (constraint.ConstraintSystem, error) {
	allocated, err := c.allocate()
	if err != nil {
		return nil, err
	}
	return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, allocated)
}

// Open compiles a format v2 shape's circuit and loads its keys from [ShapeDir], running the setup
// there first if the directory does not exist. progress (may be nil) receives one line per step.
// A format v3 shape needs its deployment domain: OpenV3.
func Open(keyDir string, shape Shape, progressOut io.Writer) (*Prover, error) {
	if shape.Format == FormatV3 {
		return nil, fmt.Errorf("prover: shape %s is format v3: open it with its deployment domain (OpenV3)", shape.Name)
	}
	return open(keyDir, shape, messages.Domain{}, progressOut)
}

// OpenV3 compiles a format v3 shape's circuit for deployment d (chain id and rollup address are
// constants of the circuit) and loads its keys from [KeyDirName] under keyDir, running the setup
// there first if the directory does not exist. The manifest records the domain, so keys of
// another deployment are never used.
func OpenV3(keyDir string, shape Shape, d messages.Domain, progressOut io.Writer) (*Prover, error) {
	if shape.Format != FormatV3 {
		return nil, fmt.Errorf("prover: shape %s is format v%d, not v3 (open it with Open)", shape.Name, shape.Format)
	}
	return open(keyDir, shape, d, progressOut)
}

// OpenForCheck compiles a shape's circuit for deployment d (the zero domain for a format v2
// shape) without keys: the prover serves Check (solver only) at the cost of a compile, however
// large the shape, and refuses Prove, Verify and SolidityVerifier with ErrCheckOnly.
func OpenForCheck(shape Shape, d messages.Domain, progressOut io.Writer) (*Prover, error) {
	if shape.Format == FormatV3 && d == (messages.Domain{}) {
		return nil, fmt.Errorf("prover: shape %s is format v3: it needs its deployment domain", shape.Name)
	}
	return compiled(shape, d, progressOut)
}

// ErrCheckOnly: a prover opened by OpenForCheck has no keys to prove, verify or export with.
var ErrCheckOnly = errors.New("prover: opened for checking only (no keys): cannot prove, verify or export a verifier")

func compiled(shape Shape, d messages.Domain, progressOut io.Writer) (*Prover, error) {
	c, err := circuitOf(shape, d)
	if err != nil {
		return nil, err
	}
	p := &Prover{shape: shape, domain: d, circuit: c, progress: &progress{w: progressOut}}
	stop := p.progress.ticking(fmt.Sprintf("compiling the %s circuit (%d slots)", shape.Name, shape.BatchSize))
	ccs, err := compile(c)
	stop()
	if err != nil {
		return nil, fmt.Errorf("prover: compiling the circuit: %w", err)
	}
	p.ccs = ccs
	return p, nil
}

func open(keyDir string, shape Shape, d messages.Domain, progressOut io.Writer) (*Prover, error) {
	p, err := compiled(shape, d, progressOut)
	if err != nil {
		return nil, err
	}
	ccs := p.ccs
	want, err := expectedManifest(shape, d, ccs)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(keyDir, KeyDirName(shape, d, want.ConstraintSystem))
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

// ShapeDir is where the keys of a format v2 shape's circuit live: keyDir/<shape>-<first 12 hex
// digits of the constraint system's SHA-256>. A changed circuit gets a fresh directory (and a
// fresh setup) instead of tripping over the keys of the previous one.
func ShapeDir(keyDir, shape, constraintSystemSha256 string) string {
	return filepath.Join(keyDir, shape+"-"+constraintSystemSha256[:12])
}

// KeyDirName is the name of a key set's directory under the key directory: <shape>-<first 12 hex
// digits of the constraint system's SHA-256> for format v2, <shape>-<chain id>-<rollup address,
// lowercase hex>-<the same 12 digits> for format v3.
func KeyDirName(shape Shape, d messages.Domain, constraintSystemSha256 string) string {
	if shape.Format == FormatV3 {
		return fmt.Sprintf("%s-%d-%s-%s", shape.Name, d.ChainID, hex.EncodeToString(d.Rollup[:]), constraintSystemSha256[:12])
	}
	return shape.Name + "-" + constraintSystemSha256[:12]
}

// KeyDir is the directory holding this prover's keys.
func (p *Prover) KeyDir(keyDir string) string {
	return filepath.Join(keyDir, KeyDirName(p.shape, p.domain, p.manifest.ConstraintSystem))
}

// Domain is the deployment the prover's circuit is built for (the zero domain for format v2).
func (p *Prover) Domain() messages.Domain { return p.domain }

// Shape is the prover's circuit shape.
func (p *Prover) Shape() Shape { return p.shape }

// Constraints is the number of R1CS constraints of the circuit.
func (p *Prover) Constraints() int { return p.ccs.GetNbConstraints() }

// SolidityVerifier returns the Solidity source of the verifier for these keys (ErrCheckOnly
// without keys).
func (p *Prover) SolidityVerifier() ([]byte, error) {
	if p.vk == nil {
		return nil, ErrCheckOnly
	}
	return bytes.Clone(p.verifier), nil
}

// Manifest returns the manifest of the loaded keys.
func (p *Prover) Manifest() Manifest { return p.manifest }

// prepare decodes and checks a witness and builds the full gnark witness and the public input.
func (p *Prover) prepare(raw []byte) (witness.Witness, [32]byte, error) {
	a, pi, err := p.circuit.assign(raw)
	if err != nil {
		return nil, pi, err
	}
	full, err := fullWitness(a)
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

// Prove proves a witness (ErrCheckOnly without keys).
func (p *Prover) Prove(raw []byte) (*Proof, error) {
	if p.pk == nil {
		return nil, ErrCheckOnly
	}
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

// Verify checks a proof (raw encoding) against a public input (ErrCheckOnly without keys).
func (p *Prover) Verify(rawProof []byte, publicInput [32]byte) error {
	if p.vk == nil {
		return ErrCheckOnly
	}
	proof := groth16.NewProof(ecc.BN254)
	if _, err := proof.ReadFrom(bytes.NewReader(rawProof)); err != nil {
		return &VerifyError{Reason: "malformed proof: " + err.Error()}
	}
	x := new(big.Int).SetBytes(publicInput[:])
	if x.Cmp(ecc.BN254.ScalarField()) >= 0 {
		return &VerifyError{Reason: "public input is not below r"}
	}
	pub, err := frontend.NewWitness(&publicInputOnly{PublicInput: x}, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return err
	}
	if err := groth16.Verify(proof, p.vk, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return &VerifyError{Reason: err.Error()}
	}
	return nil
}
