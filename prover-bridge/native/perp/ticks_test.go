package perp_test

import (
	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"

	"fmt"
	"testing"

	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// A valid oracle tick solves with the reference's outcome (median and oldest timestamp), for odd
// and even report counts, with unused slots, and for a market's first price.
func TestValidOracleTickSolves(t *testing.T) {
	for _, c := range []struct{ slots, n int }{{3, 3}, {5, 4}, {5, 5}, {6, 6}, {16, 6}} {
		t.Run(fmt.Sprintf("K=%d/n=%d", c.slots, c.n), func(t *testing.T) {
			sc := newOracleScenario(t, c.slots, c.n)
			out, broken := reference.ApplyOracleTick(sc.t, sc.slots)
			if len(broken) != 0 {
				t.Fatal(broken)
			}
			if err := solveOracle(t, sc); err != nil {
				t.Fatalf("outcome %+v: %v", out, err)
			}
		})
	}
}

// Each case breaks one rule of the oracle tick alone: the reference reports exactly that rule and
// the circuit (claimed outcome recomputed by the reference) is unsatisfiable. K = 5 slots.
func TestEachOracleRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	type change func(t *testing.T, sc *oracleScenario) (claimPrice, claimTime *int64)
	plain := func(f func(sc *oracleScenario)) change {
		return func(t *testing.T, sc *oracleScenario) (*int64, *int64) { f(sc); sc.resign(t); return nil, nil }
	}
	cases := []struct {
		name string
		rule reference.TickRule
		f    change
	}{
		{"fewer than quorum reports", reference.RuleQuorumNotMet, plain(func(sc *oracleScenario) { sc.t.Quorum = 5 })},
		{"a signer outside the set", reference.RuleUnknownSigner, plain(func(sc *oracleScenario) { sc.t.Reports[1].Signer = 9 })},
		{"the same signer twice", reference.RuleDuplicateSigner, plain(func(sc *oracleScenario) { sc.t.Reports[2].Signer = sc.t.Reports[0].Signer })},
		{"a stale timestamp", reference.RuleStale, plain(func(sc *oracleScenario) { sc.t.Reports[1].Timestamp = sc.t.Now - sc.t.MaxAge - 1 })},
		{"a too-new timestamp", reference.RuleFutureTimestamp, plain(func(sc *oracleScenario) { sc.t.Reports[0].Timestamp = sc.t.Now + sc.t.MaxFuture + 1 })},
		{"not newer than the market's last", reference.RuleNotNewer, plain(func(sc *oracleScenario) { sc.t.PrevTime = sc.t.Reports[3].Timestamp })},
		{"a non-positive price", reference.RuleNonPositivePrice, plain(func(sc *oracleScenario) { sc.t.Reports[1].Price = 0 })},
		{"a move above the bound", reference.RuleMoveTooLarge, plain(func(sc *oracleScenario) { sc.t.MaxMovePpm = 1 })},
		{"a bad signature", reference.RuleBadSignature, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			sc.t.Reports[2].Signature[63] ^= 1
			return nil, nil
		}},
		{"a price changed after signing", reference.RuleBadSignature, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			sc.t.Reports[3].Price++
			return nil, nil
		}},
		{"a report for another market", reference.RuleMarketMismatch, plain(func(sc *oracleScenario) { sc.t.Reports[1].Market = tickMarket + 1 })},
		{"a report for another chain", reference.RuleBadSignature, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			d := sc.t.Domain
			d.ChainID++
			sc.resignOne(t, 0, d)
			return nil, nil
		}},
		{"a report for another rollup", reference.RuleBadSignature, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			d := sc.t.Domain
			d.Rollup[19] ^= 1
			sc.resignOne(t, 3, d)
			return nil, nil
		}},
		{"a non-median value (the next larger report)", reference.RuleNotMedian, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			// prices −3e9, +7e6, +7e6, +9.1e9 (offsets from 1,300): lower median +7e6, next +9.1e9
			m := reference.LowerMedian(sc.t.Reports)
			p := int64(1<<63 - 1)
			for _, r := range sc.t.Reports {
				if r.Price > m && r.Price < p {
					p = r.Price
				}
			}
			return &p, nil
		}},
		{"a non-median value (one quantum off)", reference.RuleNotMedian, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			p := reference.LowerMedian(sc.t.Reports) - 1
			return &p, nil
		}},
		{"a timestamp that is not the oldest", reference.RuleNotOldest, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			out, _ := reference.ApplyOracleTick(sc.t, sc.slots)
			ts := out.Timestamp + 1
			return nil, &ts
		}},
		{"more reports than slots", reference.RuleTooManyReports, func(t *testing.T, sc *oracleScenario) (*int64, *int64) {
			sc.slots = 3
			return nil, nil
		}},
		{"a tick after the batch time", reference.RuleAfterBatchTime, plain(func(sc *oracleScenario) { sc.t.BatchTime = sc.t.Now - 1 })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := newOracleScenario(t, 5, 4)
			cp, ct := c.f(t, sc)
			out, _ := reference.ApplyOracleTick(sc.t, sc.slots)
			price, ts := out.Price, out.Timestamp
			if cp != nil {
				price = *cp
			}
			if ct != nil {
				ts = *ct
			}
			_, broken := reference.CheckOracleOutcome(sc.t, sc.slots, price, ts)
			if len(broken) != 1 || broken[0] != c.rule {
				t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
			}
			if c.rule == reference.RuleTooManyReports {
				return // the witness cannot even be written: the fourth report has no slot
			}
			if err := solveOracleClaiming(t, sc, price, ts); err == nil {
				t.Fatalf("breaking %s alone still solves", c.rule)
			}
		})
	}
}

