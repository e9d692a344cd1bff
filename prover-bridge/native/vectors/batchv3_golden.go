package vectors

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/prover"
)

// FileBatchV3Golden describes the golden format v3 batch (batchv3.GoldenBatch) sealed for the
// v3-tiny proving shape and the fixture domain; its witness is written as binary to
// FileBatchV3GoldenWitness for the Java prover test (prover-bridge BatchProverV3IT), which checks
// and proves it over JNI.
const (
	FileBatchV3Golden        = "batch-v3-golden.json"
	FileBatchV3GoldenWitness = "witness/v3-tiny-golden.bin"
)

// batchV3GoldenShape is the proving shape the golden witness is encoded for.
const batchV3GoldenShape = "v3-tiny"

// batchV3GoldenDomain is the fixture deployment: anvil's chain id and the rollup at the third
// contract anvil's account 0 deploys (as zkprover fixture -shape v3-tiny).
var batchV3GoldenDomain = messages.Domain{ChainID: 31337,
	Rollup: [20]byte{0x9f, 0xe4, 0x67, 0x36, 0x67, 0x9d, 0x2d, 0x9a, 0x65, 0xf0, 0x99, 0x2f, 0x22, 0x72, 0xde, 0x9f, 0x3c, 0x7f, 0xa6, 0xe0}}

type batchV3GoldenFile struct {
	Generator     Generator `json:"generator"`
	Comment       string    `json:"comment"`
	Shape         string    `json:"shape"`
	ChainID       uint64    `json:"chainId"`
	Rollup        string    `json:"rollup"`
	Witness       string    `json:"witness"`
	WitnessSize   int       `json:"witnessSize"`
	WitnessSha256 string    `json:"witnessSha256"`
	Steps         int       `json:"steps"`
	RecordSize    int       `json:"recordSize"`
	RecordsOffset int       `json:"recordsOffset"`
	// TradeRecordByte is the offset of a byte of the first trade's record (its step index 2):
	// changing it leaves a witness that decodes but that the circuit refuses.
	TradeRecordByte int    `json:"tradeRecordByte"`
	OldRoot         string `json:"oldRoot"`
	NewRoot         string `json:"newRoot"`
	PublicInput     string `json:"publicInput"`
}

func genBatchV3Golden() (any, map[string][]byte, error) {
	shape, err := prover.ShapeByName(batchV3GoldenShape)
	if err != nil {
		return nil, nil, err
	}
	g, err := batchv3.GoldenBatch(shape.V3, batchV3GoldenDomain)
	if err != nil {
		return nil, nil, err
	}
	raw, err := batchv3.Encode(g.Sealed.Witness)
	if err != nil {
		return nil, nil, err
	}
	if len(raw) != shape.WitnessSize() {
		return nil, nil, fmt.Errorf("golden witness of %d bytes, the shape's %d", len(raw), shape.WitnessSize())
	}
	w := g.Sealed.Witness
	s := shape.V3.Steps()
	recordsAt := batchv3.EncodedHeaderSize(shape.V3) + 2*32*(s+1)
	if w.Records[2][0] != g.Steps[2].TxType() {
		return nil, nil, fmt.Errorf("step 2 of the golden batch is not a trade")
	}
	sum := sha256.Sum256(raw)
	return batchV3GoldenFile{Generator: generatorInfo(),
		Comment: "batchv3.GoldenBatch (deposit, oracle tick, trade, funding tick, trade, withdrawal) sealed for the v3-tiny " +
			"shape and the fixture domain (its transfer, forced-withdrawal, liquidation, takeover, deleveraging and funding-period-start " +
			"slots are no-ops); the witness " +
			"bytes are in " + FileBatchV3GoldenWitness,
		Shape: batchV3GoldenShape, ChainID: batchV3GoldenDomain.ChainID, Rollup: "0x" + hex.EncodeToString(batchV3GoldenDomain.Rollup[:]),
		Witness: FileBatchV3GoldenWitness, WitnessSize: len(raw), WitnessSha256: hex.EncodeToString(sum[:]),
		Steps: s, RecordSize: shape.V3.RecordSize(), RecordsOffset: recordsAt, TradeRecordByte: recordsAt + 2*shape.V3.RecordSize() + 10,
		OldRoot: hexOf(w.Roots[0]), NewRoot: hexOf(w.Roots[s]), PublicInput: hexOf(g.Sealed.PublicInput),
	}, map[string][]byte{FileBatchV3GoldenWitness: raw}, nil
}
