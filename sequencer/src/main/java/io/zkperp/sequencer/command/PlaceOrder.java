package io.zkperp.sequencer.command;

import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Places a signed order. The signature covers every other field: it is over the protocol's {@link
 * io.zkperp.protocol.message.OrderMessage} of the order ({@link OrderSigning#message}) in the
 * node's {@link io.zkperp.protocol.message.MessageDomain}. Immutable; any thread.
 *
 * @param account the account id (≥ 0)
 * @param market the market id (0 to 65535)
 * @param side buy or sell
 * @param clientOrderId the client's id for the order, unique among the account's live orders
 * @param type LIMIT, or MARKET (the price is then the worst-price protection)
 * @param timeInForce GTC, IOC, FOK or POST_ONLY
 * @param reduceOnly whether the order may only reduce the account's position
 * @param size the signed size in synthetic quanta (&gt; 0)
 * @param price the limit price (or worst price) in quote quanta per synthetic quantum (&gt; 0)
 * @param feeCap the highest fee rate the trader accepts, in ppm of the fill notional (≥ 0; dYdX v3
 *     {@code limitFee}); under the risk engine the order is refused {@code FEE_CAP_EXCEEDED} unless
 *     the account tier's maker and taker rates are both ≤ it (rebates need no cap)
 * @param expiry the good-til time in seconds: the order is live while the core time is below it
 * @param nonce the order nonce (≥ 1); uses nonce slot {@code nonce mod 2^12} of the account
 * @param trigger NONE, or STOP_LOSS / TAKE_PROFIT for a conditional order
 * @param triggerPrice the oracle price that triggers a conditional order (0 when not conditional)
 * @param signature the 64-byte EdDSA signature over the order's message ({@link OrderSigning})
 */
public record PlaceOrder(
    int account,
    int market,
    Side side,
    int clientOrderId,
    OrderType type,
    TimeInForce timeInForce,
    boolean reduceOnly,
    long size,
    long price,
    long feeCap,
    long expiry,
    long nonce,
    TriggerType trigger,
    long triggerPrice,
    byte[] signature)
    implements Command {

  /** Length of the signature field in bytes. */
  public static final int SIGNATURE_BYTES = 64;

  /**
   * Checks the field types (not the values: the core checks those and rejects with a reason).
   *
   * @param account the account id
   * @param market the market id
   * @param side buy or sell
   * @param clientOrderId the client order id
   * @param type the order type
   * @param timeInForce the time in force
   * @param reduceOnly the reduce-only flag
   * @param size the size
   * @param price the limit or worst price
   * @param feeCap the fee cap
   * @param expiry the good-til time
   * @param nonce the nonce
   * @param trigger the trigger type
   * @param triggerPrice the trigger price
   * @param signature the signature, 64 bytes
   */
  public PlaceOrder {
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timeInForce, "timeInForce");
    Objects.requireNonNull(trigger, "trigger");
    CommandSignatures.checked(signature);
  }

  /**
   * A copy of this order with another signature.
   *
   * @param newSignature the 64-byte signature
   * @return the signed copy
   */
  public PlaceOrder withSignature(byte[] newSignature) {
    return new PlaceOrder(
        account,
        market,
        side,
        clientOrderId,
        type,
        timeInForce,
        reduceOnly,
        size,
        price,
        feeCap,
        expiry,
        nonce,
        trigger,
        triggerPrice,
        newSignature);
  }

  /**
   * The signature (a copy).
   *
   * @return the 64 signature bytes
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * The signature without copying: callers must not modify it.
   *
   * @return the signature bytes
   */
  byte[] signatureUnsafe() {
    return signature;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaceOrder p
        && account == p.account
        && market == p.market
        && side == p.side
        && clientOrderId == p.clientOrderId
        && type == p.type
        && timeInForce == p.timeInForce
        && reduceOnly == p.reduceOnly
        && size == p.size
        && price == p.price
        && feeCap == p.feeCap
        && expiry == p.expiry
        && nonce == p.nonce
        && trigger == p.trigger
        && triggerPrice == p.triggerPrice
        && Arrays.equals(signature, p.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(account, market, side, clientOrderId, nonce, size, price)
        ^ Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "PlaceOrder[account="
        + account
        + ", market="
        + market
        + ", "
        + side
        + " "
        + type
        + " "
        + timeInForce
        + (reduceOnly ? " reduceOnly" : "")
        + ", clientOrderId="
        + clientOrderId
        + ", size="
        + size
        + ", price="
        + price
        + ", feeCap="
        + feeCap
        + ", expiry="
        + expiry
        + ", nonce="
        + nonce
        + (trigger == TriggerType.NONE ? "" : ", " + trigger + "@" + triggerPrice)
        + "]";
  }
}