// Each case breaks one rule of the funding tick alone by the smallest step: the reference reports
// exactly that rule and the circuit is unsatisfiable.
func TestEachFundingRuleBrokenAloneIsUnsatisfiable(t *testing.T) {
	bound := func(f reference.FundingTick) int64 {
		return reference.FundingBound(f.MaxRatePpm, f.Price, f.Now-f.TimeBefore).Int64()
	}
	cases := []struct {
		name string
		rule reference.TickRule
		f    func(f *reference.FundingTick)
	}{
		{"change above the bound by one quantum", reference.RuleRateBound, func(f *reference.FundingTick) { f.Delta = bound(*f) + 1 }},
		{"negative change above the bound by one quantum", reference.RuleRateBound, func(f *reference.FundingTick) { f.Delta = -bound(*f) - 1 }},
		{"too early by one second", reference.RuleTooEarly, func(f *reference.FundingTick) { f.TimeBefore = f.Now - f.MinInterval + 1; f.Delta = 0 }},
		{"no oracle price", reference.RuleNonPositivePrice, func(f *reference.FundingTick) { f.Price = 0; f.Delta = 0 }},
		{"interval above 10^9 s", reference.RuleOutOfRange, func(f *reference.FundingTick) { f.TimeBefore = f.Now - reference.MaxFundingInterval - 1 }},
		{"maximum rate above 10^9 ppm", reference.RuleOutOfRange, func(f *reference.FundingTick) { f.MaxRatePpm = reference.MaxFundingRatePpm + 1 }},
		{"index leaves int64", reference.RuleIndexOverflow, func(f *reference.FundingTick) { f.IndexBefore = -1 << 63; f.Delta = -1 }},
		{"a tick after the batch time", reference.RuleAfterBatchTime, func(f *reference.FundingTick) { f.BatchTime = f.Now - 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFundingScenario()
			c.f(&f)
			_, broken := reference.ApplyFundingTick(f)
			if len(broken) != 1 || broken[0] != c.rule {
				t.Fatalf("the reference reports %v, want only %s", broken, c.rule)
			}
			if err := solveFunding(f); err == nil {
				t.Fatalf("breaking %s alone still solves", c.rule)
			}
		})
	}
}

