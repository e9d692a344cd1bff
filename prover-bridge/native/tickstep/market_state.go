package tickstep

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
)

// rewriteMarket returns the path of market id's leaf in s and a clone of s with that leaf set to
// after; s is unchanged.
func rewriteMarket(s *layoutv2.State, id uint64, after layoutv2.Market) ([]fr.Element, *layoutv2.State, error) {
	_, path, err := s.MarketProof(id)
	if err != nil {
		return nil, nil, err
	}
	next := s.Clone()
	if err := next.SetMarket(id, after); err != nil {
		return nil, nil, err
	}
	return path, next, nil
}

// listedMarket returns the leaf of market id in s, or ErrUnknownMarket when it is empty or id is
// not below 64 (the circuit reads 6 bits).
func listedMarket(s *layoutv2.State, id uint8) (layoutv2.Market, error) {
	m, ok := s.Market(uint64(id))
	if !ok || uint64(id) >= 1<<layoutv2.MarketsDepth {
		return layoutv2.Market{}, fmt.Errorf("%w: %d", ErrUnknownMarket, id)
	}
	return m, nil
}

// signedField is a u64 market value that the reference reads as an int64, with its name for the
// error.
type signedField struct {
	dst  *int64
	src  uint64
	what string
}

// readSigned writes each field's value into its dst (toSigned); the first that is ≥ 2^63 is the
// error.
func readSigned(fields []signedField) error {
	for _, f := range fields {
		v, err := toSigned(f.src, f.what)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return nil
}
