package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.MarketRisk;
import java.util.Objects;

/**
 * A market as the trade's rules read it (the Go reference's {@code Market}): oracle price and
 * funding index (32.32 fixed point), open interest before the trade and the risk parameters the
 * engine's {@code RiskMath} takes. An unlisted market id reads as {@link #UNLISTED}. Immutable; any
 * thread.
 *
 * @param price the oracle price
 * @param fundingIndex the funding index
 * @param openInterest the open interest
 * @param risk margin fractions, size steps, maximum position size, open-interest cap
 */
record MarketTerms(long price, long fundingIndex, long openInterest, MarketRisk risk) {
  /** All zero: what the reference's market vector holds for an unlisted id. */
  static final MarketTerms UNLISTED = new MarketTerms(0, 0, 0, new MarketRisk(0, 0, 0, 0, 0, 0, 0));

  MarketTerms {
    Objects.requireNonNull(risk, "risk");
  }
}
