package io.zkperp.batcher.v3;

import io.zkperp.batcher.v3.ForcedTradeRefusedException.Refusal;
import io.zkperp.protocol.eddsa.EdDsa;
import io.zkperp.protocol.eddsa.EdwardsPoint;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.ForcedTradeReason;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import io.zkperp.state.v2.StateRootsV2;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    int slotA = Position.slotFor(a.positions(), r.market());
    int slotB = Position.slotFor(b.positions(), r.market());
    Sides sides = null;
    ForcedTradeReason reason;
    if (mk == null) {
      reason = ForcedTradeReason.UNKNOWN_MARKET;
    } else {
      List<MarketTerms> markets = markets(batch);
      boolean noFreeEntry = slotA < 0 || slotB < 0;
      sides = noFreeEntry ? null : settle(markets, mk, a, b, slotA, slotB, r);
      boolean signed = verifies(b, r.message().hash(domain), r);
      reason = decide(batch, r, signed, noFreeEntry, sides);
    }
    ForcedTradeOpenings openings;
    if (reason == ForcedTradeReason.EXECUTED) {
      openings = write(batch, r, a, b, mk, sides, slotA, slotB);
    } else {
      openings = open(batch, r, a, b, slotA, slotB);
    }
    return new ForcedTradeOutcome(
        r, reason, record(r, reason), r.opHash(), batch.roots(), openings);
  }

  /** The decision after the market is known listed: the first reason that holds. */
  private static ForcedTradeReason decide(
      StateBatchV2 batch, ForcedTradeRequest r, boolean signed, boolean noFreeEntry, Sides sides)
      throws ForcedTradeRefusedException {
    FillV2 fill = batch.fill(r.accountA(), LayoutV2.fillSlot(r.nonce()));
    long used = fill == null ? 0 : fill.orderNonce();
    if (Long.compareUnsigned(used, r.nonce()) >= 0) {
      return ForcedTradeReason.STALE;
    }
    if (!signed) {
      return ForcedTradeReason.BAD_SIGNATURE;
    }
    if (noFreeEntry) {
      return ForcedTradeReason.NO_FREE_ENTRY;
    }
    if (sides.outOfRange()) {
      return ForcedTradeReason.OUT_OF_RANGE;
    }
    if (!sides.decided()) {
      throw new ForcedTradeRefusedException(
          Refusal.ARITHMETIC, "a margin figure beyond int64 while the limits hold");
    }
    return sides.riskOk() ? ForcedTradeReason.EXECUTED : ForcedTradeReason.RISK;
  }

  /** Writes an executed trade: A's account and fill, B's account (path after A's), the market. */
  private static ForcedTradeOpenings write(
      StateBatchV2 batch,
      ForcedTradeRequest r,
      AccountV2 a,
      AccountV2 b,
      MarketV2 mk,
      Sides sides,
      int slotA,
      int slotB)
      throws ForcedTradeRefusedException {
    AccountV2 afterA = after(a, sides.a());
    AccountV2 afterB = after(b, sides.b());
    StateRootsV2 before = batch.roots();
    Map<Integer, MarketV2> listed = MarketTerms.listedOf(batch);
    FillV2 fill = batch.fill(r.accountA(), LayoutV2.fillSlot(r.nonce()));
    AccountUpdateV2 ua = batch.updateAccount(r.accountA(), afterA, new FillV2(r.nonce(), r.size()));
    AccountLeafUpdateV2 ub = batch.updateAccountLeaf(r.accountB(), afterB);
    batch.updateMarket(
        r.market(),
        new MarketV2(
            mk.oraclePrice(),
            mk.oracleTimestamp(),
            mk.fundingIndex(),
            mk.fundingTimestamp(),
            sides.openInterest(),
            mk.risk()));
    return new ForcedTradeOpenings(
        before,
        a,
        ua.fillPath().oldRoot(),
        ua.accountPath().siblings(),
        b,
        ub.fillsRoot(),
        ub.path().siblings(),
        fill == null ? new FillV2(0, 0) : fill,
        ua.fillPath().siblings(),
        listed,
        slotA,
        slotB,
        shift(listed, a, slotA, cost(r)),
        shift(listed, b, slotB, cost(r).negate()));
  }

  /**
   * The openings of an invalid request, which changes nothing: each account leaf rewritten as it is
   * (its path, the root unchanged) and A's fill path from its fills tree read whole.
   */
  private static ForcedTradeOpenings open(
      StateBatchV2 batch, ForcedTradeRequest r, AccountV2 a, AccountV2 b, int slotA, int slotB) {
    StateRootsV2 before = batch.roots();
    Map<Integer, MarketV2> listed = MarketTerms.listedOf(batch);
    int slot = LayoutV2.fillSlot(r.nonce());
    List<Fr> leaves = new ArrayList<>(1 << LayoutV2.FILLS_DEPTH);
    for (int i = 0; i < 1 << LayoutV2.FILLS_DEPTH; i++) {
      FillV2 f = batch.fill(r.accountA(), i);
      leaves.add(f == null ? Fr.ZERO : f.leafHash());
    }
    DenseMerkleTree fills = new DenseMerkleTree(leaves);
    FillV2 fill = batch.fill(r.accountA(), slot);
    AccountLeafUpdateV2 la = batch.updateAccountLeaf(r.accountA(), a);
    AccountLeafUpdateV2 lb = batch.updateAccountLeaf(r.accountB(), b);
    if (!la.fillsRoot().equals(fills.root()) || !batch.roots().equals(before)) {
      throw new IllegalStateException("the openings of an invalid forced trade changed the state");
    }
    return new ForcedTradeOpenings(
        before,
        a,
        la.fillsRoot(),
        la.path().siblings(),
        b,
        lb.fillsRoot(),
        lb.path().siblings(),
        fill == null ? new FillV2(0, 0) : fill,
        fills.siblings(slot),
        listed,
        slotA,
        slotB,
        shift(listed, a, slotA, cost(r)),
        shift(listed, b, slotB, cost(r).negate()));
  }

  /** A's cost: the amount when A buys, its negation when A sells. */
  private static BigInteger cost(ForcedTradeRequest r) {
    BigInteger amount = BigInteger.valueOf(r.amount());
    return r.aBuys() ? amount : amount.negate();
  }

  /**
   * Go's {@code shift}: 0 when collateral − cost + the funding of every entry the settlement reads
   * (entry 0 read as empty when no entry is free) is an int64, else its negation.
   */
  private static BigInteger shift(
      Map<Integer, MarketV2> listed, AccountV2 acc, int slot, BigInteger cost) {
    BigInteger c = BigInteger.valueOf(acc.collateral()).subtract(cost);
    List<Position> list = Position.listOf(acc.positions());
    for (int j = 0; j < list.size(); j++) {
      Position e = list.get(j);
      if (e.size() == 0 || (slot < 0 && j == 0)) {
        continue;
      }
      MarketV2 m = listed.get(e.market());
      long index = m == null ? 0 : m.fundingIndex();
      BigInteger f =
          BigInteger.valueOf(e.snapshot())
              .subtract(BigInteger.valueOf(index))
              .multiply(BigInteger.valueOf(e.size()));
      c = c.add(f.shiftRight(32)); // ⌊f / 2^32⌋: an arithmetic shift floors
    }
    return c.bitLength() < 64 ? BigInteger.ZERO : c.negate();
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
