package vectors

import (
	"fmt"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
)

const fundID = uint32(layoutv2.InsuranceFundAccount)

// collSteps runs the steps in order, stopping at the first error.
func collSteps(steps ...func() error) error {
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

// collNoPositions: accounts without positions. Deposits creating and crediting accounts, each
// signed debit accepted and refused for each rule alone (where a rule can be broken alone), forced
// withdrawals paid, paying 0, refused.
func collNoPositions(keys []key) (collateralStepScenario, error) {
	b, err := newCollBuilder(keys, "no-positions", 2)
	if err != nil {
		return collateralStepScenario{}, err
	}
	if err := collSteps(
		func() error { return b.account(5, 0, 10_000) },
		func() error { return b.account(6, 1, 500) },
		b.begin,
	); err != nil {
		return b.scenario(), err
	}
	other := SignedMessageDomains[1]
	R := collateralstep.RuleSignature
	wd := func(note string, id uint32, amount uint64, ki int, d messages.Domain, sign, mutate func(*messages.WithdrawalMessage), want collWant) func() error {
		return func() error {
			w, err := b.signedWithdrawalFrom(id, amount, ki, d, sign, mutate)
			if err != nil {
				return err
			}
			return b.withdrawal(note, w, want)
		}
	}
	tr := func(note string, id, to uint32, amount uint64, ki int, d messages.Domain, sign, mutate func(*messages.TransferMessage), want collWant) func() error {
		return func() error {
			t, err := b.signedTransferFrom(id, to, amount, ki, d, sign, mutate)
			if err != nil {
				return err
			}
			return b.transfer(note, t, want)
		}
	}
	dep := func(note string, d collateralstep.Deposit, want collWant) func() error {
		return func() error { return b.deposit(note, d, want) }
	}
	fw := func(note string, f collateralstep.ForcedWithdrawal, want collWant) func() error {
		return func() error { return b.forced(note, f, want) }
	}
	otherOwner := b.depositOf(9, 2, 100)
	otherOwner.L1Owner[5] ^= 1
	owner9 := b.depositOf(9, 2, 0).L1Owner
	owner5 := [20]byte{0xa0, 5, 19: 0}
	err = collSteps(
		dep("deposit creating account 9 in an empty slot", b.depositOf(9, 2, 3_000), collAccepted),
		func() error { b.owner[9] = 2; return nil },
		dep("deposit crediting account 9", b.depositOf(9, 2, 1_000), collAccepted),
		dep("deposit creating account 1,000,000", b.depositOf(1_000_000, 3, 77), collAccepted),
		func() error { b.owner[1_000_000] = 3; return nil },
		dep("deposit into account 9 from another owner", otherOwner, collBroken(collateralstep.RuleBinding)),
		dep("deposit into account 9 with another key", func() collateralstep.Deposit {
			d := b.depositOf(9, 3, 100)
			d.L1Owner = owner9
			return d
		}(), collBroken(collateralstep.RuleBinding)),
		dep("deposit to the insurance fund", b.depositOf(fundID, 4, 100), collBroken(collateralstep.RuleFundAccount, collateralstep.RuleBinding)),
		dep("deposit to account 2^24", b.depositOf(1<<24, 4, 100), collWant{err: collateralstep.ErrOutOfRange}),
		dep("deposit of 2^63 into a new account", b.depositOf(11, 4, 1<<63), collBroken(collateralstep.RuleRange)),
		wd("withdrawal of 1,000 from account 5", 5, 1_000, -1, tradeStepDomain, nil, nil, collAccepted),
		wd("withdrawal at a nonce ahead of the account's", 5, 10, -1, tradeStepDomain, func(m *messages.WithdrawalMessage) { m.Nonce++ }, nil, collBroken(collateralstep.RuleNonce)),
		wd("withdrawal at the previous nonce (a replay)", 5, 10, -1, tradeStepDomain, func(m *messages.WithdrawalMessage) { m.Nonce-- }, nil, collBroken(collateralstep.RuleNonce)),
		wd("withdrawal signed to another owner", 5, 10, -1, tradeStepDomain, func(m *messages.WithdrawalMessage) { m.L1Owner[0] ^= 0xff }, nil, collBroken(collateralstep.RuleOwner)),
		wd("withdrawal signed by another key", 5, 10, 6, tradeStepDomain, nil, nil, collBroken(R)),
		wd("withdrawal signed for another deployment", 5, 10, -1, other, nil, nil, collBroken(R)),
		wd("withdrawal whose amount changed after signing", 5, 10, -1, tradeStepDomain, nil, func(m *messages.WithdrawalMessage) { m.Amount = 11 }, collBroken(R)),
		wd("withdrawal whose owner changed after signing", 5, 10, -1, tradeStepDomain, nil, func(m *messages.WithdrawalMessage) { m.L1Owner[3] ^= 1 }, collBroken(collateralstep.RuleOwner, R)),
		wd("withdrawal of 0", 5, 0, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleZeroAmount)),
		wd("withdrawal of one quantum above the collateral (9,000)", 5, 9_001, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleCollateral)),
		wd("withdrawal of 2^63", 5, 1<<63, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleRange)),
		wd("withdrawal of all of account 6's collateral", 6, 500, -1, tradeStepDomain, nil, nil, collAccepted),
		wd("withdrawal from the insurance fund", fundID, 1, 0, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleFundAccount, R, collateralstep.RuleCollateral)),
		wd("withdrawal from an account that does not exist", 77, 1, 0, tradeStepDomain, func(m *messages.WithdrawalMessage) { m.L1Owner = owner5 }, nil, collBroken(collateralstep.RuleNoAccount)),
		tr("transfer of 500 from account 5 to account 9", 5, 9, 500, -1, tradeStepDomain, nil, nil, collAccepted),
		tr("transfer to the sender itself", 5, 5, 1, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleSelfTransfer)),
		tr("transfer to an empty slot", 5, 78, 1, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleNoAccount)),
		tr("transfer to the insurance fund", 5, fundID, 1, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleFundAccount)),
		tr("transfer from the insurance fund", fundID, 5, 1, 0, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleFundAccount, R, collateralstep.RuleCollateral)),
		tr("transfer from an account with no collateral left", 6, 5, 1, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleCollateral)),
		tr("transfer at a stale nonce", 5, 9, 1, -1, tradeStepDomain, func(m *messages.TransferMessage) { m.Nonce-- }, nil, collBroken(collateralstep.RuleNonce)),
		tr("transfer whose receiver changed after signing", 5, 9, 1, -1, tradeStepDomain, nil, func(m *messages.TransferMessage) { m.Receiver = 6 }, collBroken(R)),
		tr("transfer signed for another deployment", 5, 9, 1, -1, other, nil, nil, collBroken(R)),
		tr("transfer of 0", 5, 9, 0, -1, tradeStepDomain, nil, nil, collBroken(collateralstep.RuleZeroAmount)),
		tr("transfer to account 2^24", 5, 1<<24, 1, -1, tradeStepDomain, nil, nil, collWant{err: collateralstep.ErrOutOfRange}),
		tr("transfer of 1 from account 9 to account 1,000,000", 9, 1_000_000, 1, -1, tradeStepDomain, nil, nil, collAccepted),
		fw("forced withdrawal of 1,000 from account 9: covered, paid", collateralstep.ForcedWithdrawal{Account: 9, L1Owner: owner9, Amount: 1_000}, collAccepted),
		fw("forced withdrawal above account 9's collateral: pays 0, consumed", collateralstep.ForcedWithdrawal{Account: 9, L1Owner: owner9, Amount: 1_000_000}, collAccepted),
		fw("forced withdrawal of all account 9's collateral (3,499)", collateralstep.ForcedWithdrawal{Account: 9, L1Owner: owner9, Amount: 3_499}, collAccepted),
		fw("forced withdrawal requested by another owner", collateralstep.ForcedWithdrawal{Account: 5, L1Owner: owner9, Amount: 1}, collBroken(collateralstep.RuleOwner)),
		fw("forced withdrawal for an account that does not exist", collateralstep.ForcedWithdrawal{Account: 79, L1Owner: owner9, Amount: 1}, collBroken(collateralstep.RuleNoAccount)),
		fw("forced withdrawal for the insurance fund", collateralstep.ForcedWithdrawal{Account: fundID, Amount: 1}, collBroken(collateralstep.RuleFundAccount)),
		fw("forced withdrawal of 2^63", collateralstep.ForcedWithdrawal{Account: 5, L1Owner: owner5, Amount: 1 << 63}, collBroken(collateralstep.RuleRange)),
		fw("forced withdrawal for account 2^24", collateralstep.ForcedWithdrawal{Account: 1 << 24, Amount: 1}, collWant{err: collateralstep.ErrOutOfRange}),
	)
	return b.scenario(), err
}

