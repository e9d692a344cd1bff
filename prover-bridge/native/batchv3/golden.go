package batchv3

import (
	"bytes"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"

	"github.com/zkperp/zkperp/prover-bridge/native/collateralstep"
	"github.com/zkperp/zkperp/prover-bridge/native/layoutv2"
	"github.com/zkperp/zkperp/prover-bridge/native/messages"
	"github.com/zkperp/zkperp/prover-bridge/native/perp/reference"
	"github.com/zkperp/zkperp/prover-bridge/native/perpstep"
	"github.com/zkperp/zkperp/prover-bridge/native/tickstep"
)

// The golden batch: one batch of every live step type the small proving shapes hold, sealed on a
// fixed layout v2 state, for the Groth16 fixture of the L1 contracts (zkprover fixture) and the
// witness vector the Java prover test reads. Every key is derived from a fixed seed, and
// gnark-crypto's EdDSA signatures are deterministic, so the batch is the same byte for byte on
// every machine.
//
// Initial state (GoldenState):
//   - markets 0 … K − 1: oracle price (1,000 + 100·m) · 2^32 at 1,800,000,000, funding index
//     m · 10^6 at 1,799,990,000, open interest 500; initial margin 5 %, maintenance 3 %, baseline
//     size 100, +1 % initial margin per 50 above it, max position 10^6, open-interest cap 10^6,
//     oracle age ≤ 60 s, future ≤ 5 s, move ≤ 10 %, funding interval ≥ 3,600 s, rate ≤ 0.1 %;
//   - oracle signers: slots 0, 1, 2 (keys of seeds GoldenSignerSeed + i), quorum 2;
//   - account 5 (the buyer, key of seed 1) and account 9 (the seller, key of seed 2): collateral
//     500,000, nonce 3, no position, L1 owner 0x05… and 0x09… (the id, then 19 zero bytes).
//
// Steps, in execution order (GoldenSteps), batch number 1, T = GoldenBatchTime, priority hash
// before 0 (a fresh rollup's):
//  0. deposit of 50,000 creating account 12 (key of seed 3, L1 owner 0x0c…);
//  1. oracle tick of market 0 at T − 50: signers 0 and 2 report 1,010 and 1,012 (· 2^32) at
//     T − 60; the lower median 1,010 becomes the price;
//  2. trade A in market 0: the buyer buys 10 at 1,000 from the seller (order nonces 100, 101);
//  3. funding tick of market 1 at T − 50: the index grows by 500,000;
//  4. trade B in market 1: 20 at 1,100 (order nonces 200, 201); both accounts now hold 2 positions;
//  5. withdrawal of 1,000 by the buyer to its L1 owner (nonce 3).
const (
	GoldenBatchNumber = 1
	GoldenBatchTime   = 1_800_000_100
	GoldenSignerSeed  = 9
	goldenBuyer       = 5
	goldenSeller      = 9
	goldenNewcomer    = 12
)

// Golden is the golden batch: the state before it, its header and steps, and the sealed batch.
type Golden struct {
	Initial *layoutv2.State
	Header  Header
	Steps   []Tx
	Sealed  *Sealed
}

// GoldenKey is the EdDSA key of a seed (the golden batch's accounts and oracle signers).
func GoldenKey(seed byte) (*eddsa.PrivateKey, error) {
	return eddsa.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed + 41}, 32)))
}

func goldenMarket(m int) layoutv2.Market {
	return layoutv2.Market{OraclePrice: uint64(1000+100*m) << 32, OracleTimestamp: 1_800_000_000, FundingIndex: int64(m) * 1_000_000,
		FundingTimestamp: 1_799_990_000, OpenInterest: 500,
		Risk: layoutv2.MarketRisk{InitialMarginPpm: 50_000, MaintenanceMarginPpm: 30_000, BaselinePositionSize: 100,
			IncrementalPositionSize: 50, IncrementalInitialMarginPpm: 10_000, MaxPositionSize: 1_000_000,
			OpenInterestCap: 1_000_000, OracleMaxAgeSeconds: 60, OracleMaxFutureSeconds: 5, OracleMaxMovePpm: 100_000,
			FundingMinIntervalSeconds: 3_600, FundingMaxRatePpm: 1_000}}
}

