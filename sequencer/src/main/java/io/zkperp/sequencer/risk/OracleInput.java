package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.Verdict;
import io.zkperp.sequencer.risk.oracle.OracleAggregator;
import io.zkperp.sequencer.risk.oracle.OracleConfig;
import io.zkperp.sequencer.risk.oracle.OracleRejection;
import io.zkperp.sequencer.risk.oracle.OracleResult;
import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.util.List;

/**
 * The markets' oracle prices as they arrive: unsigned operator prices (refused for a market of the
 * {@link OracleConfig}, whose prices come only from a quorum of signers) and signed batches,
 * validated by the {@link OracleAggregator} against the market's configuration with its current
 * price as the previous one. An accepted price is stored (32.32) with its timestamp and recorded
 * with the core's time ({@link SequencerEvent.PriceTickApplied}); a rejection changes nothing. Core
 * thread.
 */
final class OracleInput {
  private final OracleConfig config;
  private final OracleAggregator aggregator;
  private final RiskMarkets markets;
  private final RecordSink records;

  OracleInput(OracleConfig config, RiskMarkets markets, RecordSink records) {
    this.config = config;
    this.aggregator = config == null ? null : new OracleAggregator(config);
    this.markets = markets;
    this.records = records;
  }

  /** The aggregator (immutable, any thread), or null without an oracle configuration. */
  OracleAggregator aggregator() {
    return aggregator;
  }

  /** See {@link RiskEngine#oraclePrice}. */
  Verdict unsigned(int market, long price, long timestamp, long now) {
    if (config != null && config.market(market) != null) {
      return Verdict.reject(
          RejectReason.UNSIGNED_ORACLE_PRICE_REFUSED,
          "market %d takes its prices from a quorum of %d oracle signers; submit"
              + " SignedOraclePrices instead of an unsigned OraclePrice",
          market,
          config.market(market).quorum());
    }
    if (price >= 1L << (63 - RiskMath.PRICE_FRACTION_BITS)) {
      return Verdict.reject(
          RejectReason.INVALID_ORACLE_PRICE,
          "oracle price %,d is too large for the 32.32 fixed point; use < %,d",
          price,
          1L << (63 - RiskMath.PRICE_FRACTION_BITS));
    }
    set(markets.get(market), RiskMath.toFixed(price), timestamp, now);
    return Verdict.ACCEPTED;
  }

  /** See {@link RiskEngine#signedOraclePrices}. */
  OracleResult signed(int market, List<PriceReport> reports, long now) {
    if (aggregator == null) {
      return new OracleResult.Rejected(
          OracleRejection.MARKET_NOT_CONFIGURED,
          "market " + market + " has no oracle configuration; this risk engine has none");
    }
    MarketRiskState m = markets.get(market);
    OracleResult.Accepted previous =
        m.oracle == 0 ? null : new OracleResult.Accepted(market, m.oracle, m.oracleTimestamp, 1);
    OracleResult r = aggregator.aggregatePreverified(market, reports, now, previous);
    if (r instanceof OracleResult.Accepted a) {
      set(m, a.price(), a.timestamp(), now);
    }
    return r;
  }

  private void set(MarketRiskState m, long fixed, long timestamp, long now) {
    m.oracle = fixed;
    m.oracleTimestamp = timestamp;
    records.emit(new SequencerEvent.PriceTickApplied(m.id, fixed, timestamp, now));
  }
}
