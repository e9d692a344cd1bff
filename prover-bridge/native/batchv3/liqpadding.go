package batchv3

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/forcedtrade"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/liqstep"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// Padding steps of the later groups (see noop.go for the trade). The liquidation, the takeover and
// the deleveraging run on one fixed state (paddingLiquidationState): market 0 at price 1,000 ·
// 2^32 with open interest 100 and no funding pending; account 1 long 100 with collateral −100,500
// (equity −500: below maintenance and bankrupt); account 2, the liquidator (key from a public
// seed), with collateral 10^6 and no position; account 3 short 100 with collateral 10^6; the fund
// with collateral 10^6. The liquidation fill: account 1 sells 1 to account 2's signed buy of 1 at
// 1,000 (maker fee 0, liquidation fee 0, which every fee rate 0 … 10^6 allows: the rate is the
// shape's); the takeover: the fund takes 1 of account 1's long at its bankruptcy price; the
// deleveraging: 1 of the long against account 3's short at the same price. Each is in the shape's
// (N, K), the liquidation signed for the batch's deployment. The funding period start: market 0
// of the padding tick state (ticks.go, fundingTimestamp 0) starts at now = 1, valid for every
// T ≥ 1 (Seal refuses T = 0 in a shape with period-start slots). Their roots are not bound to
// the batch's table (the slot's no-op flag forces the table's roots equal instead).

type laterKey struct {
	domain messages.Domain
	n, k   int
	feePpm int64
	typ    byte
}

var paddingLater sync.Map // laterKey → *liqstep.LiquidationStep, *TakeoverStep, *DeleverageStep or *tickstep.FundingPeriodStartStep

const (
	padLiquidated, padLiquidator, padDeleverager = 1, 2, 3
	padMarket                                    = 0
)

// paddingLiquidationState is the fixed state of the padding liquidation, takeover and
// deleveraging, with the liquidator's key.
func paddingLiquidationState() (*layoutv2.State, *eddsa.PrivateKey, error) {
	s := layoutv2.NewState()
	m := layoutv2.Market{OraclePrice: 1000 << 32, OracleTimestamp: 1, FundingTimestamp: 1, OpenInterest: 100,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000,
			OpenInterestCap: 1_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000}}
	if err := s.SetMarket(padMarket, m); err != nil {
		return nil, nil, err
	}
	k, err := eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{0xe0}, 32)))
	if err != nil {
		return nil, nil, err
	}
	var long, short layoutv2.Positions
	long[0] = layoutv2.PositionEntry{Market: padMarket, Size: 100}
	short[0] = layoutv2.PositionEntry{Market: padMarket, Size: -100}
	for _, a := range []struct {
		id uint64
		f  layoutv2.AccountFields
	}{
		{padLiquidated, layoutv2.AccountFields{Collateral: -100_500, Positions: long}},
		{padLiquidator, layoutv2.AccountFields{Identity: layoutv2.Identity{PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y},
			Collateral: 1_000_000}},
		{padDeleverager, layoutv2.AccountFields{Collateral: 1_000_000, Positions: short}},
		{liqstep.FundAccount, layoutv2.AccountFields{Collateral: 1_000_000}},
	} {
		if err := s.SetAccount(a.id, a.f); err != nil {
			return nil, nil, err
		}
	}
	return s, k, nil
}

// paddingBankruptcyPrice is the bankruptcy price of closing 1 of account 1's long.
func paddingBankruptcyPrice(s *layoutv2.State) (int64, error) {
	markets, err := perpstep.ReferenceMarkets(s)
	if err != nil {
		return 0, err
	}
	a, _ := s.Account(padLiquidated)
	return reference.BankruptcyPrice(markets, a.Collateral, perpstep.ReferenceList(a.Positions), padMarket, 1)
}

// paddingLaterStep returns the padding step of type typ (liqstep.TypeLiquidation, TypeTakeover,
// TypeDeleverage, tickstep.TypeFundingPeriodStart, forcedtrade.TypeForcedTrade) for shape s in
// deployment d: a *liqstep.LiquidationStep, *TakeoverStep, *DeleverageStep,
// *tickstep.FundingPeriodStartStep or *ForcedTradeStep (forcedtrade.go).
func paddingLaterStep(d messages.Domain, s Shape, typ byte) (any, error) {
	key := laterKey{domain: d, n: s.N, k: s.K, feePpm: s.LiquidationFeePpm, typ: typ}
	if typ != liqstep.TypeLiquidation {
		key.domain, key.feePpm = messages.Domain{}, 0 // unsigned, no fee rate
	}
	if typ == tickstep.TypeFundingPeriodStart {
		key.n, key.k = 0, 0
	}
	if typ == forcedtrade.TypeForcedTrade {
		key.feePpm = 0 // no fee rate; the witness is the same in every deployment
	}
	if w, ok := paddingLater.Load(key); ok {
		return w, nil
	}
	step, err := buildPaddingLater(d, s, typ)
	if err != nil {
		return nil, fmt.Errorf("batchv3: padding step of type %d: %w", typ, err)
	}
	paddingLater.Store(key, step)
	return step, nil
}

func buildPaddingLater(d messages.Domain, s Shape, typ byte) (any, error) {
	if typ == forcedtrade.TypeForcedTrade {
		return buildPaddingForcedTrade(d, s)
	}
	if typ == tickstep.TypeFundingPeriodStart {
		st, _, err := paddingTickState()
		if err != nil {
			return nil, err
		}
		c, _, err := tickstep.WitnessFundingPeriodStart(st, tickstep.FundingPeriodStart{Market: 0, Now: 1, BatchTime: 1})
		if err != nil {
			return nil, err
		}
		return &c.Step, nil
	}
	st, k, err := paddingLiquidationState()
	if err != nil {
		return nil, err
	}
	switch typ {
	case liqstep.TypeLiquidation:
		l := liqstep.Liquidation{Domain: d, Market: padMarket, Price: 1_000, Size: 1, Account: padLiquidated,
			FeePpm: s.LiquidationFeePpm, Fee: 0,
			Liquidator: perpstep.SignedOrder{FeePpm: 0, Order: messages.OrderMessage{Account: padLiquidator, Market: padMarket,
				Side: 0, Size: 1, Price: 1_000, Nonce: 1}}}
		if l.Liquidator.Signature, err = signHash(k, l.Liquidator.Order.Hash(d)); err != nil {
			return nil, err
		}
		c, _, err := liqstep.WitnessLiquidation(st, l, s.N, s.K)
		if err != nil {
			return nil, err
		}
		return &c.Step, nil
	case liqstep.TypeTakeover, liqstep.TypeDeleverage:
		price, err := paddingBankruptcyPrice(st)
		if err != nil {
			return nil, err
		}
		if typ == liqstep.TypeTakeover {
			c, _, err := liqstep.WitnessTakeover(st, liqstep.Takeover{Account: padLiquidated, Market: padMarket, Delta: -1, Price: price}, s.N, s.K)
			if err != nil {
				return nil, err
			}
			return &c.Step, nil
		}
		c, _, err := liqstep.WitnessDeleverage(st, liqstep.Deleveraging{Account: padLiquidated, Deleverager: padDeleverager,
			Market: padMarket, Delta: -1, Price: price}, s.N, s.K)
		if err != nil {
			return nil, err
		}
		return &c.Step, nil
	}
	return nil, fmt.Errorf("%w: no padding step of type %d", ErrUnsupportedTx, typ)
}
