package reference

import (
	"errors"
	"math/big"
)

// This file is the Go reference of the risk engine's integer arithmetic, written from
// sequencer/README.md ("Formulas") and RiskMath.java with math/big, independently of the gadgets.
// Every function returns ErrRange where RiskMath throws ArithmeticException (a result outside the
// int64 range), so the vector file can pin those cases too.

// ErrRange is returned where the engine's RiskMath throws ArithmeticException.
var ErrRange = errors.New("reference: result out of the int64 range")

// PPM is one in parts per million.
const PPM = 1_000_000

var (
	bigPPM   = big.NewInt(PPM)
	two32    = new(big.Int).Lsh(big.NewInt(1), 32)
	minInt64 = big.NewInt(-1 << 63)
	maxInt64 = big.NewInt(1<<63 - 1)
)

// Risk is a market's risk leaf (docs/state-layout.md §4, MarketRisk.java).
type Risk struct {
	IMF, MMF, Baseline, IncSize, IncIMF, MaxPositionSize, OICap int64
}

func toI64(v *big.Int) (int64, error) {
	if v.Cmp(minInt64) < 0 || v.Cmp(maxInt64) > 0 {
		return 0, ErrRange
	}
	return v.Int64(), nil
}

// floorDiv is ⌊a/b⌋ for b > 0 (big.Int.Div is Euclidean, which equals floor for b > 0).
func floorDiv(a, b *big.Int) *big.Int { return new(big.Int).Div(a, b) }

// ceilDiv is ⌈a/b⌉ for b > 0.
func ceilDiv(a, b *big.Int) *big.Int {
	return new(big.Int).Neg(floorDiv(new(big.Int).Neg(a), b))
}

func mul(a, b int64) *big.Int { return new(big.Int).Mul(big.NewInt(a), big.NewInt(b)) }

// Value is floor(s · p / 2^32) (RiskMath.value).
func Value(s, p int64) (int64, error) { return toI64(floorDiv(mul(s, p), two32)) }

// Notional is ceil(|s| · p / 2^32) (RiskMath.notional).
func Notional(s, p int64) (int64, error) {
	if s == -1<<63 {
		return 0, ErrRange // Math.absExact
	}
	a := s
	if a < 0 {
		a = -a
	}
	return toI64(ceilDiv(mul(a, p), two32))
}

// MulPpmUp is ceil(x · ppm / 10^6) for x ≥ 0, 0 ≤ ppm ≤ 10^6 (RiskMath.mulPpmUp).
func MulPpmUp(x, ppm int64) (int64, error) { return toI64(ceilDiv(mul(x, ppm), bigPPM)) }

// MulPpmDown is floor(x · ppm / 10^6) (RiskMath.mulPpmDown).
func MulPpmDown(x, ppm int64) (int64, error) { return toI64(floorDiv(mul(x, ppm), bigPPM)) }

// Fee is the fee on a fill of notional n at rate r ppm: a charge rounds up, a rebate rounds down in
// magnitude (RiskMath.fee).
func Fee(n, r int64) (int64, error) {
	if r >= 0 {
		return MulPpmUp(n, r)
	}
	f, err := MulPpmDown(n, -r)
	return -f, err
}

// IMF is min(10^6, IMF + incIMF · ceil(max(0, |s| − baseline) / incSize)) (RiskMath.initialMarginPpm).
func IMF(abs int64, r Risk) int64 {
	above := new(big.Int).Sub(big.NewInt(abs), big.NewInt(r.Baseline))
	if above.Sign() <= 0 || r.IncIMF == 0 {
		return r.IMF
	}
	steps := ceilDiv(above, big.NewInt(r.IncSize))
	f := new(big.Int).Add(big.NewInt(r.IMF), new(big.Int).Mul(steps, big.NewInt(r.IncIMF)))
	if f.Cmp(bigPPM) > 0 {
		return PPM
	}
	return f.Int64()
}

// IMR is ceil(notional(s, p) · imf(|s|) / 10^6) (RiskMath.initialRequirement).
func IMR(s, p int64, r Risk) (int64, error) {
	n, err := Notional(s, p)
	if err != nil {
		return 0, err
	}
	abs := s
	if abs < 0 {
		abs = -abs
	}
	return MulPpmUp(n, IMF(abs, r))
}

// MMR is ceil(notional(s, p) · MMF / 10^6) (RiskMath.maintenanceRequirement).
func MMR(s, p int64, r Risk) (int64, error) {
	n, err := Notional(s, p)
	if err != nil {
		return 0, err
	}
	return MulPpmUp(n, r.MMF)
}

// FundingCredit is floor(−(F − snap) · s / 2^32), added to the collateral when funding is settled
// (RiskMath.fundingCredit).
func FundingCredit(s, snap, f int64) (int64, error) {
	if f == snap {
		return 0, nil
	}
	d := new(big.Int).Sub(big.NewInt(f), big.NewInt(snap))
	if _, err := toI64(d); err != nil {
		return 0, err // Math.subtractExact
	}
	if s == -1<<63 {
		return 0, ErrRange // Math.negateExact
	}
	return toI64(floorDiv(new(big.Int).Mul(big.NewInt(-s), d), two32))
}
