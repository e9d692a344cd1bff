package perp_test

import (
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/vectorfile"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

type liqVectorSide struct {
	Collateral string `json:"collateral"`
	Positions  []struct {
		Market         int
		Size, Snapshot string
	} `json:"positions"`
}

type liqVectorFile struct {
	FeePpm      string `json:"liquidationFeePpm"`
	MakerFeePpm string `json:"makerFeePpm"`
	Markets     []struct {
		OraclePrice, FundingIndex, OpenInterest string
		Risk                                    map[string]string
	} `json:"markets"`
	Cases []struct {
		Name, Kind                    string
		Account, Counterparty         liqVectorSide
		Market                        int
		Delta, Price, Fee, FundBefore string
		Accepted                      bool
	} `json:"cases"`
}

// liqVectorEntries is the list length of every account of the vector cases (3 positions at most,
// one empty entry).
const liqVectorEntries = 4

// vectorHolder is a side of a vector case as a holder: its positions, then empty entries; the
// slot is the entry holding the market, else the first empty one.
func vectorHolder(t *testing.T, s liqVectorSide, market int, account uint32) reference.Holder {
	h := reference.Holder{Account: account, Collateral: dec(t, s.Collateral), Positions: make([]reference.Position, liqVectorEntries), Slot: -1}
	for j, p := range s.Positions {
		h.Positions[j] = reference.Position{Market: p.Market, Size: dec(t, p.Size), Snapshot: dec(t, p.Snapshot)}
		if p.Market == market {
			h.Slot = j
		}
	}
	if h.Slot < 0 {
		h.Slot = len(s.Positions)
	}
	return h
}

// TestLiquidationVectorsSolveExactlyWhenAccepted: every case of perp-liquidation-rules.json (the
// file the engine's PerpLiquidationVectorsTest reads) solves its circuit exactly when the file
// says it is accepted. The liquidator's resting order is re-signed here with a test key (the file
// carries the maker's state, not its signature).
func TestLiquidationVectorsSolveExactlyWhenAccepted(t *testing.T) {
	var f liqVectorFile
	vectorfile.Read(t, vectors.FilePerpLiquidation, &f)
	var markets []reference.Market
	for _, m := range f.Markets {
		r := func(k string) int64 { return dec(t, m.Risk[k]) }
		markets = append(markets, reference.Market{Price: dec(t, m.OraclePrice), FundingIndex: dec(t, m.FundingIndex), OpenInterest: dec(t, m.OpenInterest),
			Risk: reference.Risk{IMF: r("initialMarginPpm"), MMF: r("maintenanceMarginPpm"), Baseline: r("baselinePositionSize"),
				IncSize: r("incrementalPositionSize"), IncIMF: r("incrementalInitialMarginPpm"), MaxPositionSize: r("maxPositionSize"), OICap: r("openInterestCap")}})
	}
	k := key(t, 4)
	counts := map[string][2]int{}
	for _, c := range f.Cases {
		delta, price := dec(t, c.Delta), dec(t, c.Price)
		a := vectorHolder(t, c.Account, c.Market, 11)
		var err error
		switch c.Kind {
		case "liquidation":
			x := vectorHolder(t, c.Counterparty, c.Market, 5)
			side, size := uint8(0), -delta
			if delta > 0 {
				side, size = 1, delta
			}
			o := messages.OrderMessage{Account: 5, Market: uint16(c.Market), Side: side, Size: 1 << 40, Price: uint64(price), FeeCap: 1_000,
				Expiry: 1_900_000_000, Nonce: 1}
			l := reference.Liquidation{Domain: demoDomain, Market: c.Market, Price: price, Size: size, Liquidated: a,
				Liquidator: reference.Party{Account: 5, Key: k.PublicKey, Collateral: x.Collateral, Positions: x.Positions, Slot: x.Slot,
					FeePpm: dec(t, f.MakerFeePpm), Order: o, Signature: sign(t, k, demoDomain, o)},
				FeePpm: dec(t, f.FeePpm), Fee: dec(t, c.Fee), Fund: dec(t, c.FundBefore), Markets: markets}
			err = solveLiquidation(t, l)
		case "takeover":
			x := vectorHolder(t, c.Counterparty, c.Market, reference.FundAccount)
			err = solveTakeover(reference.Takeover{Market: c.Market, Delta: delta, Price: price, Account: a, Fund: x, Markets: markets})
		case "deleverage":
			x := vectorHolder(t, c.Counterparty, c.Market, 9)
			err = solveDeleverage(reference.Deleveraging{Market: c.Market, Delta: delta, Price: price, Deleveraged: a, Deleverager: x, Markets: markets})
		default:
			t.Fatalf("%s: unknown kind %q", c.Name, c.Kind)
		}
		if (err == nil) != c.Accepted {
			t.Errorf("%s: the file says accepted = %v, the circuit: %v", c.Name, c.Accepted, err)
		}
		n := counts[c.Kind]
		if c.Accepted {
			n[0]++
		} else {
			n[1]++
		}
		counts[c.Kind] = n
	}
	t.Logf("solved / refused per kind: %v", counts)
	for _, kind := range []string{"liquidation", "takeover", "deleverage"} {
		if counts[kind][0] < 5 || counts[kind][1] < 5 {
			t.Errorf("%s: too one-sided: %v", kind, counts[kind])
		}
	}
}
