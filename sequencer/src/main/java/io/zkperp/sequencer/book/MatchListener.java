package io.zkperp.sequencer.book;

/**
 * Receives what a {@link OrderBook#match} call does, in order. Called on the core thread, from
 * inside the book: implementations must not call back into the book.
 */
public interface MatchListener {
  /**
   * A fill: both orders' {@code remaining} already reduced by {@code size}. If the maker is now
   * empty, {@link #onMakerRemoved} follows.
   *
   * @param maker the resting order
   * @param taker the incoming order
   * @param price the fill price (the maker's price)
   * @param size the fill size
   */
  void onFill(Order maker, Order taker, long price, long size);

  /**
   * A maker left the book: completely filled (selfTrade false) or cancelled by self-trade
   * prevention (selfTrade true). The book has already unlinked it.
   *
   * @param maker the order
   * @param selfTrade whether self-trade prevention removed it
   */
  void onMakerRemoved(Order maker, boolean selfTrade);
}
