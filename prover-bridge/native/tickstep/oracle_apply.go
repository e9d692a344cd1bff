package tickstep

import (
	"fmt"
	"math"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
)

// OracleTick is an oracle price tick of one market as a batch carries it: the signed reports the
// engine journaled (SignedOraclePrices; each names its signer by its slot in the global leaf's
// signer tree), the tick's time and the batch time.
type OracleTick struct {
	Domain messages.Domain
	Market uint8
	// Now is the tick's time: the core's journaled time when it applied the command (the time of
	// the last Tick before it), against which the engine checked staleness and the future bound.
	Now int64
	// BatchTime is T of the batch that proves the tick: Now ≤ T (AFTER_BATCH_TIME).
	BatchTime int64
	Reports   []reference.PriceReport
}

// maxMovePpmBound is the gadget's bound on oracleMaxMovePpm (perp.OracleTick: below 2^20).
const maxMovePpmBound = 1 << 20

// oracleExec is an executed oracle tick with everything the witness needs.
type oracleExec struct {
	tick             OracleTick
	ref              reference.OracleTick
	broken           []reference.TickRule
	old, state       *layoutv2.State
	market           layoutv2.Market // the leaf before
	marketPath       []fr.Element
	price, timestamp int64 // what the tick writes
}

// oracleClaim replaces the reference's outcome by a claimed one (tests of the median and oldest
// rules).
type oracleClaim struct{ price, timestamp int64 }

// ApplyOracleTick executes the tick on s with perp/reference's OracleTick rules (no arithmetic of
// its own) and returns a new state whose market leaf holds the lower median of the reports as its
// oraclePrice and the oldest report's timestamp as its oracleTimestamp; s is unchanged. Refusals:
// a *RuleError (unwraps to ErrRefused) naming the broken rules, ErrUnknownMarket, ErrOutOfRange.
// Up to 16 reports (the signer tree's size); Witness refuses more than its K slots.
func ApplyOracleTick(s *layoutv2.State, t OracleTick) (*layoutv2.State, error) {
	ex, err := executeOracle(s, t, reference.MaxOracleSigners, false, nil)
	if err != nil {
		return nil, err
	}
	return ex.state, nil
}

// toSigned is x as an int64 when it is below 2^63 (the tick gadgets' bound on leaf values).
func toSigned(x uint64, what string) (int64, error) {
	if x > math.MaxInt64 {
		return 0, fmt.Errorf("%w: %s %d ≥ 2^63", ErrOutOfRange, what, x)
	}
	return int64(x), nil
}

// signerKeys is the signer list of the global leaf up to its last non-empty slot (list index =
// tree slot); an empty slot inside it is the key (0, 0).
func signerKeys(g layoutv2.Global) []eddsa.PublicKey {
	n := 0
	for i, k := range g.OracleSigners {
		if !k.KeyX.IsZero() || !k.KeyY.IsZero() {
			n = i + 1
		}
	}
	keys := make([]eddsa.PublicKey, n)
	for i := range keys {
		keys[i].A.X, keys[i].A.Y = g.OracleSigners[i].KeyX, g.OracleSigners[i].KeyY
	}
	return keys
}

// executeOracle runs the tick against slots report slots; with force it builds the new state even
// when a rule is broken (for tests of refusals), with claim the written price and timestamp are
// the claimed ones.
func executeOracle(s *layoutv2.State, t OracleTick, slots int, force bool, claim *oracleClaim) (*oracleExec, error) {
	m, err := listedMarket(s, t.Market)
	if err != nil {
		return nil, err
	}
	if t.Now < 0 || t.BatchTime < 0 {
		return nil, fmt.Errorf("%w: tick time %d, batch time %d", ErrOutOfRange, t.Now, t.BatchTime)
	}
	g := s.Global()
	ex := &oracleExec{tick: t, old: s, market: m}
	ex.ref = reference.OracleTick{Domain: t.Domain, Market: uint32(t.Market), Signers: signerKeys(g),
		Quorum: int(g.OracleQuorum), Now: t.Now, BatchTime: t.BatchTime, Reports: t.Reports}
	if err := readSigned([]signedField{{&ex.ref.PrevPrice, m.OraclePrice, "oraclePrice"}, {&ex.ref.PrevTime, m.OracleTimestamp, "oracleTimestamp"},
		{&ex.ref.MaxAge, m.Risk.OracleMaxAgeSeconds, "oracleMaxAgeSeconds"},
		{&ex.ref.MaxFuture, m.Risk.OracleMaxFutureSeconds, "oracleMaxFutureSeconds"},
		{&ex.ref.MaxMovePpm, m.Risk.OracleMaxMovePpm, "oracleMaxMovePpm"}}); err != nil {
		return nil, err
	}
	if ex.ref.MaxMovePpm >= maxMovePpmBound {
		return nil, fmt.Errorf("%w: oracleMaxMovePpm %d ≥ 2^20", ErrOutOfRange, ex.ref.MaxMovePpm)
	}
	for i, r := range t.Reports {
		if r.Timestamp < 0 {
			return nil, fmt.Errorf("%w: report %d timestamp %d", ErrOutOfRange, i, r.Timestamp)
		}
	}
	out, broken := reference.ApplyOracleTick(ex.ref, slots)
	// a report naming an empty slot inside the list: the reference sees the key (0, 0) and reports
	// a bad signature; the circuit refuses it as an unknown signer (an empty slot's leaf is 0)
	for _, r := range t.Reports {
		if r.Signer >= 0 && r.Signer < len(ex.ref.Signers) && g.OracleSigners[r.Signer] == (layoutv2.OracleSigner{}) {
			broken = addRule(broken, reference.RuleUnknownSigner)
		}
	}
	ex.price, ex.timestamp = out.Price, out.Timestamp
	if claim != nil {
		_, broken = reference.CheckOracleOutcome(ex.ref, slots, claim.price, claim.timestamp)
		ex.price, ex.timestamp = claim.price, claim.timestamp
	}
	ex.broken = broken
	if len(broken) > 0 && !force {
		return nil, &RuleError{Rules: broken}
	}
	if ex.price < 0 || ex.timestamp < 0 {
		return nil, fmt.Errorf("%w: price %d, timestamp %d", ErrOutOfRange, ex.price, ex.timestamp)
	}
	after := m
	after.OraclePrice, after.OracleTimestamp = uint64(ex.price), uint64(ex.timestamp)
	if ex.marketPath, ex.state, err = rewriteMarket(s, uint64(t.Market), after); err != nil {
		return nil, err
	}
	return ex, nil
}

func addRule(rules []reference.TickRule, r reference.TickRule) []reference.TickRule {
	for _, x := range rules {
		if x == r {
			return rules
		}
	}
	return append(rules, r)
}
