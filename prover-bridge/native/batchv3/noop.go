package batchv3

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
)

// A no-op trade slot still carries a trade's constraints (a shape's circuit is fixed), so it is
// given a witness that satisfies them: the padding trade, a fixed trade of one quantum between two
// accounts of a fixed two-account state (keys from public seeds, market 0), signed for the batch's
// deployment. Its roots are those of that state, not the batch's: the slot's NoOp flag releases
// the step's roots from the root table and instead forces the table's roots before and after the
// slot's position equal, so a NoOp flag on a real step can never change the batch's state.
// The padding witness is computed once per (deployment, N, K) and shared.

type paddingKey struct {
	domain messages.Domain
	n, k   int
}

var padding sync.Map // paddingKey → *perpstep.TradeTransition

// paddingTrade returns the padding trade's witness for shape (n, k) of deployment d.
func paddingTrade(d messages.Domain, n, k int) (*perpstep.TradeTransition, error) {
	key := paddingKey{d, n, k}
	if w, ok := padding.Load(key); ok {
		return w.(*perpstep.TradeTransition), nil
	}
	s, t, err := paddingState(d)
	if err != nil {
		return nil, err
	}
	w, _, err := perpstep.WitnessBound(s, t, n, k)
	if err != nil {
		return nil, fmt.Errorf("batchv3: padding trade: %w", err)
	}
	padding.Store(key, &w.TradeTransition)
	return &w.TradeTransition, nil
}

// paddingState is the padding trade's state and trade: accounts 1 (buyer) and 2 (seller) with
// collateral 10^6 and no position, market 0 at price 1,000 · 2^32, one quantum at 1,000, no fee.
func paddingState(d messages.Domain) (*layoutv2.State, perpstep.Trade, error) {
	s := layoutv2.NewState()
	m := layoutv2.Market{OraclePrice: 1000 << 32, OracleTimestamp: 1, FundingTimestamp: 1,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000,
			OpenInterestCap: 1_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000}}
	if err := s.SetMarket(0, m); err != nil {
		return nil, perpstep.Trade{}, err
	}
	t := perpstep.Trade{Domain: d, Market: 0, Price: 1_000, Size: 1}
	orders := []*perpstep.SignedOrder{&t.Buyer, &t.Seller}
	for i, o := range orders {
		id := uint32(i + 1)
		k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{byte(0xb0 + i)}, 32)))
		if err != nil {
			return nil, t, err
		}
		ident := layoutv2.Identity{PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y}
		if err := s.SetAccount(uint64(id), layoutv2.AccountFields{Identity: ident, Collateral: 1_000_000}); err != nil {
			return nil, t, err
		}
		o.Order = messages.OrderMessage{Account: id, Market: 0, Side: uint8(i), Size: 1, Price: 1_000, Nonce: 1}
		h := o.Order.Hash(d)
		b := h.Bytes()
		if o.Signature, err = k.Sign(b[:], poseidon2.NewMerkleDamgardHasher()); err != nil {
			return nil, t, err
		}
	}
	return s, t, nil
}