// collMargin: accounts holding positions with funding pending; the free-collateral rule at its
// boundary (one quantum above refused, exactly the free collateral accepted, found by bisection on
// the reference) for a withdrawal, a transfer and a forced withdrawal; credits settling funding
// first; an account whose free collateral is negative.
func collMargin(keys []key) (collateralStepScenario, error) {
	b, err := newCollBuilder(keys, "margin", 6)
	if err != nil {
		return collateralStepScenario{}, err
	}
	if err := collSteps(
		func() error {
			return b.account(20, 4, 50_000, [3]int64{1, 40, 3_000_000_000}, [3]int64{3, -25, -987_654_321}, [3]int64{5, 7, 1 << 33})
		},
		func() error {
			return b.account(21, 5, 20_000, [3]int64{0, -30, 2_500_000_000}, [3]int64{4, 12, 77_777_777})
		},
		func() error { return b.account(22, 6, 1_000) },
		func() error { return b.account(23, 7, -118_000, [3]int64{2, 100, 1_000_000_000}) },
		b.begin,
	); err != nil {
		return b.scenario(), err
	}
	withdraw := func(note string, id uint32, amount int64, want collWant) error {
		w, err := b.signedWithdrawal(id, uint64(amount), -1, tradeStepDomain, nil)
		if err != nil {
			return err
		}
		return b.withdrawal(note, w, want)
	}
	transfer := func(note string, id, to uint32, amount int64, want collWant) error {
		t, err := b.signedTransfer(id, to, uint64(amount), -1, tradeStepDomain, nil)
		if err != nil {
			return err
		}
		return b.transfer(note, t, want)
	}
	owner := func(id uint32) [20]byte { o, _ := b.ownerOf(id); return o }
	free := func(id uint32) (int64, error) {
		f, err := b.freeCollateral(id)
		if err == nil && f <= 0 {
			err = fmt.Errorf("account %d: no free collateral", id)
		}
		return f, err
	}
	f20, err := free(20)
	if err != nil {
		return b.scenario(), err
	}
	if err := collSteps(
		func() error {
			return withdraw(fmt.Sprintf("withdrawal of one quantum above account 20's free collateral (%d)", f20), 20, f20+1, collBroken(collateralstep.RuleCollateral))
		},
		func() error {
			return withdraw("withdrawal of exactly account 20's free collateral: funding settled on its 3 positions", 20, f20, collAccepted)
		},
		func() error {
			return withdraw("withdrawal of 1 more from account 20", 20, 1, collBroken(collateralstep.RuleCollateral))
		},
		func() error {
			return b.deposit("deposit into account 21, funding pending on 2 positions settled first", b.depositOf(21, 5, 2_500), collAccepted)
		},
		func() error {
			return transfer("transfer of 700 from account 22 (no positions) to account 23 (funding pending)", 22, 23, 700, collAccepted)
		},
		func() error {
			return withdraw("withdrawal of 1 from account 23, whose free collateral is negative", 23, 1, collBroken(collateralstep.RuleCollateral))
		},
		func() error {
			return b.forced("forced withdrawal of 1 from account 23: not covered, pays 0", collateralstep.ForcedWithdrawal{Account: 23, L1Owner: owner(23), Amount: 1}, collAccepted)
		},
	); err != nil {
		return b.scenario(), err
	}
	f21, err := free(21)
	if err != nil {
		return b.scenario(), err
	}
	if err := collSteps(
		func() error {
			return transfer(fmt.Sprintf("transfer of one quantum above account 21's free collateral (%d)", f21), 21, 20, f21+1, collBroken(collateralstep.RuleCollateral))
		},
		func() error {
			return transfer("transfer of exactly account 21's free collateral to account 20", 21, 20, f21, collAccepted)
		},
	); err != nil {
		return b.scenario(), err
	}
	f20, err = free(20)
	if err != nil {
		return b.scenario(), err
	}
	err = collSteps(
		func() error {
			return b.forced(fmt.Sprintf("forced withdrawal one quantum above account 20's free collateral (%d): pays 0", f20),
				collateralstep.ForcedWithdrawal{Account: 20, L1Owner: owner(20), Amount: uint64(f20 + 1)}, collAccepted)
		},
		func() error {
			return b.forced("forced withdrawal of exactly account 20's free collateral: paid",
				collateralstep.ForcedWithdrawal{Account: 20, L1Owner: owner(20), Amount: uint64(f20)}, collAccepted)
		},
		func() error {
			return withdraw("withdrawal of 1 from account 20 after it", 20, 1, collBroken(collateralstep.RuleCollateral))
		},
	)
	return b.scenario(), err
}

