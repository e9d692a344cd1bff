package io.zkperp.sequencer.risk.funding;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.TreeMap;

/**
 * Samples each market's premium from its book and turns a period of samples into a funding tick
 * (dYdX v4 {@code x/perpetuals}: a premium sample a minute, averaged each hour, plus interest,
 * clamped). Driven by the core's journaled time only, so a replay of the journal reproduces every
 * sample and tick. Confined to the core thread.
 *
 * <p><b>Samples.</b> Time is cut into slots of {@code sampleIntervalSeconds} (slot = ⌊t / I⌋). The
 * first {@link #sample} call of a slot records one sample; later calls in the same slot return
 * {@link SampleResult.NotDue}. A sample is {@link ImpactPrices#premiumPpm} of the book against the
 * oracle price, clamped to ±{@link FundingConfig.MarketFunding#sampleClampPpm()}, and added to the
 * period's sum. A market's first sample starts its first period.
 *
 * <p><b>Ticks.</b> {@link #tick} is due once {@code now ≥ periodStart + tickIntervalSeconds}. Then,
 * with Δt = now − periodStart:
 *
 * <pre>
 *   divisor  = max(samples, ⌊Δt / sampleInterval⌋)       missing samples count as premium 0
 *   average  = sum / divisor                              rounded toward zero (Java division)
 *   rate     = clamp(average + interest, ±rateClamp)      {@link FundingTickCalculator#ratePpm}
 *   Δindex   = {@link FundingTickCalculator#indexDelta}(rate, price, Δt)   toward zero
 * </pre>
 *
 * and the next period starts at {@code now}. Padding missing samples with zeros (as dYdX v4 does)
 * means that suppressing samples (an empty book, a halted feed) can only pull the premium toward
 * zero. Call order at one instant: {@link #tick} first, then {@link #sample}, so a sample taken at
 * the tick's time belongs to the new period. Every refusal is a {@link FundingError} and changes
 * nothing.
 */
public final class PremiumSampler {
  private final FundingConfig config;
  private final TreeMap<Integer, Period> periods = new TreeMap<>();

  /**
   * One market's current period: its start, the slot of its last sample, the sum and the number of
   * its (clamped) samples. Replaced by each sample and tick.
   */
  private record Period(long start, long lastSlot, long sum, int count) {}

  /**
   * Creates a sampler with no market started.
   *
   * @param config the funding configuration
   */
  public PremiumSampler(FundingConfig config) {
    this.config = config;
  }

  /**
   * The configuration.
   *
   * @return it
   */
  public FundingConfig config() {
    return config;
  }

  /**
   * Takes the market's premium sample for the current slot, if it has none yet. Core thread.
   *
   * @param market the market
   * @param book the market's book depth (read only; must not change during the call)
   * @param oraclePrice the market's current oracle (index) price, 32.32
   * @param now the core's journaled time, seconds
   * @return the sample, {@link SampleResult.NotDue} if the slot already has one, or the error
   */
  public SampleResult sample(int market, BookDepthView book, long oraclePrice, long now) {
    FundingConfig.MarketFunding m = config.market(market);
    if (m == null) {
      return notConfigured(market);
    }
    if (oraclePrice <= 0) {
      return FundingError.of(
          FundingRejection.NON_POSITIVE_PRICE,
          "market %d has oracle price %d; sampling needs a price > 0",
          market,
          oraclePrice);
    }
    long interval = config.sampleIntervalSeconds();
    long slot = Math.floorDiv(now, interval);
    Period p = periods.get(market);
    if (p != null) {
      if (now < p.start() || slot < p.lastSlot()) {
        return FundingError.of(
            FundingRejection.TIME_WENT_BACKWARDS,
            "time %d is before market %d's last sample slot (from %d) or period start %d",
            now,
            market,
            p.lastSlot() * interval,
            p.start());
      }
      if (slot == p.lastSlot()) {
        return new SampleResult.NotDue(market, (slot + 1) * interval);
      }
    }
    ImpactPrices impact;
    try {
      impact = ImpactPrices.compute(book, m.impactNotional());
    } catch (IllegalArgumentException e) {
      return FundingError.of(
          FundingRejection.INVALID_BOOK, "market %d: %s", market, e.getMessage());
    } catch (ArithmeticException e) {
      return FundingError.of(
          FundingRejection.OUT_OF_RANGE, "market %d: %s", market, e.getMessage());
    }
    long premium = impact.premiumPpm(oraclePrice);
    long clamp = m.sampleClampPpm();
    long clamped = Math.max(-clamp, Math.min(clamp, premium));
    long sum;
    try {
      sum = Math.addExact(p == null ? 0 : p.sum(), clamped);
    } catch (ArithmeticException e) {
      return FundingError.of(
          FundingRejection.OUT_OF_RANGE, "market %d: premium sum overflows", market);
    }
    int count = p == null ? 1 : p.count() + 1;
    periods.put(market, new Period(p == null ? now : p.start(), slot, sum, count));
    return new SampleResult.Sampled(market, now, impact, premium, clamped, count);
  }

