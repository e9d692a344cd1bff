package io.zkperp.sequencer.risk;

import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.sequencer.core.LiquidationActions;

/**
 * The engine's decision on a forced trade (docs/perp-circuit.md §12.3), on its own state, with the
 * rules the step circuit proves and the Go reference {@code forcedtrade/reference.Apply} applies;
 * the first reason that holds wins: the market has no risk parameters ({@link
 * ForcedTradeReason#UNKNOWN_MARKET}), A's fill slot holds a nonce ≥ the request's ({@link
 * ForcedTradeReason#STALE}), B's signature does not verify ({@link
 * ForcedTradeReason#BAD_SIGNATURE}, verified by the intake), A or B has no list entry for the
 * market ({@link ForcedTradeReason#NO_FREE_ENTRY}), a value the execution writes does not fit
 * layout v2 ({@link ForcedTradeReason#OUT_OF_RANGE}), the post-trade rules fail ({@link
 * ForcedTradeReason#RISK}): the margin rule of {@link MarginChecks#marginHolds} with no fee for A
 * and for B, the size limit of a growing position ({@link MarginChecks#withinSizeLimit}), and the
 * open-interest cap as the circuit states it (the open interest after the trade at most the cap,
 * unless it does not grow). Else the trade executes as a fill with no fee ({@link
 * Settlement#movePosition}: funding settled on both accounts first, A moves by ±size and pays or
 * receives the amount, B the opposite). Isolated markets do not apply: the circuit does not know
 * them. A figure of the margin rule outside 64 bits (a state no engine configuration produces; the
 * reference refuses it with a typed error) is reported {@link ForcedTradeReason#OUT_OF_RANGE}. Core
 * thread.
 */
final class ForcedTradeDecision extends RiskComponent {
  /** The largest |size| a layout v2 position entry holds: 2^55 − 1. */
  static final long MAX_ABS_SIZE = (1L << 55) - 1;

  private final MarginChecks margins;
  private final Settlement settlement;

  ForcedTradeDecision(RiskParts parts, MarginChecks margins, Settlement settlement) {
    super(parts);
    this.margins = margins;
    this.settlement = settlement;
  }

  /**
   * The outcome of {@code r} on the engine's state; changes nothing.
   *
   * @param r the request
   * @param slotNonce the nonce A's fill slot {@code r.nonce() mod 2^12} holds (0: none; nonces
   *     compare unsigned)
   * @param signatureValid whether B's signature of the request verifies under B's key
   * @return the first reason that holds, or {@link ForcedTradeReason#EXECUTED}
   * @throws IllegalArgumentException if {@code slotNonce} is not of the request's slot
   */
  ForcedTradeReason decide(ForcedTradeRequest r, long slotNonce, boolean signatureValid) {
    long window = (1L << LayoutV2.FILLS_DEPTH) - 1;
    if (slotNonce != 0 && (slotNonce & window) != (r.nonce() & window)) {
      throw new IllegalArgumentException(
          "fill slot nonce " + slotNonce + " is not of nonce " + r.nonce() + "'s slot");
    }
    MarketRiskState m = markets.get(r.market());
    Account a = book.account(r.accountA());
    Account b = book.account(r.accountB());
    if (m.params == null) {
      return ForcedTradeReason.UNKNOWN_MARKET;
    }
    if (Long.compareUnsigned(slotNonce, r.nonce()) >= 0) {
      return ForcedTradeReason.STALE;
    }
    if (!signatureValid) {
      return ForcedTradeReason.BAD_SIGNATURE;
    }
    if (noFreeEntry(a, m.id) || noFreeEntry(b, m.id)) {
      return ForcedTradeReason.NO_FREE_ENTRY;
    }
    long dA = r.deltaA();
    long cA = r.costA();
    try {
      long a0 = size(a, m.id);
      long b0 = size(b, m.id);
      long a1 = Math.addExact(a0, dA);
      long b1 = Math.subtractExact(b0, dA);
      long oi = Math.addExact(m.openInterest, MarketRiskState.openInterestChange(a0, a1, b0, b1));
      if (!fits(a, a1, cA) || !fits(b, b1, -cA)) {
        return ForcedTradeReason.OUT_OF_RANGE;
      }
      boolean risk =
          margins.marginHolds(a, m, dA, cA)
              && margins.marginHolds(b, m, -dA, -cA)
              && MarginChecks.withinSizeLimit(m.params, a0, a1)
              && MarginChecks.withinSizeLimit(m.params, b0, b1)
              && (oi <= m.openInterest || oi <= m.params.openInterestCap());
      return risk ? ForcedTradeReason.EXECUTED : ForcedTradeReason.RISK;
    } catch (ArithmeticException e) {
      return ForcedTradeReason.OUT_OF_RANGE;
    }
  }

  /**
   * Decides {@code r} and, when it executes, trades it: both accounts (created if new) settled as a
   * fill with no fee at the price {@code amount / size} (truncated; the collateral moves by the
   * exact amount), the core's positions moved through {@code core}. An invalid request changes
   * nothing.
   *
   * @param r the request
   * @param slotNonce the nonce A's fill slot holds (0: none)
   * @param signatureValid whether B's signature verifies
   * @param core the core's side of a position move
   * @return the outcome and, when executed, the exchange (collaterals before: funding settled)
   */
  ForcedTradeOutcome apply(
      ForcedTradeRequest r, long slotNonce, boolean signatureValid, LiquidationActions core) {
    ForcedTradeReason reason = decide(r, slotNonce, signatureValid);
    if (reason != ForcedTradeReason.EXECUTED) {
      return new ForcedTradeOutcome(reason, null);
    }
    Account a = book.getOrCreate(r.accountA());
    Account b = book.getOrCreate(r.accountB());
    StateRecords.Exchange exchange =
        settlement.movePosition(
            a, b, r.market(), r.deltaA(), r.costA(), r.amount() / r.size(), core);
    return new ForcedTradeOutcome(reason, exchange);
  }

  /** The account (null: none) holds 8 positions, none in the market. */
  private static boolean noFreeEntry(Account x, int market) {
    return x != null && x.count >= AccountBook.MAX_POSITIONS && x.find(market) < 0;
  }

  private static long size(Account x, int market) {
    return x == null ? 0 : x.size(market);
  }

  /**
   * The account's new position {@code s1} fits an entry and its collateral, funding settled and
   * {@code cost} paid, fits 64 bits.
   */
  private boolean fits(Account x, long s1, long cost) {
    if (Math.abs(s1) > MAX_ABS_SIZE) {
      return false;
    }
    long c = x == null ? 0 : Math.addExact(x.collateral, book.pendingFunding(x));
    Math.subtractExact(c, cost);
    return true;
  }
}
