package io.zkperp.batcher.v3;

import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.GlobalUpdateV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateRootsV2;
import java.util.Map;
import java.util.Objects;

/**
 * An executed trade with what its step circuit opens, in the step's order: the buyer's fill and
 * account, the seller's (paths taken after the buyer's update), the trade's market, the global
 * leaf; each with the roots before and after, so the roots chain from {@link #rootsBefore} to
 * {@link #rootsAfter}; with the charges the rules computed and the listed markets before the trade,
 * from which the step's market table is opened. {@code
 * io.zkperp.batcher.v3.witness.TradeStepElements} writes it as a format v3 trade slot. Immutable;
 * any thread.
 *
 * @param trade the trade
 * @param buyer the buyer's opening
 * @param seller the seller's opening
 * @param market the market's opening
 * @param global the global leaf's opening
 * @param charges each side's fee and funding settled
 * @param marketsBefore every listed market by id, as the trade read them (before its open-interest
 *     change)
 */
public record TradeWitness(
    TradeTransaction trade,
    AccountUpdateV2 buyer,
    AccountUpdateV2 seller,
    MarketUpdateV2 market,
    GlobalUpdateV2 global,
    TradeCharges charges,
    Map<Integer, MarketV2> marketsBefore) {
  /** Validates that every opening is present and copies the markets. */
  public TradeWitness {
    Objects.requireNonNull(trade, "trade");
    Objects.requireNonNull(buyer, "buyer");
    Objects.requireNonNull(seller, "seller");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(global, "global");
    Objects.requireNonNull(charges, "charges");
    marketsBefore = Map.copyOf(marketsBefore);
  }

  /**
   * The roots before the trade.
   *
   * @return the buyer's opening's roots before
   */
  public StateRootsV2 rootsBefore() {
    return buyer.rootsBefore();
  }

  /**
   * The roots after the trade.
   *
   * @return the global opening's roots after
   */
  public StateRootsV2 rootsAfter() {
    return global.rootsAfter();
  }

  /**
   * Whether every opening is consistent and each one's roots before are the previous one's after.
   *
   * @return true if the openings chain from the old roots to the new
   */
  public boolean isConsistent() {
    return buyer.isConsistent()
        && seller.isConsistent()
        && market.isConsistent()
        && global.isConsistent()
        && seller.rootsBefore().equals(buyer.rootsAfter())
        && market.rootsBefore().equals(seller.rootsAfter())
        && global.rootsBefore().equals(market.rootsAfter());
  }
}
