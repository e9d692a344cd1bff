package io.zkperp.batcher.v3;

import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import java.util.List;

/**
 * One account of a trade as the rules read it (the Go reference's {@code Party}). Immutable; any
 * thread.
 *
 * @param key the account's key, or null when its identity holds no valid key
 * @param collateral collateral before the trade
 * @param positions the 8 entries
 * @param slot the entry holding (or receiving) the trade's market
 * @param fillNonce the order nonce of the fill leaf at the order's slot (0 = empty)
 * @param fillFilled the amount that leaf holds as filled
 * @param order the signed order with its fee rate
 */
record TradeParty(
    EdDsaPublicKey key,
    long collateral,
    List<Position> positions,
    int slot,
    long fillNonce,
    long fillFilled,
    TradeOrder order) {
  TradeParty {
    positions = List.copyOf(positions);
  }
}