// GoldenState is the golden batch's initial state with k markets (see the package comment of
// this file).
func GoldenState(k int) (*layoutv2.State, error) {
	s := layoutv2.NewState()
	for m := 0; m < k; m++ {
		if err := s.SetMarket(uint64(m), goldenMarket(m)); err != nil {
			return nil, err
		}
	}
	g := s.Global()
	g.OracleQuorum = 2
	for i := 0; i < 3; i++ {
		k, err := GoldenKey(GoldenSignerSeed + byte(i))
		if err != nil {
			return nil, err
		}
		g.OracleSigners[i] = layoutv2.OracleSigner{KeyX: k.PublicKey.A.X, KeyY: k.PublicKey.A.Y}
	}
	if err := s.SetGlobal(g); err != nil {
		return nil, err
	}
	for seed, id := range map[byte]uint64{1: goldenBuyer, 2: goldenSeller} {
		k, err := GoldenKey(seed)
		if err != nil {
			return nil, err
		}
		ident := layoutv2.Identity{PublicKeyX: k.PublicKey.A.X, PublicKeyY: k.PublicKey.A.Y, L1Owner: [20]byte{byte(id)}}
		if err := s.SetAccount(id, layoutv2.AccountFields{Identity: ident, Nonce: 3, Collateral: 500_000}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func goldenSign(seed byte, h fr.Element) ([]byte, error) {
	k, err := GoldenKey(seed)
	if err != nil {
		return nil, err
	}
	b := h.Bytes()
	return k.Sign(b[:], poseidon2.NewMerkleDamgardHasher())
}

// GoldenSteps are the golden batch's six steps for deployment d (see the package comment of this
// file), signed with the golden keys.
func GoldenSteps(d messages.Domain) ([]Tx, error) {
	trade := func(m uint8, price, size int64, nonce uint64) (perpstep.Trade, error) {
		tr := perpstep.Trade{Domain: d, Market: m, Price: price, Size: size,
			Buyer: perpstep.SignedOrder{FeePpm: 500, Order: messages.OrderMessage{Account: goldenBuyer, Market: uint16(m), Side: 0,
				Size: uint64(size), Price: uint64(price), FeeCap: 1_000, Nonce: nonce}},
			Seller: perpstep.SignedOrder{FeePpm: -100, Order: messages.OrderMessage{Account: goldenSeller, Market: uint16(m), Side: 1,
				Size: uint64(size), Price: uint64(price), FeeCap: 500, Nonce: nonce + 1}}}
		for seed, o := range map[byte]*perpstep.SignedOrder{1: &tr.Buyer, 2: &tr.Seller} {
			sig, err := goldenSign(seed, o.Order.Hash(d))
			if err != nil {
				return tr, err
			}
			o.Signature = sig
		}
		return tr, nil
	}
	newcomer, err := GoldenKey(3)
	if err != nil {
		return nil, err
	}
	deposit := Deposit{collateralstep.Deposit{Account: goldenNewcomer, L1Owner: [20]byte{goldenNewcomer},
		PublicKeyX: newcomer.PublicKey.A.X, PublicKeyY: newcomer.PublicKey.A.Y, Amount: 50_000}}
	var reports []reference.PriceReport
	for _, r := range []struct {
		signer int
		price  int64
	}{{0, 1010 << 32}, {2, 1012 << 32}} {
		rep := reference.PriceReport{Market: 0, Price: r.price, Timestamp: GoldenBatchTime - 60, Signer: r.signer}
		if rep.Signature, err = goldenSign(GoldenSignerSeed+byte(r.signer), reference.ReportMessage(rep).Hash(d)); err != nil {
			return nil, err
		}
		reports = append(reports, rep)
	}
	oracle := OracleTick{tickstep.OracleTick{Domain: d, Market: 0, Now: GoldenBatchTime - 50, BatchTime: GoldenBatchTime, Reports: reports}}
	a, err := trade(0, 1_000, 10, 100)
	if err != nil {
		return nil, err
	}
	funding := FundingTick{tickstep.FundingTick{Market: 1, Now: GoldenBatchTime - 50, BatchTime: GoldenBatchTime, Delta: 500_000}}
	b, err := trade(1, 1_100, 20, 200)
	if err != nil {
		return nil, err
	}
	w := Withdrawal{collateralstep.Withdrawal{Domain: d,
		Message: messages.WithdrawalMessage{Account: goldenBuyer, L1Owner: [20]byte{goldenBuyer}, Amount: 1_000, Nonce: 3}}}
	if w.Signature, err = goldenSign(1, w.Message.Hash(d)); err != nil {
		return nil, err
	}
	return []Tx{deposit, oracle, a, funding, b, w}, nil
}

// GoldenBatch seals the golden batch for shape and deployment d. The shape needs at least 2
// trade slots with N ≥ 2 and K ≥ 2, one deposit, withdrawal, oracle-tick (2 report slots or
// more) and funding-tick slot; other slots are padded with no-ops.
func GoldenBatch(shape Shape, d messages.Domain) (*Golden, error) {
	if shape.Trades < 2 || shape.N < 2 || shape.K < 2 || shape.Deposits < 1 || shape.Withdrawals < 1 ||
		shape.OracleTicks < 1 || shape.ReportSlots < 2 || shape.FundingTicks < 1 {
		return nil, fmt.Errorf("%w: the golden batch does not fit %v", ErrShape, shape)
	}
	s, err := GoldenState(shape.K)
	if err != nil {
		return nil, err
	}
	steps, err := GoldenSteps(d)
	if err != nil {
		return nil, err
	}
	h := Header{Domain: d, BatchNumber: GoldenBatchNumber, BatchTime: GoldenBatchTime}
	sealed, err := Seal(s, shape, steps, h)
	if err != nil {
		return nil, err
	}
	return &Golden{Initial: s, Header: h, Steps: steps, Sealed: sealed}, nil
}
