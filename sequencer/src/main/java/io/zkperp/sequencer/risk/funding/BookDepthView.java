package io.zkperp.sequencer.risk.funding;

/**
 * A read-only view of one market's book depth: the price levels of each side, best first, with the
 * total resting size of each level. Implementations: {@link DepthLevels} (arrays, also the snapshot
 * of an {@link io.zkperp.sequencer.book.OrderBook} through {@link
 * DepthLevels#of(io.zkperp.sequencer.book.OrderBook)}). The book must not change during a visit.
 * Core thread (like the book it views).
 */
public interface BookDepthView {
  /** Receives one price level. */
  @FunctionalInterface
  interface LevelVisitor {
    /**
     * One level.
     *
     * @param price the level's price, in order-price units (collateral quanta per synthetic
     *     quantum)
     * @param size the total remaining size of the level's orders, synthetic quanta
     * @return true to continue with the next level, false to stop
     */
    boolean visit(long price, long size);
  }

  /**
   * Visits one side's levels best first: bids by strictly decreasing price, asks by strictly
   * increasing price; every price and size &gt; 0. Stops as soon as the visitor returns false. Core
   * thread.
   *
   * @param bids true for the bid side, false for the ask side
   * @param visitor receives the levels
   */
  void forEachLevel(boolean bids, LevelVisitor visitor);
}
