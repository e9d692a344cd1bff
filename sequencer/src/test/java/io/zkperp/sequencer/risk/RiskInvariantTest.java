package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.SelfTradePrevention;
import io.zkperp.sequencer.book.OrderBookFactory;
import io.zkperp.sequencer.command.CancelAll;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.DepositCollateral;
import io.zkperp.sequencer.command.FundingTick;
import io.zkperp.sequencer.command.OraclePrice;
import io.zkperp.sequencer.command.WithdrawCollateral;
import io.zkperp.sequencer.core.CoreListener;
import io.zkperp.sequencer.core.CoreState;
import io.zkperp.sequencer.core.SequencerCore;
import io.zkperp.sequencer.core.SequencerEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random commands over volatile price paths, including a 40% fall over 40 oracle updates, and
 * funding ticks, with liquidation on, and the invariants checked after every command: collateral
 * conservation (Σ collateral + insurance fund + fee balance + unsettled funding = deposits −
 * withdrawals − funding rounding dust, the dust never negative: funding never creates collateral;
 * deposits and withdrawals counted by the test), Σ position sizes per market = 0 with the insurance
 * fund's positions, the engine's positions equal the core's (the fund's too), open interest = Σ
 * long sizes, the fee balance never decreases, no account with negative equity unless liquidation
 * was triggered for it (and none at all holding a market right after that market's oracle price),
 * the collaterals and fee balance rebuilt from the state-change records alone equal the engine's
 * (and the full {@link RecordModel}: positions, funding snapshots, oracle and funding state), a
 * rejected command leaves the state hash unchanged, and an engine without the liquidation-price
 * index (every holder examined on every price) gives the same events and state hash after every
 * command. At the end a replay of the accepted commands (into the naive book) and a snapshot round
 * trip give the identical state hash.
 */
class RiskInvariantTest {
  static final int ACCOUNTS = 12;
  static final int[] MARKETS = {1, 2};
  static final int COMMANDS = 6_000;

  static RiskConfig config() {
    return new RiskConfig(
        Map.of(
            1, new MarketRisk(50_000, 30_000, 200, 100, 10_000, 2_000, 6_000),
            2, new MarketRisk(100_000, 50_000, 50, 25, 20_000, 500, 1_500)),
        List.of(new FeeTier(200, 500), new FeeTier(-100, 300), new FeeTier(0, 100)),
        Map.of(3, 1, 4, 1, 5, 2));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void invariantsHoldAfterEveryCommand(long seed) throws Exception {
    SplittableRandom rnd = new SplittableRandom(seed);
    RiskHarness h = new RiskHarness(config(), OrderBookFactory.OPTIMISED, MARKETS);

    long[] price = {0, 10_000, 2_000};
    for (int m : MARKETS) {
      h.oracle(m, price[m]);
    }
    // the same commands through an engine without the liquidation-price index (every holder
    // examined on every price): identical results, events and state hash after every command
    io.zkperp.sequencer.core.EventCollector scanEvents =
        new io.zkperp.sequencer.core.EventCollector();
    SequencerCore scan =
        new SequencerCore(
            OrderBookFactory.OPTIMISED,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(config(), LiquidationConfig.DEFAULT, false),
            scanEvents);
    for (Command c : h.accepted) {
      assertThat(scan.apply(c)).isTrue();
    }
    long deposited = 0;
    long withdrawn = 0;
    long lastFee = 0;
    long fundingTime = 0;
    int crashAt = COMMANDS / 3 + rnd.nextInt(COMMANDS / 3);
    int crashLeft = 0;
    long crashFrom = 0;
    Map<RejectReason, Integer> rejections = new EnumMap<>(RejectReason.class);
    int accepted = 0;
    int fundingTicks = 0;
    java.util.Set<Integer> triggered = new java.util.HashSet<>();
    Map<Class<?>, Integer> riskEvents = new HashMap<>();
    // the batcher's view: collaterals rebuilt from the state-change records alone
    Map<Integer, Long> recorded = new HashMap<>();
    long recordedFeeBalance = 0;
    // the full rebuild from the records: positions, funding snapshots, markets (RecordModel)
    RecordModel model = new RecordModel();
    model.applyAll(h.events.drain());
    Map<io.zkperp.sequencer.CloseReason, Integer> closes =
        new EnumMap<>(io.zkperp.sequencer.CloseReason.class);
    byte[] snapshot = null;
    int snapshotAt = -1;
    for (int i = 0; i < COMMANDS; i++) {
      if (i == crashAt) {
        crashLeft = 40;
        crashFrom = price[1];
      }
      Command c;
      int r = rnd.nextInt(100);
      if (crashLeft > 0 && r < 30) {
        // market 1 falls linearly to 60% of its level over 40 updates
        crashLeft--;
        price[1] = crashFrom - crashFrom * 4 * (40 - crashLeft) / 400;
        c = new OraclePrice(1, price[1], h.oracleTime++);
      } else if (r < 8) {
        int m = MARKETS[rnd.nextInt(2)];
        price[m] = Math.max(10, price[m] + price[m] * (rnd.nextInt(41) - 20) / 1000); // ±2%
        c = new OraclePrice(m, price[m], h.oracleTime++);
      } else if (r < 10) {
        int m = MARKETS[rnd.nextInt(2)];
        // up to ±0.5% of the price per tick (the bound is 1%), in 32.32
        long delta = (price[m] << 32) / 1_000 * (rnd.nextInt(11) - 5) + rnd.nextInt(1 << 20);
        c = new FundingTick(m, delta, ++fundingTime);
      } else if (r < 11) {
        c = new DepositCollateral(rnd.nextInt(ACCOUNTS), 1 + rnd.nextLong(3_000_000));
      } else if (r < 12) {
        int a = rnd.nextInt(ACCOUNTS);
        long free = Math.max(1, h.risk.freeCollateral(a));
        c =
            new io.zkperp.sequencer.command.TransferCollateral(
                a, (a + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS, 1 + rnd.nextLong(free));
      } else if (r < 16) {
        int a = rnd.nextInt(ACCOUNTS);
        long free = Math.max(1, h.risk.freeCollateral(a));
        c = new WithdrawCollateral(a, 1 + rnd.nextLong(free + free / 5));
      } else if (r < 19) {
        c = new CancelAll(rnd.nextInt(ACCOUNTS), CancelAll.ALL_MARKETS);
      } else {
        c = h.randomOrder(rnd, ACCOUNTS, MARKETS, price);
      }
      String before = CoreState.hashHex(h.core);
      h.events.drain();
      scanEvents.drain();
      boolean applied = h.apply(c);
      assertThat(scan.apply(c)).as("full-scan engine on %s", c).isEqualTo(applied);
      List<SequencerEvent> produced = h.events.events();
      assertThat(scanEvents.events()).as("events of %s", c).isEqualTo(produced);
      model.applyAll(produced);
      model.assertMatches(h.risk, ACCOUNTS, MARKETS, "after command " + i + " " + c);
      boolean tookOver = false;
      boolean deleveraged = false;
      assertThat(CoreState.hashHex(scan))
          .as("full-scan state after %s", c)
          .isEqualTo(CoreState.hashHex(h.core));
      for (SequencerEvent e : h.events.drain()) {
        if (e instanceof SequencerEvent.LiquidationTriggered t) {
          triggered.add(t.account());
        }
        switch (e) {
          case SequencerEvent.Deposited d -> recorded.put(d.account(), d.collateralAfter());
          case SequencerEvent.Withdrawn w -> recorded.put(w.account(), w.collateralAfter());
          case SequencerEvent.Transferred t -> {
            recorded.put(t.from(), t.fromCollateralAfter());
            recorded.put(t.to(), t.toCollateralAfter());
          }
          case SequencerEvent.TradeSettled t -> {
            recorded.put(t.takerAccount(), t.takerCollateralAfter());
            recorded.put(t.makerAccount(), t.makerCollateralAfter());
            recordedFeeBalance = t.feeBalanceAfter();
          }
          case SequencerEvent.Liquidated l -> {
            // before → after is the fill at its price and the fee, nothing else
            assertThat(l.collateralAfter() - l.collateralBefore())
                .isEqualTo(-l.size() * l.price() - l.liquidationFee());
            // fee within [0, ceil(notional · 1%)]; fill no worse than the limit; the limit
            // between the bankruptcy price and the oracle price (integer oracle prices here)
            long notional = Math.abs(l.size()) * l.price();
            assertThat(l.liquidationFee()).isBetween(0L, Math.ceilDiv(notional, 100));
            long oracleLow = l.oraclePrice() >>> 32;
            long oracleHigh = Math.ceilDiv(l.oraclePrice(), 1L << 32);
            if (l.size() < 0) { // selling a long
              assertThat(l.price()).isGreaterThanOrEqualTo(l.limitPrice());
              assertThat(l.limitPrice()).isBetween(l.bankruptcyPrice(), oracleLow);
            } else {
              assertThat(l.price()).isLessThanOrEqualTo(l.limitPrice());
              assertThat(l.limitPrice()).isBetween(oracleHigh, l.bankruptcyPrice());
            }
            recorded.put(l.account(), l.collateralAfter());
            recorded.put(l.counterparty(), l.counterpartyCollateralAfter());
            recorded.put(RiskEngine.INSURANCE_FUND, l.insuranceFundAfter());
          }
          case SequencerEvent.InsuranceTakeover t -> {
            assertThat(t.collateralAfter() - t.collateralBefore()).isEqualTo(-t.size() * t.price());
            assertThat(t.fundCollateralAfter() - t.fundCollateralBefore())
                .isEqualTo(t.size() * t.price());
            recorded.put(t.account(), t.collateralAfter());
            recorded.put(RiskEngine.INSURANCE_FUND, t.fundCollateralAfter());
          }
          case SequencerEvent.Deleveraged d -> {
            assertThat(d.collateralAfter() - d.collateralBefore()).isEqualTo(-d.size() * d.price());
            assertThat(d.counterpartyCollateralAfter() - d.counterpartyCollateralBefore())
                .isEqualTo(d.size() * d.price());
            recorded.put(d.account(), d.collateralAfter());
            recorded.put(d.counterparty(), d.counterpartyCollateralAfter());
          }
          case SequencerEvent.OrderClosed o -> closes.merge(o.reason(), 1, Integer::sum);
          default -> {}
        }
        tookOver |= e instanceof SequencerEvent.InsuranceTakeover;
        deleveraged |= e instanceof SequencerEvent.Deleveraged;
        if (e instanceof SequencerEvent.LiquidationTriggered
            || e instanceof SequencerEvent.Liquidated
            || e instanceof SequencerEvent.InsuranceTakeover
            || e instanceof SequencerEvent.Deleveraged) {
          riskEvents.merge(e.getClass(), 1, Integer::sum);
        }
      }
      if (applied) {
        accepted++;
        if (c instanceof FundingTick) {
          fundingTicks++;
        }
        if (c instanceof DepositCollateral d) {
          deposited += d.amount();
        } else if (c instanceof WithdrawCollateral w) {
          withdrawn += w.amount();
        }
      } else {
        rejections.merge(h.core.lastRejectReason(), 1, Integer::sum);
        assertThat(CoreState.hashHex(h.core))
            .as("rejected %s changed the state", c)
            .isEqualTo(before);
      }
      // conservation: Σ collateral + fee balance + unsettled funding = deposits − withdrawals −
      // funding rounding dust, and the dust is ≥ 0 (funding never creates collateral) and below
      // one quantum per position settlement (≤ 2 positions per account here)
      long held =
          h.risk.totalCollateral()
              + h.risk.insuranceFund().collateral()
              + h.risk.feeBalance()
              + h.risk.totalPendingFunding();
      long dust = deposited - withdrawn - held;
      assertThat(dust).as("funding dust after command %d", i).isBetween(0L, 4L * (i + ACCOUNTS));
      if (fundingTicks == 0) {
        assertThat(dust).isZero();
      }
      // every collateral change is in a record: the records alone give every account's collateral
      for (int a = 0; a < ACCOUNTS; a++) {
        assertThat(recorded.getOrDefault(a, 0L))
            .as("recorded collateral of account %d after command %d", a, i)
            .isEqualTo(h.risk.collateral(a));
      }
      assertThat(recorded.getOrDefault(RiskEngine.INSURANCE_FUND, 0L))
          .isEqualTo(h.risk.insuranceFund().collateral());
      assertThat(recordedFeeBalance).isEqualTo(h.risk.feeBalance());
      assertThat(h.risk.totalDeposited()).isEqualTo(deposited);
      assertThat(h.risk.totalWithdrawn()).isEqualTo(withdrawn);
      assertThat(h.risk.feeBalance()).isGreaterThanOrEqualTo(lastFee);
      lastFee = h.risk.feeBalance();
      // a takeover happens only if the fund's equity stays ≥ 0 (its collateral goes negative when
      // it pays for a long it takes over; its positions then move with the market)
      if (tookOver && !deleveraged) {
        assertThat(h.risk.insuranceFund().equity())
            .as("fund equity after a takeover")
            .isNotNegative();
      }
      h.assertNegativeEquityOnlyIfTriggered(
          ACCOUNTS,
          triggered,
          applied && c instanceof OraclePrice o ? o.market() : -1,
          "after command " + i);
      h.assertPositionsBalanced(ACCOUNTS, MARKETS, "after command " + i);
      if (i == COMMANDS / 2) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CoreState.write(h.core, new DataOutputStream(bytes));
        snapshot = bytes.toByteArray();
        snapshotAt = h.accepted.size();
      }
    }
    // the run did exercise the engine
    assertThat(rejections.getOrDefault(RejectReason.INSUFFICIENT_MARGIN, 0)).isPositive();
    assertThat(h.risk.feeBalance()).isPositive();
    assertThat(fundingTicks).isPositive();
    assertThat(h.risk.fundingIndex(1)).isNotZero();
    assertThat(accepted).isGreaterThan(COMMANDS / 2);
    assertThat(price[1]).isLessThan(10_000);
    assertThat(riskEvents.getOrDefault(SequencerEvent.LiquidationTriggered.class, 0)).isPositive();
    assertThat(riskEvents.getOrDefault(SequencerEvent.Liquidated.class, 0)).isPositive();

    String finalHash = CoreState.hashHex(h.core);
    SequencerCore replay =
        new SequencerCore(
            OrderBookFactory.NAIVE,
            SelfTradePrevention.EXPIRE_MAKER,
            new RiskEngine(config()),
            CoreListener.NONE);
    for (Command c : h.accepted) {
      assertThat(replay.apply(c)).as("replay of %s", c).isTrue();
    }
    assertThat(CoreState.hashHex(replay)).isEqualTo(finalHash);
    SequencerCore fromSnapshot =
        CoreState.read(
            new DataInputStream(new ByteArrayInputStream(snapshot)),
            OrderBookFactory.OPTIMISED,
            new RiskEngine(config()),
            CoreListener.NONE);
    for (Command c : h.accepted.subList(snapshotAt, h.accepted.size())) {
      assertThat(fromSnapshot.apply(c)).isTrue();
    }
    assertThat(CoreState.hashHex(fromSnapshot)).isEqualTo(finalHash);
    System.out.printf(
        "seed %d: %d accepted, rejections %s, fee balance %d, insurance fund %d, market 1 at %d,"
            + " risk events %s, order closes %s%n",
        seed,
        accepted,
        rejections,
        h.risk.feeBalance(),
        h.risk.insuranceFund().collateral(),
        price[1],
        riskEvents,
        closes);
  }
}
