package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.risk.RiskMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a trade, as the Go reference {@code perp/reference.Apply} states them, on values
 * read from the state: the result is computed even when rules are broken, and every broken rule is
 * listed once, in the reference's order. Margin, fees and funding are the engine's {@link
 * RiskMath}; a figure RiskMath refuses ({@link ArithmeticException}) breaks rule {@link
 * TradeRefusalReason#RANGE} and counts as 0, as the reference's {@code ErrRange} does. Sums of
 * figures wrap as the reference's int64 sums do.
 *
 * <p>Stateless; any thread.
 */
public final class TradeRules {
  private static final long PPM = RiskMath.PPM;
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private TradeRules() {}

  /** Collects broken rules once each, in order of first breach. */
  private static final class Broken {
    final List<TradeRefusalReason> list = new ArrayList<>();

    void add(TradeRefusalReason r) {
      if (!list.contains(r)) {
        list.add(r);
      }
    }
  }

  @FunctionalInterface
  private interface Figure {
    long get();
  }

  private static long figure(Broken broken, Figure f) {
    try {
      return f.get();
    } catch (ArithmeticException e) {
      broken.add(TradeRefusalReason.RANGE);
      return 0;
    }
  }

  /**
   * Applies the trade.
   *
   * @param domain the deployment the orders are signed for
   * @param tx the trade
   * @param markets the market vector, indexed by market id (64 entries)
   * @param buyer the buyer's state
   * @param seller the seller's state
   * @return the result and the broken rules
   */
  static TradeOutcome apply(
      MessageDomain domain,
      TradeTransaction tx,
      List<MarketTerms> markets,
      TradeParty buyer,
      TradeParty seller) {
    Broken broken = new Broken();
    long oiDelta = 0;
    MarketTerms m = markets.get(tx.market());
    PartyResult[] results = new PartyResult[2];
    TradeParty[] parties = {buyer, seller};
    for (int i = 0; i < 2; i++) {
      boolean buy = i == 0;
      TradeParty p = parties[i];
      OrderMessage o = p.order().order();
      if (!signatureValid(domain, p)) {
        broken.add(TradeRefusalReason.SIGNATURE);
      }
      int side = buy ? 0 : 1;
      if (o.market() != tx.market() || o.side().code() != side) {
        broken.add(TradeRefusalReason.ORDER_FIELDS);
      }
      long price = tx.price();
      if ((buy && price > o.price()) || (!buy && price < o.price()) || price < 0) {
        broken.add(TradeRefusalReason.LIMIT);
      }
      // the fill slot under the nonce-window rule (nonces, sizes and amounts are unsigned)
      long filled = 0;
      if (o.nonce() == 0 || Long.compareUnsigned(p.fillNonce(), o.nonce()) > 0) {
        broken.add(TradeRefusalReason.FILL);
      } else if (p.fillNonce() == o.nonce()) {
        filled = p.fillFilled();
      }
      long size = tx.size();
      long filledAfter = filled + size;
      if (size <= 0
          || Long.compareUnsigned(filledAfter, o.size()) > 0
          || Long.compareUnsigned(filledAfter, filled) < 0) {
        broken.add(TradeRefusalReason.FILL);
      }
      long notional = figure(broken, () -> Math.multiplyExact(price, size));
      long feePpm = p.order().feePpm();
      if (feePpm > o.feeCap() || feePpm < -PPM || feePpm > PPM) {
        broken.add(TradeRefusalReason.FEE_CAP);
      }
      long fee = fee(broken, notional, feePpm);
      List<Position> list = p.positions();
      int slot = p.slot();
      if (slot < 0 || slot >= list.size()) {
        broken.add(TradeRefusalReason.POSITIONS);
        continue;
      }
      for (int j = 0; j < list.size(); j++) {
        Position q = list.get(j);
        if (q.size() != 0 && q.market() == tx.market() && j != slot) {
          broken.add(TradeRefusalReason.POSITIONS);
        }
        if (j == slot && q.size() != 0 && q.market() != tx.market()) {
          broken.add(TradeRefusalReason.POSITIONS);
        }
      }
      long d = buy ? size : -size;
      long s0 = list.get(slot).size();
      long s1 = s0 + d;
      results[i] =
          settle(
              broken,
              markets,
              p.collateral(),
              list,
              slot,
              tx.market(),
              d,
              price,
              fee,
              o.nonce(),
              filledAfter);
      if (o.reduceOnly() && !reduces(s0, s1)) {
        broken.add(TradeRefusalReason.REDUCE_ONLY);
      }
      if (Math.abs(s1) > Math.abs(s0) && Math.abs(s1) > m.risk().maxPositionSize()) {
        broken.add(TradeRefusalReason.MAX_POSITION_SIZE);
      }
      oiDelta += Math.max(s1, 0) - Math.max(s0, 0);
    }
    if (buyer.order().feePpm() + seller.order().feePpm() < 0) {
      broken.add(TradeRefusalReason.FEE_BALANCE);
    }
    long buyerFee = results[0] == null ? 0 : results[0].fee();
    long sellerFee = results[1] == null ? 0 : results[1].fee();
    long openInterest = m.openInterest() + oiDelta;
    if (openInterest > m.openInterest() && openInterest > m.risk().openInterestCap()) {
      broken.add(TradeRefusalReason.OPEN_INTEREST);
    }
    return new TradeOutcome(
        results[0], results[1], openInterest, buyerFee + sellerFee, broken.list);
  }

  private static boolean signatureValid(MessageDomain domain, TradeParty p) {
    return StepSignatures.verifies(p.key(), p.order().signature(), p.order().order().hash(domain));
  }

  /**
   * The fee on the fill: RiskMath's, within its domain (notional ≥ 0, |rate| ≤ 10^6). Outside it
   * the trade already breaks rule FEE_CAP or LIMIT; the fee is then 0.
   */
  private static long fee(Broken broken, long notional, long ppm) {
    if (notional < 0 || ppm < -PPM || ppm > PPM) {
      return 0;
    }
    return figure(broken, () -> RiskMath.fee(notional, ppm));
  }

  /** |s₁| &lt; |s₀| without changing sign (s₁ = 0 allowed). */
  private static boolean reduces(long s0, long s1) {
    return Math.abs(s1) < Math.abs(s0) && (s1 == 0 || (s1 > 0) == (s0 > 0));
  }

  /**
   * One account's side of the fill (the reference's {@code Settle}): funding settled on every
   * position (each snapshot set to its market's index), then the fill of signed size d at the price
   * with the fee in entry {@code slot} (a new position takes the index as snapshot, a closed one
   * becomes empty), then the margin rule over all positions at the oracle prices.
   */
  private static PartyResult settle(
      Broken broken,
      List<MarketTerms> markets,
      long collateral,
      List<Position> list,
      int slot,
      int market,
      long d,
      long price,
      long fee,
      long fillNonce,
      long fillFilled) {
    List<Position> after = new ArrayList<>(list.size());
    long fundingSettled = 0;
    for (Position q : list) {
      if (q.size() == 0) {
        after.add(Position.EMPTY);
        continue;
      }
      MarketTerms mk = markets.get(q.market());
      fundingSettled +=
          figure(broken, () -> RiskMath.fundingCredit(q.size(), q.snapshot(), mk.fundingIndex()));
      after.add(new Position(q.market(), q.size(), mk.fundingIndex()));
    }
    long c = collateral + fundingSettled;
    long s0 = list.get(slot).size();
    long s1 = s0 + d;
    after.set(
        slot,
        s1 == 0 ? Position.EMPTY : new Position(market, s1, markets.get(market).fundingIndex()));
    BigInteger exact =
        BigInteger.valueOf(c)
            .subtract(BigInteger.valueOf(d).multiply(BigInteger.valueOf(price)))
            .subtract(BigInteger.valueOf(fee));
    long c1;
    if (exact.compareTo(MIN) < 0 || exact.compareTo(MAX) > 0) {
      broken.add(TradeRefusalReason.RANGE);
      c1 = 0;
    } else {
      c1 = exact.longValue();
    }
    long[] before = sums(broken, markets, list);
    long[] next = sums(broken, markets, after);
    long equity0 = c + before[0];
    long mmr0 = before[2];
    long equity1 = c1 + next[0];
    if (!marginOk(s0, s1, equity0, mmr0, equity1, next[1], next[2])) {
      broken.add(TradeRefusalReason.MARGIN);
    }
    return new PartyResult(c1, after, fillNonce, fillFilled, fee, fundingSettled);
  }

  /**
   * One account's side of a fill outside a signed trade (the reference's {@code Settle} as the
   * forced trade calls it): {@link #settle} with its margin and range bits. Any thread.
   *
   * @param markets the market vector, indexed by market id
   * @param collateral the account's collateral
   * @param list the account's position list
   * @param slot the entry that takes the fill
   * @param market the traded market
   * @param d the signed size
   * @param price the price
   * @param fee the fee charged (the forced trade's signed amount, at price 0)
   * @return the account after the fill, whether the margin rule holds, whether every figure fit
   *     int64
   */
  static SettledParty settleParty(
      List<MarketTerms> markets,
      long collateral,
      List<Position> list,
      int slot,
      int market,
      long d,
      long price,
      long fee) {
    Broken broken = new Broken();
    PartyResult r = settle(broken, markets, collateral, list, slot, market, d, price, fee, 0, 0);
    return new SettledParty(
        r,
        !broken.list.contains(TradeRefusalReason.MARGIN),
        !broken.list.contains(TradeRefusalReason.RANGE));
  }

  /**
   * A party settled by {@link #settleParty}.
   *
   * @param result the account after the fill
   * @param marginOk whether the margin rule holds
   * @param inRange whether every figure stayed within int64
   */
  record SettledParty(PartyResult result, boolean marginOk, boolean inRange) {}

  /** Σ value, Σ initial requirement, Σ maintenance requirement at the oracle prices. */
  private static long[] sums(Broken broken, List<MarketTerms> markets, List<Position> list) {
    long eq = 0;
    long im = 0;
    long mm = 0;
    for (Position q : list) {
      if (q.size() == 0) {
        continue;
      }
      MarketTerms mk = markets.get(q.market());
      eq += figure(broken, () -> RiskMath.value(q.size(), mk.price()));
      im += figure(broken, () -> RiskMath.initialRequirement(q.size(), mk.price(), mk.risk()));
      mm += figure(broken, () -> RiskMath.maintenanceRequirement(q.size(), mk.price(), mk.risk()));
    }
    return new long[] {eq, im, mm};
  }

  /**
   * The engine's post-trade rule: equity₁ ≥ IMR₁, or the position shrinks without flipping and
   * equity / maintenance requirement does not fall (equity₁ · MMR₀ ≥ equity₀ · MMR₁, or equity₁ ≥ 0
   * when MMR₁ = 0). Public for the liquidation steps, whose liquidator is a trade's maker.
   *
   * @param s0 the position before the fill
   * @param s1 the position after it
   * @param equity0 equity before (funding settled)
   * @param mmr0 Σ maintenance requirements before
   * @param equity1 equity after
   * @param imr1 Σ initial requirements after
   * @param mmr1 Σ maintenance requirements after
   * @return whether the rule holds
   */
  public static boolean marginOk(
      long s0, long s1, long equity0, long mmr0, long equity1, long imr1, long mmr1) {
    if (equity1 >= imr1) {
      return true;
    }
    if (!reduces(s0, s1)) {
      return false;
    }
    if (mmr1 == 0) {
      return equity1 >= 0;
    }
    return RiskMath.compareProducts(equity1, mmr0, equity0, mmr1) >= 0;
  }
}
