package io.zkperp.node.v3;

import io.zkperp.protocol.message.OrderMessage;
import java.util.Objects;

/**
 * What a trade step needs of a live order: its signed message (signed-message format 2) and the
 * 64-byte signature the engine journaled with it. Immutable (the signature is copied); any thread.
 *
 * @param message the order as signed
 * @param signature the signature over {@code message.hash(domain)}
 */
public record SignedOrder(OrderMessage message, byte[] signature) {
  /** Copies the signature and checks for null. */
  public SignedOrder {
    Objects.requireNonNull(message, "message");
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /**
   * The signature bytes.
   *
   * @return a copy
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
