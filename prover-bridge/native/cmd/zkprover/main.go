// Command zkprover drives the native prover outside the JVM.
//
//	go run ./cmd/zkprover setup   -shape tiny [-keys DIR]          # Groth16 setup (cached)
//	go run ./cmd/zkprover fixture -shape tiny -out DIR [-keys DIR]  # verifier + proof for forge
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
	fmt.Fprintln(os.Stderr, "usage: zkprover setup|fixture|bench [flags] (see the package documentation)")
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

// fixture writes, for the Foundry tests: <Shape>BatchVerifier.sol (the exported verifier with its
// contract renamed) and <shape>-proof.json (a proof of the golden batch "transfer-withdrawal",
// its public input, and the same proof with one bit flipped).
func fixture(args []string) error {
	fs := flag.NewFlagSet("fixture", flag.ExitOnError)
	shapeName := fs.String("shape", "tiny", "circuit shape")
	keys := fs.String("keys", defaultKeys(), "key directory")
	out := fs.String("out", "", "output directory")
	_ = fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("fixture: -out is required")
	}
	shape, err := prover.ShapeByName(*shapeName)
	if err != nil {
		return err
	}
	if shape.Name != "tiny" {
		return fmt.Errorf("fixture: only the tiny shape has golden batches")
	}
	p, err := prover.Open(*keys, shape, os.Stderr)
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
	sol, _ := p.SolidityVerifier()
	contract := "Tiny" + "BatchVerifier"
	src := strings.Replace(string(sol), "contract Verifier", "contract "+contract, 1)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, contract+".sol"), []byte(src), 0o644); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(map[string]string{
		"proof":                  "0x" + hex.EncodeToString(proof.Solidity),
		"publicInput":            "0x" + hex.EncodeToString(proof.PublicInput[:]),
		"constraintSystemSha256": p.Manifest().ConstraintSystem,
	}, "", "  ")
	return os.WriteFile(filepath.Join(*out, shape.Name+"-proof.json"), append(js, '\n'), 0o644)
}
