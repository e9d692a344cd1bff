package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.MarketTerms;
import io.zkperp.batcher.v3.Position;
import io.zkperp.batcher.v3.TradeRules;
import io.zkperp.protocol.risk.RiskMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The Go reference's {@code Settle} with its margin figures, over the engine's {@link RiskMath}:
 * funding settled on every entry (each snapshot set to its market's index), then the fill of signed
 * size d at an integer price with a fee in the slot (a new position takes the index as snapshot, a
 * closed one becomes empty), and equity, Σ IMR, Σ MMR before and after. A figure RiskMath refuses
 * counts as 0 and clears {@code inRange}, as the reference's {@code ErrRange} does; sums wrap as
 * the reference's int64 sums do. (The trade's {@code TradeRules} computes the same without
 * returning the figures.) Stateless; any thread.
 */
final class AccountSettlement {
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private AccountSettlement() {}

  /** A figure that may leave the int64 range. */
  @FunctionalInterface
  interface Figure {
    long get();
  }

  /** Tracks whether every figure stayed in range. */
  static final class Range {
    boolean ok = true;

    long of(Figure f) {
      try {
        return f.get();
      } catch (ArithmeticException e) {
        ok = false;
        return 0;
      }
    }
  }

  static Settled settle(
      List<MarketTerms> markets,
      long collateral,
      List<Position> list,
      int slot,
      int market,
      long d,
      long price,
      long fee) {
    Range range = new Range();
    List<Position> after = new ArrayList<>(list.size());
    long funding = 0;
    for (Position q : list) {
      if (q.size() == 0) {
        after.add(Position.EMPTY);
        continue;
      }
      MarketTerms mk = markets.get(q.market());
      funding += range.of(() -> RiskMath.fundingCredit(q.size(), q.snapshot(), mk.fundingIndex()));
      after.add(new Position(q.market(), q.size(), mk.fundingIndex()));
    }
    long c = collateral + funding;
    long s1 = list.get(slot).size() + d;
    after.set(
        slot,
        s1 == 0 ? Position.EMPTY : new Position(market, s1, markets.get(market).fundingIndex()));
    BigInteger exact =
        BigInteger.valueOf(c)
            .subtract(BigInteger.valueOf(d).multiply(BigInteger.valueOf(price)))
            .subtract(BigInteger.valueOf(fee));
    long c1 = 0;
    if (exact.compareTo(MIN) < 0 || exact.compareTo(MAX) > 0) {
      range.ok = false;
    } else {
      c1 = exact.longValue();
    }
    long[] before = sums(range, markets, list);
    long[] next = sums(range, markets, after);
    return new Settled(
        c1, after, c + before[0], before[2], c1 + next[0], next[1], next[2], range.ok);
  }

  /** Σ value, Σ IMR, Σ MMR at the oracle prices. */
  private static long[] sums(Range range, List<MarketTerms> markets, List<Position> list) {
    long eq = 0;
    long im = 0;
    long mm = 0;
    for (Position q : list) {
      if (q.size() == 0) {
        continue;
      }
      MarketTerms mk = markets.get(q.market());
      eq += range.of(() -> RiskMath.value(q.size(), mk.price()));
      im += range.of(() -> RiskMath.initialRequirement(q.size(), mk.price(), mk.risk()));
      mm += range.of(() -> RiskMath.maintenanceRequirement(q.size(), mk.price(), mk.risk()));
    }
    return new long[] {eq, im, mm};
  }

  /** The trade's margin rule ({@link TradeRules#marginOk}) on an account's figures. */
  static boolean marginOk(long s0, long s1, Settled a) {
    return TradeRules.marginOk(s0, s1, a.equity0(), a.mmr0(), a.equity1(), a.imr1(), a.mmr1());
  }

  /** |s₁| &lt; |s₀| without a flip (s₁ = 0 or of s₀'s sign). */
  static boolean shrinks(long s0, long s1) {
    return Math.abs(s1) < Math.abs(s0) && (s1 == 0 || (s1 > 0) == (s0 > 0));
  }
}
