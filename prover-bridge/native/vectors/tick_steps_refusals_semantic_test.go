package vectors

import (
	"bytes"
	"encoding/binary"
	"sort"
	"testing"
)

// tick-step-refusals.json checked from the file alone: the steps chain from the initial root
// (a refused step leaves it), each is accepted (new root and public data), refused by rules or
// refused by a listed error; an accepted oracle tick's public data carries the lower median and
// the oldest timestamp of its reports, recomputed here; every rule of the three references is met.
func TestTickStepRefusalsChainAndCoverEveryRule(t *testing.T) {
	var f tickRefusalsFile
	load(t, FileTickStepRefusals, &f)
	root := f.Initial.Root
	met := map[string]bool{}
	accepted := map[string]int{}
	be := func(b []byte, x uint64) []byte { return binary.BigEndian.AppendUint64(b, x) }
	for i, s := range f.Steps {
		if s.OldRoot != root {
			t.Fatalf("step %d (%s) does not start from the last root", i, s.Note)
		}
		outcomes := 0
		for _, set := range []bool{s.NewRoot != "", len(s.Rules) > 0, s.Error != ""} {
			if set {
				outcomes++
			}
		}
		if outcomes != 1 || (s.NewRoot == "") != (s.PublicData == "") {
			t.Fatalf("step %d (%s): not exactly one outcome", i, s.Note)
		}
		switch {
		case s.Error != "":
			if s.Error != f.Errors[0] && s.Error != f.Errors[1] {
				t.Fatalf("step %d: error %q not listed", i, s.Error)
			}
			met[s.Error] = true
			continue
		case len(s.Rules) > 0:
			for _, r := range s.Rules {
				met[r] = true
			}
			continue
		}
		accepted[s.Kind]++
		root = s.NewRoot
		var want []byte
		switch s.Kind {
		case "oracle tick":
			prices := make([]int64, len(s.Reports))
			oldest := int64(1<<63 - 1)
			for j, r := range s.Reports {
				prices[j] = i64(t, r.Price)
				oldest = min(oldest, i64(t, r.Timestamp))
			}
			sort.Slice(prices, func(a, b int) bool { return prices[a] < prices[b] })
			want = be(be(be([]byte{8, s.Market}, uint64(prices[(len(prices)-1)/2])), uint64(oldest)), u64(t, s.Now))
		case "funding tick":
			pd := hexb(t, s.PublicData)
			want = be(append([]byte{9, s.Market}, pd[2:10]...), u64(t, s.Now))
		case "funding period start":
			want = be([]byte{10, s.Market}, u64(t, s.Now))
		default:
			t.Fatalf("step %d: kind %q", i, s.Kind)
		}
		if !bytes.Equal(hexb(t, s.PublicData), want) {
			t.Fatalf("step %d (%s): public data %s, by hand %x", i, s.Note, s.PublicData, want)
		}
	}
	for _, r := range []string{"MARKET_MISMATCH", "UNKNOWN_SIGNER", "DUPLICATE_SIGNER", "NON_POSITIVE_PRICE", "STALE",
		"FUTURE_TIMESTAMP", "QUORUM_NOT_MET", "NOT_NEWER", "BAD_SIGNATURE", "MOVE_TOO_LARGE", "TOO_MANY_REPORTS",
		"AFTER_BATCH_TIME", "NOT_MEDIAN", "NOT_OLDEST", "TOO_EARLY", "NON_POSITIVE_INTERVAL", "OUT_OF_RANGE",
		"RATE_BOUND_EXCEEDED", "INDEX_OVERFLOW", "PERIOD_ALREADY_STARTED", "NON_POSITIVE_TIME", "BEFORE_ORACLE_TIME",
		"unknown-market", "out-of-range"} {
		if !met[r] {
			t.Errorf("no step refused by %s", r)
		}
	}
	if accepted["oracle tick"] < 3 || accepted["funding tick"] < 3 || accepted["funding period start"] < 1 {
		t.Fatalf("accepted %v", accepted)
	}
}
