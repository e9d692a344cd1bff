package perp_test

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	geddsa "github.com/consensys/gnark/std/signature/eddsa"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

const nMarkets = 10

var demoDomain = messages.Domain{ChainID: 31337, Rollup: [20]byte{0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3}}

// scenario holds a trade with the private keys that signed it, so a test can change a field and
// re-sign (or not).
type scenario struct {
	t    reference.Trade
	keys [2]*eddsa.PrivateKey
}

func key(t testing.TB, i byte) *eddsa.PrivateKey {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{i + 41}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sign(t testing.TB, k *eddsa.PrivateKey, d messages.Domain, o messages.OrderMessage) []byte {
	h := o.Hash(d)
	b := h.Bytes()
	sig, err := k.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// newScenario: market 3 at about 1,300; the buyer (account 5) holds a long 40 in market 3 and n−1
// other positions and buys 60 more; the seller (account 9) holds n−1 other positions and opens a
// short 60 in its last (empty) entry. Funding is pending on every position; both orders are
// partially filled or take over an older slot.
func newScenario(t testing.TB, n int) *scenario {
	markets := make([]reference.Market, nMarkets)
	for m := range markets {
		markets[m] = reference.Market{
			Price:        int64(1000+100*m)<<32 + int64(m)*123_456_789,
			FundingIndex: int64(m)*12_345_678_901 - 50_000_000_000,
			OpenInterest: 5_000,
			Risk:         reference.Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1_000_000, OICap: 1_000_000},
		}
	}
	others := func(skip int, count int, sign int64) []reference.Position {
		var out []reference.Position
		for m := 0; m < nMarkets && len(out) < count; m++ {
			if m == skip {
				continue
			}
			s := int64(30 + 7*m)
			if (m+int(sign))%2 == 0 {
				s = -s
			}
			out = append(out, reference.Position{Market: m, Size: s, Snapshot: markets[m].FundingIndex - int64(m+1)*987_654_321})
		}
		return out
	}
	sc := &scenario{keys: [2]*eddsa.PrivateKey{key(t, 1), key(t, 2)}}
	buyerList := append([]reference.Position{{Market: 3, Size: 40, Snapshot: markets[3].FundingIndex - 3_000_000_000}}, others(3, n-1, 0)...)
	sellerList := append(others(3, n-1, 1), reference.Position{})
	tr := reference.Trade{
		Domain: demoDomain, Market: 3, Price: 1_310, Size: 60, Markets: markets,
		Buyer: reference.Party{
			Account: 5, Collateral: 200_000, Positions: buyerList, Slot: 0,
			FillNonce: 70_000, FillFilled: 20, FeePpm: 500,
			Order: messages.OrderMessage{Account: 5, Market: 3, Side: 0, Type: 0, TimeInForce: 0, ClientOrderID: 77,
				Size: 100, Price: 1_320, FeeCap: 1_000, Expiry: 1_900_000_000, Nonce: 70_000},
		},
		Seller: reference.Party{
			Account: 9, Collateral: 150_000, Positions: sellerList, Slot: n - 1,
			FillNonce: 3, FillFilled: 3, FeePpm: -100,
			Order: messages.OrderMessage{Account: 9, Market: 3, Side: 1, Type: 0, TimeInForce: 1, ClientOrderID: 78,
				Size: 60, Price: 1_300, FeeCap: 500, Expiry: 1_900_000_000, Nonce: 65_539, Trigger: 0},
		},
	}
	tr.Buyer.Key, tr.Seller.Key = sc.keys[0].PublicKey, sc.keys[1].PublicKey
	sc.t = tr
	sc.resign(t)
	return sc
}

// resign signs both orders in the trade's domain.
func (sc *scenario) resign(t testing.TB) {
	sc.t.Buyer.Signature = sign(t, sc.keys[0], sc.t.Domain, sc.t.Buyer.Order)
	sc.t.Seller.Signature = sign(t, sc.keys[1], sc.t.Domain, sc.t.Seller.Order)
}

func bi(x int64) *big.Int { return big.NewInt(x) }

func orderVars(o messages.OrderMessage) messages.OrderVars {
	ro := 0
	if o.ReduceOnly {
		ro = 1
	}
	return messages.OrderVars{Account: o.Account, Market: o.Market, Side: o.Side, Type: o.Type, TimeInForce: o.TimeInForce,
		ReduceOnly: ro, ClientOrderID: o.ClientOrderID, Size: o.Size, Price: o.Price, FeeCap: o.FeeCap, Expiry: o.Expiry,
		Nonce: o.Nonce, Trigger: o.Trigger, TriggerPrice: o.TriggerPrice}
}

func positionVars(list []reference.Position) []perp.PositionVars {
	out := make([]perp.PositionVars, len(list))
	for i, p := range list {
		out[i] = perp.PositionVars{Market: p.Market, Size: bi(p.Size), Snapshot: bi(p.Snapshot)}
	}
	return out
}

// assign builds the circuit's witness from the trade and the reference's result.
func assign(t testing.TB, tr reference.Trade, res reference.Result) *perp.TradeCircuit {
	n := len(tr.Buyer.Positions)
	c := perp.NewTradeCircuit(n, len(tr.Markets))
	sep := tr.Domain.Separator(messages.Order)
	c.Separator = sep
	for i, m := range tr.Markets {
		c.Markets[i] = perp.MarketVars{Price: bi(m.Price), FundingIndex: bi(m.FundingIndex), OpenInterest: bi(m.OpenInterest),
			IMF: m.Risk.IMF, MMF: m.Risk.MMF, Baseline: m.Risk.Baseline, IncSize: m.Risk.IncSize, IncIMF: m.Risk.IncIMF,
			MaxPositionSize: m.Risk.MaxPositionSize, OICap: m.Risk.OICap}
	}
	c.Market, c.Price, c.Size = tr.Market, bi(tr.Price), bi(tr.Size)
	for i, pair := range []struct {
		in  reference.Party
		out reference.PartyAfter
		v   *perp.PartyVars
	}{{tr.Buyer, res.Buyer, &c.Buyer}, {tr.Seller, res.Seller, &c.Seller}} {
		_ = i
		p, v := pair.in, pair.v
		v.Account = p.Account
		v.Key = geddsa.PublicKey{A: twistededwards.Point{X: p.Key.A.X, Y: p.Key.A.Y}}
		var sig eddsa.Signature
		if _, err := sig.SetBytes(p.Signature); err != nil {
			t.Fatal(err)
		}
		var s fr.Element
		s.SetBytes(sig.S[:])
		v.Signature = geddsa.Signature{R: twistededwards.Point{X: sig.R.X, Y: sig.R.Y}, S: s}
		v.Collateral = bi(p.Collateral)
		v.Positions = positionVars(p.Positions)
		for j := range v.Select {
			v.Select[j] = 0
			if j == p.Slot {
				v.Select[j] = 1
			}
		}
		v.FillNonce, v.FillFilled, v.FeePpm = p.FillNonce, p.FillFilled, bi(p.FeePpm)
		v.Order = orderVars(p.Order)
		a := pair.out
		if len(a.Positions) != n {
			a.Positions = make([]reference.Position, n) // a broken positions rule leaves no list
		}
		v.After = positionVars(a.Positions)
		v.CollateralAfter, v.FilledAfter = bi(a.Collateral), a.FillFilled
		v.FundingSettled, v.FeeOut = bi(a.FundingSettled), bi(a.Fee)
	}
	c.OpenInterestAfter, c.FeeBalanceDelta = bi(res.OpenInterest), bi(res.FeeBalanceDelta)
	return c
}

func solve(t testing.TB, tr reference.Trade) error {
	res, _ := reference.Apply(tr)
	n := len(tr.Buyer.Positions)
	return test.IsSolved(perp.NewTradeCircuit(n, len(tr.Markets)), assign(t, tr, res), ecc.BN254.ScalarField())
}

var _ frontend.Circuit = (*perp.TradeCircuit)(nil)
