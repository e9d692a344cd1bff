package io.zkperp.sequencer.risk.funding;

import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.book.OrderBook;
import java.util.Arrays;

/**
 * A book's depth as arrays of levels, best first. Built directly (tests, devnet) or as a snapshot
 * of an {@link OrderBook} ({@link #of(OrderBook)}). The constructor copies the arrays and does not
 * check their order: {@link ImpactPrices#compute} checks what it walks. Immutable; any thread.
 *
 * @param bidPrices bid prices, best (highest) first
 * @param bidSizes the total size at each bid price
 * @param askPrices ask prices, best (lowest) first
 * @param askSizes the total size at each ask price
 */
public record DepthLevels(long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes)
    implements BookDepthView {
  /**
   * Copies the arrays.
   *
   * @throws IllegalArgumentException if a side's price and size arrays differ in length
   */
  public DepthLevels {
    if (bidPrices.length != bidSizes.length || askPrices.length != askSizes.length) {
      throw new IllegalArgumentException("each price needs one size");
    }
    bidPrices = bidPrices.clone();
    bidSizes = bidSizes.clone();
    askPrices = askPrices.clone();
    askSizes = askSizes.clone();
  }

  /**
   * Snapshots a book's depth: its resting orders ({@link OrderBook#forEach}, which visits bids best
   * first, then asks best first) summed per price level. Every resting order counts, whatever its
   * account. O(orders) and allocating: meant for one sample a minute, not the order path. Core
   * thread (the book's).
   *
   * @param book the book
   * @return its depth
   * @throws ArithmeticException if a level's total size overflows
   */
  public static DepthLevels of(OrderBook book) {
    Builder bids = new Builder();
    Builder asks = new Builder();
    book.forEach((Order o) -> (o.isBuy() ? bids : asks).add(o.price, o.remaining));
    return new DepthLevels(bids.prices(), bids.sizes(), asks.prices(), asks.sizes());
  }

  /**
   * The bid prices, best first (a copy).
   *
   * @return the array
   */
  @Override
  public long[] bidPrices() {
    return bidPrices.clone();
  }

  /**
   * The bid level sizes (a copy).
   *
   * @return the array
   */
  @Override
  public long[] bidSizes() {
    return bidSizes.clone();
  }

  /**
   * The ask prices, best first (a copy).
   *
   * @return the array
   */
  @Override
  public long[] askPrices() {
    return askPrices.clone();
  }

  /**
   * The ask level sizes (a copy).
   *
   * @return the array
   */
  @Override
  public long[] askSizes() {
    return askSizes.clone();
  }

  @Override
  public void forEachLevel(boolean bids, LevelVisitor visitor) {
    long[] p = bids ? bidPrices : askPrices;
    long[] s = bids ? bidSizes : askSizes;
    for (int i = 0; i < p.length; i++) {
      if (!visitor.visit(p[i], s[i])) {
        return;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DepthLevels d
        && Arrays.equals(bidPrices, d.bidPrices)
        && Arrays.equals(bidSizes, d.bidSizes)
        && Arrays.equals(askPrices, d.askPrices)
        && Arrays.equals(askSizes, d.askSizes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(
        new int[] {
          Arrays.hashCode(bidPrices),
          Arrays.hashCode(bidSizes),
          Arrays.hashCode(askPrices),
          Arrays.hashCode(askSizes)
        });
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("DepthLevels[bids=");
    for (int i = 0; i < bidPrices.length; i++) {
      b.append(i == 0 ? "" : ", ").append(bidSizes[i]).append('@').append(bidPrices[i]);
    }
    b.append("; asks=");
    for (int i = 0; i < askPrices.length; i++) {
      b.append(i == 0 ? "" : ", ").append(askSizes[i]).append('@').append(askPrices[i]);
    }
    return b.append(']').toString();
  }

  /** Accumulates orders visited in priority order into levels. */
  private static final class Builder {
    private long[] prices = new long[16];
    private long[] sizes = new long[16];
    private int n;

    void add(long price, long size) {
      if (n > 0 && prices[n - 1] == price) {
        sizes[n - 1] = Math.addExact(sizes[n - 1], size);
        return;
      }
      if (n == prices.length) {
        prices = Arrays.copyOf(prices, n * 2);
        sizes = Arrays.copyOf(sizes, n * 2);
      }
      prices[n] = price;
      sizes[n] = size;
      n++;
    }

    long[] prices() {
      return Arrays.copyOf(prices, n);
    }

    long[] sizes() {
      return Arrays.copyOf(sizes, n);
    }
  }
}
