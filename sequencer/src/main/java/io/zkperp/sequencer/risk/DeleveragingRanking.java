package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which opposite positions absorb a bankrupt position that the insurance fund cannot
 * take over (dYdX v3): first profitable accounts by pnl% · leverage (pnl = value − cost basis, pnl%
 * = pnl / |cost|, leverage = notional / equity) descending, then unprofitable ones by pnl% /
 * leverage descending, then accounts with equity ≤ 0 or no cost basis, then the insurance fund;
 * ties by ascending account id. Exact (products compared as BigInteger). Core thread.
 */
final class DeleveragingRanking {
  private final AccountBook book;

  DeleveragingRanking(AccountBook book) {
    this.book = book;
  }

  /** A deleveraging candidate: its rank group and score (num / den, den &gt; 0). */
  private record Candidate(Account account, int group, BigInteger num, BigInteger den) {}

  /**
   * The accounts of {@code holders} (and the fund) whose position in the market is opposite to
   * {@code c}, in deleveraging order; {@code bankrupt} itself excluded.
   */
  List<Account> rank(Account bankrupt, int market, long c, long oracle, BitSet holders) {
    List<Candidate> candidates = new ArrayList<>();
    for (int id = holders.nextSetBit(0); id >= 0; id = holders.nextSetBit(id + 1)) {
      Account x = book.account(id);
      long sx = x.size(market);
      if (x == bankrupt || sx == 0 || Long.signum(sx) == Long.signum(c)) {
        continue;
      }
      long cost = x.cost(market);
      long pnl = RiskMath.value(sx, oracle) - cost;
      long eq = book.equity(x);
      long notional = RiskMath.notional(sx, oracle);
      if (eq <= 0 || cost == 0) {
        candidates.add(new Candidate(x, 2, BigInteger.ZERO, BigInteger.ONE));
      } else if (pnl > 0) {
        candidates.add(
            new Candidate(
                x,
                0,
                BigInteger.valueOf(pnl).multiply(BigInteger.valueOf(notional)),
                BigInteger.valueOf(Math.abs(cost)).multiply(BigInteger.valueOf(eq))));
      } else {
        candidates.add(
            new Candidate(
                x,
                1,
                BigInteger.valueOf(pnl).multiply(BigInteger.valueOf(eq)),
                BigInteger.valueOf(Math.abs(cost)).multiply(BigInteger.valueOf(notional))));
      }
    }
    Account fund = book.fund();
    long fs = fund.size(market);
    if (fs != 0 && Long.signum(fs) != Long.signum(c)) {
      candidates.add(new Candidate(fund, 3, BigInteger.ZERO, BigInteger.ONE));
    }
    candidates.sort(
        Comparator.comparingInt(Candidate::group)
            .thenComparing((x, y) -> y.num().multiply(x.den()).compareTo(x.num().multiply(y.den())))
            .thenComparingInt(x -> x.account().id));
    List<Account> out = new ArrayList<>(candidates.size());
    for (Candidate k : candidates) {
      out.add(k.account());
    }
    return out;
  }
}
