package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.TreeSet;

/**
 * Which accounts to examine when a market's price or funding moves: the holders of each market
 * (accounts with a position in it, the fund excluded), and a liquidation-price index that narrows a
 * price tick to a superset of the liquidatable holders: one-position accounts by a conservative
 * threshold price, plus every holder with several positions (see {@code sequencer/README.md},
 * "Liquidation"). Not state: rebuilt from the accounts as they change. With {@code indexed = false}
 * every holder is a candidate on every tick (same results; tests compare both). Core thread.
 */
final class LiquidationIndex {
  private final boolean indexed;
  private final AccountBook book;
  private final RiskMarkets markets;
  private final BitSet[] holders = new BitSet[RiskMarkets.CAPACITY];
  private final BitSet[] multi = new BitSet[RiskMarkets.CAPACITY];
  private final ThresholdSets[] thresholds = new ThresholdSets[RiskMarkets.CAPACITY];
  private final BitSet dirty = new BitSet();
  private int fundingTicked = -1;

  LiquidationIndex(boolean indexed, AccountBook book, RiskMarkets markets) {
    this.indexed = indexed;
    this.book = book;
    this.markets = markets;
  }

  /** The accounts holding a position in the market (null or empty if none); read only. */
  BitSet holders(int market) {
    return holders[market];
  }

  /** Marks an account whose collateral changed, so its threshold is recomputed. */
  void touched(int account) {
    dirty.set(account);
  }

  /** Notes that the market's funding index moved: its next candidate set is every holder. */
  void fundingMoved(int market) {
    fundingTicked = market;
  }

  /**
   * Keeps the holder sets and the several-positions sets after an account's position in {@code
   * market} changed, and marks the account for re-indexing. Ignores the fund.
   */
  void track(Account a, int market) {
    if (a == book.fund()) {
      return;
    }
    setBit(holders, market, a.id, a.size(market) != 0);
    boolean several = a.count >= 2;
    for (int i = 0; i < a.count; i++) {
      setBit(multi, a.markets[i], a.id, several);
    }
    if (a.size(market) == 0) {
      setBit(multi, market, a.id, false);
    }
    dirty.set(a.id);
  }

  /**
   * The accounts that may be below maintenance margin in the market now: after a funding tick of
   * the market (or without the index) every holder, else the index's candidates. A superset; the
   * caller checks each exactly. Null if the market has no holder.
   */
  BitSet candidates(int market) {
    BitSet h = holders[market];
    if (h == null || h.isEmpty()) {
      return null;
    }
    if (!indexed || fundingTicked == market) {
      fundingTicked = -1;
      dirty.or(h); // their pending funding moved: their thresholds too
      return h;
    }
    reindexDirty();
    BitSet out = new BitSet();
    long p = markets.oracle(market);
    ThresholdSets sets = thresholds[market];
    if (sets != null) {
      for (Threshold t : sets.longs.tailSet(new Threshold(p, Integer.MAX_VALUE), false)) {
        out.set(t.account());
      }
      for (Threshold t : sets.shorts.headSet(new Threshold(p, Integer.MIN_VALUE), false)) {
        out.set(t.account());
      }
    }
    if (multi[market] != null) {
      out.or(multi[market]);
    }
    return out;
  }

  /** Forgets everything (before a state is read; {@link #track} rebuilds it). */
  void reset() {
    java.util.Arrays.fill(holders, null);
    java.util.Arrays.fill(multi, null);
    java.util.Arrays.fill(thresholds, null);
    dirty.clear();
    fundingTicked = -1;
  }

  private static void setBit(BitSet[] sets, int market, int id, boolean on) {
    BitSet b = sets[market];
    if (on) {
      if (b == null) {
        b = new BitSet();
        sets[market] = b;
      }
      b.set(id);
    } else if (b != null) {
      b.clear(id);
    }
  }

  /** Recomputes the index entries of the accounts changed since the last price tick. */
  private void reindexDirty() {
    for (int id = dirty.nextSetBit(0); id >= 0; id = dirty.nextSetBit(id + 1)) {
      Account a = book.account(id);
      if (a == null) {
        continue;
      }
      if (a.indexedMarket >= 0) {
        ThresholdSets old = thresholds[a.indexedMarket];
        (a.indexedShort ? old.shorts : old.longs).remove(new Threshold(a.indexedThreshold, id));
        a.indexedMarket = -1;
      }
      if (a.count != 1) {
        continue; // no position, or several: scanned through `multi`
      }
      int m = a.markets[0];
      long s = a.sizes[0];
      long t =
          threshold(Math.addExact(a.collateral, book.pendingFunding(a)), s, markets.get(m).params);
      if (thresholds[m] == null) {
        thresholds[m] = new ThresholdSets();
      }
      (s > 0 ? thresholds[m].longs : thresholds[m].shorts).add(new Threshold(t, id));
      a.indexedMarket = m;
      a.indexedShort = s < 0;
      a.indexedThreshold = t;
    }
    dirty.clear();
  }

  /**
   * A conservative liquidation threshold of a one-position account with collateral (funding
   * included) C and size s: with x = |s| · p / 2^32, equity ≥ C ± x − 1 and MMR ≤ x · f + 2, so a
   * long is safe when x · (1 − f) ≥ 3 − C, i.e. for p ≥ T = ceil(2^32 · (3 − C) / (s · (1 − f))),
   * and a short when x · (1 + f) ≤ C − 3, i.e. for p ≤ T = floor(2^32 · (C − 3) / (|s| · (1 + f))).
   * Exact (BigInteger), clamped to the long range; MMF = 100% makes a long always a candidate.
   */
  static long threshold(long c, long s, MarketRisk p) {
    BigInteger ppm = BigInteger.valueOf(RiskMath.PPM);
    BigInteger f = BigInteger.valueOf(p.maintenanceMarginPpm());
    BigInteger t;
    if (s > 0) {
      BigInteger den = BigInteger.valueOf(s).multiply(ppm.subtract(f));
      if (den.signum() == 0) {
        return Long.MAX_VALUE;
      }
      BigInteger num =
          BigInteger.valueOf(3).subtract(BigInteger.valueOf(c)).multiply(ppm).shiftLeft(32);
      BigInteger[] qr = num.divideAndRemainder(den);
      t = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    } else {
      BigInteger den = BigInteger.valueOf(s).negate().multiply(ppm.add(f));
      BigInteger num =
          BigInteger.valueOf(c).subtract(BigInteger.valueOf(3)).multiply(ppm).shiftLeft(32);
      BigInteger[] qr = num.divideAndRemainder(den);
      t = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    }
    if (t.bitLength() >= 64) {
      return t.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return t.longValue();
  }

  /** One market's index entries: one-position longs and shorts by threshold. */
  private static final class ThresholdSets {
    final TreeSet<Threshold> longs = new TreeSet<>();
    final TreeSet<Threshold> shorts = new TreeSet<>();
  }

  /** A one-position account's liquidation threshold price (32.32) in the index. */
  private record Threshold(long price, int account) implements Comparable<Threshold> {
    @Override
    public int compareTo(Threshold o) {
      int c = Long.compare(price, o.price);
      return c != 0 ? c : Integer.compare(account, o.account);
    }
  }
}