  /**
   * Closes the market's period if it is due and returns its funding tick; the next period starts at
   * {@code now}. Core thread.
   *
   * @param market the market
   * @param oraclePrice the market's current oracle (index) price, 32.32
   * @param now the core's journaled time, seconds
   * @return the tick, {@link TickResult.NotDue}, or the error (then nothing changed)
   */
  public TickResult tick(int market, long oraclePrice, long now) {
    FundingConfig.MarketFunding m = config.market(market);
    if (m == null) {
      return notConfigured(market);
    }
    Period p = periods.get(market);
    if (p == null) {
      return FundingError.of(
          FundingRejection.NOT_STARTED,
          "market %d has no premium sample yet; its funding period starts with its first sample",
          market);
    }
    long due = p.start() + config.tickIntervalSeconds();
    if (now < due) {
      return new TickResult.NotDue(market, due);
    }
    if (oraclePrice <= 0) {
      return FundingError.of(
          FundingRejection.NON_POSITIVE_PRICE,
          "market %d has oracle price %d; a tick needs a price > 0",
          market,
          oraclePrice);
    }
    long dt = now - p.start();
    FundingTickProposal proposal;
    try {
      long divisor = Math.max(p.count(), dt / config.sampleIntervalSeconds());
      long average = p.sum() / divisor;
      long rate = FundingTickCalculator.ratePpm(average, m.interestPpm(), m.rateClampPpm());
      long delta = FundingTickCalculator.indexDelta(rate, oraclePrice, dt);
      FundingError bound = FundingTickCalculator.checkTick(delta, oraclePrice, dt, m.maxRatePpm());
      if (bound != null) {
        return bound; // unreachable with a validated configuration; kept as a guard
      }
      proposal =
          new FundingTickProposal(
              market, now, dt, p.count(), divisor, average, rate, oraclePrice, delta);
    } catch (ArithmeticException e) {
      return FundingError.of(
          FundingRejection.OUT_OF_RANGE, "market %d tick: %s", market, e.getMessage());
    }
    periods.put(market, new Period(now, p.lastSlot(), 0, 0));
    return new TickResult.Due(proposal);
  }

  /**
   * The start of the market's current period. Core thread.
   *
   * @param market the market
   * @return seconds, or {@link Long#MIN_VALUE} if the market has not been sampled yet
   */
  public long periodStart(int market) {
    Period p = periods.get(market);
    return p == null ? Long.MIN_VALUE : p.start();
  }

  /**
   * The number of samples in the market's current period. Core thread.
   *
   * @param market the market
   * @return the count (0 if not started)
   */
  public int sampleCount(int market) {
    Period p = periods.get(market);
    return p == null ? 0 : p.count();
  }

  /**
   * The sum of the (clamped) samples in the market's current period. Core thread.
   *
   * @param market the market
   * @return ppm (0 if not started)
   */
  public long sampleSum(int market) {
    Period p = periods.get(market);
    return p == null ? 0 : p.sum();
  }

  /**
   * Writes the state: the number of started markets, then for each in ascending id order: market,
   * period start, last sample slot, sum, count. Core thread.
   *
   * @param out the snapshot stream
   * @throws IOException on a write failure
   */
  public void writeState(DataOutput out) throws IOException {
    out.writeInt(periods.size());
    for (var e : periods.entrySet()) {
      Period p = e.getValue();
      out.writeInt(e.getKey());
      out.writeLong(p.start());
      out.writeLong(p.lastSlot());
      out.writeLong(p.sum());
      out.writeInt(p.count());
    }
  }

  /**
   * Replaces the state with one written by {@link #writeState}. Core thread.
   *
   * @param in the snapshot stream
   * @throws IOException on a read failure or a malformed state (then nothing changed)
   */
  public void readState(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 0x10000) {
      throw new IOException("bad funding market count " + n);
    }
    TreeMap<Integer, Period> read = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      int market = in.readInt();
      Period p = new Period(in.readLong(), in.readLong(), in.readLong(), in.readInt());
      if (p.count() < 0 || read.put(market, p) != null) {
        throw new IOException("bad funding period entry for market " + market);
      }
    }
    periods.clear();
    periods.putAll(read);
  }

  private static FundingError notConfigured(int market) {
    return FundingError.of(
        FundingRejection.MARKET_NOT_CONFIGURED, "market %d has no funding configuration", market);
  }
}
