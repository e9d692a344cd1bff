package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// fixtureDomain is the deployment the format v3 fixture is proven for: anvil's chain id and the
// address of the third contract anvil's account 0 (0xf39F…2266) deploys — nonce 2, after the
// token (nonce 0) and the verifier (nonce 1) — where the rollup lands on a fresh anvil; forge
// tests put the rollup there with deployCodeTo / vm.etch.
var fixtureDomain = messages.Domain{ChainID: 31337, Rollup: mustAddress("9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")}

func mustAddress(h string) [20]byte {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 20 {
		panic("bad address " + h)
	}
	return [20]byte(b)
}

// v3Fixture is v3-tiny-proof.json: the golden batch (batchv3.GoldenBatch) proven for the fixture
// domain, with everything an L1 contract needs to enqueue its deposit, commit it and pay its
// withdrawal out. Byte strings and field elements are 0x-prefixed hex (field elements and hashes
// 32 bytes, addresses 20); account ids and amounts are 0x-prefixed hex integers; the fields said
// to be numbers are JSON numbers.
type v3Fixture struct {
	ChainID        uint64            `json:"chainId"`
	Rollup         string            `json:"rollup"`
	Shape          batchv3.ShapeFile `json:"shape"`
	Steps          int               `json:"steps"`      // S
	RecordSize     int               `json:"recordSize"` // bytes per record
	GenesisRoot    string            `json:"genesisRoot"`
	NewRoot        string            `json:"newRoot"`
	BatchNumber    uint64            `json:"batchNumber"`
	BatchTime      uint64            `json:"batchTime"`
	PriorityBefore string            `json:"priorityBefore"`
	PriorityAfter  string            `json:"priorityAfter"`
	PriorityCount  uint32            `json:"priorityCount"`
	Records        string            `json:"records"`
	Commitment     string            `json:"commitment"`
	PublicInput    string            `json:"publicInput"`
	Proof          string            `json:"proof"`
	Deposits       []v3Deposit       `json:"deposits"`
	Withdrawals    []v3Withdrawal    `json:"withdrawals"`
	Verifier       string            `json:"verifier"` // contract name
	Keys           v3FixtureKeySet   `json:"keys"`
}

// v3Deposit is one deposit of the batch: what deposit(...) on L1 takes, the L1 owner that calls
// it, the step index σ of its record and the operation hash the circuit folds into the priority
// chain (batch.DepositHash).
type v3Deposit struct {
	Step       int    `json:"step"`
	Account    string `json:"account"`
	PublicKeyX string `json:"publicKeyX"`
	PublicKeyY string `json:"publicKeyY"`
	Owner      string `json:"owner"`
	Amount     string `json:"amount"`
	OpHash     string `json:"opHash"`
}

// v3Withdrawal is one withdrawal of the batch: the account, its L2 key, the L1 recipient the
// record names, the amount, the signed nonce and the step index σ of its record. A withdrawal is
// not a priority operation: it has no operation hash.
type v3Withdrawal struct {
	Step       int    `json:"step"`
	Account    string `json:"account"`
	PublicKeyX string `json:"publicKeyX"`
	PublicKeyY string `json:"publicKeyY"`
	Recipient  string `json:"recipient"`
	Amount     string `json:"amount"`
	Nonce      string `json:"nonce"`
}

type v3FixtureKeySet struct {
	ConstraintSystemSha256 string `json:"constraintSystemSha256"`
	Constraints            int    `json:"constraints"`
}

// upToDate: out already holds this shape's verifier exported from p's keys and a fixture of the
// same keys (constraint system hash) and the same batch (public input), so proving again would
// write the same verifier and a proof of the same statement.
func upToDate(p *prover.Prover, shape prover.Shape, out string, publicInput fr.Element) bool {
	js, err := os.ReadFile(filepath.Join(out, shape.Name+"-proof.json"))
	if err != nil {
		return false
	}
	var f v3Fixture
	if json.Unmarshal(js, &f) != nil || f.Keys.ConstraintSystemSha256 != p.Manifest().ConstraintSystem ||
		f.PublicInput != elementHex(publicInput) || f.Proof == "" {
		return false
	}
	sol, err := os.ReadFile(filepath.Join(out, verifierContract(shape)+".sol"))
	if err != nil {
		return false
	}
	want, err := verifierSource(p, shape)
	return err == nil && bytes.Equal(sol, want)
}

func hex0x(b []byte) string { return "0x" + hex.EncodeToString(b) }

