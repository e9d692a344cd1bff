// Command zkprover drives the native prover outside the JVM.
//
//	go run ./cmd/zkprover setup   -shape tiny [-keys DIR]          # Groth16 setup (cached)
//	go run ./cmd/zkprover fixture -shape tiny -out DIR [-keys DIR]  # verifier + proof for forge
//	go run ./cmd/zkprover verifier -shape devnet -out DIR [-keys DIR] # <Shape>BatchVerifier.sol only
//	go run ./cmd/zkprover bench   -shapes tiny,devnet [-keys DIR] [-proofs N]
//
// Keys live in -keys (default $ZKPERP_KEYS, else ~/.cache/zkperp/keys), one directory per shape,
// each with a manifest; see package prover.
package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
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
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zkprover:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: zkprover setup|fixture|verifier|bench [flags] (see the package documentation)")
	os.Exit(2)
}

func setup(args []string) error {
	fs := flag.NewFlagSet("setup", flag.ExitOnError)
	shapeName := fs.String("shape", "tiny", "circuit shape")
	keys := fs.String("keys", defaultKeys(), "key directory")
	_ = fs.Parse(args)
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return err
	}
	_, err = prover.Open(*keys, shape, os.Stderr)
	return err
}

// verifier writes <Shape>BatchVerifier.sol, the shape's exported Groth16 verifier with its
// contract renamed (for the L1 build and the Java deploy routine).
func verifier(args []string) error {
	p, shape, out, err := openWithOutput("verifier", "devnet", args)
	if err != nil {
		return err
	}
	return writeVerifier(p, shape, out)
}

// openWithOutput parses -shape, -keys and the required -out of a subcommand and opens the prover
// (running the setup if the keys are missing).
func openWithOutput(cmd, defaultShape string, args []string) (*prover.Prover, prover.Shape, string, error) {
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	shapeName := fs.String("shape", defaultShape, "circuit shape")
	keys := fs.String("keys", defaultKeys(), "key directory")
	out := fs.String("out", "", "output directory")
	_ = fs.Parse(args)
	if *out == "" {
		return nil, prover.Shape{}, "", fmt.Errorf("%s: -out is required", cmd)
	}
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return nil, shape, "", err
	}
	if cmd == "fixture" && shape.Name != "tiny" {
		return nil, shape, "", fmt.Errorf("fixture: only the tiny shape has golden batches")
	}
	p, err := prover.Open(*keys, shape, os.Stderr)
	return p, shape, *out, err
}

// writeVerifier writes the exported verifier of p as contract <Shape>BatchVerifier into dir.
func writeVerifier(p *prover.Prover, shape prover.Shape, dir string) error {
	sol, err := p.SolidityVerifier()
	if err != nil {
		return err
	}
	contract := strings.ToUpper(shape.Name[:1]) + shape.Name[1:] + "BatchVerifier"
	src := strings.Replace(string(sol), "contract Verifier", "contract "+contract, 1)
	if src == string(sol) {
		return fmt.Errorf("verifier: exported source has no \"contract Verifier\"")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, contract+".sol"), []byte(src), 0o644)
}

// fixture writes, for the Foundry tests: <Shape>BatchVerifier.sol (the exported verifier with its
// contract renamed) and <shape>-proof.json (proofs of the golden batches "transfer-withdrawal" and
// "forced-withdrawals" with their public inputs).
func fixture(args []string) error {
	p, shape, out, err := openWithOutput("fixture", "tiny", args)
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
