package vectors

import (
	"github.com/zkperp/zkperp/prover-bridge/native/batchv3"
)

// The scenarios of step-elements.json and batch-v3.json (batch_v3_builder.go). Markets are
// stepMarket's (market m priced about 1,000 + 100·m, oracle timestamp 1,800,000,000 + m, funding
// timestamp 1,799,990,000 + m); every tick is at or before v3BatchTime.

// v3Run runs a scenario's steps in order, stopping at the first error.
func v3Run(steps ...func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// v3CollateralK1: market 0 listed, a K = 1 table; account 5 without positions, account 6 long in
// market 0 with funding pending; each collateral type with and without positions, a forced
// withdrawal paying 0.
func v3CollateralK1(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 2, Withdrawals: 2, Transfers: 2, ForcedWithdrawals: 3, K: 1}
	b, err := newV3Builder(keys, "collateral-k1", 1, func(b *v3Builder) error {
		return v3Run(
			func() error { return b.account(5, 0, 10_000) },
			func() error { return b.account(6, 1, 20_000, [3]int64{0, 40, 3_000_000_000}) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "market 0 listed, a K = 1 table; account 5 without positions, account 6 long in market 0 with funding pending; each collateral type with and without positions, a forced withdrawal paying 0"
	err = v3Run(
		func() error {
			return b.depositStep("deposit creating account 9 in an empty slot", b.depositOf(9, 2, 3_000))
		},
		func() error { b.owner[9] = 2; return nil },
		func() error {
			return b.depositStep("deposit into account 6 (long in market 0): funding settled first", b.depositOf(6, 1, 500))
		},
		func() error { return b.withdrawalStep("withdrawal by account 5 (no positions)", 5, 1_000) },
		func() error { return b.withdrawalStep("withdrawal by account 6 (a position, funding pending)", 6, 700) },
		func() error {
			return b.transferStep("transfer from account 5 to account 6 (receiver with a position)", 5, 6, 300)
		},
		func() error { return b.transferStep("transfer from account 6 (a position) to account 9", 6, 9, 200) },
		func() error { return b.forcedStep("forced withdrawal by account 5: covered", 5, 100) },
		func() error {
			return b.forcedStep("forced withdrawal by account 6 above its free collateral: pays 0", 6, 1_000_000)
		},
		func() error { return b.forcedStep("forced withdrawal by account 6 (a position): covered", 6, 50) },
	)
	return b, shape, err
}

// v3CollateralK3: markets 0 and 1 listed, a K = 3 table (market 2 an empty slot); account 20 long
// in market 0 and short in market 1, account 22 without positions, account 23 long in market 1.
func v3CollateralK3(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 2, Withdrawals: 2, Transfers: 2, ForcedWithdrawals: 3, K: 3}
	b, err := newV3Builder(keys, "collateral-k3", 2, func(b *v3Builder) error {
		return v3Run(
			func() error {
				return b.account(20, 4, 50_000, [3]int64{0, 40, 3_000_000_000}, [3]int64{1, -25, -987_654_321})
			},
			func() error { return b.account(22, 5, 1_000) },
			func() error { return b.account(23, 3, 30_000, [3]int64{1, 100, 1_000_000_000}) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "markets 0 and 1 listed, a K = 3 table (market 2 an empty slot); account 20 long in market 0 and short in market 1, account 22 without positions, account 23 long in market 1"
	err = v3Run(
		func() error {
			return b.depositStep("deposit into account 20 (two positions): funding settled first", b.depositOf(20, 4, 2_500))
		},
		func() error { return b.depositStep("deposit creating account 24", b.depositOf(24, 2, 900)) },
		func() error { b.owner[24] = 2; return nil },
		func() error { return b.withdrawalStep("withdrawal by account 20 (two positions)", 20, 500) },
		func() error { return b.withdrawalStep("withdrawal by account 22 (no positions)", 22, 100) },
		func() error {
			return b.transferStep("transfer from account 22 to account 23 (a position)", 22, 23, 700)
		},
		func() error {
			return b.transferStep("transfer from account 20 (two positions) to account 24", 20, 24, 1_000)
		},
		func() error { return b.forcedStep("forced withdrawal by account 22: covered", 22, 50) },
		func() error {
			return b.forcedStep("forced withdrawal by account 23 above its free collateral: pays 0", 23, 1_000_000_000)
		},
		func() error { return b.forcedStep("forced withdrawal by account 20 (two positions): covered", 20, 100) },
	)
	return b, shape, err
}

// v3Ticks: oracle and funding ticks on markets 0 and 1 with 3 report slots (2 reports each, one
// slot unused; market 1's reports given in reverse signer order).
func v3Ticks(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{OracleTicks: 2, FundingTicks: 2, ReportSlots: 3}
	b, err := newV3Builder(keys, "ticks", 2, func(*v3Builder) error { return nil })
	if err != nil {
		return nil, shape, err
	}
	b.description = "oracle and funding ticks on markets 0 and 1 with 3 report slots (2 reports each, one slot unused; market 1's reports given in reverse signer order)"
	err = v3Run(
		func() error {
			return b.oracleStep("oracle tick of market 0: two reports, the lower one is the median", 0, 1_800_000_100,
				[]int{0, 1}, []int64{1001 << 32, 1003 << 32}, []int64{1_800_000_090, 1_800_000_095})
		},
		func() error { return b.fundingStep("funding tick of market 0: index up", 0, 1_800_000_100, 1_000_000) },
		func() error {
			return b.oracleStep("oracle tick of market 1: reports in reverse signer order", 1, 1_800_000_100,
				[]int{1, 0}, []int64{1099 << 32, 1102 << 32}, []int64{1_800_000_099, 1_800_000_080})
		},
		func() error {
			return b.fundingStep("funding tick of market 1: index down", 1, 1_800_000_150, -2_000_000)
		},
	)
	return b, shape, err
}

// v3CollateralBatch: collateral steps only, one no-op in each group but the transfers'.
func v3CollateralBatch(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 2, Withdrawals: 2, Transfers: 1, ForcedWithdrawals: 2, K: 1}
	b, err := newV3Builder(keys, "collateral-only", 1, func(b *v3Builder) error {
		return v3Run(
			func() error { return b.account(5, 0, 10_000) },
			func() error { return b.account(6, 1, 20_000, [3]int64{0, 40, 3_000_000_000}) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "collateral steps only, a no-op in every group but the transfers'"
	err = v3Run(
		func() error { return b.depositStep("deposit creating account 9", b.depositOf(9, 2, 3_000)) },
		func() error { return b.withdrawalStep("withdrawal by account 5", 5, 1_000) },
		func() error { return b.forcedStep("forced withdrawal by account 6 (a position)", 6, 100) },
		func() error { return b.transferStep("transfer from account 6 to account 5", 6, 5, 250) },
	)
	return b, shape, err
}

// v3TicksAndCollateral: ticks and collateral steps interleaved, one live slot and one no-op in
// every group.
func v3TicksAndCollateral(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 2, Withdrawals: 2, Transfers: 2, ForcedWithdrawals: 2, OracleTicks: 2, FundingTicks: 2,
		K: 2, ReportSlots: 2}
	b, err := newV3Builder(keys, "ticks-and-collateral", 2, func(b *v3Builder) error {
		return v3Run(
			func() error {
				return b.account(20, 4, 50_000, [3]int64{0, 40, 3_000_000_000}, [3]int64{1, -25, -987_654_321})
			},
			func() error { return b.account(22, 5, 1_000) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "an oracle tick, a deposit, a funding tick, a withdrawal, a transfer and a forced withdrawal: one live slot and one no-op in each of the six groups"
	err = v3Run(
		func() error {
			return b.oracleStep("oracle tick of market 0", 0, 1_800_000_100, []int{0, 1},
				[]int64{1001 << 32, 1003 << 32}, []int64{1_800_000_090, 1_800_000_095})
		},
		func() error { return b.depositStep("deposit creating account 24", b.depositOf(24, 2, 900)) },
		func() error { b.owner[24] = 2; return nil },
		func() error { return b.fundingStep("funding tick of market 0", 0, 1_800_000_100, 1_000_000) },
		func() error { return b.withdrawalStep("withdrawal by account 20 at the new price and index", 20, 500) },
		func() error { return b.transferStep("transfer from account 22 to account 20", 22, 20, 100) },
		func() error { return b.forcedStep("forced withdrawal by account 22", 22, 50) },
	)
	return b, shape, err
}

// v3WithTrades: two trades, a deposit and an oracle tick between them; the withdrawal and
// funding-tick groups are all no-ops. The trades' slots are for the trade encoder (batch-v3.json).
func v3WithTrades(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Trades: 2, Deposits: 1, Withdrawals: 1, OracleTicks: 1, FundingTicks: 1, N: 2, K: 2, ReportSlots: 3}
	b, err := newV3Builder(keys, "with-trades", 2, func(b *v3Builder) error {
		return v3Run(
			func() error { return b.account(30, 2, 100_000) },
			func() error { return b.account(31, 3, 100_000, [3]int64{1, 10, 500_000_000}) })
	})
	if err != nil {
		return nil, shape, err
	}
	b.description = "two trades with a deposit and an oracle tick between them; the withdrawal and funding-tick groups are all no-ops (for the trade encoder)"
	err = v3Run(
		func() error {
			return b.tradeStep("account 30 buys 10 in market 0 from account 31", 0, 1_000, 10, 30, 31, 1_010, 990, 500, -100)
		},
		func() error { return b.depositStep("deposit into account 30", b.depositOf(30, 2, 1_000)) },
		func() error {
			return b.oracleStep("oracle tick of market 0", 0, 1_800_000_100, []int{0, 1},
				[]int64{1001 << 32, 1003 << 32}, []int64{1_800_000_090, 1_800_000_095})
		},
		func() error {
			return b.tradeStep("account 31 buys 4 back from account 30 at the new price", 0, 1_001, 4, 31, 30, 1_005, 995, 300, 0)
		},
	)
	return b, shape, err
}

// v3NoOps: no step at all, every slot a no-op (R and P unchanged across the batch).
func v3NoOps(keys []key) (*v3Builder, batchv3.Shape, error) {
	shape := batchv3.Shape{Deposits: 1, Withdrawals: 1, OracleTicks: 1, K: 1, ReportSlots: 1}
	b, err := newV3Builder(keys, "no-ops", 1, func(b *v3Builder) error { return b.account(5, 0, 10_000) })
	if err != nil {
		return nil, shape, err
	}
	b.description = "no step: one no-op deposit, withdrawal and oracle tick; the roots and the priority hash do not move"
	return b, shape, nil
}
