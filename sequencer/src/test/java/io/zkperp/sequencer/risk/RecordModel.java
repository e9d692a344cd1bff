package io.zkperp.sequencer.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.core.SequencerEvent;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batcher's view of the risk state, rebuilt from the risk engine's state-change records alone
 * (README "State-change records"): every account's collateral and positions (size and funding
 * snapshot per market), the insurance fund, the fee balance, and every market's oracle price and
 * timestamp and funding index and timestamp. Each record is applied with its own arithmetic checked
 * against the model's state before it (funding settled on touch = Σ floor(−(F − snap) · s / 2^32)
 * over the account's positions, collateral before → after, positions ± size, fee balance), so a
 * record that a circuit could not check from the tree fails here. {@link #assertMatches} compares
 * the model with the engine.
 */
final class RecordModel {
  /** One account: collateral and positions by market as {size, funding snapshot}. */
  static final class Acct {
    long collateral;
    final TreeMap<Integer, long[]> positions = new TreeMap<>();
  }

  final Map<Integer, Acct> accounts = new HashMap<>();
  final long[] oracle = new long[0x10000];
  final long[] oracleTimestamp = new long[0x10000];
  long priceNow = Long.MIN_VALUE; // the core time of the last PriceTickApplied
  final long[] fundingIndex = new long[0x10000];
  final long[] fundingTimestamp = new long[0x10000];
  long feeBalance;
  long deposited;
  long withdrawn;

  /**
   * Σ funding settled into collaterals (negative = paid), for the "funding mints nothing" check.
   */
  long fundingSettled;

  private SequencerEvent.FundingTickApplied lastTick;
  private long lastTickInterval;
  private int records;

  int records() {
    return records;
  }

  Acct acct(int id) {
    return accounts.computeIfAbsent(id, k -> new Acct());
  }

  /** floor(−(F − snap) · s / 2^32), computed independently of {@link RiskMath}. */
  static long credit(long size, long snapshot, long index) {
    BigInteger x =
        BigInteger.valueOf(snapshot)
            .subtract(BigInteger.valueOf(index))
            .multiply(BigInteger.valueOf(size));
    return x.shiftRight(32).longValueExact(); // arithmetic shift = floor division by 2^32
  }

  /** Settles the account's funding in every market it holds; returns the amount credited. */
  private long settle(int id) {
    Acct a = acct(id);
    long total = 0;
    for (Map.Entry<Integer, long[]> e : a.positions.entrySet()) {
      long[] p = e.getValue();
      long f = fundingIndex[e.getKey()];
      total += credit(p[0], p[1], f);
      p[1] = f;
    }
    a.collateral += total;
    fundingSettled += total;
    return total;
  }

  private void move(int id, int market, long delta) {
    Acct a = acct(id);
    long[] p = a.positions.get(market);
    long size = (p == null ? 0 : p[0]) + delta;
    if (size == 0) {
      a.positions.remove(market);
    } else if (p == null) {
      a.positions.put(market, new long[] {size, fundingIndex[market]});
    } else {
      p[0] = size;
      assertThat(p[1]).as("snapshot of a settled position").isEqualTo(fundingIndex[market]);
    }
  }

  long size(int id, int market) {
    Acct a = accounts.get(id);
    long[] p = a == null ? null : a.positions.get(market);
    return p == null ? 0 : p[0];
  }

  long collateral(int id) {
    Acct a = accounts.get(id);
    return a == null ? 0 : a.collateral;
  }

  /** Applies every state-change record of the list (other events are ignored). */
  void applyAll(List<SequencerEvent> events) {
    for (SequencerEvent e : events) {
      apply(e);
    }
  }

  /** Applies one record, checking its arithmetic against the model's state before it. */
  void apply(SequencerEvent e) {
    switch (e) {
      case SequencerEvent.PriceTickApplied p -> {
        assertThat(p.timestamp()).isGreaterThanOrEqualTo(oracleTimestamp[p.market()]);
        assertThat(p.now())
            .as("a price's core time never goes back")
            .isGreaterThanOrEqualTo(priceNow);
        priceNow = p.now();
        oracle[p.market()] = p.oraclePrice();
        oracleTimestamp[p.market()] = p.timestamp();
      }
      case SequencerEvent.FundingPeriodStarted f -> {
        assertThat(fundingTimestamp[f.market()]).as("period started once").isZero();
        fundingTimestamp[f.market()] = f.timestamp();
      }
      case SequencerEvent.FundingTickApplied f -> {
        int m = f.market();
        assertThat(f.oraclePrice()).isEqualTo(oracle[m]);
        assertThat(f.indexAfter()).isEqualTo(fundingIndex[m] + f.indexDelta());
        assertThat(f.timestamp()).isGreaterThan(fundingTimestamp[m]);
        lastTickInterval = f.timestamp() - fundingTimestamp[m];
        fundingIndex[m] = f.indexAfter();
        fundingTimestamp[m] = f.timestamp();
        lastTick = f;
      }
      case SequencerEvent.FundingTickDerived d -> {
        // right after its FundingTickApplied; Δt from the leaf's previous funding timestamp
        assertThat(lastTick).isNotNull();
        assertThat(d.market()).isEqualTo(lastTick.market());
        assertThat(d.timestamp()).isEqualTo(lastTick.timestamp());
        assertThat(d.indexDelta()).isEqualTo(lastTick.indexDelta());
        assertThat(d.oraclePrice()).isEqualTo(lastTick.oraclePrice());
        assertThat(d.intervalSeconds()).isEqualTo(lastTickInterval);
        lastTick = null;
      }
      case SequencerEvent.Deposited d -> {
        assertThat(settle(d.account())).isEqualTo(d.fundingSettled());
        acct(d.account()).collateral += d.amount();
        deposited += d.amount();
        assertThat(collateral(d.account())).isEqualTo(d.collateralAfter());
      }
      case SequencerEvent.InsuranceFundToppedUp t -> {
        assertThat(settle(RiskEngine.INSURANCE_FUND)).isEqualTo(t.fundingSettled());
        acct(RiskEngine.INSURANCE_FUND).collateral += t.amount();
        deposited += t.amount();
        assertThat(collateral(RiskEngine.INSURANCE_FUND)).isEqualTo(t.fundCollateralAfter());
      }
      case SequencerEvent.Withdrawn w -> {
        assertThat(settle(w.account())).isEqualTo(w.fundingSettled());
        acct(w.account()).collateral -= w.amount();
        withdrawn += w.amount();
        assertThat(collateral(w.account())).isEqualTo(w.collateralAfter());
      }
      case SequencerEvent.Transferred t -> {
        assertThat(settle(t.from())).isEqualTo(t.fromFundingSettled());
        assertThat(settle(t.to())).isEqualTo(t.toFundingSettled());
        acct(t.from()).collateral -= t.amount();
        acct(t.to()).collateral += t.amount();
        assertThat(collateral(t.from())).isEqualTo(t.fromCollateralAfter());
        assertThat(collateral(t.to())).isEqualTo(t.toCollateralAfter());
      }
      case SequencerEvent.TradeSettled t -> {
        int m = t.market();
        assertThat(t.fundingIndex()).isEqualTo(fundingIndex[m]);
        assertThat(settle(t.takerAccount())).isEqualTo(t.takerFundingSettled());
        assertThat(settle(t.makerAccount())).isEqualTo(t.makerFundingSettled());
        long cost = Math.multiplyExact(t.size(), t.price());
        acct(t.takerAccount()).collateral -= cost + t.takerFee();
        acct(t.makerAccount()).collateral += cost - t.makerFee();
        move(t.takerAccount(), m, t.size());
        move(t.makerAccount(), m, -t.size());
        feeBalance += t.takerFee() + t.makerFee();
        assertThat(collateral(t.takerAccount())).isEqualTo(t.takerCollateralAfter());
        assertThat(collateral(t.makerAccount())).isEqualTo(t.makerCollateralAfter());
        assertThat(size(t.takerAccount(), m)).isEqualTo(t.takerPositionAfter());
        assertThat(size(t.makerAccount(), m)).isEqualTo(t.makerPositionAfter());
        assertThat(feeBalance).isEqualTo(t.feeBalanceAfter());
      }
      case SequencerEvent.Liquidated l -> {
        // follows the fill's TradeSettled (taker fee 0): before is the collateral before the fill
        assertThat(l.oraclePrice()).isEqualTo(oracle[l.market()]);
        assertThat(collateral(l.account()))
            .isEqualTo(l.collateralBefore() - Math.multiplyExact(l.size(), l.price()));
        acct(l.account()).collateral -= l.liquidationFee();
        acct(RiskEngine.INSURANCE_FUND).collateral += l.liquidationFee();
        assertThat(collateral(l.account())).isEqualTo(l.collateralAfter());
        assertThat(collateral(l.counterparty())).isEqualTo(l.counterpartyCollateralAfter());
        assertThat(collateral(RiskEngine.INSURANCE_FUND)).isEqualTo(l.insuranceFundAfter());
        assertThat(size(l.account(), l.market())).isEqualTo(l.positionAfter());
        assertThat(size(l.counterparty(), l.market())).isEqualTo(l.counterpartyPositionAfter());
      }
      case SequencerEvent.InsuranceTakeover t ->
          bankruptcyTransfer(
              t.account(),
              RiskEngine.INSURANCE_FUND,
              t.market(),
              t.size(),
              t.price(),
              t.oraclePrice(),
              t.fundingIndex(),
              new long[] {
                t.collateralBefore(), t.collateralAfter(),
                t.fundCollateralBefore(), t.fundCollateralAfter(),
                t.positionAfter(), t.fundPositionAfter()
              });
      case SequencerEvent.Deleveraged d ->
          bankruptcyTransfer(
              d.account(),
              d.counterparty(),
              d.market(),
              d.size(),
              d.price(),
              d.oraclePrice(),
              d.fundingIndex(),
              new long[] {
                d.collateralBefore(), d.collateralAfter(),
                d.counterpartyCollateralBefore(), d.counterpartyCollateralAfter(),
                d.positionAfter(), d.counterpartyPositionAfter()
              });
      default -> {
        return; // not a state-change record
      }
    }
    records++;
  }

  /**
   * A takeover or deleveraging: both accounts' funding settled (then the collaterals before), a
   * transfer of size at price from the account to the counterparty, the collaterals and positions
   * after. {@code v} = before, after, counterparty before, counterparty after, position after,
   * counterparty position after.
   */
  private void bankruptcyTransfer(
      int account,
      int other,
      int m,
      long size,
      long price,
      long oraclePrice,
      long index,
      long[] v) {
    assertThat(oraclePrice).isEqualTo(oracle[m]);
    assertThat(index).isEqualTo(fundingIndex[m]);
    settle(account);
    settle(other);
    assertThat(collateral(account)).as("collateral before").isEqualTo(v[0]);
    assertThat(collateral(other)).as("counterparty collateral before").isEqualTo(v[2]);
    long cost = Math.multiplyExact(size, price);
    acct(account).collateral -= cost;
    acct(other).collateral += cost;
    move(account, m, size);
    move(other, m, -size);
    assertThat(collateral(account)).isEqualTo(v[1]);
    assertThat(collateral(other)).isEqualTo(v[3]);
    assertThat(size(account, m)).isEqualTo(v[4]);
    assertThat(size(other, m)).isEqualTo(v[5]);
  }

  /**
   * Asserts that the model equals the engine: the collateral, positions and funding snapshots of
   * accounts 0 to {@code accounts − 1} and the insurance fund (and no other account in the model),
   * the fee balance, deposit and withdrawal totals, and the markets' oracle prices and timestamps
   * and funding indices and timestamps.
   */
  void assertMatches(RiskEngine risk, int accountCount, int[] markets, String when) {
    for (int id : accounts.keySet()) {
      assertThat(id == RiskEngine.INSURANCE_FUND || (id >= 0 && id < accountCount))
          .as("unexpected account %d in the records %s", id, when)
          .isTrue();
    }
    for (int a = 0; a < accountCount; a++) {
      assertThat(collateral(a)).as("collateral of %d %s", a, when).isEqualTo(risk.collateral(a));
      for (int m : markets) {
        assertThat(size(a, m)).as("position %d/%d %s", a, m, when).isEqualTo(risk.position(a, m));
        long[] p = accounts.containsKey(a) ? accounts.get(a).positions.get(m) : null;
        assertThat(p == null ? 0 : p[1])
            .as("funding snapshot %d/%d %s", a, m, when)
            .isEqualTo(risk.fundingSnapshot(a, m));
      }
    }
    int f = RiskEngine.INSURANCE_FUND;
    assertThat(collateral(f)).as("fund %s", when).isEqualTo(risk.insuranceFund().collateral());
    for (int m : markets) {
      assertThat(size(f, m))
          .as("fund position %d %s", m, when)
          .isEqualTo(risk.insuranceFund().position(m));
      long[] p = accounts.containsKey(f) ? accounts.get(f).positions.get(m) : null;
      assertThat(p == null ? 0 : p[1])
          .as("fund snapshot %d %s", m, when)
          .isEqualTo(risk.insuranceFund().fundingSnapshot(m));
      assertThat(oracle[m]).as("oracle %d %s", m, when).isEqualTo(risk.oracleFixed(m));
      assertThat(oracleTimestamp[m])
          .as("oracle time %d %s", m, when)
          .isEqualTo(risk.oracleTimestamp(m));
      assertThat(fundingIndex[m])
          .as("funding index %d %s", m, when)
          .isEqualTo(risk.fundingIndex(m));
      assertThat(fundingTimestamp[m])
          .as("funding time %d %s", m, when)
          .isEqualTo(risk.fundingTimestamp(m));
    }
    assertThat(feeBalance).as("fee balance %s", when).isEqualTo(risk.feeBalance());
    assertThat(deposited).as("deposits %s", when).isEqualTo(risk.totalDeposited());
    assertThat(withdrawn).as("withdrawals %s", when).isEqualTo(risk.totalWithdrawn());
  }
}
