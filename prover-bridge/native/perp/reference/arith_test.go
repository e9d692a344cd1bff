package reference

import "testing"

// The worked numbers of sequencer/README.md, checked against the reference (independently of the
// engine and of the gadgets).
func TestWorkedExamplesOfTheEngineReadme(t *testing.T) {
	tests := Risk{IMF: 50_000, MMF: 30_000, Baseline: 100, IncSize: 50, IncIMF: 10_000, MaxPositionSize: 1 << 40, OICap: 1 << 40}
	// "a position of 151 at 1,000 has imf = 5% + ceil(51 / 50) · 1% = 7% and IMR = 151,000 · 7% = 10,570"
	if got := IMF(151, tests); got != 70_000 {
		t.Errorf("imf(151) = %d, want 70,000", got)
	}
	if got, err := IMR(151, 1000<<32, tests); err != nil || got != 10_570 {
		t.Errorf("IMR(151 at 1,000) = %d, %v; want 10,570", got, err)
	}
	// "long 150 / short 150, index +0.5 then +1,431,655,765 / 2^32: the long pays 125, the short receives 124"
	f := int64(1<<31 + 1_431_655_765)
	if got, _ := FundingCredit(150, 0, f); got != -125 {
		t.Errorf("long 150 funding = %d, want −125", got)
	}
	if got, _ := FundingCredit(-150, 0, f); got != 124 {
		t.Errorf("short 150 funding = %d, want 124", got)
	}
	// DerivedFundingTest: Δindex 542,127,951, "the long 50 pays 7, the short 50 receives 6"
	if got, _ := FundingCredit(50, 0, 542_127_951); got != -7 {
		t.Errorf("long 50 funding = %d, want −7", got)
	}
	if got, _ := FundingCredit(-50, 0, 542_127_951); got != 6 {
		t.Errorf("short 50 funding = %d, want 6", got)
	}
	// fees: a charge rounds up, a rebate rounds down in magnitude
	for _, c := range []struct{ n, r, want int64 }{{1_000, 500, 1}, {1_999, 500, 1}, {2_001, 500, 2}, {1_999, -500, 0}, {2_000, -500, -1}, {0, 500, 0}} {
		if got, _ := Fee(c.n, c.r); got != c.want {
			t.Errorf("fee(%d, %d) = %d, want %d", c.n, c.r, got, c.want)
		}
	}
	// value rounds toward −∞, notional up
	if v, _ := Value(-1, 1<<32+1); v != -2 {
		t.Errorf("value(−1, 1 + 2^-32) = %d, want −2", v)
	}
	if n, _ := Notional(-1, 1<<32+1); n != 2 {
		t.Errorf("notional(−1, 1 + 2^-32) = %d, want 2", n)
	}
}

// TestMarginRule: the two branches of the post-trade rule.
func TestMarginRule(t *testing.T) {
	for _, c := range []struct {
		name                                       string
		s0, s1, equity0, mmr0, equity1, imr1, mmr1 int64
		want                                       bool
	}{
		{"at initial margin", 0, 10, 100, 0, 100, 100, 60, true},
		{"one below, risk grows", 0, 10, 100, 0, 99, 100, 60, false},
		{"reduces, ratio kept", -100, -40, 1059, 3901, 424, 2601, 1561, true},
		{"reduces, ratio falls", -100, -40, 1058, 3901, 423, 2601, 1561, false},
		{"flip is not a reduction", -30, 30, 1000, 900, 500, 1500, 900, false},
		{"closes: equity ≥ 0", -100, 0, 971, 3002, 0, 0, 0, true},
		{"closes: equity < 0", -100, 0, 970, 3002, -1, 0, 0, false},
	} {
		if got := MarginOK(c.s0, c.s1, c.equity0, c.mmr0, c.equity1, c.imr1, c.mmr1); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
