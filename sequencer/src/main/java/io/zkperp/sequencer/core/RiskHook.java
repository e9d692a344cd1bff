package io.zkperp.sequencer.core;

import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.book.Order;

/**
 * The pipeline's risk stages, as in exchange-core (risk pre-check → match → settle). The core calls
 * {@link #preCheck} after its own validation and before the order touches the book, and {@link
 * #settle} after each fill. Both run on the core thread and must be deterministic: a risk engine's
 * state must be a function of the commands applied (it is restored by replaying the journal).
 * [risk] will plug the margin check in here; {@link #PERMISSIVE} accepts everything.
 */
public interface RiskHook {
  /** Accepts every order and ignores fills. */
  RiskHook PERMISSIVE =
      new RiskHook() {
        @Override
        public String preCheck(
            int account, int market, Side side, long size, long price, long position) {
          return null;
        }

        @Override
        public void settle(Order maker, Order taker, long price, long size) {}
      };

  /**
   * Decides whether an order may reach the book. Called on the core thread.
   *
   * @param account the account
   * @param market the market
   * @param side the order side
   * @param size the order size
   * @param price the limit (or worst) price
   * @param position the account's current signed position in the market
   * @return null to accept; otherwise the rejection message (what is wrong, what would pass)
   */
  String preCheck(int account, int market, Side side, long size, long price, long position);

  /**
   * Settles one fill (collateral, fees within the orders' fee caps). Called on the core thread; the
   * orders are pooled objects, valid during the call only.
   *
   * @param maker the resting order
   * @param taker the incoming order
   * @param price the fill price
   * @param size the fill size
   */
  void settle(Order maker, Order taker, long price, long size);
}
