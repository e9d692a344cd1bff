package io.zkperp.batcher.v3.ticks;

import io.zkperp.protocol.state.v2.MarketV2;
import java.math.BigInteger;
import java.util.List;

/**
 * The funding tick's and the funding period start's rules as the circuit checks them, written after
 * the Go references ({@code tickstep.ApplyFundingTick} over {@code reference.ApplyFundingTick}, and
 * {@code tickstep.ApplyFundingPeriodStart}): same checks, same order. Stateless; any thread.
 */
final class FundingTickRules {
  private FundingTickRules() {}

  /** The largest Δt and the largest |fundingMaxRatePpm| the engine accepts (10^9). */
  static final long MAX_INTERVAL_SECONDS = 1_000_000_000L;

  /** The largest fundingMaxRatePpm (10^9 ppm per 8 hours). */
  static final long MAX_RATE_PPM = 1_000_000_000L;

  /** 10^6 · 28,800: ppm per 8 hours. */
  private static final BigInteger RATE_DENOMINATOR = BigInteger.valueOf(1_000_000L * 8 * 3600);

  /**
   * The rules a funding tick breaks on the market leaf, the engine's rejection first.
   *
   * @throws TickRefusedException VALUE_OUT_OF_RANGE for a value the circuit cannot read
   */
  static List<TickRefusalReason> fundingTick(FundingTick t, MarketV2 m)
      throws TickRefusedException {
    TickRuleList.checkTimes(t.now(), t.batchTime());
    long price = TickRuleList.signed(m.oraclePrice(), "oraclePrice");
    long before = TickRuleList.signed(m.fundingTimestamp(), "fundingTimestamp");
    long minInterval =
        TickRuleList.signed(m.risk().fundingMinIntervalSeconds(), "fundingMinIntervalSeconds");
    long maxRate = TickRuleList.signed(m.risk().fundingMaxRatePpm(), "fundingMaxRatePpm");
    TickRuleList broken = new TickRuleList();
    if (t.now() > t.batchTime()) {
      broken.add(TickRefusalReason.AFTER_BATCH_TIME);
    }
    long dt = t.now() - before; // both in 0 … 2^63 − 1: no overflow
    if (dt < minInterval) {
      broken.add(TickRefusalReason.TOO_EARLY);
    }
    if (price <= 0) {
      broken.add(TickRefusalReason.NON_POSITIVE_PRICE);
    }
    if (dt <= 0) {
      broken.add(TickRefusalReason.NON_POSITIVE_INTERVAL);
    }
    if (dt > MAX_INTERVAL_SECONDS || maxRate > MAX_RATE_PPM) {
      broken.add(TickRefusalReason.INTERVAL_OR_RATE_OUT_OF_RANGE);
    }
    if (price > 0 && dt > 0) {
      BigInteger bound =
          BigInteger.valueOf(maxRate)
              .multiply(BigInteger.valueOf(dt))
              .multiply(BigInteger.valueOf(price))
              .divide(RATE_DENOMINATOR);
      if (t.indexDelta() == Long.MIN_VALUE
          || BigInteger.valueOf(t.indexDelta()).abs().compareTo(bound) > 0) {
        broken.add(TickRefusalReason.RATE_BOUND_EXCEEDED);
      }
    }
    try {
      Math.addExact(m.fundingIndex(), t.indexDelta());
    } catch (ArithmeticException e) {
      broken.add(TickRefusalReason.INDEX_OVERFLOW);
    }
    return broken.list();
  }

  /**
   * The rules a funding period start breaks on the market leaf, the engine's first.
   *
   * @throws TickRefusedException VALUE_OUT_OF_RANGE for a negative time or batch time
   */
  static List<TickRefusalReason> periodStart(FundingPeriodStart p, MarketV2 m)
      throws TickRefusedException {
    TickRuleList.checkTimes(p.now(), p.batchTime());
    TickRuleList broken = new TickRuleList();
    if (m.oraclePrice() == 0) {
      broken.add(TickRefusalReason.NON_POSITIVE_PRICE);
    }
    if (m.fundingTimestamp() != 0) {
      broken.add(TickRefusalReason.PERIOD_ALREADY_STARTED);
    }
    if (p.now() < 1) {
      broken.add(TickRefusalReason.NON_POSITIVE_TIME);
    }
    // now + maxFuture < oracleTimestamp, over u64 without overflow (now ≥ 0 here)
    long oracleTime = m.oracleTimestamp();
    if (Long.compareUnsigned(oracleTime, p.now()) > 0
        && Long.compareUnsigned(oracleTime - p.now(), m.risk().oracleMaxFutureSeconds()) > 0) {
      broken.add(TickRefusalReason.BEFORE_ORACLE_TIME);
    }
    if (p.now() > p.batchTime()) {
      broken.add(TickRefusalReason.AFTER_BATCH_TIME);
    }
    return broken.list();
  }
}
