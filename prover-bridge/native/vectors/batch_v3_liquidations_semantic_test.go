package vectors

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
)

// TestBatchV3LiquidationsVectorsDecodeAndSolve reads batch-v3-liquidations.json as generated (the
// checked-in file is the same, TestVectorsUpToDate; the Java encoder must reproduce its bytes) and
// checks each batch's witness is a format v3 witness the prover takes: batchv3.Decode accepts it
// for the file's shape (header extension included), its commitment bytes, public input and tables
// are the file's, every live step's elements are in its slot as the file names them, and the
// circuit of its shape for the file's deployment is satisfied by its assignment (gnark's test
// engine).
func TestBatchV3LiquidationsVectorsDecodeAndSolve(t *testing.T) {
	var f batchV3LiqFile
	load(t, FileBatchV3Liquidations, &f)
	if len(f.Scenarios) != 3 {
		t.Fatalf("%d scenarios", len(f.Scenarios))
	}
	for _, sc := range f.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			shape := sc.Shape.shape()
			if !shape.HasLaterGroups() {
				t.Fatal("a shape without a later group")
			}
			raw, err := hex.DecodeString(strings.TrimPrefix(sc.Witness, "0x"))
			if err != nil {
				t.Fatal(err)
			}
			w, err := batchv3.Decode(raw, shape)
			if err != nil {
				t.Fatal(err)
			}
			if got := hexBytes(w.CommitmentBytes()); got != sc.Commitment {
				t.Fatalf("commitment %s, the file's %s", got, sc.Commitment)
			}
			if got := hexFr(w.PublicInput()); got != sc.PublicInput {
				t.Fatalf("public input %s, the file's %s", got, sc.PublicInput)
			}
			for i := range w.Roots {
				if hexFr(w.Roots[i]) != sc.Roots[i] || hexFr(w.Priority[i]) != sc.Priority[i] {
					t.Fatalf("table entry %d differs from the file's", i)
				}
			}
			for i, s := range sc.Steps {
				step, err := liveStep(w, i)
				if err != nil {
					t.Fatal(err)
				}
				got, err := namedElements(step)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(s.Elements) {
					t.Fatalf("step %d: %d elements decoded, the file lists %d", i, len(got), len(s.Elements))
				}
				for k := range got {
					if got[k] != s.Elements[k] {
						t.Fatalf("step %d element %d: decoded %v, the file's %v", i, k, got[k], s.Elements[k])
					}
				}
			}
			a, err := w.Assignment(tradeStepDomain)
			if err != nil {
				t.Fatal(err)
			}
			c, err := batchv3.NewCircuit(shape, tradeStepDomain)
			if err != nil {
				t.Fatal(err)
			}
			if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
				t.Fatalf("the circuit is not satisfied: %v", err)
			}
		})
	}
}
