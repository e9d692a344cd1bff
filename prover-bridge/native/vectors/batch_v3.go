package vectors

import "github.com/zkperp/zkperp/prover-bridge/native/batchv3"

// FileBatchV3 holds whole format v3 batches sealed by batchv3.Seal: collateral steps only; ticks
// and collateral steps interleaved with a no-op in every group; two trades with a deposit and an
// oracle tick between them; no step at all. Each with its inputs (initial state, shape, header: the
// file's domain, batch number, T, priority hash before; the steps in execution order) and Seal's
// outputs (each step's root and public data, the root and priority tables, the priority count, the
// commitment bytes, the public input and the encoded witness). The batcher's
// BatchWitnessVectorsTest executes every batch on RocksDB and encodes those without trades byte for
// byte.
const FileBatchV3 = "batch-v3.json"

type batchV3File struct {
	Generator Generator        `json:"generator"`
	Domain    tradeStepsDomain `json:"domain"`
	Scenarios []v3Scenario     `json:"scenarios"`
}

func genBatchV3(keys []key) (any, error) {
	f := batchV3File{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])}}
	for i, gen := range []func([]key) (*v3Builder, batchv3.Shape, error){v3CollateralBatch, v3TicksAndCollateral, v3WithTrades, v3NoOps} {
		b, shape, err := gen(keys)
		if err != nil {
			return nil, err
		}
		sc, s, err := b.seal(shape, uint64(41+i), false)
		if err != nil {
			return nil, err
		}
		s.outputs(&sc)
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}
