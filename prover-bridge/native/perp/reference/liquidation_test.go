package reference

import "testing"

// TestBankruptcyPriceMatchesTheEngineScenario: the bankruptcy prices that the engine's
// LiquidationScenarioTest (twentyTimesLongThroughACrashIsLiquidatedPartiallyThenFully) works out
// by hand from sequencer/README.md — market BTC (IMF 5%, MMF 3%), account long 100 with collateral
// −95,000: at 975 the step of 52 has b = ⌈(50,700 − 1,300) / 52⌉ = 950; after the fill of 30 at
// 970 and the fee 291 (collateral −66,191), the rest of 22 has b = ⌈(21,450 − 647) / 22⌉ = 946;
// at 960, with collateral −45,379 and 48 left (its last position, share = all the equity 701),
// b = ⌈(46,080 − 701) / 48⌉ = 946.
func TestBankruptcyPriceMatchesTheEngineScenario(t *testing.T) {
	btc := Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1_000, OICap: 10_000}
	at := func(p int64) []Market { return []Market{{Price: 1 << 32, Risk: btc}, {Price: p << 32, Risk: btc}} }
	for _, c := range []struct {
		price, collateral, size, close, want int64
	}{
		{975, -95_000, 100, 52, 950},
		{975, -66_191, 70, 22, 946},
		{960, -45_379, 48, 48, 946},
	} {
		list := []Position{{Market: 1, Size: c.size}}
		b, err := BankruptcyPrice(at(c.price), c.collateral, list, 1, c.close)
		if err != nil || b != c.want {
			t.Errorf("%+v: bankruptcy price %d (%v), want %d", c, b, err, c.want)
		}
	}
	// the same long seen from a short's side: a short 100 at 1,025 with equity 2,500 buys back at
	// ⌊1,025 + 2,500 / 100⌋ = 1,050 (single position, c = s: share = equity)
	short := []Position{{Market: 1, Size: -100}}
	if b, err := BankruptcyPrice(at(1_025), 105_000, short, 1, -100); err != nil || b != 1_050 {
		t.Errorf("short: %d (%v), want 1,050", b, err)
	}
}
