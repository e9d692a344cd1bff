package io.zkperp.batcher.v3;

import java.util.List;

/**
 * An account's side after a trade (the Go reference's {@code PartyAfter}). Immutable; any thread.
 *
 * @param collateral collateral after funding, the fill and the fee
 * @param positions the 8 entries after
 * @param fillNonce the fill leaf's order nonce after (the order's nonce)
 * @param fillFilled the amount filled after
 * @param fee the fee charged (negative = rebate paid)
 * @param fundingSettled the funding credited over every position (negative = paid)
 */
record PartyResult(
    long collateral,
    List<Position> positions,
    long fillNonce,
    long fillFilled,
    long fee,
    long fundingSettled) {
  PartyResult {
    positions = List.copyOf(positions);
  }
}
