package io.zkperp.node.v3;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.sequencer.OrderType;
import io.zkperp.sequencer.Side;
import io.zkperp.sequencer.TimeInForce;
import io.zkperp.sequencer.TriggerType;
import io.zkperp.sequencer.command.OrderSigning;
import io.zkperp.sequencer.command.PlaceOrder;

/** Signs the tests' orders in the deployment's domain (fee cap 1,000 ppm, no expiry). */
final class OrderSigner {
  private OrderSigner() {}

  /** An order without trigger or reduce-only flag; the client id is the nonce. */
  static PlaceOrder sign(
      EdDsaPrivateKey key,
      int account,
      int market,
      Side side,
      long nonce,
      OrderType type,
      TimeInForce tif,
      long size,
      long price) {
    return sign(
        key, account, market, side, nonce, type, tif, false, size, price, TriggerType.NONE, 0);
  }

  /** Any order; the client id is the nonce. */
  static PlaceOrder sign(
      EdDsaPrivateKey key,
      int account,
      int market,
      Side side,
      long nonce,
      OrderType type,
      TimeInForce tif,
      boolean reduceOnly,
      long size,
      long price,
      TriggerType trigger,
      long triggerPrice) {
    PlaceOrder o =
        new PlaceOrder(
            account,
            market,
            side,
            (int) nonce,
            type,
            tif,
            reduceOnly,
            size,
            price,
            1_000,
            Long.MAX_VALUE,
            nonce,
            trigger,
            triggerPrice,
            new byte[PlaceOrder.SIGNATURE_BYTES]);
    return OrderSigning.sign(key, Deployment.DOMAIN, o);
  }
}
