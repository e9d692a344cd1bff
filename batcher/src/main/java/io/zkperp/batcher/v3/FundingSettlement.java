package io.zkperp.batcher.v3;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.StateBatchV2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles an account's funding over all its positions and computes its free collateral, as the Go
 * reference of the collateral steps does ({@code collateralstep.settle}) with the engine's {@link
 * RiskMath}: for each entry the funding credit since its snapshot, the position's value and initial
 * requirement at its market's oracle price; equity and the requirement summed exactly. A position
 * in an unlisted market, a market figure above 2^63 − 1, a figure RiskMath refuses, a collateral
 * leaving the int64 range with the credits, or a free collateral outside it is an {@link
 * ArithmeticException} (the reference's rule "range"). Stateless; any thread (the batch is read on
 * its owner's thread).
 */
final class FundingSettlement {
  private FundingSettlement() {}

  /**
   * Settles the account on the markets the batch holds.
   *
   * @param batch the open batch (markets read from it)
   * @param a the account
   * @return the settled account and its free collateral
   * @throws ArithmeticException a figure leaves the int64 range (or the position's market is not
   *     listed)
   */
  static SettledAccount settle(StateBatchV2 batch, AccountV2 a) {
    long collateral = a.collateral();
    BigInteger equity = BigInteger.valueOf(collateral);
    BigInteger imr = BigInteger.ZERO;
    List<PositionEntry> entries = new ArrayList<>(a.positions().entries());
    for (int j = 0; j < entries.size(); j++) {
      PositionEntry e = entries.get(j);
      if (e.isEmpty()) {
        continue;
      }
      MarketV2 m = batch.market(e.market());
      if (m == null) {
        throw new ArithmeticException("position in unlisted market " + e.market());
      }
      long price = signed(m.oraclePrice());
      MarketRiskV2 r = m.risk();
      MarketRisk risk =
          new MarketRisk(
              signed(r.initialMarginPpm()),
              signed(r.maintenanceMarginPpm()),
              signed(r.baselinePositionSize()),
              signed(r.incrementalPositionSize()),
              signed(r.incrementalInitialMarginPpm()),
              r.maxPositionSize(),
              r.openInterestCap());
      long credit = RiskMath.fundingCredit(e.size(), e.fundingSnapshot(), m.fundingIndex());
      long value = RiskMath.value(e.size(), price);
      long requirement = RiskMath.initialRequirement(e.size(), price, risk);
      equity = equity.add(BigInteger.valueOf(credit)).add(BigInteger.valueOf(value));
      imr = imr.add(BigInteger.valueOf(requirement));
      collateral = Math.addExact(collateral, credit);
      entries.set(j, new PositionEntry(e.market(), e.size(), m.fundingIndex()));
    }
    BigInteger free = equity.subtract(imr);
    if (free.bitLength() > 63) {
      throw new ArithmeticException("free collateral " + free + " out of the int64 range");
    }
    return new SettledAccount(free.longValue(), collateral, new PositionList(entries));
  }

  /** A u64 market figure as an int64; above 2^63 − 1 it does not fit RiskMath. */
  private static long signed(long u64) {
    if (u64 < 0) {
      throw new ArithmeticException(Long.toUnsignedString(u64) + " above 2^63 − 1");
    }
    return u64;
  }
}
