package io.zkperp.sequencer.risk;

import io.zkperp.protocol.risk.RiskMath;
import io.zkperp.protocol.state.MarketRisk;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.core.Verdict;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Every margin rule an order or fill must pass, as the circuit will check it: the pre-trade check
 * of an order (fully filled at its limit price with the larger of the account's fee rates), the
 * post-trade check of each side of every fill (the same rules at the fill's price and size with
 * that side's fee rate), the signed fee cap against the account's tier, isolated markets, the bound
 * of 8 open positions per account, the maximum position size and the open-interest cap. Reads the
 * accounts and markets, never changes them. Core thread.
 */
final class MarginChecks {
  private final RiskConfig config;
  private final AccountBook book;
  private final RiskMarkets markets;

  MarginChecks(RiskConfig config, AccountBook book, RiskMarkets markets) {
    this.config = config;
    this.book = book;
    this.markets = markets;
  }

  /** See {@link RiskEngine#checkFeeCap}. */
  Verdict checkFeeCap(int account, long feeCapPpm) {
    FeeTier tier = config.tierOf(account);
    long rate = Math.max(0, Math.max(tier.makerFeePpm(), tier.takerFeePpm()));
    if (rate > feeCapPpm) {
      return Verdict.reject(
          RejectReason.FEE_CAP_EXCEEDED,
          "fee cap %,d ppm is below account %d's fee rate %,d ppm (tier maker %,d, taker %,d ppm);"
              + " sign a fee cap ≥ %,d",
          feeCapPpm,
          account,
          rate,
          tier.makerFeePpm(),
          tier.takerFeePpm(),
          rate);
    }
    return Verdict.ACCEPTED;
  }

  /** See {@link RiskEngine#preCheck}. */
  Verdict preCheck(int account, int market, Side side, long size, long price) {
    MarketRiskState m = markets.get(market);
    if (m.params == null) {
      return Verdict.reject(
          RejectReason.MARKET_NOT_RISK_ENABLED,
          "market %d has no risk parameters; risk-enabled markets: %s",
          market,
          config.markets().keySet().stream().sorted().toList());
    }
    if (m.oracle == 0) {
      return Verdict.reject(
          RejectReason.NO_ORACLE_PRICE,
          "market %d has no oracle price yet; orders are accepted after its first price",
          market);
    }
    if (account >= AccountBook.MAX_ACCOUNTS) {
      return accountOutOfRange(account);
    }
    if (m.priceBandPpm != 0) {
      Verdict band = checkPriceBand(m, side, price);
      if (!band.accepted()) {
        return band;
      }
    }
    try {
      Account a = book.account(account);
      FeeTier tier = a == null ? config.tierOf(account) : a.tier;
      return check(
          account,
          a,
          m,
          side == Side.BUY ? size : -size,
          price,
          Math.max(tier.makerFeePpm(), tier.takerFeePpm()));
    } catch (ArithmeticException e) {
      return Verdict.reject(
          RejectReason.AMOUNT_OUT_OF_RANGE,
          "order of size %,d at price %,d: %s",
          size,
          price,
          e.getMessage());
    }
  }

  /**
   * The post-trade check of one side of one fill, the same rule for maker and taker (see {@link
   * RiskEngine#admitMakerFill}, {@link RiskEngine#admitTakerFill}): the rules of {@link #check} for
   * the position change of exactly this fill at its price, with the account's maker or taker fee
   * rate (a rebate counted as 0).
   *
   * @param taker true for the taker's side (taker fee rate), false for the maker's
   */
  boolean admitFill(int account, int market, Side side, long size, long price, boolean taker) {
    MarketRiskState m = markets.get(market);
    if (!m.tradable() || account >= AccountBook.MAX_ACCOUNTS) {
      return true; // such an order cannot have passed the pre-check under this engine
    }
    try {
      long delta = side == Side.BUY ? size : -size;
      Account a = book.account(account);
      FeeTier tier = a == null ? config.tierOf(account) : a.tier;
      long feePpm = taker ? tier.takerFeePpm() : tier.makerFeePpm();
      return check(account, a, m, delta, price, feePpm).accepted();
    } catch (ArithmeticException e) {
      return false;
    }
  }

  /**
   * The price band: a buy's limit at most {@code oracle · (10^6 + band) / 10^6}, a sell's at least
   * {@code oracle · (10^6 − band) / 10^6}, compared exactly (price · 2^32 · 10^6 against oracle ·
   * (10^6 ± band), 128-bit).
   */
  private static Verdict checkPriceBand(MarketRiskState m, Side side, long price) {
    boolean buy = side == Side.BUY;
    long factor = buy ? RiskMath.PPM + m.priceBandPpm : RiskMath.PPM - m.priceBandPpm;
    int c = RiskMath.compareProducts(RiskMath.toFixed(price), RiskMath.PPM, m.oracle, factor);
    if (buy ? c <= 0 : c >= 0) {
      return Verdict.ACCEPTED;
    }
    BigInteger bound =
        BigInteger.valueOf(m.oracle)
            .multiply(BigInteger.valueOf(factor))
            .shiftRight(RiskMath.PRICE_FRACTION_BITS);
    BigInteger[] qr = bound.divideAndRemainder(BigInteger.valueOf(RiskMath.PPM));
    long limit = buy || qr[1].signum() == 0 ? qr[0].longValue() : qr[0].longValue() + 1;
    return Verdict.reject(
        RejectReason.PRICE_OUTSIDE_BAND,
        "%s limit %,d is more than %,d ppm %s the oracle price %s of market %d; the band allows"
            + " %s %s %,d",
        buy ? "buy" : "sell",
        price,
        m.priceBandPpm,
        buy ? "above" : "below",
        new BigDecimal(BigInteger.valueOf(m.oracle), 0)
            .divide(BigDecimal.valueOf(1L << RiskMath.PRICE_FRACTION_BITS))
            .stripTrailingZeros()
            .toPlainString(),
        m.id,
        buy ? "buys" : "sells",
        buy ? "up to" : "down to",
        limit);
  }

  /** The rejection of an account id at or above {@link AccountBook#MAX_ACCOUNTS}. */
  static Verdict accountOutOfRange(int account) {
    return Verdict.reject(
        RejectReason.FIELD_OUT_OF_RANGE,
        "account %d is above the risk engine's range; accounts are 0 to %d",
        account,
        AccountBook.MAX_ACCOUNTS - 1);
  }

  /**
   * The rules for a position change of {@code delta} of account {@code a} (null: it holds nothing)
   * in market {@code m} at {@code price} with fee rate {@code feePpm} (a rebate counted as 0):
   * isolation and the bound on open positions, then (if the position grows) the maximum size and
   * the open-interest cap, then equity ≥ initial requirement after the change, or the
   * undercollateralised reduce rule.
   */
  private Verdict check(
      int account, Account a, MarketRiskState m, long delta, long price, long feePpm) {
    int market = m.id;
    MarketRisk p = m.params;
    long s0 = a == null ? 0 : a.size(market);
    long s1 = Math.addExact(s0, delta);
    long abs0 = Math.abs(s0);
    long abs1 = Math.absExact(s1);
    if (s0 == 0 && s1 != 0 && a != null && a.count > 0) {
      Verdict isolation = checkIsolation(a, m);
      if (!isolation.accepted()) {
        return isolation;
      }
      if (a.count >= AccountBook.MAX_POSITIONS) {
        return tooManyPositions(a, m);
      }
    }
    if (abs1 > abs0) {
      if (!withinSizeLimit(p, s0, s1)) {
        return Verdict.reject(
            RejectReason.POSITION_SIZE_LIMIT,
            "position would be %,d, above the maximum position size %,d; an order on this side"
                + " may be at most %,d",
            s1,
            p.maxPositionSize(),
            Math.max(
                0, p.maxPositionSize() + (Long.signum(delta) == Long.signum(s0) ? -abs0 : abs0)));
      }
      long oi = Math.addExact(m.openInterest, abs1 - abs0);
      if (oi > p.openInterestCap()) {
        return Verdict.reject(
            RejectReason.OPEN_INTEREST_CAP,
            "open interest could reach %,d, above the cap %,d (now %,d); the order may increase"
                + " the position by at most %,d",
            oi,
            p.openInterestCap(),
            m.openInterest,
            Math.max(0, p.openInterestCap() - m.openInterest));
      }
    }
    long cost = Math.multiplyExact(Math.abs(delta), price);
    long fee = Math.max(0, RiskMath.fee(cost, feePpm));
    return checkMargin(account, a, m, delta, delta > 0 ? cost : -cost, fee, price);
  }

  /**
   * The maximum position size: a position growing from {@code s0} to {@code s1} may be at most
   * {@code maxPositionSize} (a shrinking one may stay above it).
   */
  static boolean withinSizeLimit(MarketRisk p, long s0, long s1) {
    return !(Math.abs(s1) > Math.abs(s0) && Math.abs(s1) > p.maxPositionSize());
  }

  /**
   * The post-trade margin rule alone, with no fee (a forced trade, docs/perp-circuit.md §12.3):
   * account {@code a} (null: it holds nothing) changes its position in {@code m} by {@code delta}
   * and its collateral by {@code −signedCost}; equity ≥ initial requirement after, or the
   * undercollateralised reduce rule. Isolation, the position bound and the caps are not checked.
   *
   * @throws ArithmeticException if a figure leaves the 64-bit range
   */
  boolean marginHolds(Account a, MarketRiskState m, long delta, long signedCost) {
    long price = delta == 0 ? 0 : Math.abs(signedCost / delta); // for a refusal's message only
    return checkMargin(a == null ? -1 : a.id, a, m, delta, signedCost, 0, price).accepted();
  }

  /**
   * The margin part of {@link #check}: the change of {@code delta} costing {@code signedCost}
   * (bought: paid, sold: received as a negative cost) and {@code fee}; {@code price} only for the
   * refusal's message.
   */
  private Verdict checkMargin(
      int account,
      Account a,
      MarketRiskState m,
      long delta,
      long signedCost,
      long fee,
      long price) {
    int market = m.id;
    MarketRisk p = m.params;
    long s0 = a == null ? 0 : a.size(market);
    long s1 = Math.addExact(s0, delta);
    long c0 = a == null ? 0 : a.collateral;
    int own = a == null ? -1 : a.find(market);
    if (own >= 0) {
      // the fill settles the position's pending funding first
      c0 = Math.addExact(c0, RiskMath.fundingCredit(s0, a.fundingSnapshots[own], m.fundingIndex));
    }
    long c1 = Math.subtractExact(Math.subtractExact(c0, signedCost), fee);
    // other markets: value and initial requirement (the maintenance requirement only on the slow
    // path below)
    long valueOthers = 0;
    long imrOthers = 0;
    if (a != null) {
      for (int i = 0; i < a.count; i++) {
        if (a.markets[i] == market) {
          continue;
        }
        MarketRiskState o = markets.get(a.markets[i]);
        long s = a.sizes[i];
        valueOthers = Math.addExact(valueOthers, RiskMath.value(s, o.oracle));
        long snapshot = a.fundingSnapshots[i];
        if (snapshot != o.fundingIndex) {
          valueOthers =
              Math.addExact(valueOthers, RiskMath.fundingCredit(s, snapshot, o.fundingIndex));
        }
        imrOthers = Math.addExact(imrOthers, RiskMath.initialRequirement(s, o.oracle, o.params));
      }
    }
    long px = m.oracle;
    long equity1 = Math.addExact(Math.addExact(c1, valueOthers), RiskMath.value(s1, px));
    long imr1 = Math.addExact(imrOthers, RiskMath.initialRequirement(s1, px, p));
    if (equity1 >= imr1) {
      return Verdict.ACCEPTED;
    }
    return checkBelowInitial(
        account, a, m, delta, price, c0, valueOthers, imrOthers, equity1, imr1);
  }

  /** Layout v2 holds at most {@link AccountBook#MAX_POSITIONS} open positions per account. */
  private static Verdict tooManyPositions(Account a, MarketRiskState m) {
    return Verdict.reject(
        RejectReason.TOO_MANY_POSITIONS,
        "account %d holds %d open positions (markets %s), the most an account can hold; close one"
            + " or open market %d in a subaccount funded by TransferCollateral",
        a.id,
        a.count,
        heldMarkets(a),
        m.id);
  }

  /** The markets {@code a} holds positions in, ascending, for a refusal's message. */
  private static String heldMarkets(Account a) {
    int[] held = Arrays.copyOf(a.markets, a.count);
    Arrays.sort(held);
    return Arrays.toString(held);
  }

  /** Isolated margin: an isolated market's position is the only one of its account. */
  private Verdict checkIsolation(Account a, MarketRiskState m) {
    boolean holdsIsolated = false;
    for (int i = 0; i < a.count; i++) {
      holdsIsolated |= markets.get(a.markets[i]).isolated;
    }
    if (!m.isolated && !holdsIsolated) {
      return Verdict.ACCEPTED;
    }
    return Verdict.reject(
        RejectReason.ISOLATED_MARKET_CONSTRAINT,
        "account %d holds positions in markets %s%s; %s: open it in a separate subaccount"
            + " funded by TransferCollateral",
        a.id,
        heldMarkets(a),
        holdsIsolated ? " (isolated)" : "",
        m.isolated
            ? "market " + m.id + " is isolated and must be its account's only position"
            : "an account with an isolated position holds no other");
  }

  /**
   * The slow path of {@link #check}, for a change that leaves equity below the initial requirement:
   * accepted only if it shrinks the position without flipping it and does not lower equity /
   * maintenance requirement (StarkEx / dYdX v4: equity1 / mmr1 ≥ equity0 / mmr0, cross-multiplied;
   * with mmr1 = 0: equity1 ≥ 0); otherwise insufficient margin (the account was above its initial
   * margin) or undercollateralised.
   */
  private Verdict checkBelowInitial(
      int account,
      Account a,
      MarketRiskState m,
      long delta,
      long price,
      long c0,
      long valueOthers,
      long imrOthers,
      long equity1,
      long imr1) {
    MarketRisk p = m.params;
    long px = m.oracle;
    long s0 = a == null ? 0 : a.size(m.id);
    long s1 = s0 + delta; // checked by the caller
    long equity0 = Math.addExact(Math.addExact(c0, valueOthers), RiskMath.value(s0, px));
    long imr0 = Math.addExact(imrOthers, RiskMath.initialRequirement(s0, px, p));
    long mmrOthers = 0;
    for (int i = 0; a != null && i < a.count; i++) {
      if (a.markets[i] != m.id) {
        MarketRiskState o = markets.get(a.markets[i]);
        mmrOthers =
            Math.addExact(
                mmrOthers, RiskMath.maintenanceRequirement(a.sizes[i], o.oracle, o.params));
      }
    }
    long mmr0 = Math.addExact(mmrOthers, RiskMath.maintenanceRequirement(s0, px, p));
    long mmr1 = Math.addExact(mmrOthers, RiskMath.maintenanceRequirement(s1, px, p));
    boolean reduces =
        Math.abs(s1) < Math.abs(s0) && (s1 == 0 || Long.signum(s1) == Long.signum(s0));
    if (reduces) {
      boolean ok =
          mmr1 == 0 ? equity1 >= 0 : RiskMath.compareProducts(equity1, mmr0, equity0, mmr1) >= 0;
      if (ok) {
        return Verdict.ACCEPTED;
      }
    }
    if (equity0 >= imr0) {
      return Verdict.reject(
          RejectReason.INSUFFICIENT_MARGIN,
          "insufficient margin: requires %,d free collateral, account has %,d (%s %,d at %,d"
              + " fully filled: equity %,d → %,d, initial margin %,d → %,d)",
          Math.addExact(Math.subtractExact(imr1, imr0), Math.subtractExact(equity0, equity1)),
          equity0 - imr0,
          delta > 0 ? "buy" : "sell",
          Math.abs(delta),
          price,
          equity0,
          equity1,
          imr0,
          imr1);
    }
    return Verdict.reject(
        RejectReason.ACCOUNT_UNDERCOLLATERALISED,
        "account %d is below its initial margin (equity %,d, initial margin %,d, maintenance"
            + " margin %,d): only orders that reduce a position without lowering equity /"
            + " maintenance margin are accepted; this one gives equity %,d, maintenance margin %,d"
            + "%s",
        account,
        equity0,
        imr0,
        mmr0,
        equity1,
        mmr1,
        reduces ? "" : " and does not reduce the position");
  }
}
