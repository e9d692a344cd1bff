package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.ForcedTradeOpenings;
import io.zkperp.batcher.v3.ForcedTradeOutcome;
import io.zkperp.batcher.v3.ForcedTradeRequest;
import io.zkperp.batcher.v3.Position;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.MarketV2;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A forced trade's format v3 slot body: the field elements of {@code batchv3.ForcedTradeStep}
 * ({@code forcedtrade.ForcedTradeTransition}) for a shape of N list entries and K table markets, in
 * gnark's schema order, as {@code batchv3.Encode} writes the assignment of {@code
 * forcedtrade.Witness}: the message, owner A, B's signature (R, S) and the reason; A and B ({@code
 * Party}: leaf fields, N entries, the one-hot entry of the market, the path — B's after A's update
 * — and the shift); A's fill slot and its path; the market vector and the table (ids 0 … K − 1);
 * the trade market's opening, whether it is listed, and the global leaf. Stateless; any thread.
 */
public final class ForcedTradeStepElements {
  private ForcedTradeStepElements() {}

  /**
   * The number of elements of a forced-trade slot of shape (n, k): 105 + 8·N + 24·K.
   *
   * @param n list entries per account, 1 … 8
   * @param k markets in the table, 1 … 64
   * @return the element count
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: N or K out of range
   */
  public static int count(int n, int k) throws BatchWitnessException {
    LiquidationStepElements.checkShape(n, k);
    return 105 + 8 * n + 24 * k;
  }

  /**
   * The forced-trade slot's elements.
   *
   * @param o a decided forced trade ({@link io.zkperp.batcher.v3.ForcedTradeExecution#execute})
   * @param n list entries per account the shape reads
   * @param k markets in the shape's table
   * @param index the step's position in execution order (for the refusal)
   * @return the named elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: the market at K or above, an
   *     entry at N or above used or selected, or markets that do not hash to the opened root
   */
  public static StepElements of(ForcedTradeOutcome o, int n, int k, int index)
      throws BatchWitnessException {
    Objects.requireNonNull(o, "o");
    int count = count(n, k);
    ForcedTradeRequest r = o.request();
    ForcedTradeOpenings op = o.openings();
    MoveStepElements.checkMarket(r.market(), k, index);
    TradeMarketsTree tree;
    try {
      tree = TradeMarketsTree.of(op.marketsBefore(), op.rootsBefore().marketsRoot());
    } catch (TradeElementsException e) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, e.getMessage());
    }
    StepElements out = new StepElements();
    out.add("Message.AccountA", r.accountA());
    out.add("Message.AccountB", r.accountB());
    out.add("Message.Market", r.market());
    out.add("Message.ABuys", r.aBuys() ? 1 : 0);
    out.add("Message.Size", Fr.fromUnsignedLong(r.size()));
    out.add("Message.Amount", Fr.fromUnsignedLong(r.amount()));
    out.add("Message.Nonce", Fr.fromUnsignedLong(r.nonce()));
    out.add("OwnerA", r.ownerA().toField());
    out.add("RX", r.rx());
    out.add("RY", r.ry());
    out.add("S", r.s());
    out.add("Reason", o.reason().code());
    party(out, "A.", op.a(), op.aFillsRoot(), op.slotA(), op.aPath(), op.shiftA(), n, index);
    party(out, "B.", op.b(), op.bFillsRoot(), op.slotB(), op.bPath(), op.shiftB(), n, index);
    out.add("FillNonce", Fr.fromUnsignedLong(op.fill().orderNonce()));
    out.add("FillFilled", Fr.fromUnsignedLong(op.fill().filledAmount()));
    AccountLeafElements.path(out, "FillPath.", op.fillPath());
    TradeMarketVector.markets(out, "Markets.", op.marketsBefore(), k);
    TradeOpeningElements.table(out, op.marketsBefore(), tree, k);
    MarketV2 market = op.marketsBefore().get(r.market());
    TradeOpeningElements.market(out, market, tree.siblings(r.market()));
    out.add("MarketListed", market == null ? 0 : 1);
    out.add("GlobalLeaf", op.rootsBefore().globalLeaf());
    if (out.size() != count) {
      throw new IllegalStateException(out.size() + " elements, shape (" + n + ", " + k + ")");
    }
    return out;
  }

  /** {@code forcedtrade.Party}: the leaf's fields, N entries, the selection, the path, shift. */
  private static void party(
      StepElements out,
      String p,
      AccountV2 a,
      Fr fillsRoot,
      int slot,
      List<Fr> path,
      BigInteger shift,
      int n,
      int index)
      throws BatchWitnessException {
    int selected = Math.max(slot, 0);
    if (selected >= n) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE, index, p + " entry " + selected + " selected, N = " + n);
    }
    out.add(p + "KeyX", a.identity().publicKeyX());
    out.add(p + "KeyY", a.identity().publicKeyY());
    out.add(p + "L1Owner", a.identity().owner().toField());
    out.add(p + "FeeTier", a.identity().feeTier());
    out.add(p + "Nonce", Fr.fromUnsignedLong(a.nonce()));
    out.add(p + "Collateral", a.collateral());
    out.add(p + "FillsRoot", fillsRoot);
    List<Position> list = Position.listOf(a.positions());
    for (int j = 0; j < list.size(); j++) {
      Position q = list.get(j);
      if (j >= n) {
        if (q.size() != 0) {
          throw new BatchWitnessException(
              BatchWitnessError.SHAPE, index, p + " entry " + j + " in use, N = " + n);
        }
        continue;
      }
      out.add(p + "Positions." + j + ".Market", q.market());
      out.add(p + "Positions." + j + ".Size", q.size());
      out.add(p + "Positions." + j + ".Snapshot", q.snapshot());
    }
    for (int j = 0; j < n; j++) {
      out.add(p + "Select." + j, j == selected ? 1 : 0);
    }
    AccountLeafElements.path(out, p + "Path.", path);
    out.add(p + "Shift", shift);
  }
}
