package io.zkperp.sequencer.command;

import io.zkperp.sequencer.risk.oracle.PriceReport;
import java.util.List;

/**
 * A batch of signed price reports for one market, gathered by the operator's collector from the
 * market's oracle signers. The intake threads verify every signature before the batch is journaled
 * ({@code OracleAggregator.verifySignatures}); the core applies the other checks (quorum, staleness
 * against its journaled time, newer than the current price, move bound) and, if they pass, makes
 * the batch's lower median the market's oracle price (32.32). Immutable; any thread.
 *
 * @param market the market id
 * @param reports the reports (copied); each report's market must be {@code market}, at most {@link
 *     CommandCodec#MAX_PRICE_REPORTS}
 */
public record SignedOraclePrices(int market, List<PriceReport> reports) implements Command {
  /**
   * Copies the reports.
   *
   * @throws IllegalArgumentException if a report is for another market or there are more than
   *     {@link CommandCodec#MAX_PRICE_REPORTS}
   */
  public SignedOraclePrices {
    reports = List.copyOf(reports);
    if (reports.size() > CommandCodec.MAX_PRICE_REPORTS) {
      throw new IllegalArgumentException(
          reports.size() + " reports; at most " + CommandCodec.MAX_PRICE_REPORTS + " per batch");
    }
    for (PriceReport r : reports) {
      if (r.market() != market) {
        throw new IllegalArgumentException(
            "report for market " + r.market() + " in a batch for market " + market);
      }
    }
  }
}
