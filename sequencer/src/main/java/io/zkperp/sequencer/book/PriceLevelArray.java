package io.zkperp.sequencer.book;

import java.util.Arrays;

/**
 * One side of {@link OptimisedOrderBook}: price levels in a sorted array with the best level at the
 * end, so taking or removing the best level is O(1) and inserting near the top moves few entries.
 * Core thread.
 */
final class PriceLevelArray {
  private final boolean bids;
  private PriceLevel[] levels = new PriceLevel[64];
  private int size;

  PriceLevelArray(boolean bids) {
    this.bids = bids;
  }

  int size() {
    return size;
  }

  /** Level {@code i} counted from the best (0 = best). */
  PriceLevel fromBest(int i) {
    return levels[size - 1 - i];
  }

  PriceLevel best() {
    return levels[size - 1];
  }

  void removeBest() {
    levels[--size] = null;
  }

  // ascending rank with the best price at the end: bids ascending price, asks descending price
  private long rank(long price) {
    return bids ? price : -price;
  }

  /** Binary search: index of the level at {@code price}, or -(insertion point) - 1. */
  int search(long price) {
    long key = rank(price);
    int lo = 0;
    int hi = size - 1;
    // most activity is near the best price: check the top first
    if (size > 0) {
      long top = rank(levels[hi].price);
      if (key == top) {
        return hi;
      }
      if (key > top) {
        return -(size) - 1;
      }
    }
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long r = rank(levels[mid].price);
      if (r < key) {
        lo = mid + 1;
      } else if (r > key) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  void insert(int index, PriceLevel level) {
    if (size == levels.length) {
      levels = Arrays.copyOf(levels, size * 2);
    }
    System.arraycopy(levels, index, levels, index + 1, size - index);
    levels[index] = level;
    size++;
  }

  void removeAt(int index) {
    System.arraycopy(levels, index + 1, levels, index, size - index - 1);
    levels[--size] = null;
  }
}
