package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.MarketTerms;
import io.zkperp.batcher.v3.Position;
import io.zkperp.batcher.v3.StepSignatures;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.risk.BankruptcyPrice;
import io.zkperp.protocol.risk.RiskMath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a liquidation fill, an insurance takeover and a deleveraging as the Go reference
 * {@code perp/reference/liquidation.go} states them ({@code Liquidate}, {@code InsuranceTakeover},
 * {@code Deleverage}), on values read from the state: each result is computed even when rules are
 * broken, and every broken rule is listed once, in the reference's order. The arithmetic is the
 * engine's {@link RiskMath} and {@link BankruptcyPrice}. Stateless; any thread.
 */
final class LiquidationRules {
  private static final long PPM = RiskMath.PPM;
  private static final BigInteger BIG_PPM = BigInteger.valueOf(PPM);

  private LiquidationRules() {}

  /** Collects broken rules once each, in order of first breach. */
  static final class Broken {
    final List<LiquidationRefusalReason> list = new ArrayList<>();

    void add(LiquidationRefusalReason r) {
      if (!list.contains(r)) {
        list.add(r);
      }
    }
  }

  /** The liquidator as a trade's maker: its key, state, fill leaf and signed order. */
  record Liquidator(EdDsaPublicKey key, Holder holder, long fillNonce, long fillFilled) {}

  /**
   * What a fill leaves: both sides, the liquidator's fill leaf and fee, the fund's collateral, the
   * fee balance's gain and the market's open interest.
   */
  record FillOutcome(
      Settled liquidated,
      Settled liquidator,
      long fillNonce,
      long fillFilled,
      long fundCollateral,
      long feeBalanceDelta,
      long openInterest,
      List<LiquidationRefusalReason> broken) {}

  /** What a takeover or deleveraging leaves: both sides and the market's open interest. */
  record MoveOutcome(
      Settled account,
      Settled counterparty,
      long openInterest,
      List<LiquidationRefusalReason> broken) {}

  /** The reference's {@code Liquidate}. */
  static FillOutcome liquidate(
      MessageDomain domain,
      LiquidationFill l,
      long feePpm,
      List<MarketTerms> markets,
      Holder liquidated,
      Liquidator liquidator,
      long fund) {
    Broken broken = new Broken();
    MarketTerms m = markets.get(l.market());
    OrderMessage o = l.liquidator().order();
    boolean buy = o.side().code() == 0;
    if (!slotOk(liquidated, l.market()) || !slotOk(liquidator.holder(), l.market())) {
      broken.add(LiquidationRefusalReason.POSITIONS);
      return new FillOutcome(null, null, 0, 0, 0, 0, 0, broken.list);
    }
    // the liquidator's side, as a trade's maker (its fee never a rebate)
    Maker maker = maker(domain, l, markets, liquidator, buy, broken);
    if (maker.error) {
      broken.add(LiquidationRefusalReason.RANGE);
    }
    if (o.market() != l.market()) {
      broken.add(LiquidationRefusalReason.ORDER_FIELDS);
    }
    // the liquidated account takes the other side, no margin rule
    long d = buy ? -l.size() : l.size();
    BigInteger notionalExact = BigInteger.valueOf(l.price()).multiply(BigInteger.valueOf(l.size()));
    long notional = 0;
    if (notionalExact.bitLength() > 63) {
      broken.add(LiquidationRefusalReason.RANGE);
    } else {
      notional = notionalExact.longValue();
    }
    Settled a =
        AccountSettlement.settle(
            markets,
            liquidated.collateral(),
            liquidated.positions(),
            liquidated.slot(),
            l.market(),
            d,
            l.price(),
            l.fee());
    if (!a.inRange()) {
      broken.add(LiquidationRefusalReason.RANGE);
    }
    if (!(a.equity0() < a.mmr0())) {
      broken.add(LiquidationRefusalReason.NOT_LIQUIDATABLE);
    }
    long s0 = liquidated.size();
    if (!AccountSettlement.shrinks(s0, s0 + d)) {
      broken.add(LiquidationRefusalReason.POSITION_SHRINKS);
    }
    // the engine's fee: min(⌈N·feePpm/10^6⌉, max(0, equity after the fill))
    BigInteger up =
        ceilDiv(BigInteger.valueOf(notional).multiply(BigInteger.valueOf(clamp(feePpm))), BIG_PPM);
    long bound = 0;
    if (up.bitLength() > 63) {
      broken.add(LiquidationRefusalReason.RANGE);
    } else {
      bound = up.longValue();
    }
    bound = Math.min(bound, Math.max(0, a.equity1() + l.fee()));
    if (feePpm < 0 || feePpm > PPM || l.fee() < 0 || l.fee() > bound) {
      broken.add(LiquidationRefusalReason.LIQUIDATION_FEE);
    }
    BigInteger fundExact = BigInteger.valueOf(fund).add(BigInteger.valueOf(l.fee()));
    long fundAfter = 0;
    if (fundExact.bitLength() > 63) {
      broken.add(LiquidationRefusalReason.RANGE);
    } else {
      fundAfter = fundExact.longValue();
    }
    long ms0 = liquidator.holder().size();
    long ms1 = ms0 - d;
    long oi =
        m.openInterest()
            + Math.max(s0 + d, 0)
            - Math.max(s0, 0)
            + Math.max(ms1, 0)
            - Math.max(ms0, 0);
    if (oi > m.openInterest() && oi > m.risk().openInterestCap()) {
      broken.add(LiquidationRefusalReason.OPEN_INTEREST);
    }
    return new FillOutcome(
        a, maker.after, maker.fillNonce, maker.fillFilled, fundAfter, maker.fee, oi, broken.list);
  }