func elementHex(e fr.Element) string {
	b := e.Bytes()
	return hex0x(b[:])
}

func uintHex(v uint64) string { return fmt.Sprintf("0x%x", v) }

// fixtureV3 writes V3TinyBatchVerifier.sol and v3-tiny-proof.json (see v3Fixture) for a format v3
// shape: the golden batch sealed for the fixture domain, checked by the solver, proven, and the
// proof verified natively before anything is written.
func fixtureV3(shape prover.Shape, keys, out string) error {
	g, err := batchv3.GoldenBatch(shape.V3, fixtureDomain)
	if err != nil {
		return fmt.Errorf("fixture: sealing the golden batch: %w", err)
	}
	raw, err := batchv3.Encode(g.Sealed.Witness)
	if err != nil {
		return err
	}
	p, err := prover.OpenV3(keys, shape, fixtureDomain, os.Stderr)
	if err != nil {
		return err
	}
	if upToDate(p, shape, out, g.Sealed.PublicInput) {
		fmt.Fprintf(os.Stderr, "zkprover: %s fixture in %s is up to date (same keys, same batch): not proven again\n", shape.Name, out)
		return nil
	}
	if err := p.Check(raw); err != nil {
		return fmt.Errorf("fixture: the golden batch does not solve: %w", err)
	}
	proof, err := p.Prove(raw)
	if err != nil {
		return err
	}
	if err := p.Verify(proof.Raw, proof.PublicInput); err != nil {
		return fmt.Errorf("fixture: fresh proof does not verify natively: %w", err)
	}
	w := g.Sealed.Witness
	s := w.Shape.Steps()
	records := make([]byte, 0, s*w.Shape.RecordSize())
	for _, r := range w.Records {
		records = append(records, r...)
	}
	if want := g.Sealed.PublicInput.Bytes(); !bytes.Equal(want[:], proof.PublicInput[:]) {
		return fmt.Errorf("fixture: the prover's public input is not Seal's")
	}
	f := v3Fixture{ChainID: fixtureDomain.ChainID, Rollup: hex0x(fixtureDomain.Rollup[:]),
		Shape: shape.V3.File(),
		Steps: s, RecordSize: w.Shape.RecordSize(),
		GenesisRoot: elementHex(w.Roots[0]), NewRoot: elementHex(w.Roots[s]),
		BatchNumber: w.BatchNumber, BatchTime: w.BatchTime,
		PriorityBefore: elementHex(w.Priority[0]), PriorityAfter: elementHex(w.Priority[s]), PriorityCount: w.PriorityCount,
		Records: hex0x(records), Commitment: hex0x(g.Sealed.Commitment), PublicInput: hex0x(proof.PublicInput[:]),
		Proof: hex0x(proof.Solidity), Verifier: verifierContract(shape),
		Deposits: []v3Deposit{}, Withdrawals: []v3Withdrawal{},
		Keys: v3FixtureKeySet{ConstraintSystemSha256: p.Manifest().ConstraintSystem, Constraints: p.Constraints()}}
	for i, tx := range g.Steps {
		switch t := tx.(type) {
		case batchv3.Deposit:
			f.Deposits = append(f.Deposits, v3Deposit{Step: i, Account: uintHex(uint64(t.Account)),
				PublicKeyX: elementHex(t.PublicKeyX), PublicKeyY: elementHex(t.PublicKeyY), Owner: hex0x(t.L1Owner[:]),
				Amount: uintHex(t.Amount), OpHash: elementHex(batch.DepositHash(t.Account, t.L1Owner, t.PublicKeyX, t.PublicKeyY, t.Amount))})
		case batchv3.Withdrawal:
			acc, found := g.Initial.Account(uint64(t.Message.Account))
			if !found {
				return fmt.Errorf("fixture: withdrawal of account %d, which the initial state does not hold", t.Message.Account)
			}
			f.Withdrawals = append(f.Withdrawals, v3Withdrawal{Step: i, Account: uintHex(uint64(t.Message.Account)),
				PublicKeyX: elementHex(acc.Identity.PublicKeyX), PublicKeyY: elementHex(acc.Identity.PublicKeyY),
				Recipient: hex0x(t.Message.L1Owner[:]), Amount: uintHex(t.Message.Amount), Nonce: uintHex(t.Message.Nonce)})
		}
	}
	if err := writeVerifier(p, shape, out); err != nil {
		return err
	}
	js, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, shape.Name+"-proof.json"), append(js, '\n'), 0o644)
}
