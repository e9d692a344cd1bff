package io.zkperp.batcher.v3.witness;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.hash.Poseidon2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The markets tree of layout v2 (depth 6, leaf 0 for an unlisted id) rebuilt from every listed
 * market, so the trade step's table opens each id 0 … K − 1 in the markets root the trade read, as
 * {@code perpstep.assignBound} takes {@code MarketProof} in the old state. 63 Poseidon2
 * compressions. Immutable once built; any thread.
 */
final class TradeMarketsTree {
  private static final int LEAVES = 1 << LayoutV2.MARKETS_DEPTH;

  /** levels.get(h) holds the 2^(6 − h) nodes at height h; levels.get(6) is the root alone. */
  private final List<Fr[]> levels = new ArrayList<>();

  private TradeMarketsTree(Map<Integer, MarketV2> listed) {
    Fr[] level = new Fr[LEAVES];
    for (int id = 0; id < LEAVES; id++) {
      MarketV2 m = listed.get(id);
      level[id] = m == null ? Fr.ZERO : m.leafHash();
    }
    levels.add(level);
    while (level.length > 1) {
      Fr[] up = new Fr[level.length / 2];
      for (int i = 0; i < up.length; i++) {
        up[i] = Poseidon2.compress(level[2 * i], level[2 * i + 1]);
      }
      levels.add(up);
      level = up;
    }
  }

  /**
   * The tree of the listed markets, checked against the root it must have.
   *
   * @param listed every listed market by id
   * @param root the markets root the witness opens
   * @return the tree
   * @throws TradeElementsException INCONSISTENT_MARKETS when the markets give another root
   */
  static TradeMarketsTree of(Map<Integer, MarketV2> listed, Fr root) throws TradeElementsException {
    TradeMarketsTree t = new TradeMarketsTree(listed);
    if (!t.levels.getLast()[0].equals(root)) {
      throw new TradeElementsException(
          TradeElementsException.Reason.INCONSISTENT_MARKETS,
          "the listed markets hash to "
              + t.levels.getLast()[0].toHex()
              + ", the market opening starts from "
              + root.toHex());
    }
    return t;
  }

  /**
   * The siblings of market id's leaf, leaf upward.
   *
   * @param id the market id, 0 … 63
   * @return 6 siblings
   */
  List<Fr> siblings(int id) {
    List<Fr> out = new ArrayList<>(LayoutV2.MARKETS_DEPTH);
    for (int h = 0; h < LayoutV2.MARKETS_DEPTH; h++) {
      out.add(levels.get(h)[(id >>> h) ^ 1]);
    }
    return out;
  }
}