// collRandom: seeded random transactions of the four types between six accounts holding random
// positions in six markets, deposits into new and existing accounts, amounts around the free
// collateral (sometimes exactly it), stale nonces, other keys and owners, missing and self
// receivers; the reference's decision is recorded as it is.
func collRandom(keys []key) (collateralStepScenario, error) {
	const accounts, markets, txs = 6, 6, 72
	b, err := newCollBuilder(keys, "random", markets)
	if err != nil {
		return collateralStepScenario{}, err
	}
	rnd := newStream("collateral-steps-random")
	for i := 0; i < accounts; i++ {
		var pos [][3]int64
		for m := 0; m < markets && len(pos) < 4; m++ {
			if rnd.intn(2) == 0 {
				pos = append(pos, [3]int64{int64(m), rnd.i64(200) | 1, int64(rnd.intn(1 << 36))})
			}
		}
		if err := b.account(uint32(50+i), i, int64(rnd.intn(400_000))-100_000, pos...); err != nil {
			return b.scenario(), err
		}
	}
	if err := b.begin(); err != nil {
		return b.scenario(), err
	}
	ids := []uint32{50, 51, 52, 53, 54, 55, 60, 61}
	pick := func() uint32 { return ids[rnd.intn(uint64(len(ids)))] }
	amount := func(id uint32) (uint64, error) {
		switch rnd.intn(8) {
		case 0, 1, 2:
			f, err := b.freeCollateral(id)
			if f < 0 {
				f = 1
			}
			return uint64(f) + rnd.intn(2), err
		case 3:
			return 0, nil
		default:
			return 1 + rnd.intn(60_000), nil
		}
	}
	for n := 0; n < txs; n++ {
		note := fmt.Sprintf("random %d", n)
		id := pick()
		kind := rnd.intn(4)
		if n < 2 { // the new accounts 60 and 61 are created first
			id, kind = 60+uint32(n), 0
		}
		var err error
		switch kind {
		case 0:
			ki, ok := b.owner[id]
			if !ok {
				ki = int(id % 8)
			}
			if rnd.intn(6) == 0 {
				ki = (ki + 1) % 8
			}
			d := b.depositOf(id, ki, 1+rnd.intn(100_000))
			if _, ok := b.state.Account(uint64(id)); !ok {
				if _, err := collateralstep.ApplyDeposit(b.state, d); err == nil {
					b.owner[id] = ki
				}
			}
			err = b.deposit(note, d, collWant{any: true})
		case 1:
			a, e := amount(id)
			if e != nil {
				return b.scenario(), e
			}
			ki := -1
			if rnd.intn(8) == 0 {
				ki = int(rnd.intn(8))
			}
			stale := rnd.intn(8) == 0
			w, e := b.signedWithdrawalFrom(id, a, ki, tradeStepDomain, func(m *messages.WithdrawalMessage) {
				if stale {
					m.Nonce--
				}
			}, nil)
			if e != nil {
				return b.scenario(), e
			}
			err = b.withdrawal(note, w, collWant{any: true})
		case 2:
			a, e := amount(id)
			if e != nil {
				return b.scenario(), e
			}
			to := pick()
			if rnd.intn(10) == 0 {
				to = 70 // never created
			}
			t, e := b.signedTransfer(id, to, a, -1, tradeStepDomain, nil)
			if e != nil {
				return b.scenario(), e
			}
			err = b.transfer(note, t, collWant{any: true})
		default:
			a, e := amount(id)
			if e != nil {
				return b.scenario(), e
			}
			o, _ := b.ownerOf(id)
			if rnd.intn(8) == 0 {
				o[7] ^= 1
			}
			if a == 0 {
				a = 1
			}
			err = b.forced(note, collateralstep.ForcedWithdrawal{Account: id, L1Owner: o, Amount: a}, collWant{any: true})
		}
		if err != nil {
			return b.scenario(), err
		}
	}
	return b.scenario(), nil
}
