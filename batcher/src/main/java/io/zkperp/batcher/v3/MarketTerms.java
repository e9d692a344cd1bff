package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A market as the trade's rules read it (the Go reference's {@code Market}): oracle price and
 * funding index (32.32 fixed point), open interest before the trade and the risk parameters the
 * engine's {@code RiskMath} takes. An unlisted market id reads as {@link #UNLISTED}. Public for the
 * liquidation steps. Immutable; any thread.
 *
 * @param price the oracle price
 * @param fundingIndex the funding index
 * @param openInterest the open interest
 * @param risk margin fractions, size steps, maximum position size, open-interest cap
 */
public record MarketTerms(long price, long fundingIndex, long openInterest, MarketRisk risk) {
  /** All zero: what the reference's market vector holds for an unlisted id. */
  public static final MarketTerms UNLISTED =
      new MarketTerms(0, 0, 0, new MarketRisk(0, 0, 0, 0, 0, 0, 0));

  /** Validates that the risk parameters are present. */
  public MarketTerms {
    Objects.requireNonNull(risk, "risk");
  }

  /**
   * Every listed market of an open batch, by id: what a step executed next reads. The thread that
   * owns the batch.
   *
   * @param batch the open batch
   * @return the listed markets
   */
  public static Map<Integer, MarketV2> listedOf(StateBatchV2 batch) {
    Map<Integer, MarketV2> out = new HashMap<>();
    for (int id = 0; id < 1 << LayoutV2.MARKETS_DEPTH; id++) {
      MarketV2 m = batch.market(id);
      if (m != null) {
        out.put(id, m);
      }
    }
    return out;
  }

  /**
   * The reference's market vector of a batch ({@code perpstep.ReferenceMarkets}): 64 entries, an
   * unlisted id {@link #UNLISTED}. The thread that owns the batch.
   *
   * @param batch the open batch
   * @return the vector, indexed by market id
   * @throws ArithmeticException a listed market's u64 field is above 2^63 − 1 (the message names
   *     the market)
   */
  public static List<MarketTerms> vectorOf(StateBatchV2 batch) {
    List<MarketTerms> out = new ArrayList<>(1 << LayoutV2.MARKETS_DEPTH);
    for (int id = 0; id < 1 << LayoutV2.MARKETS_DEPTH; id++) {
      MarketV2 m = batch.market(id);
      try {
        out.add(m == null ? UNLISTED : of(m));
      } catch (ArithmeticException e) {
        throw new ArithmeticException("market " + id + ": " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * A market leaf as the reference's market vector reads it ({@code perpstep.ReferenceMarkets}).
   *
   * @param m the leaf
   * @return its terms
   * @throws ArithmeticException a u64 field (price, open interest, a risk parameter) is above 2^63
   *     − 1
   */
  public static MarketTerms of(MarketV2 m) {
    MarketRiskV2 r = m.risk();
    long[] unsigned = {
      m.oraclePrice(),
      m.openInterest(),
      r.initialMarginPpm(),
      r.maintenanceMarginPpm(),
      r.baselinePositionSize(),
      r.incrementalPositionSize(),
      r.incrementalInitialMarginPpm(),
      r.maxPositionSize(),
      r.openInterestCap()
    };
    for (long v : unsigned) {
      if (v < 0) {
        throw new ArithmeticException(Long.toUnsignedString(v) + " above 2^63 − 1");
      }
    }
    return new MarketTerms(
        m.oraclePrice(),
        m.fundingIndex(),
        m.openInterest(),
        new MarketRisk(
            r.initialMarginPpm(),
            r.maintenanceMarginPpm(),
            r.baselinePositionSize(),
            r.incrementalPositionSize(),
            r.incrementalInitialMarginPpm(),
            r.maxPositionSize(),
            r.openInterestCap()));
  }
}
