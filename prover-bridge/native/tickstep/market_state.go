package tickstep

import (
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
