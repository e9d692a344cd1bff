package tickstep

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/stepenv"
)

// Type bytes of the tick steps in format v3's public data (docs/perp-circuit.md §10). Format v2's
// collateral types keep 0 … 4; 5 … 7 are left to the trade (with its taker side) and liquidation.
const (
	TypeOracleTick  byte = 0x08
	TypeFundingTick byte = 0x09
)

// Public data lengths, type byte included.
const (
	// OraclePublicDataBytes: type ‖ market (1) ‖ oraclePrice (8) ‖ oracleTimestamp (8) ‖ now (8).
	OraclePublicDataBytes = 26
	// FundingPublicDataBytes: type ‖ market (1) ‖ fundingIndex (8, two's complement) ‖ now (8),
	// now being the new fundingTimestamp.
	FundingPublicDataBytes = 18
)

func init() {
	solver.RegisterHint(BytesHint)
}

// OraclePublicData is an oracle tick's public data: what L1 needs to rebuild the market leaf
// (the new oraclePrice and oracleTimestamp; the rest of the leaf is unchanged) and the tick's
// time, big-endian.
func OraclePublicData(market uint8, price, timestamp, now uint64) []byte {
	b := make([]byte, 2, OraclePublicDataBytes)
	b[0], b[1] = TypeOracleTick, market
	b = binary.BigEndian.AppendUint64(b, price)
	b = binary.BigEndian.AppendUint64(b, timestamp)
	return binary.BigEndian.AppendUint64(b, now)
}

// FundingPublicData is a funding tick's public data: the market's new fundingIndex (two's
// complement) and the tick's time, which is the new fundingTimestamp, big-endian.
func FundingPublicData(market uint8, index int64, now uint64) []byte {
	b := make([]byte, 2, FundingPublicDataBytes)
	b[0], b[1] = TypeFundingTick, market
	b = binary.BigEndian.AppendUint64(b, uint64(index))
	return binary.BigEndian.AppendUint64(b, now)
}

// BytesHint returns the len(out) bytes of in[0], big-endian; a field element above (r − 1)/2 is
// read as a negative integer and written in two's complement over len(out) bytes.
func BytesHint(mod *big.Int, in, out []*big.Int) error {
	x := new(big.Int).Set(in[0])
	if x.Cmp(new(big.Int).Rsh(mod, 1)) > 0 {
		x.Sub(x, mod)
		x.Add(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(out))))
	}
	for i := len(out) - 1; i >= 0; i-- {
		out[i].And(x, big.NewInt(0xff))
		x.Rsh(x, 8)
	}
	return nil
}

// unsignedBytes returns the n bytes (n ≤ 31) of x, big-endian, each range-checked to 8 bits and
// recomposed to x, so x < 2^(8n) is asserted too.
func unsignedBytes(env *stepenv.Env, x frontend.Variable, n int) []frontend.Variable {
	b, acc := bytesOf(env, x, n)
	env.API.AssertIsEqual(acc, x)
	return b
}

// signed64Bytes returns the 8 bytes of the int64 x (already range-checked to [−2^63, 2^63) by
// the caller) in two's complement: their value u is x or x + 2^64, the only one below 2^64.
func signed64Bytes(env *stepenv.Env, x frontend.Variable) []frontend.Variable {
	api := env.API
	b, u := bytesOf(env, x, 8)
	d := api.Sub(u, x)
	api.AssertIsEqual(api.Mul(d, api.Sub(d, new(big.Int).Lsh(big.NewInt(1), 64))), 0)
	return b
}

func bytesOf(env *stepenv.Env, x frontend.Variable, n int) ([]frontend.Variable, frontend.Variable) {
	api := env.API
	b, err := api.Compiler().NewHint(BytesHint, n, x)
	if err != nil {
		panic(err)
	}
	var acc frontend.Variable = 0
	for _, v := range b {
		env.RC.Check(v, 8)
		acc = api.Add(api.Mul(acc, 256), v)
	}
	return b, acc
}
