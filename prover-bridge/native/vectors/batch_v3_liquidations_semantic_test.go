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
// checks each batch's witness is a format v3 witness the prover takes (decodeAndSolve).
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
			elements := make([][]v3Element, len(sc.Steps))
			for i, s := range sc.Steps {
				elements[i] = s.Elements
			}
			decodeAndSolve(t, decodedBatch{shape: shape, witness: sc.Witness, commitment: sc.Commitment,
				publicInput: sc.PublicInput, roots: sc.Roots, priority: sc.Priority, elements: elements})
		})
	}
}

// decodedBatch is what a vector file says of one encoded batch.
type decodedBatch struct {
	shape                            batchv3.Shape
	witness, commitment, publicInput string
	roots, priority                  []string
	elements                         [][]v3Element // per live step, in execution order
}

// decodeAndSolve checks b's witness is a format v3 witness the prover takes: batchv3.Decode
// accepts it for the shape (header extension included), its commitment bytes, public input and
// tables are the file's, every live step's elements are in its slot as the file names them, and
// the circuit of its shape for the file's deployment is satisfied by its assignment (gnark's test
// engine).
func decodeAndSolve(t *testing.T, b decodedBatch) {
	t.Helper()
	raw, err := hex.DecodeString(strings.TrimPrefix(b.witness, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := batchv3.Decode(raw, b.shape)
	if err != nil {
		t.Fatal(err)
	}
	if got := hexBytes(w.CommitmentBytes()); got != b.commitment {
		t.Fatalf("commitment %s, the file's %s", got, b.commitment)
	}
	if got := hexFr(w.PublicInput()); got != b.publicInput {
		t.Fatalf("public input %s, the file's %s", got, b.publicInput)
	}
	for i := range w.Roots {
		if hexFr(w.Roots[i]) != b.roots[i] || hexFr(w.Priority[i]) != b.priority[i] {
			t.Fatalf("table entry %d differs from the file's", i)
		}
	}
	for i, want := range b.elements {
		step, err := liveStep(w, i)
		if err != nil {
			t.Fatal(err)
		}
		got, err := namedElements(step)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("step %d: %d elements decoded, the file lists %d", i, len(got), len(want))
		}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("step %d element %d: decoded %v, the file's %v", i, k, got[k], want[k])
			}
		}
	}
	a, err := w.Assignment(tradeStepDomain)
	if err != nil {
		t.Fatal(err)
	}
	c, err := batchv3.NewCircuit(b.shape, tradeStepDomain)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(c, a, ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("the circuit is not satisfied: %v", err)
	}
}

// TestForcedTradeBatchVectorsDecodeAndSolve: forced-trade-batch.json's witness (the bytes the Java
// encoder reproduces, ForcedTradeBatchVectorsTest) decodes for the file's shape into the file's
// tables and slot elements and satisfies the circuit of that shape (decodeAndSolve).
func TestForcedTradeBatchVectorsDecodeAndSolve(t *testing.T) {
	var f forcedTradeBatchFile
	load(t, FileForcedTradeBatch, &f)
	if f.Shape.ForcedTrades == 0 || len(f.Cases) != 5 {
		t.Fatalf("shape %+v with %d cases", f.Shape, len(f.Cases))
	}
	elements := make([][]v3Element, len(f.Cases))
	for i, c := range f.Cases {
		elements[i] = c.Elements
	}
	decodeAndSolve(t, decodedBatch{shape: f.Shape, witness: f.Witness, commitment: f.Commitment,
		publicInput: f.PublicInput, roots: f.Roots, priority: f.Priority, elements: elements})
}
