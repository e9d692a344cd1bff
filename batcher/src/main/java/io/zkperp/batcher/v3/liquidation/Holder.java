package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.Position;
import java.util.List;

/**
 * An account as the liquidation rules read it (the Go reference's {@code Holder}): collateral, its
 * 8 entries and the entry holding (or receiving) the transaction's market. Immutable; any thread.
 *
 * @param collateral the collateral before
 * @param positions the 8 entries
 * @param slot the entry of the market
 */
record Holder(long collateral, List<Position> positions, int slot) {
  Holder {
    positions = List.copyOf(positions);
  }

  /** The size in the slot. */
  long size() {
    return positions.get(slot).size();
  }
}
