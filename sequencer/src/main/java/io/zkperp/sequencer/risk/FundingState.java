package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.OrderBook;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.Verdict;
import io.zkperp.sequencer.risk.funding.BookDepthView;
import io.zkperp.sequencer.risk.funding.DepthLevels;
import io.zkperp.sequencer.risk.funding.FundingConfig;
import io.zkperp.sequencer.risk.funding.FundingError;
import io.zkperp.sequencer.risk.funding.FundingTickCalculator;
import io.zkperp.sequencer.risk.funding.FundingTickProposal;
import io.zkperp.sequencer.risk.funding.PremiumSampler;
import io.zkperp.sequencer.risk.funding.TickResult;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The markets' funding indices and when they may move: operator {@code FundingTick}s (bounded by
 * {@link RiskEngine#MAX_FUNDING_TICK_PPM} of the oracle price), or, for the markets of a {@link
 * FundingConfig}, ticks derived from premium samples of the book on {@code Tick} (bounded by the
 * maximum rate and Δt, {@link FundingTickCalculator#checkTick}). A tick that rejects changes
 * nothing. Owns the premium sampler. Core thread.
 */
final class FundingState {
  private final FundingConfig config;
  private final PremiumSampler sampler;
  private final int[] fundingMarkets;
  private final RiskMarkets markets;
  private final LiquidationIndex index;
  private final RecordSink records;

  FundingState(
      FundingConfig config,
      RiskConfig risk,
      RiskMarkets markets,
      LiquidationIndex index,
      RecordSink records) {
    checkFundingMarkets(risk, config);
    this.config = config;
    this.sampler = config == null ? null : new PremiumSampler(config);
    this.fundingMarkets =
        config == null
            ? new int[0]
            : config.markets().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    this.markets = markets;
    this.index = index;
    this.records = records;
  }

  /** Each funding market must use its risk parameters. */
  private static void checkFundingMarkets(RiskConfig config, FundingConfig funding) {
    if (funding == null) {
      return;
    }
    funding
        .markets()
        .forEach(
            (m, f) -> {
              var p = config.markets().get(m);
              if (!f.risk().equals(p)) {
                throw new IllegalArgumentException(
                    "funding market "
                        + m
                        + " must use the market's RiskConfig parameters "
                        + p
                        + ", has "
                        + f.risk());
              }
            });
  }

  /** The premium sampler, or null without a funding configuration. */
  PremiumSampler sampler() {
    return sampler;
  }

  /** See {@link RiskEngine#fundingTick}. */
  Verdict operatorTick(int market, long indexDelta, long timestamp) {
    if (config != null && config.market(market) != null) {
      return Verdict.reject(
          RejectReason.OPERATOR_FUNDING_TICK_REFUSED,
          "market %d's funding is derived from premium samples on Tick; operator FundingTick"
              + " commands are refused",
          market);
    }
    MarketRiskState m = markets.get(market);
    if (!m.tradable()) {
      return Verdict.reject(
          RejectReason.INVALID_FUNDING_TICK,
          "market %d has %s; funding needs both",
          market,
          m.params == null ? "no risk parameters" : "no oracle price yet");
    }
    Verdict time = checkAfterLast(m, timestamp);
    if (!time.accepted()) {
      return time;
    }
    long bound = RiskMath.mulPpmDown(m.oracle, RiskEngine.MAX_FUNDING_TICK_PPM);
    if (indexDelta > bound || indexDelta < -bound) {
      return Verdict.reject(
          RejectReason.INVALID_FUNDING_TICK,
          "funding index change %,d exceeds the bound %,d (%d ppm of the oracle price %,d, 32.32)",
          indexDelta,
          bound,
          RiskEngine.MAX_FUNDING_TICK_PPM,
          m.oracle);
    }
    return apply(m, indexDelta, timestamp);
  }

  /** See {@link RiskEngine#applyDerivedTick}. */
  Verdict derivedTick(int market, long indexDelta, long timestamp) {
    FundingConfig.MarketFunding f = config == null ? null : config.market(market);
    MarketRiskState m = markets.get(market);
    if (f == null || !m.tradable()) {
      return Verdict.reject(
          RejectReason.INVALID_FUNDING_TICK,
          "market %d has no funding configuration, risk parameters or oracle price",
          market);
    }
    Verdict time = checkAfterLast(m, timestamp);
    if (!time.accepted()) {
      return time;
    }
    long dt = timestamp - m.fundingTimestamp;
    FundingError e = FundingTickCalculator.checkTick(indexDelta, m.oracle, dt, f.maxRatePpm());
    if (e != null) {
      return Verdict.reject(RejectReason.INVALID_FUNDING_TICK, "%s: %s", e.reason(), e.message());
    }
    return apply(m, indexDelta, timestamp);
  }

  /**
   * See {@link RiskEngine#onTick}: for each funding market with risk parameters, an oracle price
   * and a book, ascending: the due tick (then {@code liquidate} of the market), then the sample.
   */
  void onTick(long now, IntFunction<OrderBook> books, IntConsumer liquidate) {
    for (int id : fundingMarkets) {
      OrderBook book = books.apply(id);
      MarketRiskState m = markets.get(id);
      if (!m.tradable() || book == null) {
        continue;
      }
      if (sampler.tick(id, m.oracle, now) instanceof TickResult.Due due) {
        FundingTickProposal t = due.tick();
        if (derivedTick(id, t.indexDelta(), now).accepted()) {
          records.emit(
              new SequencerEvent.FundingTickDerived(
                  id,
                  now,
                  t.intervalSeconds(),
                  t.samples(),
                  t.divisor(),
                  t.averagePremiumPpm(),
                  t.ratePpm(),
                  t.price(),
                  t.indexDelta()));
          liquidate.accept(id);
        }
      }
      boolean started = sampler.periodStart(id) != Long.MIN_VALUE;
      sampler.sample(id, new LazyDepth(book), m.oracle, now);
      if (!started && sampler.periodStart(id) != Long.MIN_VALUE) {
        m.fundingTimestamp = sampler.periodStart(id);
        records.emit(new SequencerEvent.FundingPeriodStarted(id, m.fundingTimestamp));
      }
    }
  }

  private static Verdict checkAfterLast(MarketRiskState m, long timestamp) {
    if (timestamp <= m.fundingTimestamp) {
      return Verdict.reject(
          RejectReason.INVALID_FUNDING_TICK,
          "funding timestamp %d is not after the market's last one %d; use > %d",
          timestamp,
          m.fundingTimestamp,
          m.fundingTimestamp);
    }
    return Verdict.ACCEPTED;
  }

  private Verdict apply(MarketRiskState m, long indexDelta, long timestamp) {
    long next;
    try {
      next = Math.addExact(m.fundingIndex, indexDelta);
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE, "funding index of market %d overflows", m.id);
    }
    m.fundingIndex = next;
    m.fundingTimestamp = timestamp;
    index.fundingMoved(m.id); // pending funding of every holder changed: full scan, re-index
    records.emit(
        new SequencerEvent.FundingTickApplied(m.id, indexDelta, next, timestamp, m.oracle));
    return Verdict.ACCEPTED;
  }

  /**
   * {@link DepthLevels#of(OrderBook)}, copied only when the sampler reads it: a {@code Tick} inside
   * a slot that already has its sample costs no copy of the book.
   */
  private static final class LazyDepth implements BookDepthView {
    private final OrderBook book;
    private DepthLevels levels;

    LazyDepth(OrderBook book) {
      this.book = book;
    }

    @Override
    public void forEachLevel(boolean bids, LevelVisitor visitor) {
      if (levels == null) {
        levels = DepthLevels.of(book);
      }
      levels.forEachLevel(bids, visitor);
    }
  }
}
