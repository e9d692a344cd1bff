package forcedtrade

import (
	"encoding/binary"

	"github.com/consensys/gnark/frontend"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// The forced trade's public-data record in a format v3 batch (docs/batch-format.md, "Format v3"
// records): TypeForcedTrade ‖ account A (3) ‖ account B (3) ‖ market (1) ‖ side (1: A buys 1,
// sells 0) ‖ size (8) ‖ amount (8) ‖ reason (1: reference.Reason, 0 executed), big-endian,
// PublicDataBytes long. An invalid request has a record too: its operation is consumed.
const (
	TypeForcedTrade byte = 0x0C
	PublicDataBytes      = 1 + 3 + 3 + 1 + 1 + 8 + 8 + 1
)

// PublicData is the record of request m decided as r (as PublicDataVars writes it in the
// circuit). Meaningful for a request reference.Apply decides (account ids below 2^24, market
// below 2^6). Safe to call from any goroutine.
func PublicData(m messages.ForcedTradeMessage, r reference.Reason) []byte {
	b := []byte{TypeForcedTrade, byte(m.AccountA >> 16), byte(m.AccountA >> 8), byte(m.AccountA),
		byte(m.AccountB >> 16), byte(m.AccountB >> 8), byte(m.AccountB), byte(m.Market)}
	side := byte(0)
	if m.ABuys {
		side = 1
	}
	b = append(b, side)
	b = binary.BigEndian.AppendUint64(b, m.Size)
	b = binary.BigEndian.AppendUint64(b, m.Amount)
	return append(b, byte(r))
}

// PublicDataVars is the record of the step's request and claimed reason in the circuit: each
// field decomposed into bits and recomposed as bytes (so every byte is in 0 … 255), the accounts
// and the market at the widths their tree paths already bound (24 and 6 bits), size and amount at
// their packed 64 bits, the reason (0 … 255) and the side (boolean) as one byte each.
func (c *ForcedTradeTransition) PublicDataVars(api frontend.API) []frontend.Variable {
	m := c.Message
	out := []frontend.Variable{TypeForcedTrade}
	for _, f := range []struct {
		v frontend.Variable
		n int
	}{{m.AccountA, 3}, {m.AccountB, 3}, {m.Market, 1}, {m.ABuys, 1}, {m.Size, 8}, {m.Amount, 8}, {c.Reason, 1}} {
		out = append(out, bigEndian(api, f.v, f.n)...)
	}
	return out
}

// bigEndian is v as n big-endian bytes; unsatisfiable if v ≥ 256^n.
func bigEndian(api frontend.API, v frontend.Variable, n int) []frontend.Variable {
	bits := api.ToBinary(v, 8*n)
	out := make([]frontend.Variable, n)
	for k := range out {
		lo := 8 * (n - 1 - k)
		out[k] = api.FromBinary(bits[lo : lo+8]...)
	}
	return out
}