// A market's first price (no previous price: oraclePrice 0) skips the not-newer and move rules,
// as the engine does for a market without an accepted price.
func TestFirstOraclePriceSkipsNotNewerAndMove(t *testing.T) {
	sc := newOracleScenario(t, 5, 3)
	sc.t.PrevPrice, sc.t.PrevTime, sc.t.MaxMovePpm = 0, tickNow+1_000, 1
	if _, broken := reference.ApplyOracleTick(sc.t, sc.slots); len(broken) != 0 {
		t.Fatal(broken)
	}
	if err := solveOracle(t, sc); err != nil {
		t.Fatal(err)
	}
}

// At each bound of the oracle tick the circuit solves; one step past it, the reference reports
// that rule alone and the circuit refuses.
func TestOracleBoundaries(t *testing.T) {
	type edit func(sc *oracleScenario, past int64)
	cases := []struct {
		name string
		rule reference.TickRule
		f    edit
	}{
		{"oldest allowed timestamp (now − maxAge)", reference.RuleStale, func(sc *oracleScenario, past int64) {
			sc.t.Reports[2].Timestamp = sc.t.Now - sc.t.MaxAge - past
		}},
		{"newest allowed timestamp (now + maxFuture)", reference.RuleFutureTimestamp, func(sc *oracleScenario, past int64) {
			sc.t.Reports[1].Timestamp = sc.t.Now + sc.t.MaxFuture + past
		}},
		{"oldest report one second after the last price", reference.RuleNotNewer, func(sc *oracleScenario, past int64) {
			out, _ := reference.ApplyOracleTick(sc.t, sc.slots)
			sc.t.PrevTime = out.Timestamp - 1 + past
		}},
		// maxMove 2%: the bound is ⌊p₀ / 50⌋, so m − p₀ ≤ ⌊p₀/50⌋ ⇔ p₀ ≥ ⌈50m/51⌉ (up) and
		// p₀ − m ≤ ⌊p₀/50⌋ ⇔ p₀ ≤ ⌊50m/49⌋ (down)
		{"move up by exactly the bound", reference.RuleMoveTooLarge, func(sc *oracleScenario, past int64) {
			m := reference.LowerMedian(sc.t.Reports)
			sc.t.PrevPrice = (50*m+50)/51 - past
		}},
		{"move down by exactly the bound", reference.RuleMoveTooLarge, func(sc *oracleScenario, past int64) {
			m := reference.LowerMedian(sc.t.Reports)
			sc.t.PrevPrice = 50*m/49 + past
		}},
		{"exactly the quorum", reference.RuleQuorumNotMet, func(sc *oracleScenario, past int64) {
			sc.t.Quorum = len(sc.t.Reports) + int(past)
		}},
		{"tick at the batch time", reference.RuleAfterBatchTime, func(sc *oracleScenario, past int64) {
			sc.t.BatchTime = sc.t.Now - past
		}},
	}
	for _, c := range cases {
		for _, past := range []int64{0, 1} {
			t.Run(fmt.Sprintf("%s/past=%d", c.name, past), func(t *testing.T) {
				sc := newOracleScenario(t, 5, 5)
				c.f(sc, past)
				sc.resign(t)
				_, broken := reference.ApplyOracleTick(sc.t, sc.slots)
				err := solveOracle(t, sc)
				if past == 0 {
					if len(broken) != 0 || err != nil {
						t.Fatalf("at the bound: reference %v, circuit %v", broken, err)
					}
					return
				}
				if len(broken) != 1 || broken[0] != c.rule {
					t.Fatalf("one past the bound: the reference reports %v, want only %s", broken, c.rule)
				}
				if err == nil {
					t.Fatal("one past the bound still solves")
				}
			})
		}
	}
}

