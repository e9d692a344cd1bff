package vectors

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
)

// TestBatchV3VectorsDecodeAndSolve reads batch-v3.json as generated (the checked-in file is the same,
// TestVectorsUpToDate; the Java encoder must reproduce its bytes) and checks each batch's witness is a format v3
// witness the prover takes: batchv3.Decode accepts it for the file's shape, its commitment bytes
// and public input are the file's, its tables are the file's, and the circuit of its shape for the
// file's deployment is satisfied by its assignment (gnark's test engine).
func TestBatchV3VectorsDecodeAndSolve(t *testing.T) {
	var f batchV3File
	load(t, FileBatchV3, &f)
	if len(f.Scenarios) != 4 {
		t.Fatalf("%d scenarios", len(f.Scenarios))
	}
	for _, sc := range f.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			s := sc.Shape
			shape := batchv3.Shape{Trades: s.Trades, Deposits: s.Deposits, Withdrawals: s.Withdrawals, Transfers: s.Transfers,
				ForcedWithdrawals: s.ForcedWithdrawals, OracleTicks: s.OracleTicks, FundingTicks: s.FundingTicks, N: s.N, K: s.K,
				ReportSlots: s.ReportSlots}
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