  private static long clamp(long feePpm) {
    return Math.max(0, Math.min(feePpm, PPM));
  }

  /** The liquidator's side as the reference's {@code makerAfter} computes it. */
  private static final class Maker {
    Settled after;
    long fee;
    long fillNonce;
    long fillFilled;
    boolean error;
  }

  private static Maker maker(
      MessageDomain domain,
      LiquidationFill l,
      List<MarketTerms> markets,
      Liquidator p,
      boolean buy,
      Broken broken) {
    Maker out = new Maker();
    MarketTerms mk = markets.get(l.market());
    OrderMessage o = l.liquidator().order();
    if (!StepSignatures.verifies(p.key(), l.liquidator().signature(), o.hash(domain))) {
      broken.add(LiquidationRefusalReason.SIGNATURE);
    }
    long price = l.price();
    if ((buy && price > o.price()) || (!buy && price < o.price()) || price < 0) {
      broken.add(LiquidationRefusalReason.LIMIT);
    }
    long filled = 0;
    if (o.nonce() == 0 || Long.compareUnsigned(p.fillNonce(), o.nonce()) > 0) {
      broken.add(LiquidationRefusalReason.FILL);
    } else if (p.fillNonce() == o.nonce()) {
      filled = p.fillFilled();
    }
    long size = l.size();
    long filledAfter = filled + size;
    if (size <= 0
        || Long.compareUnsigned(filledAfter, o.size()) > 0
        || Long.compareUnsigned(filledAfter, filled) < 0) {
      broken.add(LiquidationRefusalReason.FILL);
    }
    BigInteger n = BigInteger.valueOf(price).multiply(BigInteger.valueOf(size));
    if (n.bitLength() > 63) {
      out.error = true;
      return out;
    }
    long rate = l.liquidator().feePpm();
    if (rate > o.feeCap() || rate < -PPM || rate > PPM) {
      broken.add(LiquidationRefusalReason.FEE_CAP);
    }
    BigInteger f =
        rate >= 0
            ? ceilDiv(n.multiply(BigInteger.valueOf(rate)), BIG_PPM)
            : floorDiv(n.multiply(BigInteger.valueOf(-rate)), BIG_PPM);
    if (f.bitLength() > 63) {
      out.error = true;
      return out;
    }
    long fee = Math.max(0, rate >= 0 ? f.longValue() : -f.longValue());
    long d = buy ? size : -size;
    Holder h = p.holder();
    Settled s =
        AccountSettlement.settle(
            markets, h.collateral(), h.positions(), h.slot(), l.market(), d, price, fee);
    out.after = s;
    if (!s.inRange()) {
      out.error = true;
      return out;
    }
    long s0 = h.size();
    if (!AccountSettlement.marginOk(s0, s0 + d, s)) {
      broken.add(LiquidationRefusalReason.MARGIN);
    }
    out.fee = fee;
    out.fillNonce = o.nonce();
    out.fillFilled = filledAfter;
    long s1 = s0 + d;
    if (Math.abs(s1) > Math.abs(s0) && Math.abs(s1) > mk.risk().maxPositionSize()) {
      broken.add(LiquidationRefusalReason.MAX_POSITION_SIZE);
    }
    if (o.reduceOnly() && !AccountSettlement.shrinks(s0, s1)) {
      broken.add(LiquidationRefusalReason.REDUCE_ONLY);
    }
    return out;
  }

  /** The reference's {@code InsuranceTakeover}. */
  static MoveOutcome takeover(
      InsuranceTakeover t, List<MarketTerms> markets, Holder account, Holder fund) {
    Broken broken = new Broken();
    if (!slotOk(account, t.market()) || !slotOk(fund, t.market())) {
      broken.add(LiquidationRefusalReason.POSITIONS);
      return new MoveOutcome(null, null, 0, broken.list);
    }
    long s0 = account.size();
    long c = -t.delta();
    Move mv = move(markets, t.market(), account, fund, c, t.price());
    if (mv.error) {
      broken.add(LiquidationRefusalReason.RANGE);
    }
    if (!(mv.a.equity0() < mv.a.mmr0())) {
      broken.add(LiquidationRefusalReason.NOT_LIQUIDATABLE);
    }
    if (!AccountSettlement.shrinks(s0, s0 - c)) {
      broken.add(LiquidationRefusalReason.POSITION_SHRINKS);
    }
    if (t.price() != mv.bankruptcy) {
      broken.add(LiquidationRefusalReason.BANKRUPTCY_PRICE);
    }
    if (mv.x.equity1() < 0) {
      broken.add(LiquidationRefusalReason.FUND_EQUITY);
    }
    return new MoveOutcome(mv.a, mv.x, mv.openInterest, broken.list);
  }

