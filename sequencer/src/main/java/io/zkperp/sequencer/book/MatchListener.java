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

  /**
   * The post-trade check: whether the maker may be filled {@code size} at {@code price}. If not,
   * the book unlinks the maker, calls {@link #onMakerRejected} and goes on with the next maker.
   * Also consulted by {@link OrderBook#fillable}. Accepts every fill by default.
   *
   * @param maker the resting order
   * @param price the fill price (the maker's price)
   * @param size the fill size
   * @return true to fill
   */
  default boolean admitMaker(Order maker, long price, long size) {
    return true;
  }

  /**
   * The taker's post-trade check: whether the taker may be filled {@code size} at {@code price}
   * against a maker that {@link #admitMaker} has just accepted. If not, the fill does not happen,
   * the maker stays on the book untouched, and {@link OrderBook#match} returns {@link
   * OrderBook#STOPPED_BY_TAKER_CHECK} at once (fills already made stand). Not consulted by {@link
   * OrderBook#fillable}. Accepts every fill by default.
   *
   * @param taker the incoming order
   * @param price the fill price (the maker's price)
   * @param size the fill size
   * @return true to fill
   */
  default boolean admitTaker(Order taker, long price, long size) {
    return true;
  }

  /**
   * A maker refused by {@link #admitMaker} left the book (already unlinked). A listener whose
   * {@link #admitMaker} can refuse must close the order here.
   *
   * @param maker the order
   */
  default void onMakerRejected(Order maker) {}
}
