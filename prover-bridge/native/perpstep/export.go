package perpstep

import (
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// This file exports the conversions between layout v2 and perp/reference that ApplyTrade and
// Witness use, so that the other steps over layout v2 (liqstep) read the state into the reference
// and write the reference's results back exactly as the trade does. Each is a pure function, safe
// for concurrent use on values no goroutine writes.

// ReferenceMarkets returns the market vector perp/reference reads from s: 2^6 entries indexed by
// market id, an unlisted id all zero. A u64 field ≥ 2^63 is ErrOutOfRange.
func ReferenceMarkets(s *layoutv2.State) ([]reference.Market, error) {
	markets := make([]reference.Market, 1<<layoutv2.MarketsDepth)
	for _, id := range s.MarketIDs() {
		m, _ := s.Market(id)
		rm, err := refMarket(m)
		if err != nil {
			return nil, err
		}
		markets[id] = rm
	}
	return markets, nil
}

// ReferenceList is an account's 8 entries as perp/reference positions (an empty entry all zero).
func ReferenceList(p layoutv2.Positions) []reference.Position { return refList(p) }

// LayoutList writes a reference list back as layout v2 entries; ErrOutOfRange when an entry does
// not fit layout v2.
func LayoutList(l []reference.Position) (layoutv2.Positions, error) { return layoutList(l) }

// EntryFor is the entry a fill in market uses: the entry holding it, else the lowest-index empty
// entry (layout v2 §9.4), else −1.
func EntryFor(p layoutv2.Positions, market uint8) int { return slotOf(p, market) }

// TableEntry is a market leaf as an entry of perp.MarketTable.
func TableEntry(m layoutv2.Market) perp.MarketVars { return marketVars(m) }

// UnlistedTableEntry is what a table holds for an unlisted id: values the table's range checks
// accept (no position can name the id).
func UnlistedTableEntry() perp.MarketVars {
	return marketVars(layoutv2.Market{Risk: layoutv2.MarketRisk{IncrementalPositionSize: 1}})
}

// OrderWitness is an order message as the circuit's messages.OrderVars.
func OrderWitness(o messages.OrderMessage) messages.OrderVars { return orderVars(o) }
