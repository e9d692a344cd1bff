package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import java.util.Map;

/**
 * The market vector of {@code perp.TradeCircuit} ({@code Trade.Markets.i.*}, ids 0 … K − 1): each
 * listed market's oracle price, funding index, open interest before the trade and margin
 * parameters; an unlisted id holds zeros with an incremental size of 1 (what the table's range
 * checks accept; no position can use it), as {@code perpstep.assign} writes it. Stateless; any
 * thread.
 */
final class TradeMarketVector {
  private TradeMarketVector() {}

  /**
   * Appends {@code Trade.Markets.0 … k − 1}.
   *
   * @param out the list
   * @param listed every listed market before the trade
   * @param k the table's size
   */
  static void markets(StepElements out, Map<Integer, MarketV2> listed, int k) {
    markets(out, "Trade.Markets.", listed, k);
  }

  /**
   * Appends the market vector under another prefix (a liquidation step's {@code Rules.Markets.}).
   *
   * @param out the list
   * @param prefix the vector's name prefix, ending in a dot
   * @param listed every listed market before the step
   * @param k the table's size
   */
  static void markets(StepElements out, String prefix, Map<Integer, MarketV2> listed, int k) {
    for (int id = 0; id < k; id++) {
      String p = prefix + id + ".";
      MarketV2 m = listed.get(id);
      if (m == null) {
        for (String f :
            new String[] {
              "Price",
              "FundingIndex",
              "OpenInterest",
              "IMF",
              "MMF",
              "Baseline",
              "IncSize",
              "IncIMF",
              "MaxPositionSize",
              "OICap"
            }) {
          out.add(p + f, f.equals("IncSize") ? 1 : 0);
        }
        continue;
      }
      MarketRiskV2 r = m.risk();
      out.add(p + "Price", Fr.fromUnsignedLong(m.oraclePrice()));
      out.add(p + "FundingIndex", m.fundingIndex());
      out.add(p + "OpenInterest", Fr.fromUnsignedLong(m.openInterest()));
      out.add(p + "IMF", Fr.fromUnsignedLong(r.initialMarginPpm()));
      out.add(p + "MMF", Fr.fromUnsignedLong(r.maintenanceMarginPpm()));
      out.add(p + "Baseline", Fr.fromUnsignedLong(r.baselinePositionSize()));
      out.add(p + "IncSize", Fr.fromUnsignedLong(r.incrementalPositionSize()));
      out.add(p + "IncIMF", Fr.fromUnsignedLong(r.incrementalInitialMarginPpm()));
      out.add(p + "MaxPositionSize", Fr.fromUnsignedLong(r.maxPositionSize()));
      out.add(p + "OICap", Fr.fromUnsignedLong(r.openInterestCap()));
    }
  }
}
