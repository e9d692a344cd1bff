// Command zkprover drives the native prover outside the JVM.
//
//	go run ./cmd/zkprover setup   -shape tiny [-keys DIR]          # Groth16 setup (cached)
//	go run ./cmd/zkprover fixture -shape tiny -out DIR [-keys DIR]  # verifier + proof for forge
//	go run ./cmd/zkprover verifier -shape devnet -out DIR [-keys DIR] # <Shape>BatchVerifier.sol only
//	go run ./cmd/zkprover bench   -shapes tiny,devnet [-keys DIR] [-proofs N]
//	go run ./cmd/zkprover fixture -shape v3-tiny -out DIR            # V3TinyBatchVerifier.sol + v3-tiny-proof.json
//	go run ./cmd/zkprover witness -shape v3-tiny -out FILE           # the golden batch's format v3 witness
//	go run ./cmd/zkprover constraints -shape v3-devnet              # compile only: the constraint count
//
// Keys live in -keys (default $ZKPERP_KEYS, else ~/.cache/zkperp/keys), one directory per shape
// (format v3: per shape and deployment domain), each with a manifest; see package prover. The
// format v3 shapes (v3-tiny, v3-devnet) are built for the domain of -chain-id and -rollup, by
// default the fixture's (chain id 31337, rollup 0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0: the
// third contract anvil's account 0 deploys). The v3 fixture proves batchv3.GoldenBatch.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

func defaultKeys() string {
	if d := os.Getenv("ZKPERP_KEYS"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".zkperp-keys"
	}
	return filepath.Join(home, ".cache", "zkperp", "keys")
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "setup":
		err = setup(os.Args[2:])
	case "fixture":
		err = fixture(os.Args[2:])
	case "verifier":
		err = verifier(os.Args[2:])
	case "bench":
		err = bench(os.Args[2:])
	case "witness":
		err = witnessV3(os.Args[2:])
	case "constraints":
		err = constraints(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zkprover:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: zkprover setup|fixture|verifier|bench|witness|constraints [flags] (see the package documentation)")
	os.Exit(2)
}

func setup(args []string) error {
	fs := flag.NewFlagSet("setup", flag.ExitOnError)
	shapeName := fs.String("shape", "tiny", "circuit shape")
	keys := fs.String("keys", defaultKeys(), "key directory")
	domain := domainFlags(fs)
	_ = fs.Parse(args)
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return err
	}
	d, err := domain()
	if err != nil {
		return err
	}
	_, err = openShape(*keys, shape, d)
	return err
}

// domainFlags adds -chain-id and -rollup (the deployment of a format v3 shape) to fs; the
// returned function reads them once fs is parsed.
func domainFlags(fs *flag.FlagSet) func() (messages.Domain, error) {
	chainID := fs.Uint64("chain-id", fixtureDomain.ChainID, "format v3: the deployment's chain id")
	rollup := fs.String("rollup", "0x"+hex.EncodeToString(fixtureDomain.Rollup[:]), "format v3: the rollup contract's address")
	return func() (messages.Domain, error) {
		b, err := hex.DecodeString(strings.TrimPrefix(*rollup, "0x"))
		if err != nil || len(b) != 20 {
			return messages.Domain{}, fmt.Errorf("-rollup %q is not a 20-byte hex address", *rollup)
		}
		return messages.Domain{ChainID: *chainID, Rollup: [20]byte(b)}, nil
	}
}

// openShape opens a shape's prover: format v3 for deployment d, format v2 without a domain.
func openShape(keys string, shape prover.Shape, d messages.Domain) (*prover.Prover, error) {
	if shape.Format == prover.FormatV3 {
		return prover.OpenV3(keys, shape, d, os.Stderr)
	}
	return prover.Open(keys, shape, os.Stderr)
}

// witnessV3 writes the golden batch's format v3 witness (batchv3.GoldenBatch, batchv3.Encode) for
// a v3 shape and the domain of -chain-id / -rollup into -out.
func witnessV3(args []string) error {
	fs := flag.NewFlagSet("witness", flag.ExitOnError)
	shapeName := fs.String("shape", "v3-tiny", "format v3 circuit shape")
	out := fs.String("out", "", "output file")
	domain := domainFlags(fs)
	_ = fs.Parse(args)
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return err
	}
	d, err := domain()
	if err != nil {
		return err
	}
	if shape.Format != prover.FormatV3 || *out == "" {
		return fmt.Errorf("witness: needs a format v3 shape and -out")
	}
	g, err := batchv3.GoldenBatch(shape.V3, d)
	if err != nil {
		return err
	}
	raw, err := batchv3.Encode(g.Sealed.Witness)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, raw, 0o644)
}

// constraints compiles a shape's circuit (no setup) and prints its constraint count and the
// compile time.
func constraints(args []string) error {
	fs := flag.NewFlagSet("constraints", flag.ExitOnError)
	shapeName := fs.String("shape", "v3-tiny", "circuit shape")
	domain := domainFlags(fs)
	_ = fs.Parse(args)
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return err
	}
	d := messages.Domain{}
	if shape.Format == prover.FormatV3 {
		if d, err = domain(); err != nil {
			return err
		}
	}
	start := time.Now()
	ccs, err := prover.CompileFor(shape, d)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d constraints, compiled in %.1f s\n", shape.Name, ccs.GetNbConstraints(), time.Since(start).Seconds())
	return nil
}

