package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.book.Order;
import io.zkperp.sequencer.core.LiquidationActions;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.core.Verdict;

/**
 * Every change of collateral and positions, each emitting its state-change record: fills
 * (positions, cost basis, maker/taker fees to the fee balance, open interest, and a liquidation
 * order's fee to the insurance fund), deposits, insurance-fund top-ups, transfers, withdrawals, and
 * position transfers outside the book (insurance takeover, deleveraging). Funding is settled on
 * every account it touches first. A collateral command that rejects changes nothing. Core thread.
 */
final class Settlement extends RiskComponent {
  Settlement(RiskParts parts) {
    super(parts);
  }

  /** See {@link RiskEngine#settle}. */
  void settle(Order maker, Order taker, long price, long size) {
    int market = taker.market;
    MarketRiskState ms = markets.get(market);
    long delta = taker.isBuy() ? size : -size;
    long cost = Math.multiplyExact(size, price);
    Account t = book.getOrCreate(taker.account);
    Account m = book.getOrCreate(maker.account);
    long tFunding = book.settleFunding(t);
    long mFunding = book.settleFunding(m);
    // a liquidation order pays no taker fee (it pays the liquidation fee below) and its maker gets
    // no rebate (the fee balance never pays out on a fill it takes no taker fee from)
    long takerFee = taker.liquidation ? 0 : RiskMath.fee(cost, t.tier.takerFeePpm());
    long makerFee = RiskMath.fee(cost, m.tier.makerFeePpm());
    if (taker.liquidation) {
      makerFee = Math.max(0, makerFee);
    }
    long signedCost = delta > 0 ? cost : -cost;
    long fi = ms.fundingIndex;
    long t0 = t.size(market);
    long t1 = Math.addExact(t0, delta);
    long m0 = m.size(market);
    long m1 = Math.subtractExact(m0, delta);
    long tBefore = t.collateral;
    long mBefore = m.collateral;
    t.trade(market, delta, price, fi);
    m.trade(market, -delta, price, fi);
    index.track(t, market);
    index.track(m, market);
    t.collateral = Math.subtractExact(Math.subtractExact(t.collateral, signedCost), takerFee);
    m.collateral = Math.subtractExact(Math.addExact(m.collateral, signedCost), makerFee);
    book.feeBalance = Math.addExact(book.feeBalance, takerFee + makerFee);
    ms.openInterest += MarketRiskState.openInterestChange(t0, t1, m0, m1);
    StateRecords.Exchange fill =
        new StateRecords.Exchange(
            market,
            delta,
            price,
            ms.oracle,
            fi,
            StateRecords.Leg.of(t, tBefore, market),
            StateRecords.Leg.of(m, mBefore, market));
    records.emit(
        StateRecords.tradeSettled(fill, takerFee, makerFee, tFunding, mFunding, book.feeBalance));
    if (taker.liquidation) {
      // liquidation fee: ceil(notional · feePpm / 10^6), capped by the equity left after the fill
      Account fund = book.fund();
      long fee =
          Math.min(RiskMath.mulPpmUp(cost, liquidation.feePpm()), Math.max(0, book.equity(t)));
      t.collateral -= fee; // 0 ≤ fee ≤ equity
      fund.collateral = Math.addExact(fund.collateral, fee);
      StateRecords.Exchange afterFee = fill.withFirst(StateRecords.Leg.of(t, tBefore, market));
      records.emit(
          StateRecords.liquidated(
              afterFee, taker.price, taker.bankruptcyPrice, fee, fund.collateral));
    }
  }

