package io.zkperp.sequencer.risk;

import java.util.Arrays;

/** One account of the risk engine: collateral and its open positions (unsorted). Core thread. */
final class Account {
  final int id;
  final FeeTier tier;
  long collateral;
  int count;
  int[] markets = new int[4];
  long[] sizes = new long[4];
  long[] fundingSnapshots = new long[4];

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

  /** Sets a position's size; a size of 0 removes it. */
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
      }
      i = count++;
      markets[i] = market;
      fundingSnapshots[i] = fundingIndex;
    } else if (size == 0) {
      count--;
      markets[i] = markets[count];
      sizes[i] = sizes[count];
      fundingSnapshots[i] = fundingSnapshots[count];
      return;
    }
    sizes[i] = size;
  }

  boolean isEmpty() {
    return collateral == 0 && count == 0;
  }
}
