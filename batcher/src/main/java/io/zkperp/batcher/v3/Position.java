package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a position list as the rules compute it, before it is checked against layout v2's
 * ranges (size 0 = empty). Immutable; any thread.
 *
 * @param market market id
 * @param size signed size
 * @param snapshot funding-index snapshot
 */
public record Position(int market, long size, long snapshot) {
  /** The empty entry. */
  public static final Position EMPTY = new Position(0, 0, 0);

  /**
   * An account leaf's list as the rules read it, entry for entry.
   *
   * @param positions the leaf's list
   * @return its entries, an empty one as {@link #EMPTY}
   */
  public static List<Position> listOf(PositionList positions) {
    List<Position> list = new ArrayList<>(positions.entries().size());
    for (PositionEntry e : positions.entries()) {
      list.add(e.isEmpty() ? EMPTY : new Position(e.market(), e.size(), e.fundingSnapshot()));
    }
    return list;
  }

  /**
   * The entry a step on {@code market} uses (layout v2 §9.4): the one holding the market, else the
   * lowest-index empty one.
   *
   * @param positions the account's list
   * @param market the market
   * @return the entry's index, or −1 when all entries hold other markets
   */
  public static int slotFor(PositionList positions, int market) {
    int slot = positions.find(market);
    List<PositionEntry> entries = positions.entries();
    for (int i = 0; i < entries.size() && slot < 0; i++) {
      if (entries.get(i).isEmpty()) {
        slot = i;
      }
    }
    return slot;
  }
}