// A valid funding tick solves with the reference's new index; at each bound (the largest change
// either way, the earliest allowed time, the longest interval, the largest rate, the int64 edge of
// the index, the batch time) it solves too — the step past each is in
// TestEachFundingRuleBrokenAloneIsUnsatisfiable.
func TestFundingTickBoundaries(t *testing.T) {
	bound := func(f reference.FundingTick) int64 {
		return reference.FundingBound(f.MaxRatePpm, f.Price, f.Now-f.TimeBefore).Int64()
	}
	cases := []struct {
		name string
		f    func(f *reference.FundingTick)
	}{
		{"80% of the bound", func(f *reference.FundingTick) {}},
		{"exactly the bound", func(f *reference.FundingTick) { f.Delta = bound(*f) }},
		{"exactly minus the bound", func(f *reference.FundingTick) { f.Delta = -bound(*f) }},
		{"exactly the minimum interval", func(f *reference.FundingTick) { f.TimeBefore = f.Now - f.MinInterval; f.Delta = bound(*f) }},
		{"interval 10^9 s", func(f *reference.FundingTick) {
			f.TimeBefore = f.Now - reference.MaxFundingInterval
			f.Delta = -bound(*f)
		}},
		{"maximum rate 10^9 ppm, bound above int64", func(f *reference.FundingTick) {
			f.MaxRatePpm, f.TimeBefore, f.Price = reference.MaxFundingRatePpm, f.Now-reference.MaxFundingInterval, 1<<62
			f.IndexBefore, f.Delta = 0, 1<<63-1
		}},
		{"index reaches the int64 maximum", func(f *reference.FundingTick) { f.IndexBefore = 1<<63 - 1 - f.Delta; f.Delta = bound(*f) }},
		{"zero change", func(f *reference.FundingTick) { f.Delta = 0 }},
		{"zero maximum rate", func(f *reference.FundingTick) { f.MaxRatePpm, f.Delta = 0, 0 }},
		{"tick at the batch time", func(f *reference.FundingTick) { f.BatchTime = f.Now }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFundingScenario()
			c.f(&f)
			out, broken := reference.ApplyFundingTick(f)
			if len(broken) != 0 {
				t.Fatal(broken)
			}
			if err := solveFunding(f); err != nil {
				t.Fatalf("outcome %+v: %v", out, err)
			}
			// the new index is bound to the reference's: one more is refused
			if err := test.IsSolved(&perp.FundingTickCircuit{}, assignFunding(f, out.Index+1), ecc.BN254.ScalarField()); err == nil {
				t.Fatal("a wrong new index solves")
			}
		})
	}
}

// A full signer tree: 16 signers, all 16 report (K = 16, quorum 16, even count, slot 15 used)
// solves with the reference's outcome; with one report dropped it misses the quorum.
func TestOracleTickWithSixteenSigners(t *testing.T) {
	sc := newOracleScenario(t, 16, 0)
	sc.signers, sc.t.Signers = nil, nil
	for i := 0; i < perp.SignerSlots; i++ {
		k := key(t, byte(120+i))
		sc.signers = append(sc.signers, k)
		sc.t.Signers = append(sc.t.Signers, k.PublicKey)
		sc.t.Reports = append(sc.t.Reports, reference.PriceReport{Market: tickMarket, Price: tickPrice + int64(i%5)*1_000_003 - 2_000_000,
			Timestamp: tickNow - int64(i), Signer: perp.SignerSlots - 1 - i})
	}
	sc.t.Quorum = perp.SignerSlots
	sc.resign(t)
	out, broken := reference.ApplyOracleTick(sc.t, sc.slots)
	if len(broken) != 0 {
		t.Fatal(broken)
	}
	if err := solveOracle(t, sc); err != nil {
		t.Fatalf("outcome %+v: %v", out, err)
	}
	sc.t.Reports = sc.t.Reports[1:]
	if _, broken := reference.ApplyOracleTick(sc.t, sc.slots); len(broken) != 1 || broken[0] != reference.RuleQuorumNotMet {
		t.Fatal(broken)
	}
	if err := solveOracle(t, sc); err == nil {
		t.Fatal("15 reports with quorum 16 solve")
	}
}
