package io.zkperp.batcher.v3.witness;

import io.zkperp.batcher.v3.Position;
import io.zkperp.batcher.v3.TradeOrder;
import io.zkperp.protocol.eddsa.EdDsaSignature;
import io.zkperp.protocol.encoding.InvalidEncodingException;
import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.message.OrderMessage;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.state.v2.AccountUpdateV2;
import java.util.Arrays;
import java.util.List;

/**
 * One side of a trade as {@code perp.PartyVars} holds it (prefix {@code Trade.Buyer.} or {@code
 * Trade.Seller.}): account, key, collateral and the N list entries before, the one-hot entry
 * selector, the fill slot before, the fee rate, the signed order, the signature, the N entries
 * after, collateral and filled amount after, funding settled and fee; as {@code perpstep.assign}
 * fills them. Stateless; any thread.
 */
final class TradePartyElements {
  private TradePartyElements() {}

  /** One side's inputs: its order, its opening and what the rules charged it. */
  record Side(String prefix, TradeOrder order, AccountUpdateV2 opening, long fee, long funding) {}

  /**
   * The list entry the trade's market uses, checked against the shape (as {@code perpstep}'s {@code
   * positionVars} and its selected-entry check).
   *
   * @return the entry's index, below n
   */
  static int checkedSlot(Side s, int market, int n) throws TradeElementsException {
    int slot = Position.slotFor(s.opening().before().positions(), market);
    checkList(s, "before", Position.listOf(s.opening().before().positions()), n);
    if (slot < 0 || slot >= n) {
      throw new TradeElementsException(
          TradeElementsException.Reason.ENTRY_BEYOND_LIST,
          "account " + s.opening().accountId() + " selects entry " + slot + ", N = " + n);
    }
    checkList(s, "after", Position.listOf(s.opening().after().positions()), n);
    return slot;
  }

  private static void checkList(Side s, String when, List<Position> list, int n)
      throws TradeElementsException {
    for (int i = n; i < list.size(); i++) {
      if (list.get(i).size() != 0) {
        throw new TradeElementsException(
            TradeElementsException.Reason.ENTRY_BEYOND_LIST,
            "account " + s.opening().accountId() + " uses entry " + i + " " + when + ", N = " + n);
      }
    }
  }

  /** The signature's R and S as gnark-crypto's {@code Signature.SetBytes} reads them. */
  static Fr[] signature(Side s) throws TradeElementsException {
    byte[] bytes = s.order().signature();
    try {
      EdDsaSignature sig = EdDsaSignature.decode(bytes);
      return new Fr[] {sig.r().x(), sig.r().y(), Fr.reduce(Arrays.copyOfRange(bytes, 32, 64))};
    } catch (InvalidEncodingException e) {
      throw new TradeElementsException(
          TradeElementsException.Reason.MALFORMED_SIGNATURE,
          "account " + s.opening().accountId() + ": " + e.getMessage());
    }
  }

  /**
   * Appends the side's elements.
   *
   * @param out the list
   * @param s the side
   * @param slot its checked entry
   * @param sig its signature's R.X, R.Y, S
   * @param n the list entries the shape reads
   */
  static void write(StepElements out, Side s, int slot, Fr[] sig, int n) {
    String p = s.prefix();
    AccountUpdateV2 o = s.opening();
    AccountV2 before = o.before();
    OrderMessage order = s.order().order();
    out.add(p + "Account", Fr.fromUnsignedLong(Integer.toUnsignedLong(order.account())));
    out.add(p + "Key.A.X", before.identity().publicKeyX());
    out.add(p + "Key.A.Y", before.identity().publicKeyY());
    out.add(p + "Collateral", before.collateral());
    entries(out, p + "Positions.", Position.listOf(before.positions()), n);
    for (int i = 0; i < n; i++) {
      out.add(p + "Select." + i, i == slot ? 1 : 0);
    }
    FillV2 fill = o.fillBefore();
    out.add(p + "FillNonce", Fr.fromUnsignedLong(fill == null ? 0 : fill.orderNonce()));
    out.add(p + "FillFilled", Fr.fromUnsignedLong(fill == null ? 0 : fill.filledAmount()));
    out.add(p + "FeePpm", s.order().feePpm());
    order(out, p + "Order.", order);
    out.add(p + "Signature.R.X", sig[0]);
    out.add(p + "Signature.R.Y", sig[1]);
    out.add(p + "Signature.S", sig[2]);
    entries(out, p + "After.", Position.listOf(o.after().positions()), n);
    out.add(p + "CollateralAfter", o.after().collateral());
    out.add(p + "FilledAfter", Fr.fromUnsignedLong(o.fillAfter().filledAmount()));
    out.add(p + "FundingSettled", s.funding());
    out.add(p + "FeeOut", s.fee());
  }

  private static void entries(StepElements out, String prefix, List<Position> list, int n) {
    for (int i = 0; i < n; i++) {
      Position e = list.get(i);
      out.add(prefix + i + ".Market", e.market());
      out.add(prefix + i + ".Size", e.size());
      out.add(prefix + i + ".Snapshot", e.snapshot());
    }
  }

  /** {@code messages.OrderVars}: the signed fields, enums by code, reduce-only as 0 or 1. */
  private static void order(StepElements out, String p, OrderMessage o) {
    out.add(p + "Account", Fr.fromUnsignedLong(Integer.toUnsignedLong(o.account())));
    out.add(p + "Market", o.market());
    out.add(p + "Side", o.side().code());
    out.add(p + "Type", o.type().code());
    out.add(p + "TimeInForce", o.timeInForce().code());
    out.add(p + "ReduceOnly", o.reduceOnly() ? 1 : 0);
    out.add(p + "ClientOrderID", Fr.fromUnsignedLong(Integer.toUnsignedLong(o.clientOrderId())));
    out.add(p + "Size", Fr.fromUnsignedLong(o.size()));
    out.add(p + "Price", Fr.fromUnsignedLong(o.price()));
    out.add(p + "FeeCap", o.feeCap());
    out.add(p + "Expiry", Fr.fromUnsignedLong(o.expiry()));
    out.add(p + "Nonce", Fr.fromUnsignedLong(o.nonce()));
    out.add(p + "Trigger", o.trigger().code());
    out.add(p + "TriggerPrice", Fr.fromUnsignedLong(o.triggerPrice()));
  }
}
