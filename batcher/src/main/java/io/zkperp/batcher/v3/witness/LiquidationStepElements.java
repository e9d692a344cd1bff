package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.liquidation.LiquidationFill;
import io.zkperp.batcher.v3.liquidation.LiquidationWitness;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.MessageType;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.v2.AccountLeafUpdateV2;
import io.zkperp.state.v2.AccountUpdateV2;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

/**
 * A liquidation fill's format v3 slot body: the field elements of {@code liqstep.LiquidationStep}
 * for a shape of N list entries and K table markets, in gnark's schema order, as {@code
 * batchv3.Encode} writes them (the assignment of {@code liqstep.WitnessLiquidation}):
 *
 * <ol>
 *   <li>{@code Rules.*} ({@code perp.LiquidationCircuit}): the order separator, the market vector
 *       (ids 0 … K − 1, before the step), market, price, size, the fee rate, the fee, the
 *       liquidated account ({@code perp.HolderVars}), the liquidator ({@code perp.PartyVars}, as a
 *       trade's maker), the fund's collateral before and after, open interest after and the fee
 *       balance's gain (the maker fee);
 *   <li>{@code Liquidated.*}: the liquidated account's opening; {@code Liquidator.*}: the
 *       liquidator's account and fill openings; {@code Fund.*}: the fund's opening with its packed
 *       list;
 *   <li>{@code Market.*}, {@code Global.*}, {@code Table.0 … K − 1}: as a trade's.
 * </ol>
 *
 * <p>Stateless; any thread.
 */
public final class LiquidationStepElements {
  private LiquidationStepElements() {}

  /**
   * The number of elements of a liquidation slot of shape (n, k): 157 + 14·N + 24·K.
   *
   * @param n list entries per account, 1 … 8
   * @param k markets in the table, 1 … 64
   * @return the element count
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: N or K out of range
   */
  public static int count(int n, int k) throws BatchWitnessException {
    checkShape(n, k);
    return 157 + 14 * n + 24 * k;
  }

  static void checkShape(int n, int k) throws BatchWitnessException {
    if (n < 1 || n > LayoutV2.MAX_POSITIONS || k < 1 || k > 1 << LayoutV2.MARKETS_DEPTH) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE, -1, "N = " + n + " (1 … 8), K = " + k + " (1 … 64)");
    }
  }

  /**
   * The liquidation slot's elements.
   *
   * @param w an executed liquidation fill ({@link
   *     io.zkperp.batcher.v3.liquidation.LiquidationExecution#execute})
   * @param marketsBefore every listed market before the step, by id
   * @param domain the deployment the liquidator's order was verified for
   * @param feePpm the liquidation fee rate the execution applied (the shape's)
   * @param n list entries per account the shape reads
   * @param k markets in the shape's table
   * @param index the step's position in execution order (for the refusal)
   * @return the named elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: not a fill, the market at K or
   *     above, an entry at N or above used or selected, a malformed signature, or markets that do
   *     not hash to the root the step opened
   */
  public static StepElements of(
      LiquidationWitness w,
      Map<Integer, MarketV2> marketsBefore,
      MessageDomain domain,
      long feePpm,
      int n,
      int k,
      int index)
      throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(marketsBefore, "marketsBefore");
    Objects.requireNonNull(domain, "domain");
    checkShape(n, k);
    if (!(w.transaction() instanceof LiquidationFill l)) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, "not a liquidation fill");
    }
    MoveStepElements.checkMarket(l.market(), k, index);
    TradeMarketsTree tree = MoveStepElements.tree(marketsBefore, w, index);
    OrderMessage order = l.liquidator().order();
    // the liquidated account sells when the resting order buys
    long delta = order.side().code() == 0 ? -l.size() : l.size();
    AccountUpdateV2 maker = w.liquidator();
    long makerFee = w.global().after().feeBalance() - w.global().before().feeBalance();
    long makerFunding =
        BigInteger.valueOf(maker.after().collateral())
            .subtract(BigInteger.valueOf(maker.before().collateral()))
            .add(BigInteger.valueOf(-delta).multiply(BigInteger.valueOf(l.price())))
            .add(BigInteger.valueOf(makerFee))
            .longValue();
    TradePartyElements.Side side =
        new TradePartyElements.Side(
            "Rules.Liquidator.", l.liquidator(), maker, makerFee, makerFunding);
    Fr[] signature;
    int makerSlot;
    try {
      signature = TradePartyElements.signature(side);
      makerSlot = TradePartyElements.checkedSlot(side, l.market(), n);
    } catch (TradeElementsException e) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, e.getMessage());
    }
    StepElements out = new StepElements();
    out.add("Rules.Separator", domain.separator(MessageType.ORDER));
    TradeMarketVector.markets(out, "Rules.Markets.", marketsBefore, k);
    out.add("Rules.Market", l.market());
    out.add("Rules.Price", l.price());
    out.add("Rules.Size", l.size());
    out.add("Rules.FeePpm", feePpm);
    out.add("Rules.Fee", l.fee());
    HolderElements.rules(
        out, "Rules.Liquidated.", w.account(), l.market(), delta, l.price(), l.fee(), n, index);
    TradePartyElements.write(out, side, makerSlot, signature, n);
    AccountLeafUpdateV2 fund = w.counterparty();
    out.add("Rules.FundCollateral", fund.before().collateral());
    out.add("Rules.FundCollateralAfter", fund.after().collateral());
    out.add("Rules.OpenInterestAfter", Fr.fromUnsignedLong(w.market().after().openInterest()));
    out.add("Rules.FeeBalanceDelta", makerFee);
    HolderElements.opening(out, "Liquidated.", w.account());
    TradeOpeningElements.account(out, "Liquidator.", maker);
    fund(out, fund);
    TradeOpeningElements.market(out, w.market().before(), w.market().path().siblings());
    TradeOpeningElements.global(out, w.global().before());
    TradeOpeningElements.table(out, marketsBefore, tree, k);
    if (out.size() != count(n, k)) {
      throw new IllegalStateException(out.size() + " elements, shape (" + n + ", " + k + ")");
    }
    return out;
  }

  /** {@code liqstep.Fund}: identity hash, nonce, fills root, the packed list as held, path. */
  private static void fund(StepElements out, AccountLeafUpdateV2 o) {
    AccountV2 before = o.before();
    out.add("Fund.Identity", before.identity().hash());
    out.add("Fund.Nonce", Fr.fromUnsignedLong(before.nonce()));
    out.add("Fund.FillsRoot", o.fillsRoot());
    Fr[] q = before.positions().pack();
    for (int i = 0; i < q.length; i++) {
      out.add("Fund.List." + i, q[i]);
    }
    AccountLeafElements.path(out, "Fund.Path.", o.path().siblings());
  }
}
