package reference

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

// The worked numbers of sequencer/docs/oracle-and-funding.md: the rate bound at IMF 5% / MMF 3%
// (clamp 120,000 ppm per 8 h) over an hour at index price 10,000 is exactly 150 · 2^32, and a rate
// of 150 ppm gives 805,306,368 (0.1875 in 32.32).
func TestFundingBoundWorkedNumbers(t *testing.T) {
	price := int64(10_000) << 32
	if b := FundingBound(120_000, price, 3_600); b.Int64() != 150<<32 {
		t.Fatalf("bound %s, want 150·2^32", b)
	}
	if b := FundingBound(150, price, 3_600); b.Int64() != 805_306_368 {
		t.Fatalf("bound %s, want 805,306,368", b)
	}
	tick := FundingTick{Price: price, IndexBefore: 7, TimeBefore: 1_000, MinInterval: 3_600, MaxRatePpm: 120_000,
		Now: 4_600, BatchTime: 4_600, Delta: -150 << 32}
	if out, broken := ApplyFundingTick(tick); len(broken) != 0 || out.Index != 7-150<<32 || out.Timestamp != 4_600 {
		t.Fatalf("%+v %v", out, broken)
	}
	tick.Delta--
	if _, broken := ApplyFundingTick(tick); len(broken) != 1 || broken[0] != RuleRateBound {
		t.Fatal(broken)
	}
}

// The lower median: rank ⌊(n − 1)/2⌋, so the lower middle value for an even count.
func TestLowerMedian(t *testing.T) {
	for _, c := range []struct {
		prices []int64
		want   int64
	}{{[]int64{5}, 5}, {[]int64{9, 1}, 1}, {[]int64{3, 9, 1}, 3}, {[]int64{4, 4, 9, 1}, 4}, {[]int64{8, 2, 6, 4}, 4}, {[]int64{7, 7, 7, 1, 9}, 7}} {
		var rs []PriceReport
		for _, p := range c.prices {
			rs = append(rs, PriceReport{Price: p})
		}
		if got := LowerMedian(rs); got != c.want {
			t.Errorf("%v: %d, want %d", c.prices, got, c.want)
		}
	}
}

// The staleness example of the engine's message: max age 30 s, now 1,700,000,000: a report at
// 1,699,999,969 is stale, one at 1,699,999,970 is accepted; the accepted timestamp is the oldest.
func TestOracleStalenessWorkedNumbers(t *testing.T) {
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	d := messages.Domain{ChainID: 31337}
	tick := OracleTick{Domain: d, Market: 1, Signers: []eddsa.PublicKey{k.PublicKey}, Quorum: 1, MaxAge: 30, MaxFuture: 5,
		MaxMovePpm: 1_000_000, Now: 1_700_000_000, BatchTime: 1_700_000_000}
	for _, c := range []struct {
		ts    int64
		stale bool
	}{{1_699_999_969, true}, {1_699_999_970, false}} {
		r := PriceReport{Market: 1, Price: 42 << 32, Timestamp: c.ts}
		h := ReportMessage(r).Hash(d)
		b := h.Bytes()
		if r.Signature, err = k.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
			t.Fatal(err)
		}
		tick.Reports = []PriceReport{r}
		out, broken := ApplyOracleTick(tick, 1)
		if c.stale != (len(broken) == 1 && broken[0] == RuleStale) || (!c.stale && (len(broken) != 0 || out.Timestamp != c.ts || out.Price != 42<<32)) {
			t.Fatalf("timestamp %d: %+v %v", c.ts, out, broken)
		}
	}
}
