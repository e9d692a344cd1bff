package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.Position;
import java.util.List;

/**
 * One account's side of a fill or a move as the Go reference's {@code Settle} computes it: the
 * collateral and entries after, and the margin figures — equity and Σ MMR before the fill (funding
 * settled), equity, Σ IMR and Σ MMR after it, at the oracle prices. Immutable; any thread.
 *
 * @param collateral collateral after funding, the fill and the fee
 * @param positions the 8 entries after
 * @param equity0 equity before the fill
 * @param mmr0 Σ maintenance requirements before
 * @param equity1 equity after
 * @param imr1 Σ initial requirements after
 * @param mmr1 Σ maintenance requirements after
 * @param inRange whether every figure stayed within int64
 */
record Settled(
    long collateral,
    List<Position> positions,
    long equity0,
    long mmr0,
    long equity1,
    long imr1,
    long mmr1,
    boolean inRange) {
  Settled {
    positions = List.copyOf(positions);
  }
}
