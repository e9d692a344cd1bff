package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
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
    long c1 = RiskMath.costBasisAfterTrade(s0, cost(market), delta, price);
    setSize(market, s1, fundingIndex);
    int i = find(market);
    if (i >= 0) {
      costs[i] = c1;
    }
  }

  boolean isEmpty() {
    return collateral == 0 && count == 0;
  }
}