  /** The reference's {@code Deleverage}. */
  static MoveOutcome deleverage(
      Deleveraging d, List<MarketTerms> markets, Holder account, Holder deleverager) {
    Broken broken = new Broken();
    if (!slotOk(account, d.market()) || !slotOk(deleverager, d.market())) {
      broken.add(LiquidationRefusalReason.POSITIONS);
      return new MoveOutcome(null, null, 0, broken.list);
    }
    long s0 = account.size();
    long x0 = deleverager.size();
    long c = -d.delta();
    Move mv = move(markets, d.market(), account, deleverager, c, d.price());
    if (mv.error) {
      broken.add(LiquidationRefusalReason.RANGE);
    }
    if (!(mv.a.equity0() < 0)) {
      broken.add(LiquidationRefusalReason.NOT_BANKRUPT);
    }
    if (!AccountSettlement.shrinks(s0, s0 - c)) {
      broken.add(LiquidationRefusalReason.POSITION_SHRINKS);
    }
    if (!AccountSettlement.shrinks(x0, x0 + c)) {
      broken.add(LiquidationRefusalReason.DELEVERAGER_SHRINKS);
    }
    if (d.price() != mv.bankruptcy) {
      broken.add(LiquidationRefusalReason.BANKRUPTCY_PRICE);
    }
    return new MoveOutcome(mv.a, mv.x, mv.openInterest, broken.list);
  }

  /** The reference's {@code move} (the engine's {@code Settlement.movePosition}). */
  private static final class Move {
    Settled a;
    Settled x;
    long bankruptcy;
    long openInterest;
    boolean error;
  }

  private static Move move(
      List<MarketTerms> markets, int market, Holder a, Holder x, long c, long price) {
    Move mv = new Move();
    if (c != 0) {
      try {
        mv.bankruptcy = bankruptcyPrice(markets, a, market, c);
      } catch (ArithmeticException e) {
        mv.bankruptcy = 0;
        mv.error = true;
      }
    }
    mv.a =
        AccountSettlement.settle(
            markets, a.collateral(), a.positions(), a.slot(), market, -c, price, 0);
    mv.x =
        AccountSettlement.settle(
            markets, x.collateral(), x.positions(), x.slot(), market, c, price, 0);
    if (!mv.a.inRange() || !mv.x.inRange()) {
      mv.error = true;
    }
    long s0 = a.size();
    long x0 = x.size();
    mv.openInterest =
        markets.get(market).openInterest()
            + Math.max(s0 - c, 0)
            - Math.max(s0, 0)
            + Math.max(x0 + c, 0)
            - Math.max(x0, 0);
    return mv;
  }

  /**
   * The bankruptcy price of closing c of the account's position in the market, with equity and Σ
   * MMR counted exactly as the reference's {@code equityAndMMR} (funding pending, every entry).
   */
  private static long bankruptcyPrice(List<MarketTerms> markets, Holder a, int market, long c) {
    BigInteger equity = BigInteger.valueOf(a.collateral());
    BigInteger mmr = BigInteger.ZERO;
    int open = 0;
    long s = 0;
    for (Position q : a.positions()) {
      if (q.size() == 0) {
        continue;
      }
      open++;
      MarketTerms mk = markets.get(q.market());
      equity =
          equity
              .add(
                  BigInteger.valueOf(
                      RiskMath.fundingCredit(q.size(), q.snapshot(), mk.fundingIndex())))
              .add(BigInteger.valueOf(RiskMath.value(q.size(), mk.price())));
      mmr =
          mmr.add(
              BigInteger.valueOf(RiskMath.maintenanceRequirement(q.size(), mk.price(), mk.risk())));
      if (q.market() == market) {
        s = q.size();
      }
    }
    MarketTerms mk = markets.get(market);
    return BankruptcyPrice.of(
        equity.longValueExact(),
        mmr.longValueExact(),
        c == s && open == 1,
        s,
        c,
        mk.price(),
        mk.risk());
  }

  /** The list rule: the slot holds the market or is empty, no other entry holds it. */
  private static boolean slotOk(Holder h, int market) {
    List<Position> list = h.positions();
    if (h.slot() < 0 || h.slot() >= list.size()) {
      return false;
    }
    for (int j = 0; j < list.size(); j++) {
      Position q = list.get(j);
      if (q.size() != 0 && q.market() == market && j != h.slot()) {
        return false;
      }
      if (j == h.slot() && q.size() != 0 && q.market() != market) {
        return false;
      }
    }
    return true;
  }

  /** ⌊a / b⌋ for b &gt; 0. */
  private static BigInteger floorDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
  }

  /** ⌈a / b⌉ for b &gt; 0. */
  private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
    return floorDiv(a.negate(), b).negate();
  }
}
