package vectors

import "github.com/zkperp/zkperp/prover-bridge/native/batchv3"

// FileStepElements holds, for collateral steps (margin shape, K = 1 and K = 3, accounts with and
// without positions, forced withdrawals paid and paying 0) and oracle and funding ticks (3 report
// slots), each step's witness elements exactly as batchv3.Encode writes them in the step's slot:
// name (the gnark schema leaf path, dotted) and value. Each scenario is a batch sealed by
// batchv3.Seal from its initial state (steps in execution order, each with its root and public
// data). The batcher's StepElementsVectorsTest rebuilds every list from its executions on RocksDB.
const FileStepElements = "step-elements.json"

type stepElementsFile struct {
	Generator Generator        `json:"generator"`
	Domain    tradeStepsDomain `json:"domain"`
	Scenarios []v3Scenario     `json:"scenarios"`
}

func genStepElements(keys []key) (any, error) {
	f := stepElementsFile{Generator: generatorInfo(),
		Domain: tradeStepsDomain{ChainID: decU64(tradeStepDomain.ChainID), Rollup: hexBytes(tradeStepDomain.Rollup[:])}}
	for i, gen := range []func([]key) (*v3Builder, batchv3.Shape, error){v3CollateralK1, v3CollateralK3, v3Ticks} {
		b, shape, err := gen(keys)
		if err != nil {
			return nil, err
		}
		sc, _, err := b.seal(shape, uint64(10+i), true)
		if err != nil {
			return nil, err
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return f, nil
}