  /** See {@link RiskEngine#deposit}. */
  Verdict deposit(int account, long amount) {
    if (amount <= 0) {
      return notPositive("deposit", amount);
    }
    if (account >= AccountBook.MAX_ACCOUNTS) {
      return MarginChecks.accountOutOfRange(account);
    }
    Account a = book.account(account);
    long c = a == null ? 0 : a.collateral;
    try {
      checkCredit(a, amount); // before the account is created
      a = book.getOrCreate(account);
      long settled = credit(a, amount); // a deposit touches the account
      index.touched(account);
      records.emit(new SequencerEvent.Deposited(account, amount, settled, a.collateral));
      return Verdict.ACCEPTED;
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "deposit of %,d would take account %d's collateral %,d out of the 64-bit range",
          amount,
          account,
          c);
    }
  }

  /** See {@link RiskEngine#topUpInsuranceFund}. */
  Verdict topUpInsuranceFund(long amount) {
    if (amount <= 0) {
      return notPositive("top-up", amount);
    }
    Account fund = book.fund();
    try {
      long settled = credit(fund, amount);
      records.emit(new SequencerEvent.InsuranceFundToppedUp(amount, settled, fund.collateral));
      return Verdict.ACCEPTED;
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "top-up of %,d would take the insurance fund's collateral %,d or the deposit total %,d"
              + " out of the 64-bit range",
          amount,
          fund.collateral,
          book.totalDeposited);
    }
  }

  /**
   * Throws {@link ArithmeticException} (nothing changed) unless the account's collateral with its
   * pending funding (none for a new account, null), and the deposit total, can take {@code amount}.
   */
  private void checkCredit(Account a, long amount) {
    if (a != null) {
      Math.addExact(Math.addExact(a.collateral, book.pendingFunding(a)), amount);
    }
    Math.addExact(book.totalDeposited, amount);
  }

  /**
   * Credits collateral from outside (a deposit or top-up): funding settled first, the amount added
   * to the collateral and to the deposit total. Throws {@link ArithmeticException} with nothing
   * changed if it does not fit.
   *
   * @return the funding settled
   */
  private long credit(Account a, long amount) {
    checkCredit(a, amount);
    long settled = book.settleFunding(a);
    a.collateral += amount;
    book.totalDeposited += amount;
    return settled;
  }

  private static Verdict notPositive(String what, long amount) {
    return Verdict.reject(
        RejectReason.COLLATERAL_REJECTED, "%s amount %,d must be > 0", what, amount);
  }

  /** See {@link RiskEngine#transfer}. */
  Verdict transfer(int from, int to, long amount) {
    if (amount <= 0) {
      return notPositive("transfer", amount);
    }
    if (to >= AccountBook.MAX_ACCOUNTS) {
      return MarginChecks.accountOutOfRange(to);
    }
    Account a = book.account(from);
    Verdict free = checkFree(a, from, amount, "transfer");
    if (!free.accepted()) {
      return free;
    }
    Account b = book.account(to);
    try {
      long c = b == null ? 0 : Math.addExact(b.collateral, book.pendingFunding(b));
      Math.addExact(c, amount); // the result must fit: check first
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "transfer of %,d would take account %d's collateral out of the 64-bit range",
          amount,
          to);
    }
    b = book.getOrCreate(to);
    long fromSettled = book.settleFunding(a);
    long toSettled = book.settleFunding(b);
    a.collateral -= amount; // amount ≤ free ≤ equity: no overflow
    b.collateral += amount;
    index.touched(from);
    index.touched(to);
    records.emit(
        new SequencerEvent.Transferred(
            from, to, amount, fromSettled, toSettled, a.collateral, b.collateral));
    return Verdict.ACCEPTED;
  }

  /** See {@link RiskEngine#withdraw}. */
  Verdict withdraw(int account, long amount) {
    if (amount <= 0) {
      return notPositive("withdrawal", amount);
    }
    Account a = book.account(account);
    Verdict free = checkFree(a, account, amount, "withdrawal");
    if (!free.accepted()) {
      return free;
    }
    long settled = book.settleFunding(a); // equity above already counted it
    a.collateral -= amount; // free ≤ equity ≤ collateral + Σ values: no overflow below
    index.touched(account);
    book.totalWithdrawn += amount;
    records.emit(new SequencerEvent.Withdrawn(account, amount, settled, a.collateral));
    return Verdict.ACCEPTED;
  }

  /** Free collateral (equity − Σ initial requirements) of the account covers {@code amount}. */
  private Verdict checkFree(Account a, int account, long amount, String what) {
    long free;
    try {
      free = a == null ? 0 : book.freeCollateral(a);
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE, "account %d's equity is out of range", account);
    }
    if (amount > free) {
      return Verdict.reject(
          RejectReason.INSUFFICIENT_FREE_COLLATERAL,
          "insufficient free collateral: %s requires %,d, account %d has %,d",
          what,
          amount,
          account,
          Math.max(0, free));
    }
    return Verdict.ACCEPTED;
  }

  /**
   * A position transfer outside the book: {@code a} trades {@code deltaA} at {@code price} with
   * {@code x} (no fees), funding settled on both first, recorded in the core's positions. Conserves
   * collateral and Σ sizes exactly.
   *
   * @return the exchange, for its record (collaterals before: funding settled)
   */
  StateRecords.Exchange movePosition(
      Account a, Account x, int market, long deltaA, long price, LiquidationActions core) {
    return movePosition(a, x, market, deltaA, Math.multiplyExact(deltaA, price), price, core);
  }

  /**
   * {@link #movePosition(Account, Account, int, long, long, LiquidationActions)} for an agreed
   * {@code cost} ({@code a}'s collateral falls by it, {@code x}'s rises; a forced trade's amount,
   * which need not be a multiple of the size); {@code price} is the exchange's price for the cost
   * basis and the record.
   */
  StateRecords.Exchange movePosition(
      Account a,
      Account x,
      int market,
      long deltaA,
      long cost,
      long price,
      LiquidationActions core) {
    book.settleFunding(a);
    book.settleFunding(x);
    MarketRiskState ms = markets.get(market);
    long aBefore = a.collateral;
    long xBefore = x.collateral;
    long a0 = a.size(market);
    long x0 = x.size(market);
    a.trade(market, deltaA, price, ms.fundingIndex);
    x.trade(market, -deltaA, price, ms.fundingIndex);
    a.collateral = Math.subtractExact(a.collateral, cost);
    x.collateral = Math.addExact(x.collateral, cost);
    long a1 = a.size(market);
    long x1 = x.size(market);
    ms.openInterest += MarketRiskState.openInterestChange(a0, a1, x0, x1);
    index.track(a, market);
    index.track(x, market);
    core.movePosition(a.id, x.id, market, deltaA);
    return new StateRecords.Exchange(
        market,
        deltaA,
        price,
        ms.oracle,
        ms.fundingIndex,
        StateRecords.Leg.of(a, aBefore, market),
        StateRecords.Leg.of(x, xBefore, market));
  }
}
