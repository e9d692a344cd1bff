package io.zkperp.sequencer.risk;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * One account of the risk engine: collateral and its open positions (unsorted), each with its
 * funding-index snapshot and its cost basis (Σ signed entry cost: size · entry price, used only to
 * rank accounts for auto-deleveraging by profit). Core thread.
 */
final class Account {
  final int id;
  final FeeTier tier;
  long collateral;
  int count;
  int[] markets = new int[4];
  long[] sizes = new long[4];
  long[] fundingSnapshots = new long[4];
  long[] costs = new long[4];
  // the account's entry in the engine's liquidation-price index (-1: none)
  int indexedMarket = -1;
  boolean indexedShort;
  long indexedThreshold;

  Account(int id, FeeTier tier) {
    this.id = id;
    this.tier = tier;
  }

  int find(int market) {
    for (int i = 0; i < count; i++) {
      if (markets[i] == market) {
        return i;
      }
    }
    return -1;
  }

  long size(int market) {
    int i = find(market);
    return i < 0 ? 0 : sizes[i];
  }

  long cost(int market) {
    int i = find(market);
    return i < 0 ? 0 : costs[i];
  }

  /** Sets a position's size; a size of 0 removes it. A new position starts with cost 0. */
  void setSize(int market, long size, long fundingIndex) {
    int i = find(market);
    if (i < 0) {
      if (size == 0) {
        return;
      }
      if (count == markets.length) {
        markets = Arrays.copyOf(markets, count * 2);
        sizes = Arrays.copyOf(sizes, count * 2);
        fundingSnapshots = Arrays.copyOf(fundingSnapshots, count * 2);
        costs = Arrays.copyOf(costs, count * 2);
      }
      i = count++;
      markets[i] = market;
      fundingSnapshots[i] = fundingIndex;
      costs[i] = 0;
    } else if (size == 0) {
      count--;
      markets[i] = markets[count];
      sizes[i] = sizes[count];
      fundingSnapshots[i] = fundingSnapshots[count];
      costs[i] = costs[count];
      return;
    }
    sizes[i] = size;
  }

  /**
   * Applies a trade of {@code delta} at {@code price} to the position's size and cost basis:
   * increasing adds delta · price; reducing keeps the cost per unit (cost · |s₁| / |s₀|, truncated
   * toward 0); flipping restarts at s₁ · price. The cost saturates instead of overflowing (it only
   * ranks deleveraging candidates; no collateral depends on it).
   */
  void trade(int market, long delta, long price, long fundingIndex) {
    long s0 = size(market);
    long s1 = Math.addExact(s0, delta);
    long c0 = cost(market);
    long c1;
    if (s0 == 0 || Long.signum(s0) == Long.signum(delta)) {
      c1 = saturatingAdd(c0, saturatingMultiply(delta, price));
    } else if (s1 == 0) {
      c1 = 0;
    } else if (Long.signum(s1) == Long.signum(s0)) {
      c1 = scale(c0, Math.abs(s1), Math.abs(s0));
    } else {
      c1 = saturatingMultiply(s1, price);
    }
    setSize(market, s1, fundingIndex);
    int i = find(market);
    if (i >= 0) {
      costs[i] = c1;
    }
  }

  boolean isEmpty() {
    return collateral == 0 && count == 0;
  }

  private static long scale(long c, long num, long den) {
    long hi = Math.multiplyHigh(c, num);
    long lo = c * num;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo / den;
    }
    return BigInteger.valueOf(c)
        .multiply(BigInteger.valueOf(num))
        .divide(BigInteger.valueOf(den))
        .longValue();
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
      return lo;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  private static long saturatingAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
