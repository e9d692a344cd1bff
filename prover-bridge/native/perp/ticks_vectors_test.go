package perp_test

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/consensys/gnark/test"

	"github.com/zkperp/zkperp/prover-bridge/native/internal/vectorfile"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/vectors"
)

type tickFile struct {
	Domains []struct{ ChainID, Rollup string } `json:"domains"`
	Signers []struct {
		PublicKey string `json:"publicKey"`
	} `json:"signers"`
	Outsider struct {
		PublicKey string `json:"publicKey"`
	} `json:"outsider"`
	OracleTicks []struct {
		Name, MaxAgeSeconds, MaxFutureSeconds, MaxMovePpm, PreviousPrice, PreviousTimestamp, Now string
		Market                                                                                   uint32
		Domain, Quorum                                                                           int
		Reports                                                                                  []struct {
			Market                      uint32
			Price, Timestamp, Signature string
			Signer                      int
		}
		Accepted                 bool
		Reason, Price, Timestamp string
	} `json:"oracleTicks"`
	FundingTicks []struct {
		Name, Price, IndexBefore, TimestampBefore, MinIntervalSeconds, MaxRatePpm, Now, IndexDelta string
		Accepted                                                                                   bool
		Reason, IndexAfter                                                                         string
	} `json:"fundingTicks"`
}

func dec(t testing.TB, s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func unhex(t testing.TB, s string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pubKey(t testing.TB, s string) eddsa.PublicKey {
	var k eddsa.PublicKey
	if _, err := k.SetBytes(unhex(t, s)); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestTickVectorsSolveExactlyWhenAccepted: every case of test-vectors/perp-tick-rules.json (the
// file the engine's PerpTickVectorsTest runs OracleAggregator and the funding rules on) goes
// through the tick circuits: an accepted case solves with the file's price and timestamp (oracle,
// K = 6 slots) or new index (funding); a refused one does not solve.
func TestTickVectorsSolveExactlyWhenAccepted(t *testing.T) {
	var f tickFile
	vectorfile.Read(t, vectors.FilePerpTickRules, &f)
	var signers []eddsa.PublicKey
	for _, s := range f.Signers {
		signers = append(signers, pubKey(t, s.PublicKey))
	}
	outsider := pubKey(t, f.Outsider.PublicKey)
	var domains []messages.Domain
	for _, d := range f.Domains {
		id, err := strconv.ParseUint(d.ChainID, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		var md messages.Domain
		md.ChainID = id
		copy(md.Rollup[:], unhex(t, d.Rollup))
		domains = append(domains, md)
	}
	for _, c := range f.OracleTicks {
		sc := &oracleScenario{slots: 6, outsiderPub: &outsider, t: reference.OracleTick{Domain: domains[c.Domain], Market: c.Market,
			Signers: signers, Quorum: c.Quorum, MaxAge: dec(t, c.MaxAgeSeconds), MaxFuture: dec(t, c.MaxFutureSeconds),
			MaxMovePpm: dec(t, c.MaxMovePpm), PrevPrice: dec(t, c.PreviousPrice), PrevTime: dec(t, c.PreviousTimestamp),
			Now: dec(t, c.Now), BatchTime: dec(t, c.Now)}}
		for _, r := range c.Reports {
			sc.t.Reports = append(sc.t.Reports, reference.PriceReport{Market: r.Market, Price: dec(t, r.Price),
				Timestamp: dec(t, r.Timestamp), Signer: r.Signer, Signature: unhex(t, r.Signature)})
		}
		out, _ := reference.ApplyOracleTick(sc.t, sc.slots)
		price, ts := out.Price, out.Timestamp
		if c.Accepted {
			price, ts = dec(t, c.Price), dec(t, c.Timestamp)
		}
		err := solveOracleClaiming(t, sc, price, ts)
		if (err == nil) != c.Accepted {
			t.Errorf("oracle %q (file: accepted %v %s): circuit error %v", c.Name, c.Accepted, c.Reason, err)
		}
	}
	for _, c := range f.FundingTicks {
		ft := reference.FundingTick{Price: dec(t, c.Price), IndexBefore: dec(t, c.IndexBefore), TimeBefore: dec(t, c.TimestampBefore),
			MinInterval: dec(t, c.MinIntervalSeconds), MaxRatePpm: dec(t, c.MaxRatePpm), Now: dec(t, c.Now), BatchTime: dec(t, c.Now),
			Delta: dec(t, c.IndexDelta)}
		after := ft.IndexBefore + ft.Delta
		if c.Accepted {
			after = dec(t, c.IndexAfter)
		}
		err := test.IsSolved(&perp.FundingTickCircuit{}, assignFunding(ft, after), ecc.BN254.ScalarField())
		if (err == nil) != c.Accepted {
			t.Errorf("funding %q (file: accepted %v %s): circuit error %v", c.Name, c.Accepted, c.Reason, err)
		}
	}
	if len(f.OracleTicks) < 100 || len(f.FundingTicks) < 300 {
		t.Fatalf("only %d oracle and %d funding cases", len(f.OracleTicks), len(f.FundingTicks))
	}
}
