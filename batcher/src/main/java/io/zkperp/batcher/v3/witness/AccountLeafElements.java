package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.MarketsTreeSnapshot;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.v2.StateRootsV2;
import java.util.List;

/**
 * The parts a collateral step's elements share ({@code collateralstep}'s {@code Leaf}, {@code
 * Margin}, {@code Signature}, {@code Rest}), appended to a {@link StepElements} under a name
 * prefix. Stateless; any thread.
 */
final class AccountLeafElements {
  /** List entries of an account (layout v2's bound on open positions). */
  static final int ENTRIES = 8;

  /** Elements of an opened account leaf: 7 fields and 24 path siblings. */
  static final int LEAF = 7 + 24;

  /** Elements of the margin table for K markets: 8 entries of 3, K markets of 10 and of 14. */
  static int margin(int k) {
    return 3 * ENTRIES + 24 * k;
  }

  private AccountLeafElements() {}

  /** {@code Leaf}: the account's identity preimage, nonce, collateral, fills root and path. */
  static void leaf(StepElements e, String p, AccountV2 a, Fr fillsRoot, List<Fr> path) {
    e.add(p + "PublicKeyX", a.identity().publicKeyX());
    e.add(p + "PublicKeyY", a.identity().publicKeyY());
    e.add(p + "L1Owner", a.identity().owner().toField());
    e.add(p + "FeeTier", a.identity().feeTier());
    e.add(p + "Nonce", Fr.fromUnsignedLong(a.nonce()));
    e.add(p + "Collateral", a.collateral());
    e.add(p + "FillsRoot", fillsRoot);
    path(e, p + "Path.", path);
  }

  static void path(StepElements e, String p, List<Fr> siblings) {
    for (int i = 0; i < siblings.size(); i++) {
      e.add(p + i, siblings.get(i));
    }
  }

  /** The packed list q₁ … q₄ as the margin shape carries it: zero (the entries are opened). */
  static void zeroList(StepElements e, String p) {
    for (int i = 0; i < PositionList.ELEMENTS; i++) {
      e.add(p + i, Fr.ZERO);
    }
  }

  /** 8 list entries (market, size, snapshot), an empty one (0, 0, 0). */
  static void entries(StepElements e, String p, PositionList positions) {
    for (int j = 0; j < ENTRIES; j++) {
      PositionEntry q = positions.entries().get(j);
      boolean empty = q.isEmpty();
      e.add(p + j + ".Market", empty ? 0 : q.market());
      e.add(p + j + ".Size", empty ? 0 : q.size());
      e.add(p + j + ".Snapshot", empty ? 0 : q.fundingSnapshot());
    }
  }

  /** Checks no open position is in a market outside the table ({@code collateralstep.ErrShape}). */
  static void checkTable(AccountV2 a, int k, int index, String who) throws BatchWitnessException {
    for (PositionEntry q : a.positions().entries()) {
      if (!q.isEmpty() && q.market() >= k) {
        throw new BatchWitnessException(
            BatchWitnessError.SHAPE,
            index,
            who + " holds a position in market " + q.market() + ", the table has " + k);
      }
    }
  }

  /**
   * {@code Margin[0]}: the account's entries, then markets 0 … k − 1 as the table reads them
   * (price, index, open interest and the risk values; an empty slot all 0 but the increment 1),
   * then each one's opening (listed, timestamps, the five tick bounds, its path).
   */
  static void margin(StepElements e, PositionList positions, MarketsTreeSnapshot markets, int k) {
    entries(e, "Margin.0.List.", positions);
    for (int id = 0; id < k; id++) {
      MarketV2 m = markets.market(id);
      String p = "Margin.0.Markets." + id + ".";
      MarketRiskV2 r = m == null ? null : m.risk();
      e.add(p + "Price", Fr.fromUnsignedLong(m == null ? 0 : m.oraclePrice()));
      e.add(p + "FundingIndex", m == null ? 0 : m.fundingIndex());
      e.add(p + "OpenInterest", Fr.fromUnsignedLong(m == null ? 0 : m.openInterest()));
      e.add(p + "IMF", Fr.fromUnsignedLong(r == null ? 0 : r.initialMarginPpm()));
      e.add(p + "MMF", Fr.fromUnsignedLong(r == null ? 0 : r.maintenanceMarginPpm()));
      e.add(p + "Baseline", Fr.fromUnsignedLong(r == null ? 0 : r.baselinePositionSize()));
      e.add(p + "IncSize", Fr.fromUnsignedLong(r == null ? 1 : r.incrementalPositionSize()));
      e.add(p + "IncIMF", Fr.fromUnsignedLong(r == null ? 0 : r.incrementalInitialMarginPpm()));
      e.add(p + "MaxPositionSize", Fr.fromUnsignedLong(r == null ? 0 : r.maxPositionSize()));
      e.add(p + "OICap", Fr.fromUnsignedLong(r == null ? 0 : r.openInterestCap()));
    }
    for (int id = 0; id < k; id++) {
      MarketV2 m = markets.market(id);
      MarketRiskV2 r = m == null ? null : m.risk();
      String p = "Margin.0.Table." + id + ".";
      e.add(p + "Listed", m == null ? 0 : 1);
      e.add(p + "OracleTimestamp", Fr.fromUnsignedLong(m == null ? 0 : m.oracleTimestamp()));
      e.add(p + "FundingTimestamp", Fr.fromUnsignedLong(m == null ? 0 : m.fundingTimestamp()));
      long[] bounds =
          r == null
              ? new long[5]
              : new long[] {
                r.oracleMaxAgeSeconds(),
                r.oracleMaxFutureSeconds(),
                r.oracleMaxMovePpm(),
                r.fundingMinIntervalSeconds(),
                r.fundingMaxRatePpm()
              };
      for (int i = 0; i < bounds.length; i++) {
        e.add(p + "TickBounds." + i, Fr.fromUnsignedLong(bounds[i]));
      }
      path(e, p + "Path.", markets.path(id));
    }
  }

  /** {@code Signature}: R's affine coordinates and S. */
  static void signature(StepElements e, String p, byte[] signature) {
    EdDsaSignature s = EdDsaSignature.decode(signature);
    e.add(p + "RX", s.r().x());
    e.add(p + "RY", s.r().y());
    e.add(p + "S", s.s());
  }

  /**
   * {@code Rest}: the markets root and the global leaf, which a collateral step does not change.
   */
  static void rest(StepElements e, StateRootsV2 before) {
    e.add("Rest.MarketsRoot", before.marketsRoot());
    e.add("Rest.GlobalLeaf", before.globalLeaf());
  }
}
