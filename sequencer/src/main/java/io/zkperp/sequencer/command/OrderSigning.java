package io.zkperp.sequencer.command;

import io.zkperp.protocol.eddsa.EdDsaPrivateKey;
import io.zkperp.protocol.eddsa.EdDsaPublicKey;
import io.zkperp.protocol.eddsa.SignatureVerifier;
import io.zkperp.protocol.message.InvalidMessageFieldException;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.protocol.message.OrderMessage;

/**
 * Signs and verifies a {@link PlaceOrder} through the protocol's one definition of the order
 * message, {@link OrderMessage}: this class only maps the command's fields onto it (the engine's
 * enums onto the protocol's by their codes, which {@code OrderSigningTest} checks are equal).
 * Stateless; any thread.
 */
public final class OrderSigning {
  private static final OrderMessage.Side[] SIDES = OrderMessage.Side.values();
  private static final OrderMessage.Type[] TYPES = OrderMessage.Type.values();
  private static final OrderMessage.TimeInForce[] TIFS = OrderMessage.TimeInForce.values();
  private static final OrderMessage.Trigger[] TRIGGERS = OrderMessage.Trigger.values();

  private OrderSigning() {}

  /**
   * The signed message of an order: every field but the signature.
   *
   * @param order the order
   * @return its message
   * @throws InvalidMessageFieldException if the market or fee cap does not fit the message
   */
  public static OrderMessage message(PlaceOrder order) {
    return new OrderMessage(
        order.account(),
        order.market(),
        SIDES[order.side().ordinal()],
        TYPES[order.type().ordinal()],
        TIFS[order.timeInForce().ordinal()],
        order.reduceOnly(),
        order.clientOrderId(),
        order.size(),
        order.price(),
        order.feeCap(),
        order.expiry(),
        order.nonce(),
        TRIGGERS[order.trigger().ordinal()],
        order.triggerPrice());
  }

  /**
   * Signs an order (clients, tests, benchmarks).
   *
   * @param key the account's private key
   * @param domain the deployment
   * @param order the order (its signature is ignored)
   * @return the order with its signature set
   * @throws InvalidMessageFieldException if the market or fee cap does not fit the message
   */
  public static PlaceOrder sign(EdDsaPrivateKey key, MessageDomain domain, PlaceOrder order) {
    return order.withSignature(message(order).sign(key, domain));
  }

  /**
   * Verifies an order's signature (the sequencer's intake, with the native verifier where
   * available).
   *
   * @param verifier the verifier
   * @param key the account's public key
   * @param domain the deployment
   * @param order the order
   * @return true iff the signature is valid; false for a malformed signature encoding too
   * @throws InvalidMessageFieldException if the market or fee cap does not fit the message (no
   *     signature can be valid for it)
   */
  public static boolean verify(
      SignatureVerifier verifier, EdDsaPublicKey key, MessageDomain domain, PlaceOrder order) {
    return message(order).verify(verifier, key, order.signatureUnsafe(), domain);
  }
}
