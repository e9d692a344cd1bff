package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.liquidation.Deleveraging;
import io.zkperp.batcher.v3.liquidation.InsuranceTakeover;
import io.zkperp.batcher.v3.liquidation.LiquidationWitness;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.MarketV2;
import java.util.Map;
import java.util.Objects;

/**
 * An insurance takeover's or a deleveraging's format v3 slot body: the field elements of {@code
 * liqstep.TakeoverStep} or {@code DeleverageStep} for a shape of N list entries and K table
 * markets, in gnark's schema order, as {@code batchv3.Encode} writes them (the assignments of
 * {@code liqstep.WitnessTakeover} / {@code WitnessDeleverage}): {@code Rules.*} (the market vector
 * before the step, market, Δ, price, the two accounts' rule witnesses — {@code Account} and {@code
 * Fund}, or {@code Deleveraged} and {@code Deleverager} — and open interest after), {@code Size}
 * (|Δ|), the two accounts' openings, the market's opening ({@code Market.*}), the global leaf's
 * hash ({@code GlobalLeaf}) and the table's openings ({@code Table.0 … K − 1}). Stateless; any
 * thread.
 */
public final class MoveStepElements {
  private MoveStepElements() {}

  /**
   * The number of elements of a takeover or deleveraging slot of shape (n, k): 81 + 14·N + 24·K.
   *
   * @param n list entries per account, 1 … 8
   * @param k markets in the table, 1 … 64
   * @return the element count
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: N or K out of range
   */
  public static int count(int n, int k) throws BatchWitnessException {
    LiquidationStepElements.checkShape(n, k);
    return 81 + 14 * n + 24 * k;
  }

  /**
   * The takeover's or deleveraging's slot elements.
   *
   * @param w an executed takeover or deleveraging ({@link
   *     io.zkperp.batcher.v3.liquidation.LiquidationExecution#execute})
   * @param marketsBefore every listed market before the step, by id
   * @param n list entries per account the shape reads
   * @param k markets in the shape's table
   * @param index the step's position in execution order (for the refusal)
   * @return the named elements
   * @throws BatchWitnessException {@link BatchWitnessError#SHAPE}: a liquidation fill, the market
   *     at K or above, an entry at N or above used or selected, or markets that do not hash to the
   *     root the step opened
   */
  public static StepElements of(
      LiquidationWitness w, Map<Integer, MarketV2> marketsBefore, int n, int k, int index)
      throws BatchWitnessException {
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(marketsBefore, "marketsBefore");
    LiquidationStepElements.checkShape(n, k);
    String a;
    String b;
    long delta;
    long price;
    switch (w.transaction()) {
      case InsuranceTakeover t -> {
        a = "Account";
        b = "Fund";
        delta = t.delta();
        price = t.price();
      }
      case Deleveraging d -> {
        a = "Deleveraged";
        b = "Deleverager";
        delta = d.delta();
        price = d.price();
      }
      default ->
          throw new BatchWitnessException(
              BatchWitnessError.SHAPE, index, "not a takeover or deleveraging");
    }
    int market = w.transaction().market();
    checkMarket(market, k, index);
    TradeMarketsTree tree = tree(marketsBefore, w, index);
    StepElements out = new StepElements();
    TradeMarketVector.markets(out, "Rules.Markets.", marketsBefore, k);
    out.add("Rules.Market", market);
    out.add("Rules.Delta", delta);
    out.add("Rules.Price", price);
    HolderElements.rules(out, "Rules." + a + ".", w.account(), market, delta, price, 0, n, index);
    HolderElements.rules(
        out, "Rules." + b + ".", w.counterparty(), market, -delta, price, 0, n, index);
    out.add("Rules.OpenInterestAfter", Fr.fromUnsignedLong(w.market().after().openInterest()));
    out.add("Size", Math.abs(delta));
    HolderElements.opening(out, a + ".", w.account());
    HolderElements.opening(out, b + ".", w.counterparty());
    TradeOpeningElements.market(out, w.market().before(), w.market().path().siblings());
    out.add("GlobalLeaf", w.rootsBefore().globalLeaf());
    TradeOpeningElements.table(out, marketsBefore, tree, k);
    if (out.size() != count(n, k)) {
      throw new IllegalStateException(out.size() + " elements, shape (" + n + ", " + k + ")");
    }
    return out;
  }

  /** The step's market must be in the table ({@code liqstep}'s {@code ErrShape}). */
  static void checkMarket(int market, int k, int index) throws BatchWitnessException {
    if (market >= k) {
      throw new BatchWitnessException(
          BatchWitnessError.SHAPE, index, "market " + market + ", K = " + k);
    }
  }

  /** The markets tree before the step, checked against the markets root the step opened. */
  static TradeMarketsTree tree(
      Map<Integer, MarketV2> marketsBefore, LiquidationWitness w, int index)
      throws BatchWitnessException {
    try {
      return TradeMarketsTree.of(marketsBefore, w.market().path().oldRoot());
    } catch (TradeElementsException e) {
      throw new BatchWitnessException(BatchWitnessError.SHAPE, index, e.getMessage());
    }
  }
}
