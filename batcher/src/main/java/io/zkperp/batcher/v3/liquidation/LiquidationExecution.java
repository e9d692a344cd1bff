package io.zkperp.batcher.v3.liquidation;

import io.zkperp.batcher.v3.MarketTerms;
import io.zkperp.batcher.v3.Position;
import io.zkperp.batcher.v3.StepSignatures;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.InvalidStateFieldException;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.GlobalUpdateV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Executes liquidation fills, insurance takeovers and deleveragings on a layout-v2 state batch
 * exactly as the Go references {@code liqstep.ApplyLiquidation}, {@code ApplyTakeover} and {@code
 * ApplyDeleverage} do ({@code docs/perp-circuit.md} §11.5): the rules of {@code
 * perp/reference/liquidation.go} (the liquidator checked as a trade's maker), funding settled on
 * both accounts, the entry of the market (the one holding it, else the lowest-index empty one), the
 * liquidator's fill leaf, the liquidation fee to the insurance fund (account 2^24 − 1), the
 * market's open interest and the maker fee into the global fee balance. The updates are written in
 * witness mode in the step's order and returned as a {@link LiquidationWitness} with the step's
 * public data.
 *
 * <p>A refused transaction throws {@link LiquidationRefusedException} with typed reasons and leaves
 * the batch unchanged: every record is computed and checked before the first write.
 *
 * <p>Immutable; any thread may create it, and {@link #execute} runs on the thread that owns the
 * batch (the store's writer thread).
 */
public final class LiquidationExecution {
  /** The insurance fund's account id: 2^24 − 1, layout v2's last account leaf. */
  public static final long FUND_ACCOUNT = (1L << LayoutV2.ACCOUNTS_DEPTH) - 1;

  private static final long MAX_PRICE = 1L << 32; // 4 bytes of public data
  private static final long MAX_SIZE = 1L << 56; // 7 bytes

  private final MessageDomain domain;
  private final long feePpm;

  /**
   * An executor for one deployment.
   *
   * @param domain the deployment (chain id, rollup address) the liquidators' orders are signed for
   * @param feePpm the deployment's liquidation fee rate (the engine's {@code
   *     LiquidationConfig.feePpm}, a constant of the step circuit)
   */
  public LiquidationExecution(MessageDomain domain, long feePpm) {
    this.domain = Objects.requireNonNull(domain, "domain");
    this.feePpm = feePpm;
  }

  /**
   * Executes a transaction on the batch in witness mode. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param tx the liquidation fill, takeover or deleveraging
   * @return the step's openings with the roots before and after, and its public data
   * @throws LiquidationRefusedException the transaction breaks a rule or does not fit the state
   *     (the batch is unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public LiquidationWitness execute(StateBatchV2 batch, LiquidationTransaction tx)
      throws LiquidationRefusedException {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(tx, "tx");
    return switch (tx) {
      case LiquidationFill l -> fill(batch, l);
      case InsuranceTakeover t -> move(batch, t, t.account(), FUND_ACCOUNT, t.delta(), t.price());
      case Deleveraging d -> move(batch, d, d.account(), d.deleverager(), d.delta(), d.price());
    };
  }

  private LiquidationWitness fill(StateBatchV2 batch, LiquidationFill l)
      throws LiquidationRefusedException {
    OrderMessage o = l.liquidator().order();
    long id = l.account();
    long mid = Integer.toUnsignedLong(o.account());
    if (id == FUND_ACCOUNT || mid == FUND_ACCOUNT) {
      throw refused(
          LiquidationRefusalReason.FUND_ACCOUNT, "liquidated " + id + ", liquidator " + mid);
    }
    if (id == mid) {
      throw refused(LiquidationRefusalReason.SAME_ACCOUNT, "account " + id + " on both sides");
    }
    if (l.price() >= MAX_PRICE || l.size() >= MAX_SIZE || o.nonce() == 0) {
      throw refused(
          LiquidationRefusalReason.OUT_OF_RANGE,
          "price " + l.price() + ", size " + l.size() + ", order nonce " + o.nonce());
    }
    MarketV2 market = listed(batch, l.market());
    List<MarketTerms> markets = markets(batch);
    Read liquidated = read(batch, id, l.market());
    Read maker = read(batch, mid, l.market());
    AccountV2 fund = batch.account(FUND_ACCOUNT);
    if (fund == null) {
      throw refused(LiquidationRefusalReason.UNKNOWN_ACCOUNT, "the insurance fund does not exist");
    }
    FillV2 slot = batch.fill(mid, LayoutV2.fillSlot(o.nonce()));
    LiquidationRules.FillOutcome out =
        LiquidationRules.liquidate(
            domain,
            l,
            feePpm,
            markets,
            liquidated.holder,
            new LiquidationRules.Liquidator(
                StepSignatures.keyOf(maker.account.identity()),
                maker.holder,
                slot == null ? 0 : slot.orderNonce(),
                slot == null ? 0 : slot.filledAmount()),
            fund.collateral());
    if (!out.broken().isEmpty()) {
      throw new LiquidationRefusedException(out.broken(), "the liquidation breaks " + out.broken());
    }
    // every record, checked before the first write
    AccountV2 liquidatedAfter = after(liquidated.account, out.liquidated());
    AccountV2 makerAfter = after(maker.account, out.liquidator());
    FillV2 fillAfter = new FillV2(out.fillNonce(), out.fillFilled());
    AccountV2 fundAfter =
        new AccountV2(fund.identity(), fund.nonce(), out.fundCollateral(), fund.positions());
    MarketV2 marketAfter = withOpenInterest(market, out.openInterest());
    GlobalV2 g = batch.global();
    long feeBalance;
    try {
      if (out.feeBalanceDelta() < 0) {
        throw new ArithmeticException("negative maker fee");
      }
      feeBalance = Math.addExact(g.feeBalance(), out.feeBalanceDelta());
    } catch (ArithmeticException e) {
      throw refused(LiquidationRefusalReason.OUT_OF_RANGE, "fee balance: " + e.getMessage());
    }
    AccountLeafUpdateV2 a = batch.updateAccountLeaf(id, liquidatedAfter);
    AccountUpdateV2 m = batch.updateAccount(mid, makerAfter, fillAfter);
    AccountLeafUpdateV2 f = batch.updateAccountLeaf(FUND_ACCOUNT, fundAfter);
    MarketUpdateV2 mk = batch.updateMarket(l.market(), marketAfter);
    GlobalUpdateV2 gl =
        batch.updateGlobal(
            new GlobalV2(feeBalance, g.oracleSigners(), g.oracleQuorum(), g.feeTiers()));
    return new LiquidationWitness(l, a, m, f, mk, gl, LiquidationPublicData.of(l));
  }

  private LiquidationWitness move(
      StateBatchV2 batch,
      LiquidationTransaction tx,
      long id,
      long counterparty,
      long delta,
      long price)
      throws LiquidationRefusedException {
    if (id == FUND_ACCOUNT) {
      throw refused(LiquidationRefusalReason.FUND_ACCOUNT, "the fund as the closed account");
    }
    if (id == counterparty) {
      throw refused(LiquidationRefusalReason.SAME_ACCOUNT, "account " + id + " on both sides");
    }
    if (delta <= -MAX_SIZE || delta >= MAX_SIZE || price < 0 || price >= MAX_PRICE) {
      throw refused(LiquidationRefusalReason.OUT_OF_RANGE, "size " + delta + ", price " + price);
    }
    MarketV2 market = listed(batch, tx.market());
    List<MarketTerms> markets = markets(batch);
    Read account = read(batch, id, tx.market());
    Read other = read(batch, counterparty, tx.market());
    LiquidationRules.MoveOutcome out =
        switch (tx) {
          case InsuranceTakeover t ->
              LiquidationRules.takeover(t, markets, account.holder, other.holder);
          case Deleveraging d ->
              LiquidationRules.deleverage(d, markets, account.holder, other.holder);
          case LiquidationFill l -> throw new IllegalArgumentException("not a move");
        };
    if (!out.broken().isEmpty()) {
      throw new LiquidationRefusedException(out.broken(), "the step breaks " + out.broken());
    }
    AccountV2 accountAfter = after(account.account, out.account());
    AccountV2 otherAfter = after(other.account, out.counterparty());
    MarketV2 marketAfter = withOpenInterest(market, out.openInterest());
    AccountLeafUpdateV2 a = batch.updateAccountLeaf(id, accountAfter);
    AccountLeafUpdateV2 x = batch.updateAccountLeaf(counterparty, otherAfter);
    MarketUpdateV2 mk = batch.updateMarket(tx.market(), marketAfter);
    return new LiquidationWitness(tx, a, null, x, mk, null, LiquidationPublicData.of(tx));
  }

  private static LiquidationRefusedException refused(
      LiquidationRefusalReason reason, String message) {
    return new LiquidationRefusedException(List.of(reason), message);
  }

  private static MarketV2 listed(StateBatchV2 batch, int id) throws LiquidationRefusedException {
    MarketV2 m = id < 0 || id >= 1 << LayoutV2.MARKETS_DEPTH ? null : batch.market(id);
    if (m == null) {
      throw refused(LiquidationRefusalReason.UNKNOWN_MARKET, "market " + id + " is not listed");
    }
    return m;
  }

  /** The reference's market vector: 64 entries, an unlisted id all zero. */
  private static List<MarketTerms> markets(StateBatchV2 batch) throws LiquidationRefusedException {
    try {
      return MarketTerms.vectorOf(batch);
    } catch (ArithmeticException e) {
      throw refused(LiquidationRefusalReason.OUT_OF_RANGE, e.getMessage());
    }
  }

  /** An account with its holder view. */
  private record Read(AccountV2 account, Holder holder) {}

  /** Reads an existing account; its slot the entry of the market (holding, else lowest empty). */
  private static Read read(StateBatchV2 batch, long id, int market)
      throws LiquidationRefusedException {
    AccountV2 a = id >= 0 && id < 1L << LayoutV2.ACCOUNTS_DEPTH ? batch.account(id) : null;
    if (a == null) {
      throw refused(LiquidationRefusalReason.UNKNOWN_ACCOUNT, "account " + id + " does not exist");
    }
    int slot = Position.slotFor(a.positions(), market);
    if (slot < 0) {
      throw refused(
          LiquidationRefusalReason.TOO_MANY_POSITIONS,
          "account " + id + " holds " + LayoutV2.MAX_POSITIONS + " positions, none in " + market);
    }
    List<Position> list = Position.listOf(a.positions());
    return new Read(a, new Holder(a.collateral(), list, slot));
  }

  /** The account with its new collateral and entries, identity and nonce unchanged. */
  private static AccountV2 after(AccountV2 a, Settled s) throws LiquidationRefusedException {
    try {
      List<PositionEntry> entries = new ArrayList<>(s.positions().size());
      for (Position p : s.positions()) {
        entries.add(new PositionEntry(p.market(), p.size(), p.snapshot()));
      }
      return new AccountV2(a.identity(), a.nonce(), s.collateral(), new PositionList(entries));
    } catch (InvalidStateFieldException e) {
      throw refused(LiquidationRefusalReason.OUT_OF_RANGE, e.getMessage());
    }
  }

  private static MarketV2 withOpenInterest(MarketV2 m, long openInterest)
      throws LiquidationRefusedException {
    if (openInterest < 0) {
      throw refused(LiquidationRefusalReason.OUT_OF_RANGE, "open interest " + openInterest);
    }
    return new MarketV2(
        m.oraclePrice(),
        m.oracleTimestamp(),
        m.fundingIndex(),
        m.fundingTimestamp(),
        openInterest,
        m.risk());
  }
}
