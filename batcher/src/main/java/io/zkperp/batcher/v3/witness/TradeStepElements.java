package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.TradeCharges;
import io.zkperp.batcher.v3.TradeTransaction;
import io.zkperp.batcher.v3.TradeWitness;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.MessageType;
import io.zkperp.protocol.state.v2.LayoutV2;
import java.util.Objects;

/**
 * A trade's format v3 slot body: the field elements of {@code perpstep.TradeTransition} for a shape
 * of N list entries per account and K table markets, in gnark's schema order, as {@code
 * batchv3.Encode} writes them for the same trade (docs/batch-format.md, "Witness encoding"). Built
 * from what {@link io.zkperp.batcher.v3.TradeExecution} returns:
 *
 * <ol>
 *   <li>{@code Trade.*} ({@code perp.TradeCircuit}): the order separator of the deployment, the
 *       market vector (ids 0 … K − 1, before the trade), market, price, size, each side ({@code
 *       perp.PartyVars}), open interest after and the fee balance's gain;
 *   <li>{@code Buyer.*}, {@code Seller.*}: the account openings;
 *   <li>{@code Market.*}: the trade market's opening; {@code Global.*}: the global leaf before;
 *   <li>{@code Table.0 … K − 1}: every table market opened in the markets root the trade read.
 * </ol>
 *
 * <p>The shape refusals are those of {@code perpstep.WitnessBound} ({@code ErrShape}): the market
 * at K or above, an entry at N or above used or selected. Like it, a position held in a market at K
 * or above is not refused here (the circuit cannot be satisfied with such a witness). The circuit's
 * hint outputs (quotients, remainders, comparison bits) are not witness elements: the prover's
 * solver computes them. Stateless; any thread.
 */
public final class TradeStepElements {
  private TradeStepElements() {}

  /**
   * The number of elements of a trade slot of shape (n, k) (what a no-op slot holds as zeros): 159
   * + 14·N + 24·K — per side 28 + 7·N in the rules' witness, 40 per account opening, 13 for the
   * market opening, 4 for the global leaf, 10 per market of the vector and 14 per table opening.
   *
   * @param n list entries per account, 1 … 8
   * @param k markets in the table, 1 … 64
   * @return the element count
   * @throws TradeElementsException SHAPE_UNSUPPORTED
   */
  public static int count(int n, int k) throws TradeElementsException {
    checkShape(n, k);
    return 159 + 14 * n + 24 * k;
  }

  private static void checkShape(int n, int k) throws TradeElementsException {
    if (n < 1 || n > LayoutV2.MAX_POSITIONS || k < 1 || k > 1 << LayoutV2.MARKETS_DEPTH) {
      throw new TradeElementsException(
          TradeElementsException.Reason.SHAPE_UNSUPPORTED,
          "N = " + n + " (1 … 8), K = " + k + " (1 … 64)");
    }
  }

  /**
   * The trade slot's elements for shape (n, k).
   *
   * @param witness an executed trade ({@link io.zkperp.batcher.v3.TradeExecution#execute})
   * @param domain the deployment the orders were signed for (its order separator is a constant of
   *     the circuit and its first element)
   * @param n list entries per account the shape reads, 1 … 8
   * @param k markets in the shape's table, 1 … 64
   * @return the named elements
   * @throws TradeElementsException the trade does not fit the shape, or the witness does not hold
   *     together (nothing is returned)
   */
  public static StepElements of(TradeWitness witness, MessageDomain domain, int n, int k)
      throws TradeElementsException {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(domain, "domain");
    checkShape(n, k);
    TradeTransaction tx = witness.trade();
    if (tx.market() >= k) {
      throw new TradeElementsException(
          TradeElementsException.Reason.MARKET_BEYOND_TABLE,
          "market " + tx.market() + ", K = " + k);
    }
    TradeCharges c = witness.charges();
    TradePartyElements.Side buyer =
        new TradePartyElements.Side(
            "Trade.Buyer.", tx.buyer(), witness.buyer(), c.buyerFee(), c.buyerFundingSettled());
    TradePartyElements.Side seller =
        new TradePartyElements.Side(
            "Trade.Seller.",
            tx.seller(),
            witness.seller(),
            c.sellerFee(),
            c.sellerFundingSettled());
    Fr[] buyerSignature = TradePartyElements.signature(buyer);
    int buyerSlot = TradePartyElements.checkedSlot(buyer, tx.market(), n);
    Fr[] sellerSignature = TradePartyElements.signature(seller);
    int sellerSlot = TradePartyElements.checkedSlot(seller, tx.market(), n);
    TradeMarketsTree tree =
        TradeMarketsTree.of(witness.marketsBefore(), witness.market().path().oldRoot());

    StepElements out = new StepElements();
    out.add("Trade.Separator", domain.separator(MessageType.ORDER));
    TradeMarketVector.markets(out, witness.marketsBefore(), k);
    out.add("Trade.Market", tx.market());
    out.add("Trade.Price", tx.price());
    out.add("Trade.Size", tx.size());
    TradePartyElements.write(out, buyer, buyerSlot, buyerSignature, n);
    TradePartyElements.write(out, seller, sellerSlot, sellerSignature, n);
    out.add(
        "Trade.OpenInterestAfter", Fr.fromUnsignedLong(witness.market().after().openInterest()));
    out.add(
        "Trade.FeeBalanceDelta",
        witness.global().after().feeBalance() - witness.global().before().feeBalance());
    TradeOpeningElements.account(out, "Buyer.", witness.buyer());
    TradeOpeningElements.account(out, "Seller.", witness.seller());
    TradeOpeningElements.market(out, witness.market().before(), witness.market().path().siblings());
    TradeOpeningElements.global(out, witness.global().before());
    TradeOpeningElements.table(out, witness.marketsBefore(), tree, k);
    if (out.size() != count(n, k)) {
      throw new IllegalStateException(out.size() + " elements, shape (" + n + ", " + k + ")");
    }
    return out;
  }
}
