package io.zkperp.batcher.v3;

import java.util.List;

/**
 * What the rules compute for a trade (the Go reference's {@code Result} with the broken rules): the
 * result is computed even when rules are broken. Immutable; any thread.
 *
 * @param buyer the buyer's side, or null when its entry was not the one the list rule gives
 * @param seller the seller's side, likewise
 * @param openInterest the trade market's open interest after
 * @param feeBalanceDelta what the fee balance gains (buyer's fee + seller's fee)
 * @param broken the broken rules, in the reference's order (empty: the trade is valid)
 */
record TradeOutcome(
    PartyResult buyer,
    PartyResult seller,
    long openInterest,
    long feeBalanceDelta,
    List<TradeRefusalReason> broken) {
  TradeOutcome {
    broken = List.copyOf(broken);
  }
}
