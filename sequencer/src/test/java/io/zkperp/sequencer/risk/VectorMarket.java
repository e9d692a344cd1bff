package io.zkperp.sequencer.risk;

import static io.zkperp.sequencer.risk.VectorJson.num;

import io.zkperp.protocol.state.MarketRisk;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One market of a golden vector file's {@code markets} list, as the Go reference writes it for the
 * trade arithmetic and the liquidation rules: its risk parameters and its state (oracle price,
 * funding index, open interest; 0 where the file gives none). Test thread.
 *
 * @param id the market id
 * @param risk the risk parameters
 * @param oraclePrice the oracle price
 * @param fundingIndex the funding index
 * @param openInterest the open interest (0 where the file has no {@code openInterest})
 */
record VectorMarket(
    int id, MarketRisk risk, long oraclePrice, long fundingIndex, long openInterest) {

  /**
   * The markets of a vector file.
   *
   * @param file the parsed file
   * @return its markets by id, in file order
   */
  static Map<Integer, VectorMarket> of(Map<String, Object> file) {
    Map<Integer, VectorMarket> out = new LinkedHashMap<>();
    for (Object o : VectorJson.list(file.get("markets"))) {
      Map<String, Object> m = VectorJson.map(o);
      int id = ((Number) m.get("id")).intValue();
      Map<String, Object> r = VectorJson.map(m.get("risk"));
      MarketRisk risk =
          new MarketRisk(
              num(r, "initialMarginPpm"),
              num(r, "maintenanceMarginPpm"),
              num(r, "baselinePositionSize"),
              num(r, "incrementalPositionSize"),
              num(r, "incrementalInitialMarginPpm"),
              num(r, "maxPositionSize"),
              num(r, "openInterestCap"));
      long openInterest = m.containsKey("openInterest") ? num(m, "openInterest") : 0;
      out.put(
          id,
          new VectorMarket(id, risk, num(m, "oraclePrice"), num(m, "fundingIndex"), openInterest));
    }
    return out;
  }

  /**
   * The risk parameters of markets, for a {@link RiskConfig}.
   *
   * @param markets the markets
   * @return their risk parameters by id
   */
  static Map<Integer, MarketRisk> risks(Collection<VectorMarket> markets) {
    Map<Integer, MarketRisk> out = new LinkedHashMap<>();
    markets.forEach(v -> out.put(v.id, v.risk));
    return out;
  }

  /**
   * Gives the engine's state of this market the file's oracle price, funding index and open
   * interest.
   *
   * @param m the engine's state of this market
   */
  void applyTo(MarketRiskState m) {
    m.oracle = oraclePrice;
    m.fundingIndex = fundingIndex;
    m.openInterest = openInterest;
  }
}
