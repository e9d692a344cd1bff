package io.zkperp.batcher.v3;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.InvalidStateFieldException;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.protocol.state.v2.PositionEntry;
import io.zkperp.protocol.state.v2.PositionList;
import io.zkperp.state.StateStoreException;
import io.zkperp.state.v2.AccountUpdateV2;
import io.zkperp.state.v2.GlobalUpdateV2;
import io.zkperp.state.v2.MarketUpdateV2;
import io.zkperp.state.v2.StateBatchV2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Executes trade transactions on a layout-v2 state batch exactly as the Go reference {@code
 * perpstep.ApplyTrade} does: signatures, limits, fill slots under the nonce window (2^12), fees
 * within the signed caps, funding settled on every position of both accounts, the fill in the entry
 * holding the market or the lowest-index empty entry (a closed entry emptied in place), post-trade
 * margin (initial, or the reduce rule), maximum position size, reduce-only, open interest within
 * its cap, and the fee balance of the global leaf. The updates are written in witness mode in the
 * trade step's order — buyer's fill and account, seller's (its path taken after the buyer's
 * update), the market, the global leaf — and returned as a {@link TradeWitness}.
 *
 * <p>A refused trade throws {@link TradeRefusedException} with typed reasons and leaves the batch
 * unchanged: every record is computed and checked before the first write.
 *
 * <p>Immutable; any thread may create it, and {@link #execute} runs on the thread that owns the
 * batch (the store's writer thread).
 */
public final class TradeExecution {
  private final MessageDomain domain;

  /**
   * An executor for orders signed for one deployment.
   *
   * @param domain the deployment (chain id, rollup address) the order signatures must name
   */
  public TradeExecution(MessageDomain domain) {
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /**
   * Executes a trade on the batch in witness mode. Writer thread of the batch's store.
   *
   * @param batch the open batch
   * @param tx the trade
   * @return the openings of the trade step, with the roots before and after
   * @throws TradeRefusedException the trade breaks a rule or does not fit the state (the batch is
   *     unchanged)
   * @throws StateStoreException BATCH_CLOSED, or a storage failure
   */
  public TradeWitness execute(StateBatchV2 batch, TradeTransaction tx)
      throws TradeRefusedException {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(tx, "tx");
    int buyerId = tx.buyer().order().account();
    int sellerId = tx.seller().order().account();
    if (buyerId == sellerId) {
      throw refused(TradeRefusalReason.SELF_TRADE, "both orders are of account " + buyerId);
    }
    MarketV2 market = listed(batch, tx.market());
    if (market == null) {
      throw refused(TradeRefusalReason.UNKNOWN_MARKET, "market " + tx.market() + " is not listed");
    }
    List<MarketTerms> markets = new ArrayList<>(1 << LayoutV2.MARKETS_DEPTH);
    Map<Integer, MarketV2> listed = new HashMap<>();
    for (int id = 0; id < 1 << LayoutV2.MARKETS_DEPTH; id++) {
      MarketV2 m = batch.market(id);
      markets.add(m == null ? MarketTerms.UNLISTED : terms(id, m));
      if (m != null) {
        listed.put(id, m);
      }
    }
    long[] ids = {Integer.toUnsignedLong(buyerId), Integer.toUnsignedLong(sellerId)};
    TradeOrder[] orders = {tx.buyer(), tx.seller()};
    AccountV2[] accounts = new AccountV2[2];
    TradeParty[] parties = new TradeParty[2];
    for (int i = 0; i < 2; i++) {
      accounts[i] = ids[i] < 1L << LayoutV2.ACCOUNTS_DEPTH ? batch.account(ids[i]) : null;
      if (accounts[i] == null) {
        throw refused(TradeRefusalReason.UNKNOWN_ACCOUNT, "account " + ids[i] + " does not exist");
      }
      parties[i] = party(batch, ids[i], accounts[i], tx.market(), orders[i]);
    }
    TradeOutcome out = TradeRules.apply(domain, tx, markets, parties[0], parties[1]);
    if (!out.broken().isEmpty()) {
      throw new TradeRefusedException(out.broken(), "the trade breaks " + out.broken());
    }
    // every new record, checked before the first write
    AccountV2[] after = new AccountV2[2];
    FillV2[] fills = new FillV2[2];
    PartyResult[] results = {out.buyer(), out.seller()};
    for (int i = 0; i < 2; i++) {
      PartyResult r = results[i];
      fills[i] = new FillV2(r.fillNonce(), r.fillFilled());
      AccountV2 a = accounts[i];
      after[i] = new AccountV2(a.identity(), a.nonce(), r.collateral(), layoutList(r.positions()));
    }
    if (out.openInterest() < 0) {
      throw refused(TradeRefusalReason.OUT_OF_RANGE, "open interest " + out.openInterest());
    }
    GlobalV2 g = batch.global();
    long feeBalance;
    try {
      feeBalance = Math.addExact(g.feeBalance(), out.feeBalanceDelta());
    } catch (ArithmeticException e) {
      throw refused(TradeRefusalReason.OUT_OF_RANGE, "fee balance leaves the int64 range");
    }
    MarketV2 marketAfter =
        new MarketV2(
            market.oraclePrice(),
            market.oracleTimestamp(),
            market.fundingIndex(),
            market.fundingTimestamp(),
            out.openInterest(),
            market.risk());
    AccountUpdateV2 buyer = batch.updateAccount(ids[0], after[0], fills[0]);
    AccountUpdateV2 seller = batch.updateAccount(ids[1], after[1], fills[1]);
    MarketUpdateV2 m = batch.updateMarket(tx.market(), marketAfter);
    GlobalUpdateV2 gl =
        batch.updateGlobal(
            new GlobalV2(feeBalance, g.oracleSigners(), g.oracleQuorum(), g.feeTiers()));
    TradeCharges charges =
        new TradeCharges(
            out.buyer().fee(),
            out.buyer().fundingSettled(),
            out.seller().fee(),
            out.seller().fundingSettled());
    return new TradeWitness(tx, buyer, seller, m, gl, charges, listed);
  }

  private static TradeRefusedException refused(TradeRefusalReason reason, String message) {
    return new TradeRefusedException(List.of(reason), message);
  }

  private static MarketV2 listed(StateBatchV2 batch, int id) {
    if (id < 0 || id >= 1 << LayoutV2.MARKETS_DEPTH) {
      return null;
    }
    return batch.market(id);
  }

  /** The reference's market vector entry; a u64 field above 2^63 − 1 does not fit it. */
  private static MarketTerms terms(int id, MarketV2 m) throws TradeRefusedException {
    try {
      return MarketTerms.of(m);
    } catch (ArithmeticException e) {
      throw refused(TradeRefusalReason.OUT_OF_RANGE, "market " + id + " holds " + e.getMessage());
    }
  }

  private static TradeParty party(
      StateBatchV2 batch, long id, AccountV2 a, int market, TradeOrder order)
      throws TradeRefusedException {
    int slot = Position.slotFor(a.positions(), market);
    if (slot < 0) {
      throw refused(
          TradeRefusalReason.TOO_MANY_POSITIONS,
          "account " + id + " holds " + LayoutV2.MAX_POSITIONS + " positions, none in " + market);
    }
    List<Position> list = Position.listOf(a.positions());
    FillV2 fill = batch.fill(id, LayoutV2.fillSlot(order.order().nonce()));
    return new TradeParty(
        StepSignatures.keyOf(a.identity()),
        a.collateral(),
        list,
        slot,
        fill == null ? 0 : fill.orderNonce(),
        fill == null ? 0 : fill.filledAmount(),
        order);
  }

  /** The positions as a layout-v2 list; a value outside its fields is refused OUT_OF_RANGE. */
  static PositionList layoutList(List<Position> positions) throws TradeRefusedException {
    try {
      List<PositionEntry> entries = new ArrayList<>(positions.size());
      for (Position p : positions) {
        entries.add(new PositionEntry(p.market(), p.size(), p.snapshot()));
      }
      return new PositionList(entries);
    } catch (InvalidStateFieldException e) {
      throw refused(TradeRefusalReason.OUT_OF_RANGE, e.getMessage());
    }
  }
}
