package vectors

import (
	"encoding/hex"
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/batch"
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// FileForcedTradeBatch holds a format v3 batch of forced trades sealed by batchv3.Seal, for the L1
// rollup (l1-contracts test RollupV3ForcedTradeBatch.t.sol): per forced trade the request, the
// reason the reference decided, the operation hash and its record (forcedtrade.PublicData); the
// batch's header, records (35 bytes each: the shape has a trade slot, as the rollup's
// RECORD_SIZE), commitment bytes and public input.
const FileForcedTradeBatch = "forced-trade-batch.json"

// forcedTradeBatchShape: one trade slot (35-byte records), five forced-trade slots, N = 1, K = 2.
var forcedTradeBatchShape = batchv3.Shape{Trades: 1, ForcedTrades: 5, N: 1, K: 2}

type forcedTradeBatchCase struct {
	Name string `json:"name"`
	forcedTradeRequest
	Reason int    `json:"reason"`
	OpHash string `json:"opHash"`
	Record string `json:"record"`
	// B's signature (R affine, S) and the state root after the step, for the Java execution
	RX       string      `json:"rx"`
	RY       string      `json:"ry"`
	S        string      `json:"s"`
	Root     string      `json:"root"`
	Elements []v3Element `json:"elements"` // the slot's elements in schema order (batchv3.Encode)
}

type forcedTradeBatchFile struct {
	Generator   Generator              `json:"generator"`
	Comment     string                 `json:"comment"`
	Domain      tradeStepsDomain       `json:"domain"`
	Shape       batchv3.Shape          `json:"shape"`
	RecordType  int                    `json:"recordType"`
	RecordSize  int                    `json:"recordSize"`
	Cases       []forcedTradeBatchCase `json:"cases"`
	Header      rollupV3Header         `json:"header"`
	Records     string                 `json:"records"`
	Commitment  string                 `json:"commitment"`
	PublicInput string                 `json:"publicInput"`
	// the initial state (batchv3.GoldenState(1)) as the Java tests write it, the roots and
	// priority hashes per slot, and the encoded witness (batchv3.Encode)
	Initial       v2State     `json:"initial"`
	OracleSigners v2SignerSet `json:"oracleSigners"`
	FeeTiers      v2FeeTiers  `json:"feeTiers"`
	Roots         []string    `json:"roots"`
	Priority      []string    `json:"priority"`
	Witness       string      `json:"witness"`
}

func genForcedTradeBatch() (any, error) {
	d := tradeStepDomain
	s, err := batchv3.GoldenState(1) // market 0 listed, 1 not; accounts 5 and 9 (keys of seeds 1, 2)
	if err != nil {
		return nil, err
	}
	request := func(seed byte, market uint16, size, amount, nonce uint64) (batchv3.ForcedTrade, error) {
		m := messages.ForcedTradeMessage{AccountA: 5, AccountB: 9, Market: market, ABuys: true, Size: size, Amount: amount, Nonce: nonce}
		op := messages.ForcedTradeOp{Message: m, OwnerA: [20]byte{5}}
		k, err := batchv3.GoldenKey(seed)
		if err == nil {
			op.RX, op.RY, op.S, err = batch.SignMessage(k, m.Hash(d))
		}
		return batchv3.ForcedTrade{ForcedTradeOp: op}, err
	}
	plan := []struct {
		name                string
		seed                byte
		market              uint16
		size, amount, nonce uint64
		reason              reference.Reason
	}{
		{"unknown market 1", 2, 1, 5, 5_000, 300, reference.UnknownMarket},
		{"executed: A buys 10 of market 0 for 10,000", 2, 0, 10, 10_000, 100, reference.Executed},
		{"the same request again: stale", 2, 0, 10, 10_000, 100, reference.Stale},
		{"signed by A's key: bad signature", 1, 0, 5, 5_000, 200, reference.BadSignature},
		{"A pays 1,000,000 for 10: risk", 2, 0, 10, 1_000_000, 400, reference.Risk},
	}
	f := forcedTradeBatchFile{Generator: generatorInfo(),
		Comment: "Forced trades in a format v3 batch (docs/batch-format.md, Format v3 records): record = 0x0C ‖ accountA u24 ‖ accountB u24 ‖" +
			" market u8 ‖ side u8 (1: A buys) ‖ size u64 ‖ amount u64 ‖ reason u8 (0 executed, 1 stale, 2 bad signature, 3 risk," +
			" 4 unknown market, 5 no free entry, 6 out of range), zero-padded to recordSize; every forced trade consumes its priority operation (opHash) in execution order.",
		Domain:     tradeStepsDomain{ChainID: decU64(d.ChainID), Rollup: hexBytes(d.Rollup[:])},
		Shape:      forcedTradeBatchShape,
		RecordType: int(forcedtrade.TypeForcedTrade), RecordSize: forcedTradeBatchShape.RecordSize()}
	if f.Initial, f.OracleSigners, f.FeeTiers, err = initialJSONv2("forced-trade-batch", s); err != nil {
		return nil, err
	}
	steps := make([]batchv3.Tx, len(plan))
	for i, p := range plan {
		ft, err := request(p.seed, p.market, p.size, p.amount, p.nonce)
		if err != nil {
			return nil, err
		}
		steps[i] = ft
	}
	sealed, err := batchv3.Seal(s, forcedTradeBatchShape, steps, batchv3.Header{Domain: d, BatchNumber: 3, BatchTime: batchv3.GoldenBatchTime})
	if err != nil {
		return nil, err
	}
	w := sealed.Witness
	for i, p := range plan {
		m := steps[i].(batchv3.ForcedTrade)
		rec := w.Records[i]
		if int(rec[forcedtrade.PublicDataBytes-1]) != int(p.reason) {
			return nil, fmt.Errorf("forced-trade batch: step %d decided %d, the plan says %v", i, rec[forcedtrade.PublicDataBytes-1], p.reason)
		}
		step, err := liveStep(w, i)
		if err != nil {
			return nil, err
		}
		elements, err := namedElements(step)
		if err != nil {
			return nil, err
		}
		f.Cases = append(f.Cases, forcedTradeBatchCase{Name: p.name, forcedTradeRequest: requestOf(m.Message, m.OwnerA),
			Reason: int(p.reason), OpHash: hexFr(m.Hash()), Record: hexBytes(rec),
			RX: hexFr(m.RX), RY: hexFr(m.RY), S: hexFr(m.S), Root: hexFr(w.Roots[i+1]), Elements: elements})
	}
	n := len(w.Roots) - 1
	f.Header = rollupV3Header{BatchNumber: decU64(w.BatchNumber), BatchTime: decU64(w.BatchTime), OldRoot: hexFr(w.Roots[0]),
		NewRoot: hexFr(w.Roots[n]), PriorityBefore: hexFr(w.Priority[0]), PriorityAfter: hexFr(w.Priority[n]),
		PriorityCount: decU64(uint64(w.PriorityCount))}
	var records []byte
	for _, r := range w.Records {
		records = append(records, r...)
	}
	f.Records = "0x" + hex.EncodeToString(records)
	f.Commitment = hexBytes(sealed.Commitment)
	f.PublicInput = hexFr(sealed.PublicInput)
	f.Roots, f.Priority = hexFrs(w.Roots), hexFrs(w.Priority)
	enc, err := batchv3.Encode(w)
	if err != nil {
		return nil, err
	}
	f.Witness = hexBytes(enc)
	return f, nil
}
