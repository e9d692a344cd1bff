package vectors

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
)

// The scenarios of batch-v3-liquidations.json (batch_v3_liquidations.go). Markets are
// stepMarket's; the insurance fund (account 2^24 − 1) holds collateral 1,000,000 and no position
// unless a takeover gives it one.

// v3LiqSequence: a funding period start, a trade, an oracle tick that puts account 40 under
// maintenance, a liquidation fill of account 40 against a resting buy, a takeover of part of its
// long, a funding tick, then a deleveraging of the bankrupt account 42 against account 43's short;
// one no-op in the liquidation and takeover groups.
func v3LiqSequence(keys []key) (*liqV3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Trades: 1, OracleTicks: 1, FundingTicks: 1, Liquidations: 2, Takeovers: 2, Deleverages: 1,
		PeriodStarts: 1, N: 2, K: 2, ReportSlots: 2, LiquidationFeePpm: v3LiqFeePpm}
	b, err := newLiqV3Builder(keys, "liquidation-sequence", 2, 1_000_000, func(b *liqV3Builder) error {
		m := stepMarket(1)
		m.FundingTimestamp = 0 // no funding period yet
		return v3Run(
			func() error { return b.state.SetMarket(1, m) },
			func() error { return b.account(40, 2, 0, [3]int64{0, 100, 20_000_000}) },
			func() error { return b.account(41, 3, 400_000) },
			func() error { return b.account(42, 4, 0, [3]int64{0, 50, 0}) },
			func() error { return b.account(43, 5, 400_000, [3]int64{0, -200, -30_000_000}) },
			func() error { return b.lq.setEquity(40, func(mmr int64) int64 { return mmr + 2_000 }) },
			func() error { return b.lq.setEquity(42, func(int64) int64 { return -300 }) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "a funding period start, a trade, an oracle tick putting account 40 under maintenance, a liquidation fill against a resting buy, a takeover, a funding tick, a deleveraging of the bankrupt account 42; one no-op in the liquidation and takeover groups"
	err = v3Run(
		func() error { return b.periodStartStep("funding period start of market 1", 1, 1_800_000_050) },
		func() error {
			return b.tradeStep("account 41 buys 5 in market 0 from account 43", 0, 1_000, 5, 41, 43, 1_000, 990, 500, -100)
		},
		func() error {
			e, mmr, err := b.lq.figures(40)
			if err == nil && e-mmr != 2_000 {
				err = fmt.Errorf("account 40: equity %d, MMR %d before the tick", e, mmr)
			}
			return err
		},
		func() error {
			return b.oracleStep("oracle tick of market 0: 960, account 40 falls under maintenance", 0, 1_800_000_100,
				[]int{0, 1}, []int64{960 << 32, 962 << 32}, []int64{1_800_000_090, 1_800_000_095})
		},
		func() error {
			e, mmr, err := b.lq.figures(40)
			if err == nil && e >= mmr {
				err = fmt.Errorf("account 40 still healthy after the tick: equity %d, MMR %d", e, mmr)
			}
			return err
		},
		func() error {
			return b.liquidationStep("account 40 sells 10 to account 41's resting buy at 960, fee at its bound", 40,
				orderArgs{account: 41, market: 0, side: 0, size: 30, price: 960, feeCap: 1_000}, 200, 960, 10)
		},
		func() error {
			return b.takeoverStep("the fund takes 10 of account 40's long at its bankruptcy price", 40, 0, 10)
		},
		func() error { return b.fundingStep("funding tick of market 0", 0, 1_800_000_100, 1_000_000) },
		func() error {
			e, _, err := b.lq.figures(42)
			if err == nil && e >= 0 {
				err = fmt.Errorf("account 42 not bankrupt: equity %d", e)
			}
			return err
		},
		func() error {
			return b.deleveragingStep("account 42 (bankrupt) deleveraged by 20 against account 43's short", 42, 43, 0, 20)
		},
	)
	return b, shape, err
}

// v3LiqMoves: takeovers and deleveragings only, N = 3 and K = 3: account 50 (long in market 0,
// short in market 1, long in market 2, bankrupt) is taken over in market 1 and deleveraged in
// markets 2 and 0 against account 51 (short in both, with a long in market 1); one no-op
// liquidation slot.
func v3LiqMoves(keys []key) (*liqV3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Liquidations: 1, Takeovers: 1, Deleverages: 2, N: 3, K: 3, LiquidationFeePpm: v3LiqFeePpm}
	b, err := newLiqV3Builder(keys, "moves", 3, 1_000_000, func(b *liqV3Builder) error {
		return v3Run(
			func() error {
				return b.account(50, 2, 0, [3]int64{0, 40, 10_000_000}, [3]int64{1, -30, -20_000_000}, [3]int64{2, 20, 0})
			},
			func() error {
				return b.account(51, 3, 500_000, [3]int64{2, -60, 5_000_000}, [3]int64{0, -80, 0}, [3]int64{1, 25, 0})
			},
			func() error { return b.lq.setEquity(50, func(int64) int64 { return -400 }) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "takeovers and deleveragings only (N = 3, K = 3): account 50, bankrupt with three positions, taken over in market 1 and deleveraged in markets 2 and 0 against account 51; one no-op liquidation slot"
	err = v3Run(
		func() error {
			return b.takeoverStep("the fund takes 10 of account 50's short in market 1 at its bankruptcy price", 50, 1, -10)
		},
		func() error {
			return b.deleveragingStep("account 50's long in market 2 closed by 20 against account 51's short (the entry empties)", 50, 51, 2, 20)
		},
		func() error {
			return b.deleveragingStep("account 50's long in market 0 deleveraged by 15 against account 51", 50, 51, 0, 15)
		},
	)
	return b, shape, err
}

// v3LiqNoOps: a shape with every later group, a deposit its only step: the padding steps of the
// four later groups.
func v3LiqNoOps(keys []key) (*liqV3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 1, Liquidations: 1, Takeovers: 1, Deleverages: 1, PeriodStarts: 1, N: 1, K: 1,
		LiquidationFeePpm: 25_000}
	b, err := newLiqV3Builder(keys, "later-no-ops", 1, 1_000_000, func(b *liqV3Builder) error { return b.account(5, 0, 10_000) })
	if err != nil {
		return nil, shape, err
	}
	b.description = "a deposit, then one no-op slot in each later group (liquidation fee rate 2.5 %, N = 1, K = 1)"
	err = b.depositStep("deposit into account 5", b.depositOf(5, 0, 700))
	return b, shape, err
}
