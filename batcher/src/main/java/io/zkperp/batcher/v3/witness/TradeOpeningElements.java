package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.MarketRiskV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.AccountUpdateV2;
import java.util.List;
import java.util.Map;

/**
 * The trade step's openings after the rules' witness, as {@code perpstep.TradeTransition} holds
 * them: each account's {@code AccountOpening} (identity fields the trade keeps, nonce, fills root
 * before, 24-level account path, 12-level fill path), the trade's {@code MarketOpening}
 * (timestamps, tick bounds, 6-level path), the {@code GlobalOpening} before and one {@code
 * TableOpening} per table market (listed flag, timestamps, tick bounds, path in the markets root
 * the trade read). Stateless; any thread.
 */
final class TradeOpeningElements {
  private TradeOpeningElements() {}

  /**
   * Appends an account's opening.
   *
   * @param out the list
   * @param prefix {@code Buyer.} or {@code Seller.}
   * @param o the account's update (the seller's path is taken after the buyer's update)
   */
  static void account(StepElements out, String prefix, AccountUpdateV2 o) {
    AccountV2 before = o.before();
    out.add(prefix + "L1Owner", before.identity().owner().toField());
    out.add(prefix + "FeeTier", before.identity().feeTier());
    out.add(prefix + "Nonce", Fr.fromUnsignedLong(before.nonce()));
    out.add(prefix + "FillsRoot", o.fillPath().oldRoot());
    path(out, prefix + "AccountPath.", o.accountPath().siblings());
    path(out, prefix + "FillPath.", o.fillPath().siblings());
  }

  /**
   * Appends the trade market's opening: the leaf fields the rules do not read and its path.
   *
   * @param out the list
   * @param m the market before the trade
   * @param siblings its path, leaf upward
   */
  static void market(StepElements out, MarketV2 m, List<Fr> siblings) {
    opening(out, "Market.", m, siblings);
  }

  /**
   * Appends a market leaf's opening under a prefix: timestamps, tick bounds and path; an unlisted
   * market (null) as zeros with its path (a forced trade of an unknown market opens its empty
   * leaf).
   */
  private static void opening(StepElements out, String p, MarketV2 m, List<Fr> siblings) {
    out.add(p + "OracleTimestamp", Fr.fromUnsignedLong(m == null ? 0 : m.oracleTimestamp()));
    out.add(p + "FundingTimestamp", Fr.fromUnsignedLong(m == null ? 0 : m.fundingTimestamp()));
    if (m == null) {
      for (int i = 0; i < 5; i++) {
        out.add(p + "TickBounds." + i, 0);
      }
    } else {
      tickBounds(out, p + "TickBounds.", m.risk());
    }
    path(out, p + "Path.", siblings);
  }

  /**
   * Appends the global leaf's content before the trade.
   *
   * @param out the list
   * @param g the global leaf before
   */
  static void global(StepElements out, GlobalV2 g) {
    out.add("Global.FeeBalance", g.feeBalance());
    out.add("Global.OracleSignersRoot", g.oracleSigners().root());
    out.add("Global.OracleQuorum", g.oracleQuorum());
    out.add("Global.FeeTiersRoot", g.feeTiers().hash());
  }

  /**
   * Appends the table's openings of ids 0 … k − 1 (an unlisted id: listed 0, zero fields).
   *
   * @param out the list
   * @param listed every listed market before the trade
   * @param tree their tree
   * @param k the table's size
   */
  static void table(StepElements out, Map<Integer, MarketV2> listed, TradeMarketsTree tree, int k) {
    for (int id = 0; id < k; id++) {
      String p = "Table." + id + ".";
      MarketV2 m = listed.get(id);
      out.add(p + "Listed", m == null ? 0 : 1);
      opening(out, p, m, tree.siblings(id));
    }
  }

  /** The five tick bounds of the risk hash, in {@code perpstep}'s order. */
  private static void tickBounds(StepElements out, String prefix, MarketRiskV2 r) {
    long[] bounds = {
      r.oracleMaxAgeSeconds(),
      r.oracleMaxFutureSeconds(),
      r.oracleMaxMovePpm(),
      r.fundingMinIntervalSeconds(),
      r.fundingMaxRatePpm()
    };
    for (int i = 0; i < bounds.length; i++) {
      out.add(prefix + i, Fr.fromUnsignedLong(bounds[i]));
    }
  }

  private static void path(StepElements out, String prefix, List<Fr> siblings) {
    for (int i = 0; i < siblings.size(); i++) {
      out.add(prefix + i, siblings.get(i));
    }
  }
}
