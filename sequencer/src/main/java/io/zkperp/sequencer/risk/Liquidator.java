package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.BankruptcyPrice;
import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.SequencerEvent;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Liquidation of the accounts below maintenance margin (see {@code sequencer/README.md},
 * "Liquidation"): their open orders are cancelled, then each still below maintenance margin gets
 * one step: a partial IOC liquidation order against the book between the oracle and bankruptcy
 * prices for its largest position; what the book does not absorb while the account stays below
 * maintenance margin, and every position of a bankrupt account (equity &lt; 0), is closed at the
 * bankruptcy price by the insurance fund or, if the fund's equity would go negative or the fund
 * already holds 8 positions and not this market (state layout v2's bound), by auto-deleveraging
 * ({@link DeleveragingRanking}) while the account's equity is &lt; 0. Each transaction is decided
 * on the state it starts from, as the circuit decides it (docs/perp-circuit.md §11.3); what a step
 * leaves open waits for the next tick. Candidates come from the {@link LiquidationIndex}.
 * Deterministic: depends only on the state. Core thread.
 */
final class Liquidator extends RiskComponent {
  private final Settlement settlement;
  private final DeleveragingRanking ranking;

  Liquidator(RiskParts parts, Settlement settlement) {
    super(parts);
    this.settlement = settlement;
    this.ranking = new DeleveragingRanking(book);
  }

  /** See {@link RiskEngine#liquidate}. */
  void liquidate(int market, LiquidationActions core) {
    if (!liquidation.enabled() || markets.get(market).params == null) {
      return;
    }
    BitSet candidates = index.candidates(market);
    if (candidates == null) {
      return;
    }
    int n = 0;
    int[] ids = new int[8];
    for (int id = candidates.nextSetBit(0); id >= 0; id = candidates.nextSetBit(id + 1)) {
      if (book.liquidatable(book.account(id))) {
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = id;
      }
    }
    for (int k = 0; k < n; k++) {
      Account a = book.account(ids[k]);
      records.emit(
          new SequencerEvent.LiquidationTriggered(
              a.id, book.equity(a), book.maintenanceRequirement(a), book.initialRequirement(a)));
      core.cancelOrders(a.id);
    }
    for (int k = 0; k < n; k++) {
      Account a = book.account(ids[k]);
      if (book.liquidatable(a)) {
        step(a, core);
      }
    }
  }

  /**
   * One liquidation step for an account below maintenance margin. Every transaction of the step is
   * decided on the state it starts from, as the circuit decides each one on its own state
   * (docs/perp-circuit.md §11.3): a liquidation fill only while the account is liquidatable ({@link
   * RiskEngine#admitLiquidationFill}), a takeover only while it is liquidatable, a deleveraging
   * only while its equity is &lt; 0. What is left open waits for the next price or funding tick of
   * a market the account holds.
   */
  private void step(Account a, LiquidationActions core) {
    // no funding settlement here: equity counts pending funding, and the settlement happens (and is
    // recorded) in the fill's TradeSettled or the takeover / deleveraging that closes the position
    if (book.equity(a) < 0) {
      // bankrupt: every position, ascending market id, is closed at its bankruptcy price (fund or
      // deleveraging) while the account stays liquidatable; a close rounded in the account's favour
      // can lift it, and what is left then waits for the next tick
      while (a.count > 0 && book.liquidatable(a)) {
        int i = 0;
        for (int j = 1; j < a.count; j++) {
          if (a.markets[j] < a.markets[i]) {
            i = j;
          }
        }
        int m = a.markets[i];
        long s = a.sizes[i];
        if (!closeAtBankruptcy(a, m, s, core)) {
          return;
        }
      }
      return;
    }
    // the position with the largest maintenance requirement (ties: lowest market id)
    int i = 0;
    long best = -1;
    for (int j = 0; j < a.count; j++) {
      MarketRiskState ms = markets.get(a.markets[j]);
      long r = RiskMath.maintenanceRequirement(a.sizes[j], ms.oracle, ms.params);
      if (r > best || (r == best && a.markets[j] < a.markets[i])) {
        best = r;
        i = j;
      }
    }
    int m = a.markets[i];
    long s = a.sizes[i];
    long p = markets.oracle(m);
    long abs = Math.abs(s);
    long pLow = p >>> RiskMath.PRICE_FRACTION_BITS;
    long pHigh = Math.ceilDiv(p, 1L << RiskMath.PRICE_FRACTION_BITS);
    long q =
        Math.max(
            RiskMath.mulPpmUp(abs, liquidation.stepFractionPpm()),
            Math.ceilDiv(liquidation.minStepNotional(), Math.max(1, pLow)));
    long stepSize = core.stepSize(m);
    q = q >= abs ? abs : Math.min(abs, Math.ceilDiv(q, stepSize) * stepSize);
    long c = s > 0 ? q : -q;
    long b = bankruptcyPrice(a, m, c);
    long limit;
    if (c > 0) {
      // selling a long: the order fills at ≥ limit, limit between bankruptcy price and oracle
      limit = pLow - RiskMath.mulPpmDown(Math.max(0, pLow - b), liquidation.spreadPpm());
      limit = Math.max(limit, b);
    } else {
      limit = pHigh + RiskMath.mulPpmDown(Math.max(0, b - pHigh), liquidation.spreadPpm());
      limit = Math.min(limit, b);
    }
    // each fill is admitted only while the account is still liquidatable
    long filled = core.liquidationOrder(a.id, m, c > 0 ? Side.SELL : Side.BUY, q, limit, b);
    long rest = q - filled;
    if (rest > 0 && book.liquidatable(a)) {
      // the rest only while the fills left the account liquidatable (a takeover re-proves it)
      closeAtBankruptcy(a, m, c > 0 ? rest : -rest, core);
    }
  }

  /**
   * The bankruptcy price of closing {@code c} (same sign as the position) of the account's position
   * in market m: the price at which the closed part takes its share of the account's equity, {@code
   * share = floor(equity · (MMR − MMR after) / MMR)} (all of it when the position is the last one),
   * so that equity / maintenance requirement is unchanged. Closing c at price b changes equity by
   * {@code c · b − Δ}, Δ = value(s) − value(s − c); b is the bound of {@code c · b − Δ ≥ −share}
   * rounded in the account's favour (up when selling a long, down when buying back a short), then
   * clamped to [1, 2^31 − 1].
   */
  private long bankruptcyPrice(Account a, int m, long c) {
    MarketRiskState ms = markets.get(m);
    long s = a.size(m);
    return BankruptcyPrice.of(
        book.equity(a),
        book.maintenanceRequirement(a),
        c == s && a.count == 1,
        s,
        c,
        ms.oracle,
        ms.params);
  }

  /**
   * Closes {@code c} of the account's position at its bankruptcy price, as far as the circuit's
   * rules allow on the current state: the insurance fund takes it over if the fund's equity stays ≥
   * 0 afterwards and it either holds the market already or holds fewer than 8 positions (the
   * account is liquidatable: the caller checked); otherwise, only while the account's equity is
   * &lt; 0, it is deleveraged against opposite positions. A non-bankrupt part the fund cannot take
   * over stays open.
   *
   * @return true if all of c was closed
   */
  private boolean closeAtBankruptcy(Account a, int m, long c, LiquidationActions core) {
    long b = bankruptcyPrice(a, m, c);
    long p = markets.oracle(m);
    Account fund = book.fund();
    long fs = fund.size(m);
    long fundAfter =
        Math.addExact(
            Math.subtractExact(book.equity(fund), Math.multiplyExact(c, b)),
            RiskMath.value(fs + c, p) - RiskMath.value(fs, p));
    if (fundAfter >= 0 && (fs != 0 || fund.count < AccountBook.MAX_POSITIONS)) {
      records.emit(
          StateRecords.insuranceTakeover(settlement.movePosition(a, fund, m, -c, b, core)));
      return true;
    }
    // the fund cannot pay, or holds the most positions layout v2 represents: deleverage, but only
    // a bankrupt account (StarkEx's rule, which the deleveraging circuit states)
    return deleverage(a, m, c, core);
  }

  /**
   * Closes c of the account's position against ranked opposite positions while its equity is &lt;
   * 0, each counterparty's share at the bankruptcy price of that share computed on the state after
   * the previous one (the deleveraging circuit prices each transaction on its own state, so one
   * price for the whole part could favour one side beyond what the circuit allows).
   *
   * @return true if all of c was closed; false if the equity reached ≥ 0 first (the rest stays)
   */
  private boolean deleverage(Account a, int m, long c, LiquidationActions core) {
    if (book.equity(a) >= 0) {
      return false;
    }
    List<Account> ranked = ranking.rank(a, m, c, markets.oracle(m), index.holders(m));
    long left = Math.abs(c);
    for (Account x : ranked) {
      if (left == 0) {
        break;
      }
      if (book.equity(a) >= 0) {
        return false;
      }
      long size = Math.min(left, Math.abs(x.size(m)));
      long share = c > 0 ? size : -size;
      long b = bankruptcyPrice(a, m, share);
      records.emit(StateRecords.deleveraged(settlement.movePosition(a, x, m, -share, b, core)));
      left -= size;
    }
    if (left != 0) {
      throw new IllegalStateException(
          "deleveraging found too few opposite positions in market " + m + ": " + left + " left");
    }
    return true;
  }
}
