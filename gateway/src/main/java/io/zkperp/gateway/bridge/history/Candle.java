package io.zkperp.gateway.bridge.history;

/**
 * A market's trades in one interval: open, high, low and close prices (quote quanta per synthetic
 * quantum), the volume (synthetic quanta) and the number of trades. Built from the market's trades
 * in journal order ({@link #first}, {@link #with}); a trade's time is the read model's time when it
 * happened (the latest core tick or oracle timestamp). Immutable; any thread.
 *
 * @param market the market
 * @param interval the interval
 * @param start the interval's start, seconds (a multiple of the interval)
 * @param open the first trade's price
 * @param high the highest price
 * @param low the lowest price
 * @param close the last trade's price
 * @param volume the sum of the trades' sizes
 * @param trades the number of trades
 */
public record Candle(
    int market,
    CandleInterval interval,
    long start,
    long open,
    long high,
    long low,
    long close,
    long volume,
    long trades) {

  /**
   * The candle of the interval that holds a trade, with only that trade.
   *
   * @param interval the interval
   * @param t the trade
   * @return the candle
   */
  public static Candle first(CandleInterval interval, HistoryStore.Trade t) {
    return new Candle(
        t.market(),
        interval,
        interval.bucketStart(t.time()),
        t.price(),
        t.price(),
        t.price(),
        t.price(),
        t.size(),
        1);
  }

  /**
   * This candle with one more trade of its interval.
   *
   * @param t the trade (same market, a time inside this interval, after the earlier trades)
   * @return the new candle
   * @throws ArithmeticException if the volume overflows
   */
  public Candle with(HistoryStore.Trade t) {
    return new Candle(
        market,
        interval,
        start,
        open,
        Math.max(high, t.price()),
        Math.min(low, t.price()),
        t.price(),
        Math.addExact(volume, t.size()),
        trades + 1);
  }
}
