package io.zkperp.batcher.v3;

import io.zkperp.batcher.v3.ForcedTradeRefusedException.Refusal;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdwardsPoint;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.StateBatchV2;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Decides a forced trade on a layout-v2 state batch exactly as Go's {@code
 * forcedtrade/reference.Apply} (docs/perp-circuit.md §12): unknown market, stale nonce, bad
 * signature, no free entry, out of range, risk, executed — the first that holds. Each side is
 * settled with the trade's settlement ({@link TradeRules#settleParty}: funding on every position,
 * the fill at price 0 with the amount as the charge, the margin rule). An executed trade writes A's
 * account and fill (nonce, size), B's account and the market's open interest; an invalid one writes
 * nothing. Immutable; {@link #execute} runs on the thread that owns the batch.
 */
public final class ForcedTradeExecution {
  /** The record's type byte (docs/batch-format.md, Format v3 records). */
  public static final byte RECORD_TYPE = 0x0C;

  /** The record's length. */
  public static final int RECORD_BYTES = 26;

  private static final long MAX_ABS_SIZE = (1L << 55) - 1;
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final MessageDomain domain;

  /**
   * An executor for requests signed for one deployment.
   *
   * @param domain the deployment B's signature names
   */
  public ForcedTradeExecution(MessageDomain domain) {
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /**
   * Decides the request and, when executed, writes it. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param r the request
   * @return the reason, the record and the operation hash
   * @throws ForcedTradeRefusedException a request L1 refuses or a state no engine produces (the
   *     batch is unchanged)
   */
  public ForcedTradeOutcome execute(StateBatchV2 batch, ForcedTradeRequest r)
      throws ForcedTradeRefusedException {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(r, "r");
    if (r.accountA() == r.accountB()) {
      throw new ForcedTradeRefusedException(Refusal.SELF_TRADE, "A and B are " + r.accountA());
    }
    if (r.accountA() == LayoutV2.INSURANCE_FUND_ACCOUNT
        || r.accountB() == LayoutV2.INSURANCE_FUND_ACCOUNT) {
      throw new ForcedTradeRefusedException(Refusal.FUND_ACCOUNT, "the insurance fund trades");
    }
    AccountV2 a = account(batch, r.accountA());
    AccountV2 b = account(batch, r.accountB());
    if (a == null || b == null) {
      throw new ForcedTradeRefusedException(Refusal.NO_ACCOUNT, "A or B does not exist");
    }
    if (!a.identity().owner().equals(r.ownerA())) {
      throw new ForcedTradeRefusedException(Refusal.OWNER, "the requester is not A's owner");
    }
    if (r.market() < 0
        || r.market() >= 1 << LayoutV2.MARKETS_DEPTH
        || r.nonce() == 0
        || r.size() <= 0
        || r.size() >= 1L << 55
        || r.amount() < 0) {
      throw new ForcedTradeRefusedException(Refusal.REQUEST_RANGE, "a field L1 does not queue");
    }
    MarketV2 mk = batch.market(r.market());
    if (mk == null) {
      return outcome(r, ForcedTradeReason.UNKNOWN_MARKET);
    }
    List<MarketTerms> markets = markets(batch);
    int slotA = Position.slotFor(a.positions(), r.market());
    int slotB = Position.slotFor(b.positions(), r.market());
    boolean noFreeEntry = slotA < 0 || slotB < 0;
    Sides sides = noFreeEntry ? null : settle(markets, mk, a, b, slotA, slotB, r);
    boolean signed = verifies(b, ForcedTradeHashes.messageHash(domain, r), r);
    FillV2 fill = batch.fill(r.accountA(), LayoutV2.fillSlot(r.nonce()));
    long used = fill == null ? 0 : fill.orderNonce();
    if (Long.compareUnsigned(used, r.nonce()) >= 0) {
      return outcome(r, ForcedTradeReason.STALE);
    }
    if (!signed) {
      return outcome(r, ForcedTradeReason.BAD_SIGNATURE);
    }
    if (noFreeEntry) {
      return outcome(r, ForcedTradeReason.NO_FREE_ENTRY);
    }
    if (sides.outOfRange()) {
      return outcome(r, ForcedTradeReason.OUT_OF_RANGE);
    }
    if (!sides.decided()) {
      throw new ForcedTradeRefusedException(
          Refusal.ARITHMETIC, "a margin figure beyond int64 while the limits hold");
    }
    if (!sides.riskOk()) {
      return outcome(r, ForcedTradeReason.RISK);
    }
    AccountV2 afterA = after(a, sides.a());
    AccountV2 afterB = after(b, sides.b());
    batch.updateAccount(r.accountA(), afterA, new FillV2(r.nonce(), r.size()));
    batch.updateAccountLeaf(r.accountB(), afterB);
    batch.updateMarket(
        r.market(),
        new MarketV2(
            mk.oraclePrice(),
            mk.oracleTimestamp(),
            mk.fundingIndex(),
            mk.fundingTimestamp(),
            sides.openInterest(),
            mk.risk()));
    return outcome(r, ForcedTradeReason.EXECUTED);
  }

  /** Both sides settled, the new open interest and the decision's bits. */
  private record Sides(
      PartyResult a,
      PartyResult b,
      long openInterest,
      boolean outOfRange,
      boolean riskOk,
      boolean decided) {}

  private static Sides settle(
      List<MarketTerms> markets,
      MarketV2 mk,
      AccountV2 a,
      AccountV2 b,
      int slotA,
      int slotB,
      ForcedTradeRequest r) {
    long dA = r.aBuys() ? r.size() : -r.size();
    long cA = r.aBuys() ? r.amount() : -r.amount();
    List<Position> listA = Position.listOf(a.positions());
    List<Position> listB = Position.listOf(b.positions());
    TradeRules.SettledParty pa =
        TradeRules.settleParty(markets, a.collateral(), listA, slotA, r.market(), dA, 0, cA);
    TradeRules.SettledParty pb =
        TradeRules.settleParty(markets, b.collateral(), listB, slotB, r.market(), -dA, 0, -cA);
    long sA0 = listA.get(slotA).size();
    long sB0 = listB.get(slotB).size();
    BigInteger oi =
        new BigInteger(Long.toUnsignedString(mk.openInterest()))
            .add(
                BigInteger.valueOf(Math.max(sA0 + dA, 0) - Math.max(sA0, 0))
                    .add(BigInteger.valueOf(Math.max(sB0 - dA, 0) - Math.max(sB0, 0))));
    boolean outOfRange =
        !fits(a.collateral(), pa.result().fundingSettled(), cA, sA0 + dA)
            || !fits(b.collateral(), pb.result().fundingSettled(), -cA, sB0 - dA)
            || oi.signum() < 0
            || oi.compareTo(U64_MAX) > 0;
    if (outOfRange) {
      return new Sides(pa.result(), pb.result(), 0, true, false, true);
    }
    long openInterest = oi.longValue();
    MarketTerms terms = markets.get(r.market());
    long maxSize = terms.risk().maxPositionSize();
    boolean oiOk =
        openInterest <= mk.openInterest() || openInterest <= terms.risk().openInterestCap();
    boolean limits = within(sA0, dA, maxSize) && within(sB0, -dA, maxSize) && oiOk;
    boolean riskOk = pa.marginOk() && pb.marginOk() && limits;
    boolean decided = (pa.inRange() && pb.inRange()) || !limits;
    return new Sides(pa.result(), pb.result(), openInterest, false, riskOk, decided);
  }

  /** The size limit: the position does not grow beyond the market's maximum. */
  private static boolean within(long s0, long d, long maxSize) {
    long s1 = s0 + d;
    return !(Math.abs(s1) > Math.abs(s0) && Math.abs(s1) > maxSize);
  }

  /** collateral + funding − cost fits int64 and |s1| fits the packed size. */
  private static boolean fits(long collateral, long funding, long cost, long s1) {
    BigInteger c =
        BigInteger.valueOf(collateral)
            .add(BigInteger.valueOf(funding))
            .subtract(BigInteger.valueOf(cost));
    return c.bitLength() < 64 && Math.abs(s1) <= MAX_ABS_SIZE;
  }

  private static List<MarketTerms> markets(StateBatchV2 batch) throws ForcedTradeRefusedException {
    try {
      return MarketTerms.vectorOf(batch);
    } catch (ArithmeticException e) {
      throw new ForcedTradeRefusedException(Refusal.ARITHMETIC, e.getMessage());
    }
  }

  private static AccountV2 account(StateBatchV2 batch, long id) {
    return id >= 0 && id < 1L << LayoutV2.ACCOUNTS_DEPTH ? batch.account(id) : null;
  }

  private static AccountV2 after(AccountV2 a, PartyResult p) throws ForcedTradeRefusedException {
    try {
      return new AccountV2(
          a.identity(), a.nonce(), p.collateral(), TradeExecution.layoutList(p.positions()));
    } catch (TradeRefusedException e) {
      throw new ForcedTradeRefusedException(Refusal.ARITHMETIC, e.getMessage());
    }
  }

  /**
   * Go's {@code reference.Verify}: R on the curve, S below the subgroup order, [8][S]B = [8](R +
   * [H(R, A, msg)]A).
   */
  private static boolean verifies(AccountV2 b, Fr msg, ForcedTradeRequest r) {
    try {
      EdwardsPoint key = EdwardsPoint.of(b.identity().publicKeyX(), b.identity().publicKeyY());
      EdwardsPoint rp = EdwardsPoint.of(r.rx(), r.ry());
      BigInteger s = r.s().toBigInteger();
      if (s.compareTo(EdwardsPoint.ORDER) >= 0) {
        return false;
      }
      BigInteger c = EdDsa.challenge(rp, key, msg).toBigInteger();
      BigInteger cof = BigInteger.valueOf(EdwardsPoint.COFACTOR);
      EdwardsPoint lhs = EdwardsPoint.multiplyBase(s).multiply(cof);
      EdwardsPoint rhs = key.multiply(c).add(rp).multiply(cof);
      return lhs.equals(rhs);
    } catch (InvalidEncodingException e) { // R or B's key off the curve
      return false;
    }
  }

  private static ForcedTradeOutcome outcome(ForcedTradeRequest r, ForcedTradeReason reason) {
    return new ForcedTradeOutcome(reason, record(r, reason), ForcedTradeHashes.opHash(r));
  }

  /**
   * The record {@code forcedtrade.PublicData}: type ‖ A u24 ‖ B u24 ‖ market u8 ‖ side u8 ‖ size
   * u64 ‖ amount u64 ‖ reason u8, big-endian.
   *
   * @param r the request
   * @param reason its outcome
   * @return 26 bytes
   */
  public static byte[] record(ForcedTradeRequest r, ForcedTradeReason reason) {
    ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES);
    buf.put(RECORD_TYPE);
    for (long id : new long[] {r.accountA(), r.accountB()}) {
      buf.put((byte) (id >>> 16)).put((byte) (id >>> 8)).put((byte) id);
    }
    buf.put((byte) r.market()).put((byte) (r.aBuys() ? 1 : 0));
    buf.putLong(r.size()).putLong(r.amount()).put((byte) reason.code());
    return buf.array();
  }
}
