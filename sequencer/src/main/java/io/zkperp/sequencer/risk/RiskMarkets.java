package io.zkperp.sequencer.risk;

import java.util.ArrayList;
import java.util.List;

/**
 * The risk engine's markets by id (0 to 65,535), each created on first use with its configured
 * parameters. Core thread.
 */
final class RiskMarkets {
  /** Market ids are 16 bits. */
  static final int CAPACITY = 0x10000;

  private final RiskConfig config;
  private final MarketRiskState[] states = new MarketRiskState[CAPACITY];

  RiskMarkets(RiskConfig config) {
    this.config = config;
  }

  /** The market's state, created on first use. */
  MarketRiskState get(int market) {
    MarketRiskState s = states[market];
    if (s == null) {
      s =
          new MarketRiskState(
              market,
              config.markets().get(market),
              config.isolatedMarkets().contains(market),
              config.priceBandsPpm().getOrDefault(market, 0L));
      states[market] = s;
    }
    return s;
  }

  /** The market's oracle price, 32.32 (0 if none). */
  long oracle(int market) {
    MarketRiskState s = states[market];
    return s == null ? 0 : s.oracle;
  }

  /** The market's funding index, 32.32. */
  long fundingIndex(int market) {
    MarketRiskState s = states[market];
    return s == null ? 0 : s.fundingIndex;
  }

  /** The markets with an oracle price, ascending id. */
  List<MarketRiskState> priced() {
    List<MarketRiskState> out = new ArrayList<>();
    for (MarketRiskState s : states) {
      if (s != null && s.oracle != 0) {
        out.add(s);
      }
    }
    return out;
  }

  /** Forgets every market's changing state. */
  void reset() {
    for (MarketRiskState s : states) {
      if (s != null) {
        s.reset();
      }
    }
  }
}
