package tickstep

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/consensys/gnark/frontend"
)

// The encodings, against bytes written out by hand.
func TestPublicDataEncoding(t *testing.T) {
	got := OraclePublicData(63, 0x0102030405060708, 0x0000000069_2a_3b_4c, 0x7fffffffffffffff)
	want := []byte{0x08, 63, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0x69, 0x2a, 0x3b, 0x4c,
		0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if !bytes.Equal(got, want) || len(got) != OraclePublicDataBytes {
		t.Fatalf("oracle: % x", got)
	}
	got = FundingPublicData(2, -2, 1_800_000_100)
	want = []byte{0x09, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 0, 0x6b, 0x49, 0xd2, 0x64}
	if !bytes.Equal(got, want) || len(got) != FundingPublicDataBytes {
		t.Fatalf("funding: % x", got)
	}
	got = FundingPublicData(0, -1<<63, 0)
	if !bytes.Equal(got[2:10], []byte{0x80, 0, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("funding index −2^63: % x", got)
	}
}

// The circuit's public data is the encoding (the valid tests solve with Go's bytes); each byte
// changed alone is unsatisfiable. The funding tick is checked with a negative and a positive new
// index (two's complement both ways).
func TestPublicDataBytesAreBound(t *testing.T) {
	w := newWorld(t)
	ow, _, err := WitnessOracle(w.state, w.oracleTick(t, 3), k)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ow.PublicData {
		t.Run(fmt.Sprintf("oracle byte %d", i), func(t *testing.T) {
			c := *ow
			c.PublicData = append([]frontend.Variable(nil), ow.PublicData...)
			c.PublicData[i] = (int(ow.PublicData[i].(byte)) + 1) % 256
			if solveOracle(&c) == nil {
				t.Fatal("a changed byte solves")
			}
		})
	}
	for _, index := range []int64{-12_000_000_000, 9_000_000_000} {
		w := newWorld(t)
		m, _ := w.state.Market(market)
		m.FundingIndex = index
		if err := w.state.SetMarket(market, m); err != nil {
			t.Fatal(err)
		}
		fw, next, err := WitnessFunding(w.state, fundingTick())
		if err != nil {
			t.Fatal(err)
		}
		if err := solveFunding(fw); err != nil {
			t.Fatalf("index %d: %v", index, err)
		}
		m1, _ := next.Market(market)
		if (m1.FundingIndex < 0) != (index < 0) {
			t.Fatal("the case does not keep the index's sign")
		}
		for i := range fw.PublicData {
			c := *fw
			c.PublicData = append([]frontend.Variable(nil), fw.PublicData...)
			c.PublicData[i] = (int(fw.PublicData[i].(byte)) + 1) % 256
			if solveFunding(&c) == nil {
				t.Fatalf("index %d: a changed byte %d solves", index, i)
			}
		}
	}
}
