package messages_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

type oraclePriceHashCircuit struct {
	Separator, Market, Price, Timestamp frontend.Variable
	Hash                                frontend.Variable `gnark:",public"`
}

func (c *oraclePriceHashCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(messages.OraclePriceHash(api, c.Separator, c.Market, c.Price, c.Timestamp), c.Hash)
	return nil
}

// The circuit's oracle price hash equals the native one (itself pinned by signed-messages.json),
// and a field wider than its packed slot cannot be used to collide with another report.
func TestOraclePriceHashMatchesNative(t *testing.T) {
	d := messages.Domain{ChainID: 31337, Rollup: [20]byte{7, 1, 2}}
	sep := d.Separator(messages.OraclePrice)
	for _, m := range []messages.OraclePriceMessage{
		{Market: 0, Price: 1, Timestamp: 0},
		{Market: 3, Price: 1300 << 32, Timestamp: 1_765_000_000},
		{Market: 0xFFFFFFFF, Price: 1<<63 - 1, Timestamp: 1<<64 - 1},
	} {
		h := m.Hash(d)
		w := &oraclePriceHashCircuit{Separator: sep, Market: m.Market, Price: new(big.Int).SetUint64(m.Price),
			Timestamp: new(big.Int).SetUint64(m.Timestamp), Hash: h}
		if err := test.IsSolved(&oraclePriceHashCircuit{}, w, ecc.BN254.ScalarField()); err != nil {
			t.Fatalf("%+v: %v", m, err)
		}
	}
	// market 1, timestamp 2^64 + 5 packs to the same e1 as market 2, timestamp 5 — the range
	// check on the timestamp refuses it
	m := messages.OraclePriceMessage{Market: 0, Price: 1<<64 - 1, Timestamp: 5}
	wide := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(5))
	w := &oraclePriceHashCircuit{Separator: sep, Market: 0, Price: new(big.Int).SetUint64(1<<64 - 2), Timestamp: wide, Hash: m.Hash(d)}
	if err := test.IsSolved(&oraclePriceHashCircuit{}, w, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("a timestamp wider than 64 bits solves")
	}
}
