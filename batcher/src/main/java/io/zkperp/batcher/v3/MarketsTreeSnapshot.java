package io.zkperp.batcher.v3;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every slot of the layout v2 markets tree (64 market leaves, an empty slot's leaf 0) as a step
 * read it: what a collateral step's margin table opens (each table market's fields and 6-level path
 * in the markets root the step started from). Immutable; any thread.
 */
public final class MarketsTreeSnapshot {
  private static final int SLOTS = 1 << LayoutV2.MARKETS_DEPTH;

  private final MarketV2[] markets;
  private volatile DenseMerkleTree tree; // hashed on first use (the encoder's), the same each time

  private MarketsTreeSnapshot(MarketV2[] markets) {
    this.markets = markets;
  }

  private DenseMerkleTree tree() {
    DenseMerkleTree t = tree;
    if (t == null) {
      List<Fr> leaves = new ArrayList<>(SLOTS);
      for (MarketV2 m : markets) {
        leaves.add(m == null ? Fr.ZERO : m.leafHash());
      }
      t = new DenseMerkleTree(leaves);
      tree = t;
    }
    return t;
  }

  /**
   * Reads every market slot of the state the batch holds. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @return the snapshot
   */
  public static MarketsTreeSnapshot read(StateBatchV2 batch) {
    Objects.requireNonNull(batch, "batch");
    MarketV2[] m = new MarketV2[SLOTS];
    for (int id = 0; id < SLOTS; id++) {
      m[id] = batch.market(id);
    }
    return new MarketsTreeSnapshot(m);
  }

  /**
   * A snapshot of given markets (for tests and callers holding the records).
   *
   * @param markets 64 slots, null for an empty one
   * @return the snapshot
   * @throws IllegalArgumentException not 64 slots
   */
  public static MarketsTreeSnapshot of(List<MarketV2> markets) {
    if (markets.size() != SLOTS) {
      throw new IllegalArgumentException(markets.size() + " market slots, need " + SLOTS);
    }
    return new MarketsTreeSnapshot(markets.toArray(new MarketV2[0]));
  }

  /**
   * The market in slot id.
   *
   * @param id 0 … 63
   * @return the market, or null for an empty slot
   */
  public MarketV2 market(int id) {
    return markets[Objects.checkIndex(id, SLOTS)];
  }

  /**
   * The markets root.
   *
   * @return the root of the 64 slots
   */
  public Fr root() {
    return tree().root();
  }

  /**
   * Slot id's path.
   *
   * @param id 0 … 63
   * @return 6 siblings, the leaf's level first
   */
  public List<Fr> path(int id) {
    return tree().siblings(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MarketsTreeSnapshot s && Arrays.equals(markets, s.markets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(markets);
  }
}