// verifier writes <Shape>BatchVerifier.sol, the shape's exported Groth16 verifier with its
// contract renamed (for the L1 build and the Java deploy routine).
func verifier(args []string) error {
	o, err := parseOutputFlags("verifier", "devnet", args)
	if err != nil {
		return err
	}
	p, err := openShape(o.keys, o.shape, o.domain)
	if err != nil {
		return err
	}
	return writeVerifier(p, o.shape, o.out)
}

// outputFlags are the flags of a subcommand that writes into a directory.
type outputFlags struct {
	shape     prover.Shape
	keys, out string
	domain    messages.Domain
}

// parseOutputFlags parses -shape, -keys, the required -out and (format v3) -chain-id / -rollup.
func parseOutputFlags(cmd, defaultShape string, args []string) (outputFlags, error) {
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	shapeName := fs.String("shape", defaultShape, "circuit shape")
	keys := fs.String("keys", defaultKeys(), "key directory")
	out := fs.String("out", "", "output directory")
	domain := domainFlags(fs)
	_ = fs.Parse(args)
	if *out == "" {
		return outputFlags{}, fmt.Errorf("%s: -out is required", cmd)
	}
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return outputFlags{}, err
	}
	d, err := domain()
	if err != nil {
		return outputFlags{}, err
	}
	if shape.Format != prover.FormatV3 {
		d = messages.Domain{}
	}
	return outputFlags{shape: shape, keys: *keys, out: *out, domain: d}, nil
}

// verifierContract is the contract name of a shape's exported verifier: the shape's name in
// CamelCase (dashes dropped, each part capitalised) + "BatchVerifier": TinyBatchVerifier,
// V3TinyBatchVerifier.
func verifierContract(shape prover.Shape) string {
	var b strings.Builder
	for _, part := range strings.Split(shape.Name, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String() + "BatchVerifier"
}

// writeVerifier writes the exported verifier of p as contract <Shape>BatchVerifier into dir.
func writeVerifier(p *prover.Prover, shape prover.Shape, dir string) error {
	src, err := verifierSource(p, shape)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, verifierContract(shape)+".sol"), src, 0o644)
}

// verifierSource is the exported verifier of p with its contract renamed to verifierContract.
func verifierSource(p *prover.Prover, shape prover.Shape) ([]byte, error) {
	sol, err := p.SolidityVerifier()
	if err != nil {
		return nil, err
	}
	src := strings.Replace(string(sol), "contract Verifier", "contract "+verifierContract(shape), 1)
	if src == string(sol) {
		return nil, fmt.Errorf("verifier: exported source has no \"contract Verifier\"")
	}
	return []byte(src), nil
}

// fixture writes, for the Foundry tests (format v2 tiny; format v3: fixtureV3): <Shape>BatchVerifier.sol (the exported verifier with its
// contract renamed) and <shape>-proof.json (proofs of the golden batches "transfer-withdrawal" and
// "forced-withdrawals" with their public inputs).
func fixture(args []string) error {
	o, err := parseOutputFlags("fixture", "tiny", args)
	if err != nil {
		return err
	}
	shape, out := o.shape, o.out
	if shape.Format == prover.FormatV3 {
		if o.domain != fixtureDomain {
			return fmt.Errorf("fixture: the v3 fixture is proven for the fixture domain only (chain id %d, rollup 0x%x)",
				fixtureDomain.ChainID, fixtureDomain.Rollup)
		}
		return fixtureV3(shape, o.keys, out)
	}
	if shape.Name != "tiny" {
		return fmt.Errorf("fixture: only the tiny and the format v3 shapes have golden batches")
	}
	p, err := prover.Open(o.keys, shape, os.Stderr)
	if err != nil {
		return err
	}
	sc, err := batch.TinyScenarios()
	if err != nil {
		return err
	}
	proof, err := p.Prove(sc[1].Witness.Encode())
	if err != nil {
		return err
	}
	if err := p.Verify(proof.Raw, proof.PublicInput); err != nil {
		return fmt.Errorf("fixture: fresh proof does not verify natively: %w", err)
	}
	if err := writeVerifier(p, shape, out); err != nil {
		return err
	}
	forced, err := p.Prove(sc[3].Witness.Encode())
	if err != nil {
		return err
	}
	js, _ := json.MarshalIndent(map[string]string{
		"proof":                  "0x" + hex.EncodeToString(proof.Solidity),
		"publicInput":            "0x" + hex.EncodeToString(proof.PublicInput[:]),
		"forcedProof":            "0x" + hex.EncodeToString(forced.Solidity),
		"forcedPublicInput":      "0x" + hex.EncodeToString(forced.PublicInput[:]),
		"constraintSystemSha256": p.Manifest().ConstraintSystem,
	}, "", "  ")
	return os.WriteFile(filepath.Join(out, shape.Name+"-proof.json"), append(js, '\n'), 0o644)
}
